"""What every renderer shares: the line sink that records anchors, and the report walk.

A renderer prints the chrome before the report, the title, the preamble, each section
(heading, paragraphs, tables) and the signature and chrome after it. Subclasses decide how a
paragraph, a heading and a table grid look in their layout.
"""

from dataclasses import dataclass, field
from random import Random

from ..grids import Grid, grids_of
from ..model import Para, Section, Spec
from ..noise import Noise


@dataclass
class Rendered:
    text: str
    anchors: dict  # anchor tuple -> 1-based source line where it is printed first
    ext: str = "txt"


@dataclass
class Sink:
    lines: list[str] = field(default_factory=list)
    anchors: dict = field(default_factory=dict)

    def add(self, text: str, anchors=()) -> int:
        self.lines.append(text)
        number = len(self.lines)
        for anchor in anchors:
            self.anchors.setdefault(anchor, number)
        return number

    def mark(self, anchors, line: int) -> None:
        for anchor in anchors:
            self.anchors.setdefault(anchor, line)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


class Renderer:
    name = ""
    ext = "txt"
    paragraph_gap = False  # a blank line after every prose line

    def __init__(self, spec: Spec, rng: Random):
        self.spec, self.rng = spec, rng
        self.noise = Noise(rng, fullwidth=spec.noise.get("fullwidth", 0.0), spaces=spec.noise.get("spaces", 0.0),
                           commas=spec.noise.get("commas", False))
        self.sink = Sink()

    # -- the walk ------------------------------------------------------------------
    def render(self) -> Rendered:
        spec = self.spec
        self.begin()
        for line in spec.chrome_before:
            self.chrome(line)
        if spec.title:
            self.title(spec.title)
        for para in spec.preamble:
            self.para(para)
        for section in spec.sections:
            self.heading(section)
            for block in section.blocks:
                if isinstance(block, Para):
                    self.para(block)
                else:
                    self.table(block, grids_of(spec, block))
        for index, line in enumerate(spec.signature):
            self.closing(line, ("date",) if index == 1 else ())
        for line in spec.chrome_after:
            self.chrome(line)
        self.end()
        return Rendered(self.sink.text(), self.sink.anchors, self.ext)

    # -- defaults: one line per thing --------------------------------------------------
    def begin(self) -> None:
        pass

    def end(self) -> None:
        pass

    def line(self, text: str, anchors=()) -> int:
        number = self.sink.add(text, anchors)
        if self.paragraph_gap:
            self.sink.add("")
        return number

    def chrome(self, text: str) -> None:
        self.line(text)

    def title(self, text: str) -> None:
        if self.spec.title_split:
            body = self.spec.body
            self.line(self.noise.text(body), (("title",),))
            self.line(self.noise.text(text[len(body):]))
        else:
            self.line(self.noise.text(text), (("title",),))

    def heading(self, section: Section) -> None:
        self.line(self.noise.text(f"{section.numeral}{self.spec.numbering}{section.heading}"), ((("section", section.key or section.numeral)),))

    def para(self, para: Para) -> None:
        if para.text:
            self.line(self.noise.text(para.text), tuple(para.anchors))

    def closing(self, text: str, anchors=()) -> None:
        self.line(text, anchors)

    def table(self, key: str, grids: list[Grid]) -> None:
        raise NotImplementedError

    # -- helpers -------------------------------------------------------------------
    def cell_text(self, cell) -> str:
        if cell.kind == "value":
            return self.noise.value(cell.text)
        return self.noise.text(cell.text)


_NO_LINE_START = set("。，、；：！？）》」”")


def wrap(text: str, first: int, width: int, keep=()) -> list[str]:
    """`text` cut into lines of about `width` characters (`first` for the first line), never
    inside the start of a quoted figure (`keep` spans) nor before closing punctuation."""
    lines, start = [], 0
    while start < len(text):
        end = start + (first if not lines else width)
        if end >= len(text):
            lines.append(text[start:])
            break
        for low, high in keep:
            if low < end < high:
                end = low if low > start else high
        while end < len(text) and text[end] in _NO_LINE_START and end - start > 4:
            end -= 1
        lines.append(text[start:end])
        start = end
    return lines


def expand(grid: Grid):
    """Each grid row as a full-width list: a cell, or a placeholder ("rowspan" | "colspan",
    the spanning cell) where a span covers the position."""
    pending: dict[int, tuple] = {}  # column -> (cell, rows left)
    out = []
    for row in grid.rows:
        full: list = []
        column = 0
        cells = iter(row)
        while column < grid.width:
            if column in pending:
                cell, left = pending[column]
                full.append(("rowspan", cell))
                if left <= 1:
                    del pending[column]
                else:
                    pending[column] = (cell, left - 1)
                column += 1
                continue
            cell = next(cells, None)
            if cell is None:
                break
            full.append(cell)
            if cell.rowspan > 1:
                for offset in range(cell.colspan):
                    pending[column + offset] = (cell, cell.rowspan - 1)
            for _ in range(cell.colspan - 1):
                full.append(("colspan", cell))
            column += cell.colspan
        for extra in cells:  # a row longer than the grid (a defect): keep its cells
            full.append(extra)
        out.append(full)
    return out

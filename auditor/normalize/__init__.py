"""Normalize decoded report text into one stream of logical lines for the grammar.

Every layout real reports come in (cell per line, tab-indented Word copy, "cell |" lines,
whole rows split by "|", markdown tables, PDF text, raw HTML, cells run together) becomes
the same stream: prose lines, table cells and row separators, each keeping the source line
it came from. `Stream.text()` is what the Lark grammar parses.
"""

from dataclasses import dataclass, field

from .html import html_lines
from .lines import LONE_PIPE, VALUE, split_lines

TEXT, CELL, RUN, ROWSEP = "text", "cell", "run", "rowsep"


@dataclass(frozen=True, slots=True)
class Line:
    kind: str  # TEXT | CELL | RUN | ROWSEP
    text: str
    src: int  # 1-based line in the source file


@dataclass
class Stream:
    lines: list[Line]
    layout: str
    notes: list[str] = field(default_factory=list)

    def text(self) -> str:
        """The grammar's input: one logical line per stream line."""
        out = []
        for line in self.lines:
            if line.kind == CELL:
                out.append("\t" + line.text)
            elif line.kind == RUN:
                out.append("\t~" + line.text)
            elif line.kind == ROWSEP:
                out.append("\x1e")
            else:
                out.append(line.text)
        return "\n".join(out) + "\n"

    def src_line(self, stream_line: int) -> int:
        """Source line of a 1-based stream line number (as Lark tokens report it)."""
        if 1 <= stream_line <= len(self.lines):
            return self.lines[stream_line - 1].src
        return self.lines[-1].src if self.lines else 0


def normalize(text: str, fmt: str = "text") -> Stream:
    raw = html_lines(text) if fmt == "html" else split_lines(text)
    # A cell printed as "~…" must not read as the run marker of the stream (see Stream.text).
    lines = [Line(kind, "〜" + body[1:] if kind == CELL and body[:1] == "~" else body, src) for kind, body, src in raw.lines]
    return Stream(_tidy_rows(_lone_pipes(lines)), raw.layout, raw.notes)


def _lone_pipes(lines: list[Line]) -> list[Line]:
    """Drop the lines of pipes alone ("|", "|||", "| ") that stand before a value.

    In text made from HTML tables one cell per line, such a line closes a cell whose text
    broke before its pipe, pads the columns a cell spans, opens a row, or stands between
    every two cells. Before a value it never ends a row: a row end between a label and its
    values, or between two values, would leave rows "printing one number". Rows are then
    told apart by their labels. (A lone pipe before a text cell is kept: it may end a
    header row.)
    """
    out: list[Line] = []
    for index, line in enumerate(lines):
        if line.kind == ROWSEP and line.text == LONE_PIPE:
            following = next((n for n in lines[index + 1:] if not (n.kind == ROWSEP and n.text == LONE_PIPE)), None)
            if following is not None and (following.kind == RUN or (following.kind == CELL and _is_value(following.text))):
                continue
        out.append(line)
    return out


def _tidy_rows(lines: list[Line]) -> list[Line]:
    """Drop layout padding inside rows delimited by separators.

    A blank cell before a row's label is a rowspan placeholder, and blank cells in a row of
    several text cells and no values are header padding; blank cells after a label or among
    values are kept (the template wants a number there). Consecutive separators collapse.
    """
    out: list[Line] = []
    row: list[Line] = []

    def flush():
        if not row:
            return
        has_value = any(c.kind == RUN or (c.kind == CELL and _is_value(c.text)) for c in row)
        texts = [i for i, c in enumerate(row) if c.kind == CELL and c.text and not _is_value(c.text)]
        padding_row = not has_value and len(texts) != 1
        for i, cell in enumerate(row):
            blank = cell.kind == CELL and not cell.text
            if blank and (padding_row or (texts and i < texts[0])):
                continue
            out.append(cell)
        row.clear()

    for line in lines:
        if line.kind in (CELL, RUN):
            row.append(line)
            continue
        flush()
        if line.kind == ROWSEP and (not out or out[-1].kind == ROWSEP):
            continue
        out.append(line)
    flush()
    # A row end only means something between two cells.
    return [
        line
        for i, line in enumerate(out)
        if line.kind != ROWSEP or (0 < i < len(out) - 1 and out[i - 1].kind in (CELL, RUN) and out[i + 1].kind in (CELL, RUN))
    ]


def _is_value(text: str) -> bool:
    return bool(VALUE.fullmatch(text))

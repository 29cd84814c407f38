"""Normalize decoded report text into one stream of logical lines for the grammar.

Every layout real reports come in (cell per line, tab-indented Word copy, "cell |" lines,
whole rows split by "|", markdown tables, PDF text, raw HTML, cells run together) becomes
the same stream: prose lines, table cells and row separators, each keeping the source line
it came from. Empty cells printed as a pipe alone become blank cells; a value the text
stops in the middle of (a page saved cut off) is dropped. `Stream.text()` is what the Lark
grammar parses.
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
    if fmt != "html":
        lines = _cut_value(lines, text)
    return Stream(_tidy_rows(_lone_pipes(lines)), raw.layout, raw.notes)


def _cut_value(lines: list[Line], text: str) -> list[Line]:
    """Drop a value the text ends in when the text stops mid-line (a page saved cut off).

    "… | 0 | 0 | 6" at the very end may be 66 cut short: its row then prints one value too
    few and its cells are unknown, instead of a complete row with a wrong last cell. A
    value closed by its pipe ("0 |") or a line break is whole."""
    stripped = text.rstrip(" \t\u3000\xa0")
    if not stripped or stripped[-1] in "\r\n|" or not lines:
        return lines
    index = len(lines) - 1
    while index > 0 and lines[index].kind == ROWSEP:
        index -= 1
    last = lines[index]
    if last.kind == RUN or (last.kind == CELL and _is_value(last.text) and stripped[-1].isdigit()):
        return lines[:index] + lines[index + 1:]
    return lines


def _lone_pipes(lines: list[Line]) -> list[Line]:
    """Lines holding one pipe alone, between a cell and a value, are empty cells.

    In text made from HTML tables one cell per line ("0 |"), an empty cell prints as a pipe
    alone: "一、本年新收… |" / "|" × 6 / "0 |" is a row of six blank cells and a 0, not a
    label, six row ends and a value (a row "printing one number"). A pipe alone before a
    text cell opens a row; a line of several pipes pads the columns a cell spans: both stay
    row separators. (A pipe alone closing a cell whose text broke before it was dropped by
    normalize.lines.)
    """
    out: list[Line] = []
    for index, line in enumerate(lines):
        if line.kind == ROWSEP and line.text == LONE_PIPE and out and out[-1].kind in (CELL, RUN):
            following = next((n for n in lines[index + 1:] if not (n.kind == ROWSEP and n.text == LONE_PIPE)), None)
            if following is not None and (following.kind == RUN or (following.kind == CELL and _is_value(following.text))):
                out.append(Line(CELL, "", line.src))
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

"""Line-based layouts: cell per line, tab-indented cells, "cell |" lines, whole rows split
by "|" or tabs, markdown tables and PDF text with several numbers on one line.

Each raw line is classified on its own, with file-level decisions: whether blank lines
separate table rows (they do in Word copies, where cells are tab-indented), whether one
blank line separates every cell (web page copies: then a longer run before a value holds
empty cells), and whether the file holds run-together text (then section headings run
into their text are split off too). A pipe alone on a line closes a cell whose text broke
before it, or (normalize._lone_pipes) is an empty cell. In PDF layout text a header row's
cells are split at their column gaps, and a row of header cells broken over two lines is
joined back (normalize.columns).
"""

import re
from dataclasses import dataclass, field

from . import columns, runtogether
from ..chars import clean, source_lines

# A table value: count, signed change, decimal amount with an optional unit, or a dash.
VALUE = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?:元|万元)?|[+-]?\d+(?:\.\d+)?(?:元|万元|件|个|条|项)?|[-—–/\\]|无")
_NUMBER = r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:元|万元)?"  # 1280, 1,280, -3, 326.5万元
_NUMBERS = re.compile(rf"{_NUMBER}(?:\s+{_NUMBER})*")
_NUMBERS_TAIL = re.compile(rf"(?P<label>.*?)(?:(?<=[^\d\s.+\-])\s+|^)(?P<nums>{_NUMBER}(?:\s+{_NUMBER})*)")
_MD_RULE = re.compile(r"\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?")
_MD_MARKUP = re.compile(r"<br\s*/?>|\*\*", re.IGNORECASE)  # line breaks and bold inside a markdown cell
_GENERATED_NAME = re.compile(r"(?:Column|Col|Unnamed: ?|列)?\s*(\d{1,2})", re.IGNORECASE)
_HEADING_START = re.compile(r"[一二三四五六七八九十]{1,2}[、.]")
LONE_PIPE = "|"  # text of a row separator that came from a line holding one pipe alone
_LONE_PIPES = re.compile(r"[ \t\u3000\xa0]*\|[|\s\u3000\xa0]*")


@dataclass
class RawLines:
    lines: list[tuple[str, str, int]] = field(default_factory=list)  # (kind, text, src)
    layout: str = "cell-per-line"
    notes: list[str] = field(default_factory=list)

    def add(self, kind: str, text: str, src: int) -> None:
        self.lines.append((kind, text, src))


def split_lines(text: str) -> RawLines:
    raw = source_lines(text)
    tab_cells = sum(1 for line in raw if line.startswith("\t"))
    tab_mode = tab_cells >= 8
    out = RawLines()
    counts = {"tab": tab_cells, "pipe-cell": 0, "pipe-row": 0, "pdf-text": 0, "run-together": 0}
    cleaned = {src: _clean_plain(line) for src, line in enumerate(raw, 1) if not _has_cells(line)}
    run_text = any(runtogether.applies(line) for line in cleaned.values() if line)
    generated = _generated_headers(raw)
    lead_pipe = _rows_open_with_pipe(raw) if "|" in text else True
    previous_cell = False  # last emitted line was a tab cell with no blank line since
    layout_row = None  # (src, pieces, first index in out.lines) of the last PDF layout row
    spaced = not tab_mode and _blank_separated(raw, cleaned)
    blanks = 0  # blank lines just before this one
    for src, rawline in enumerate(raw, 1):
        if not rawline.strip(" \r\n\xa0\u3000"):
            if tab_mode:
                out.add("rowsep", "", src)
            previous_cell = False
            blanks += 1
            continue
        if spaced and blanks >= 2 and VALUE.fullmatch(cleaned.get(src) or "") and _row_so_far(out):
            for _ in range(blanks - 1):
                out.add("cell", "", src - blanks + 1)  # empty cells printed as blank lines
        blanks = 0
        if src in generated:
            out.add("rowsep", "", src)  # "| 0 | 1 | 2 |": column names a converter made up
            continue
        if "|" in rawline:
            if _LONE_PIPES.fullmatch(rawline) and not _closed(raw, src):
                continue  # the pipe closing a cell whose text broke before it ("行政规范性文件" / "|")
            counts[_pipe_line(rawline, src, out, lead_pipe)] += 1
            previous_cell = False
            continue
        if _has_cells(rawline):
            _tab_line(rawline, src, out)
            previous_cell = True
            continue
        line = cleaned[src]
        if not line:
            continue
        if run_text and (runtogether.applies(line) or runtogether.has_heading(line)):
            runtogether.split(line, src, out)
            counts["run-together"] += 1
        elif previous_cell and not _HEADING_START.match(line) and out.lines[-1][0] == "cell":
            kind, body, first = out.lines[-1]
            if not VALUE.fullmatch(body):
                out.lines[-1] = (kind, body + line, first)  # a cell broken over two lines
            else:
                _plain_line(line, src, out, counts)
        else:
            state = _layout_row(rawline, src, out, layout_row, counts)
            if state is None:
                _plain_line(line, src, out, counts)
            layout_row = state or None
        previous_cell = False
    out.layout = _dominant_layout(counts, tab_mode)
    return out


def _blank_separated(raw: list[str], cleaned: dict) -> bool:
    """One cell per line with one blank line after each (web page copy): there, a run of n
    blank lines before a value holds n - 1 empty cells ("一、本年新收…" / 7 blank lines / "0"
    is six blank cells and a 0). Only where one blank line is the usual separator."""
    runs: dict[int, int] = {}  # blank lines before a value line -> how often
    run = 0
    for src, line in enumerate(raw, 1):
        if not line.strip():
            run += 1
            continue
        if run and VALUE.fullmatch(cleaned.get(src) or ""):
            runs[run] = runs.get(run, 0) + 1
        run = 0
    return runs.get(1, 0) >= 8 and runs[1] > sum(runs.values()) / 2


def _row_so_far(out: "RawLines") -> bool:
    """Whether the last line emitted can be a row's label or value (a cell, or a short line
    that is no sentence)."""
    if not out.lines:
        return False
    kind, text, _ = out.lines[-1]
    return kind == "cell" or (kind == "text" and len(text) <= 60 and "。" not in text)


def _closed(raw: list[str], src: int) -> bool:
    """Whether the last non-blank line before source line `src` ends with a pipe (or holds
    only pipes): a lone pipe after a cell left open closes that cell."""
    for line in reversed(raw[: src - 1]):
        if line.strip(" \t\r\n\xa0\u3000"):
            return line.rstrip(" \t\r\n\xa0\u3000").endswith("|")
    return True


def _generated_headers(raw: list[str]) -> set[int]:
    """Markdown header rows (the row above a |---| rule) whose cells are column numbers or
    made-up names ("0 | 1 | 2", "Column1 | Column2", "Unnamed: 0"): not the report's text."""
    found = set()
    for index in range(len(raw) - 1):
        if "|" not in raw[index] or not _MD_RULE.fullmatch(raw[index + 1].strip()):
            continue
        cells = [cell.strip() for cell in raw[index].strip().strip("|").split("|")]
        names = [_GENERATED_NAME.fullmatch(cell) for cell in cells]
        if len(cells) > 1 and all(names):
            numbers = [int(name.group(1)) for name in names]
            if numbers == list(range(numbers[0], numbers[0] + len(numbers))) and numbers[0] in (0, 1):
                found.add(index + 1)
    return found


def _has_cells(rawline: str) -> bool:
    return "|" in rawline or "\t" in rawline.rstrip("\r\n")


def _clean_plain(rawline: str) -> str:
    """A line of plain text (no tab or pipe cells), markdown heading marks and bold removed."""
    return clean(rawline.replace("**", "")).lstrip("#").lstrip()


def _plain_line(line: str, src: int, out: RawLines, counts: dict) -> None:
    if VALUE.fullmatch(line):
        out.add("cell", line, src)
        return
    match = _NUMBERS_TAIL.fullmatch(line)
    label = match and match["label"].strip()
    if match and (not label or (len(label) <= 60 and "。" not in label and not label.endswith(("第", "年", "月")))):
        if label:
            out.add("cell", label, src)
        for number in match["nums"].split():
            out.add("cell", number, src)
        out.add("rowsep", "", src)
        counts["pdf-text"] += 1
        return
    out.add("text", line, src)


def _layout_row(rawline: str, src: int, out: RawLines, above, counts: dict):
    """A PDF layout row split at its column gaps, or None for any other line.

    A row of text cells is a header row; text cells followed by values are group and row
    labels with the row's values ("(三)不予公开    1.属于国家秘密    0    0 …"). Returns what
    the next line needs to know: (src, pieces, index of the first cell) after a header row,
    () otherwise (a row of values, or the lower half of a header row broken over two lines).
    """
    pieces = columns.split(rawline)
    if not pieces:
        return None
    cells = [clean(text) for _, text in pieces]
    first_value = next((i for i, cell in enumerate(cells) if _values(cell)), len(cells))
    if first_value < len(cells):
        if not all(_values(cell) for cell in cells[first_value:]):
            return None  # text after the values: the line classifier reads it
        if first_value == 0 and (len(cells) < 3 or all(_NUMBERS.fullmatch(cell) for cell in cells)):
            return None  # values alone, all numbers: the line classifier reads them
        # (a row of values with dash cells among them, "3  1  -  1  5", is read here)
        for cell in cells[:first_value]:
            out.add("cell", cell, src)
        for cell in cells[first_value:]:
            for number in cell.split():
                out.add("cell", number, src)
        out.add("rowsep", "", src)
        counts["pdf-text"] += 1
        return ()
    if above and above[0] == src - 1:
        stacked = columns.stack(above[1], pieces)
        if stacked:
            for offset, text in enumerate(stacked):
                kind, _, first = out.lines[above[2] + offset]
                out.lines[above[2] + offset] = (kind, clean(text), first)
            return ()
    first = len(out.lines)
    for cell in cells:
        out.add("cell", cell, src)
    out.add("rowsep", "", src)
    return (src, pieces, first)


def _values(cell: str) -> bool:
    """A cell holding one value (a number, "-", "无") or several numbers a space apart."""
    return bool(VALUE.fullmatch(cell) or _NUMBERS.fullmatch(cell))


def _rows_open_with_pipe(raw: list[str]) -> bool:
    """Whether the file's table rows open with a pipe ("| a | b |", markdown) rather than
    only closing with one ("a | b |"). In the second form an empty cell before the first
    pipe is a blank cell of the row, not the space before an opening pipe."""
    opening = closing = 0
    for line in raw:
        if "|" not in line:
            continue
        if line.startswith("|"):
            opening += line.strip("| \t") != ""
        elif not line.lstrip().startswith("|"):
            closing += 1
    return opening >= closing


def _pipe_line(rawline: str, src: int, out: RawLines, lead_pipe: bool = True) -> str:
    if _MD_RULE.fullmatch(rawline.strip()):
        return "pipe-row"
    parts = rawline.split("|")
    if not parts[0].strip() and (lead_pipe or not parts[0]):
        parts = parts[1:]
    if parts and not parts[-1].strip():
        parts = parts[:-1]
    cells = [clean(_MD_MARKUP.sub("", part)) for part in parts]
    if not any(cells):
        # "|" (one pipe: an empty cell, or a row opening) or "|||" (columns a cell spans):
        # told apart by what surrounds them (normalize._lone_pipes)
        out.add("rowsep", LONE_PIPE if rawline.count("|") == 1 else "||", src)
        return "pipe-cell"
    for cell in cells:
        out.add("cell", cell, src)
    if len(cells) > 1:
        out.add("rowsep", "", src)
        return "pipe-row"
    return "pipe-cell"


def _tab_line(rawline: str, src: int, out: RawLines) -> None:
    parts = rawline.rstrip("\r\n").split("\t")
    if not parts[0].strip():
        parts = parts[1:]
    cells = [clean(part) for part in parts]
    for cell in cells:
        out.add("cell", cell, src)
    if len(cells) > 1:
        out.add("rowsep", "", src)


def _dominant_layout(counts: dict, tab_mode: bool) -> str:
    if counts["run-together"]:
        return "run-together"
    best = max(("pipe-cell", "pipe-row", "pdf-text"), key=counts.get)
    if tab_mode and counts["tab"] >= counts[best]:
        return "tab"
    if counts[best] >= 8:
        return best
    return "cell-per-line"

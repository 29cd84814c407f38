"""Line-based layouts: cell per line, tab-indented cells, "cell |" lines, whole rows split
by "|" or tabs, markdown tables and PDF text with several numbers on one line.

Each raw line is classified on its own; the only file-level decision is whether blank
lines separate table rows (they do in Word copies, where cells are tab-indented).
"""

import re
from dataclasses import dataclass, field

from . import runtogether
from ..chars import clean

# A table value: count, signed change, decimal amount with an optional unit, or a dash.
VALUE = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?:元|万元)?|[+-]?\d+(?:\.\d+)?(?:元|万元|件|个|条|项)?|[-—–/\\]|无")
_NUMBERS_TAIL = re.compile(
    r"(?P<label>.*?)(?:(?<=[^\d\s.+\-])\s+|^)(?P<nums>[+-]?\d+(?:\.\d+)?(?:元|万元)?(?:\s+[+-]?\d+(?:\.\d+)?(?:元|万元)?)*)"
)
_MD_RULE = re.compile(r"\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?")
_HEADING_START = re.compile(r"[一二三四五六七八九十]{1,2}[、.]")


@dataclass
class RawLines:
    lines: list[tuple[str, str, int]] = field(default_factory=list)  # (kind, text, src)
    layout: str = "cell-per-line"
    notes: list[str] = field(default_factory=list)

    def add(self, kind: str, text: str, src: int) -> None:
        self.lines.append((kind, text, src))


def split_lines(text: str) -> RawLines:
    raw = text.splitlines()
    tab_cells = sum(1 for line in raw if line.startswith("\t"))
    tab_mode = tab_cells >= 8
    out = RawLines()
    counts = {"tab": tab_cells, "pipe-cell": 0, "pipe-row": 0, "pdf-text": 0, "run-together": 0}
    previous_cell = False  # last emitted line was a tab cell with no blank line since
    for src, rawline in enumerate(raw, 1):
        if not rawline.strip(" \r\n\xa0\u3000"):
            if tab_mode:
                out.add("rowsep", "", src)
            previous_cell = False
            continue
        if "|" in rawline:
            counts[_pipe_line(rawline, src, out)] += 1
            previous_cell = False
            continue
        if "\t" in rawline.rstrip("\r\n"):
            _tab_line(rawline, src, out)
            previous_cell = True
            continue
        line = clean(rawline.lstrip("#").replace("**", ""))
        if not line:
            continue
        if runtogether.applies(line):
            runtogether.split(line, src, out)
            counts["run-together"] += 1
        elif previous_cell and not _HEADING_START.match(line) and out.lines[-1][0] == "cell":
            kind, body, first = out.lines[-1]
            if not VALUE.fullmatch(body):
                out.lines[-1] = (kind, body + line, first)  # a cell broken over two lines
            else:
                _plain_line(line, src, out, counts)
        else:
            _plain_line(line, src, out, counts)
        previous_cell = False
    out.layout = _dominant_layout(counts, tab_mode)
    return out


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


def _pipe_line(rawline: str, src: int, out: RawLines) -> str:
    if _MD_RULE.fullmatch(rawline.strip()):
        return "pipe-row"
    parts = rawline.split("|")
    if not parts[0].strip():
        parts = parts[1:]
    if parts and not parts[-1].strip():
        parts = parts[:-1]
    cells = [clean(part) for part in parts]
    if not any(cells):
        out.add("rowsep", "", src)
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

"""Figures and statements in the prose: "共收到政府信息公开申请35件", "未收取信息处理费".

Patterns live in rules/vocabulary.yaml. Only paragraphs are read (not table cells), and a
paragraph is read as a whole: lines of one paragraph broken by a hard wrap (PDF text, where
a line stops mid-sentence and the next follows on the next source line) are joined first,
so a figure broken over two lines is still found, and cited on the line where it starts.
"""

import re
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from ..model import DERIVED, OK, Cell, Fee, Figure
from ..resources import load_yaml
from .transformer import Document, Para, RawTable

_CONTEXT = 24
_SENTENCE_END = tuple("。!?！？")  # (a line ending in ；or ：goes on: "…申请39件；" / "办结39件。")
_WRAPPED = 20  # a line at least this long that stops mid-sentence was wrapped


@dataclass
class _Joined:
    """A paragraph joined from hard-wrapped lines; knows the source line of each offset."""

    text: str
    line: int
    offsets: list[int]
    lines: list[int]

    def line_at(self, offset: int) -> int:
        return self.lines[bisect_right(self.offsets, offset) - 1]


@cache
def _patterns(group: str) -> dict[str, tuple[re.Pattern, ...]]:
    return {k: tuple(re.compile(p) for p in v) for k, v in load_yaml("vocabulary.yaml")[group].items()}


def paragraphs(document: Document):
    """Prose lines in document order. A "table" of header cells alone (no caption, no row of
    values) is prose too: a short line with no sentence punctuation lexes as a header cell,
    as the first lines of a hard-wrapped paragraph in PDF text often do."""
    blocks = list(document.front) + [block for section in document.sections for block in section.blocks]
    for block in blocks:
        if isinstance(block, Para):
            yield block
        elif isinstance(block, RawTable) and not block.caption and not block.rows:
            for head in block.heads:
                yield Para(head.text, head.line)


def joined_paragraphs(document: Document):
    """Paragraphs with hard-wrapped lines joined back together."""
    current: _Joined | None = None
    for para in paragraphs(document):
        if current and para.line == current.lines[-1] + 1 and _wrapped(current.text[current.offsets[-1]:]):
            current.offsets.append(len(current.text))
            current.lines.append(para.line)
            current.text += para.text
            continue
        if current:
            yield current
        current = _Joined(para.text, para.line, [0], [para.line])
    if current:
        yield current


def _wrapped(line: str) -> bool:
    return len(line) >= _WRAPPED and not line.endswith(_SENTENCE_END)


def extract_figures(document: Document) -> list[Figure]:
    figures = []
    contexts = _contexts()
    measures = tuple(_patterns("figures").items())
    for para in joined_paragraphs(document):
        spans: list[tuple[int, int]] = []  # words read already (by any measure)
        digits = _DIGIT.search(para.text) is not None
        for measure, patterns in measures:
            for pattern in patterns:
                if pattern.groups and not digits:
                    continue  # a pattern that captures the figure needs a number to read
                for found in pattern.finditer(para.text):
                    if spans and any(found.start() < end and start < found.end() for start, end in spans):
                        continue  # words another pattern has read
                    if measure in contexts and not contexts[measure].search(_sentence(para.text, found.start())):
                        continue  # e.g. "办结N件" in a sentence that is not about applications
                    spans.append(found.span())
                    value = int(found.group(1)) if found.groups() and found.group(1) else 0
                    start = max(0, found.start() - _CONTEXT)
                    line = para.line_at(found.start())
                    figures.append(Figure(measure, value, line, para.text[start : found.end() + 4]))
    return figures


@cache
def _contexts() -> dict[str, re.Pattern]:
    return {k: re.compile(v) for k, v in (load_yaml("vocabulary.yaml").get("figure_context") or {}).items()}


def _sentence(text: str, at: int) -> str:
    """The sentence of `text` holding position `at` (bounded by 。！？)."""
    start = max(text.rfind(mark, 0, at) for mark in _SENTENCE_STOPS) + 1
    ends = [i for i in (text.find(mark, at) for mark in _SENTENCE_STOPS) if i >= 0]
    return text[start:min(ends) if ends else len(text)]


_SENTENCE_STOPS = ("。", "!", "?", "！", "？")
_DIGIT = re.compile(r"\d")


def extract_fee(document: Document, table_cells: dict[str, Cell], table_line: int) -> Fee:
    fee = Fee()
    if table_cells:
        fee.notices = table_cells.get("notices")
        fee.notified = table_cells.get("notified")
        fee.collected = table_cells.get("collected")
        fee.source, fee.line = "table", table_line
    patterns = _patterns("fee")
    for para in joined_paragraphs(document):
        mention = next((found for p in patterns["mention"] if (found := p.search(para.text))), None)
        if mention is None:
            continue
        fee.mention_line = fee.mention_line or para.line_at(mention.start())
        if any(p.search(para.text) for p in patterns["none"]):
            fee.none_stated = True
            fee.line = fee.line or para.line
            fee.source = fee.source or "prose"
        for key in ("notices", "notified", "collected"):
            if getattr(fee, key) is not None:
                continue
            for pattern in patterns[key]:
                found = pattern.search(para.text)
                if found:
                    raw = found.group(1)
                    value = Decimal(raw) if "." in raw else int(raw)
                    setattr(fee, key, Cell("fee", "fee", key, value, found.group(0), para.line, OK))
                    fee.source = fee.source or "prose"
                    fee.line = fee.line or para.line
                    break
    if fee.none_stated and fee.collected is None:  # "未收取信息处理费": nothing collected
        fee.collected = Cell("fee", "fee", "collected", 0, "未收取", fee.line, DERIVED)
    return fee

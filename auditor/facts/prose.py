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
from .transformer import Document, Para

_CONTEXT = 24
_SENTENCE_END = tuple("。!?;:！？；：")
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
    for block in document.front:
        if isinstance(block, Para):
            yield block
    for section in document.sections:
        for block in section.blocks:
            if isinstance(block, Para):
                yield block


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
    for para in joined_paragraphs(document):
        for measure, patterns in _patterns("figures").items():
            spans: list[tuple[int, int]] = []
            for pattern in patterns:
                for found in pattern.finditer(para.text):
                    if any(found.start() < end and start < found.end() for start, end in spans):
                        continue  # two patterns reading the same words
                    spans.append(found.span())
                    value = int(found.group(1)) if found.groups() and found.group(1) else 0
                    start = max(0, found.start() - _CONTEXT)
                    line = para.line_at(found.start())
                    figures.append(Figure(measure, value, line, para.text[start : found.end() + 4]))
    return figures


def extract_fee(document: Document, table_cells: dict[str, Cell], table_line: int) -> Fee:
    fee = Fee()
    if table_cells:
        fee.notices = table_cells.get("notices")
        fee.notified = table_cells.get("notified")
        fee.collected = table_cells.get("collected")
        fee.source, fee.line = "table", table_line
    patterns = _patterns("fee")
    for para in joined_paragraphs(document):
        if "信息处理费" not in para.text and "收费通知" not in para.text:
            continue
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

"""The carry summary of one report: what rules over two reports need, and nothing more.

Made in the worker right after a report is audited (auditor/audit.py), so that the batch
never keeps whole reports: who and when (body, normalised identity, year, template), the
cells the cross-year relations read (表三 上年结转 / 结转下年度 per applicant column, every cell of
表二) with their source lines, a digest per statistics table, and a MinHash signature per
section of the masked text (fingerprint.py). About 2 KB per report; picklable, and stored
as one row in the history store (history.py).
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from ..model import KNOWN_STATUSES, Report
from . import fingerprint
from .identity import identity

T3_ROWS = ("carried_in", "carried_out")
TABLES = ("t2", "t3", "t4")
WHOLE = "whole"


@dataclass
class Summary:
    path: str
    body: str
    identity: str
    year: int
    template: str
    level: str = ""
    cells: dict = field(default_factory=dict)  # "t3.carried_in.natural" -> (value, status, line)
    tables: dict = field(default_factory=dict)  # "t3" -> (digest, nonzero, line)
    sections: dict = field(default_factory=dict)  # key -> (label, line, chars, signature); "whole" too
    seq: int = 0  # position in the batch (set by the batch; -1 for a report from the history store)

    @property
    def pairable(self) -> bool:
        return bool(self.identity and self.year)

    def cell(self, key: str):
        return self.cells.get(key)

    def with_identity(self, aliases: dict) -> "Summary":
        """The summary under an inspector's identity mapping (aliases file)."""
        if aliases:
            self.identity = identity(self.body, aliases)
        return self


def _number(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value.normalize())
    return value


def summarize(report: Report, path: str) -> Summary:
    meta = report.metadata
    tpl = next((t.template for t in report.tables.values() if t.template), meta.template)
    out = Summary(path, meta.body, identity(meta.body), meta.year or 0, tpl or "", meta.level)
    for key in TABLES:
        table = report.tables.get(key)
        if table is None or not table.present:
            continue
        values = []
        for row in table.rows.values():
            for col, cell in row.cells.items():
                keep = key == "t2" or (key == "t3" and row.key in T3_ROWS)
                if keep:
                    out.cells[f"{key}.{row.key}.{col}"] = (_number(cell.value), cell.status, cell.line or row.line)
                values.append(f"{row.key}.{col}={cell.status}:{cell.value}")
        known = all(cell.status in KNOWN_STATUSES for row in table.rows.values() for cell in row.cells.values())
        nonzero = any(cell.value for row in table.rows.values() for cell in row.cells.values() if cell.value is not None)
        digest = hashlib.sha1("|".join(values).encode()).hexdigest()[:16] if known else ""
        out.tables[key] = (digest, bool(nonzero), table.line)
    out.sections = section_signatures(report)
    return out


def section_signatures(report: Report) -> dict:
    """key -> (label, line, masked chars, MinHash signature) per section, and for the whole."""
    text = unicodedata.normalize("NFKC", "\n".join(report.source_lines))
    starts = _line_starts(text)
    names = fingerprint.body_names(report.metadata.body)
    spans, cursor = [], 0
    for section in report.sections:
        at = starts[min(max(section.line, 1), len(starts)) - 1]
        found = _heading(section).search(text, max(at, cursor))
        begin = found.start() if found else max(at, cursor)
        spans.append((section, begin))
        cursor = begin + 1
    out = {}
    parts = []
    preamble_end = spans[0][1] if spans else len(text)
    parts.append(fingerprint.signature(fingerprint.shingles(fingerprint.masked(text[:preamble_end], names))))
    for index, (section, begin) in enumerate(spans):
        end = spans[index + 1][1] if index + 1 < len(spans) else len(text)
        body = fingerprint.masked(text[begin:end], names)
        sig = fingerprint.signature(fingerprint.shingles(body))
        parts.append(sig)
        key = section.key or f"s{section.order}"
        if key not in out:
            out[key] = (f"{section.numeral}、{section.heading}", section.line, len(body), sig)
    whole = fingerprint.masked(text, names)
    out[WHOLE] = ("全文", report.metadata.title_line or 1, len(whole), fingerprint.union(parts))
    return out


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for match in re.finditer("\n", text):
        starts.append(match.end())
    return starts


def _heading(section) -> re.Pattern:
    heading = unicodedata.normalize("NFKC", section.heading)[:8]
    return re.compile(re.escape(unicodedata.normalize("NFKC", section.numeral)) + r"\s*[、.]\s*" + re.escape(heading))

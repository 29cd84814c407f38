"""The Report as flat facts: plain dicts with canonical keys, one per thing found.

These are what `auditor parse --format json` prints and what golden files compare; the
engine builds its own rule facts from the same Report (auditor/engine/facts.py).
"""

from dataclasses import asdict, fields
from decimal import Decimal

from ..model import Report


def json_value(value):
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def flat_facts(report: Report) -> list[dict]:
    meta = report.metadata
    facts: list[dict] = [
        {
            "type": "report",
            "title": meta.title,
            "body": meta.body,
            "year": meta.year,
            "level": meta.level,
            "published": meta.published,
            "template": meta.template,
            "expected_template": meta.expected_template,
            "template_conflicts": meta.template_conflicts,
            "layout": report.layout,
            "encoding": report.encoding,
        }
    ]
    for section in report.sections:
        facts.append({"type": "section", **asdict(section), "has_content": section.has_content})
    for table in report.tables.values():
        facts.append({"type": "table", "table": table.key, "present": table.present, "template": table.template, "line": table.line})
        for row in table.rows.values():
            facts.append(
                {
                    "type": "row",
                    "table": table.key,
                    "row": row.key,
                    "label": row.label,
                    "expected": row.expected,
                    "match": row.match,
                    "printed": row.printed,
                    "expected_cells": row.expected_cells,
                    "short": row.short,
                    "blanks": row.blanks,
                    "split": row.split,
                    "line": row.line,
                }
            )
            for cell in row.cells.values():
                facts.append({"type": "cell", **{f.name: json_value(getattr(cell, f.name)) for f in fields(cell)}})
    for deviation in report.deviations:
        facts.append({"type": "deviation", **asdict(deviation)})
    for figure in report.figures:
        facts.append({"type": "figure", **asdict(figure)})
    fee = report.fee
    facts.append(
        {
            "type": "fee",
            "disclosed": fee.disclosed,
            "none_stated": fee.none_stated,
            "source": fee.source,
            "line": fee.line,
            **{k: json_value(getattr(fee, k).value) if getattr(fee, k) else None for k in ("notices", "notified", "collected")},
        }
    )
    return facts

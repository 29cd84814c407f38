"""Engine facts: the Report cut into flat dicts for durable_rules.

Every fact has a fixed schema (ENGINE-NOTES: a property missing from a fact makes joins
fail or rules fire falsely), a unique `id`, and the report's `tpl` (template the tables
follow) and `year`. Cells appear twice: in a row fact (one table row, all its columns) and
in a column fact (one column, all its rows), so that a relation along a row or down a
column is a condition on a single fact. Each cell is `v_<key>` (its value; 0 when blank,
a lower bound when unknown; amounts in hundredths) and `k_<key>` (1 when the value is
known). Column facts also carry `p_<row>`: 1 when the row was printed with values.
"""

import re
import unicodedata
from decimal import Decimal
from functools import cache

from ..model import KNOWN_STATUSES, Cell, Report
from ..resources import load_yaml
from ..templates import comparable, template as template_spec

END = "end"

# Properties of the facts that are not table cells: name -> kind (num | str | bool).
SCHEMA = {
    "report": {
        "body": "str", "year": "num", "level": "str", "template": "str", "expected_template": "str",
        "published": "num", "deadline": "num", "has_title": "bool", "has_body": "bool",
        "has_year": "bool", "has_published": "bool", "layout": "str", "conflicts": "num",
        "read_to_end": "bool", "sections_recognised": "num", "tables_present": "num",
    },
    "section": {
        "key": "str", "number": "num", "expected_number": "num", "order": "num", "prev_expected": "num",
        "has_content": "bool", "match": "str", "heading": "str", "recognised": "bool", "line": "num",
        "holds_table": "bool", "cut": "bool",
    },
    "table": {
        "table": "str", "present": "bool", "missing_columns": "num", "missing_labels": "str",
        "read_to_end": "bool", "rows_expected": "num", "rows_missing": "num", "rows_missing_labels": "str",
        "section_bare": "bool",
    },
    "row": {
        "table": "str", "row": "str", "present": "bool", "printed": "num", "expected_cells": "num",
        "short": "bool", "long": "bool", "blanks": "num", "split": "str", "match": "str",
        "derived": "bool", "has_values": "bool", "label": "str", "line": "num",
        "negatives": "num", "fractions": "num", "covered": "bool", "table_present": "bool",
        "read_to_end": "bool", "table_rows": "num", "table_missing": "num", "table_limits": "num",
        "printed_apart": "bool",
    },
    "fee": {"disclosed": "bool", "none_stated": "bool", "source": "str", "read_to_end": "bool", "mentioned": "bool", "mention_line": "num"},
    "figure": {"measure": "str", "value": "num", "line": "num", "text": "str"},
    "deviation": {
        "kind": "str", "table": "str", "key": "str", "printed": "str", "expected": "str", "match": "str", "count": "num",
        "garbled": "bool",
    },
    "conflict": {"table": "str", "element": "str", "form": "str"},
    # rules over two reports (auditor/crossyear/): a report and last year's of the same body …
    "pair": {
        "gap": "num", "prev_year": "num", "prev_template": "str", "prev_file": "str", "prev_body": "str",
    },
    # … and how much of one report's text (a section, the whole, a table) repeats another's
    "copy": {
        "kind": "str", "part": "str", "label": "str", "similarity": "num", "threshold": "num", "chars": "num",
        "identical": "bool", "nonzero": "bool", "other_file": "str", "other_body": "str", "other_year": "num",
        "line": "num", "other_line": "num",
    },
}
FEE_CELLS = ("notices", "notified", "collected")


def number(cell: Cell | None, amount: bool) -> int | float:
    if cell is None or cell.value is None:
        return 0
    value = cell.value
    if amount:
        return int((Decimal(value) * 100).to_integral_value())
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _known(cell: Cell | None) -> int:
    return int(cell is not None and cell.known)


def _date(iso: str) -> int:
    return int(iso.replace("-", "")) if iso else 0


def deadline(report: Report, overrides: dict | None = None) -> int:
    """The legal publication deadline (yyyymmdd) for the report's level, or 0 when none.
    `overrides` ("MM-DD" by level; "" = no check) come from the configuration."""
    meta = report.metadata
    month_day = {**load_yaml("deadlines.yaml")["by_level"], **(overrides or {})}.get(meta.level)
    if not meta.year or not month_day:
        return 0
    return int(f"{meta.year + 1}{month_day.replace('-', '')}")


def build_facts(report: Report, sid: str, deadlines: dict | None = None) -> list[dict]:
    """All facts of one report; the end-of-report fact comes last."""
    meta = report.metadata
    tpl = next((t.template for t in report.tables.values() if t.template), meta.template)
    base = {"sid": sid, "tpl": tpl, "year": meta.year or 0}
    # Absence needs evidence: "X is missing" may only be said of a report read to its end,
    # whole (stray undecodable bytes can hide a row or a heading: INPUT-009 names the lines).
    read_to_end = int(not report.truncated_at and not report.undecodable_lines and not report.image_pages)
    facts: list[dict] = []

    def add(fact_type: str, ref: str, **props):
        facts.append({**base, "id": len(facts) + 1, "type": fact_type, "ref": ref, **props})

    add(
        "report", "report",
        body=meta.body, level=meta.level, template=meta.template, expected_template=meta.expected_template,
        published=_date(meta.published), deadline=deadline(report, deadlines), has_title=int(bool(meta.title)),
        has_body=int(bool(meta.body)), has_year=int(bool(meta.year)), has_published=int(bool(meta.published)),
        layout=report.layout, conflicts=len(meta.template_conflicts),
        read_to_end=read_to_end, sections_recognised=sum(1 for s in report.sections if s.key),
        tables_present=sum(1 for t in report.tables.values() if t.present and t.key in ("t2", "t3", "t4")),
    )
    spec = template_spec(tpl if tpl in ("2019", "2021") else "2021")
    table_sections = {t.section: key for key, t in spec.tables.items()}
    previous = 0
    for section in report.sections:
        add(
            "section", f"section:{section.key or section.order}",
            key=section.key, number=section.number, expected_number=section.expected_number,
            order=section.order, prev_expected=previous, has_content=int(section.has_content),
            match=section.match, heading=section.heading, recognised=int(bool(section.key)), line=section.line,
            holds_table=int(section.key in table_sections),
            cut=int(bool(report.truncated_at) and section.line >= report.truncated_at),  # a heading cut by the end of the file
        )
        previous = max(previous, section.expected_number)
    for table in report.tables.values():
        missing = missing_rows(table)
        home = report.section(spec.tables[table.key].section) if table.key in spec.tables else None
        add(
            "table", f"table:{table.key}", table=table.key, present=int(table.present),
            missing_columns=len(table.missing_columns), missing_labels="、".join(table.missing_columns),
            read_to_end=read_to_end, rows_expected=len(table.rows), rows_missing=len(missing),
            rows_missing_labels="、".join(f"“{row.expected}”" for row in missing[:8]) + ("等" if len(missing) > 8 else ""),
            section_bare=int(home is not None and not home.has_content),
        )
        if table.key in ("t2", "t3", "t4"):
            apart = labels_printed_apart(report, table, home, missing)
            _table_facts(table, add, read_to_end, len(missing), unplaceable_rows(table), apart)
    fee = report.fee
    fee_props = {
        "disclosed": int(fee.disclosed), "none_stated": int(fee.none_stated), "source": fee.source,
        "read_to_end": read_to_end, "mentioned": int(bool(fee.mention_line)), "mention_line": fee.mention_line,
    }
    for key in FEE_CELLS:
        cell = getattr(fee, key)
        fee_props[f"v_{key}"] = number(cell, key != "notices")
        fee_props[f"k_{key}"] = _known(cell)
    add("fee", "fee", **fee_props)
    for index, figure in enumerate(report.figures):
        add("figure", f"figure:{figure.measure}:{figure.line}:{index}", measure=figure.measure, value=figure.value, line=figure.line, text=figure.text)
    for deviation in report.deviations:
        add(
            "deviation", f"deviation:{deviation.kind}:{deviation.table}:{deviation.key}:{deviation.printed}",
            kind=deviation.kind, table=deviation.table, key=deviation.key, printed=deviation.printed,
            expected=deviation.expected, match=deviation.match, count=deviation.count,
            garbled=int(garbled(deviation.printed, deviation.expected)),
        )
    for conflict in meta.template_conflicts:
        add("conflict", f"conflict:{conflict['table']}:{conflict['element']}", table=conflict["table"], element=conflict["element"], form=conflict["form"])
    add(END, END)
    return facts


@cache
def _names(key: str) -> tuple[str, str, str]:
    """Property names of a cell keyed `key`: value, known, printed."""
    return f"v_{key}", f"k_{key}", f"p_{key}"


@cache
def _label_patterns() -> tuple[re.Pattern, re.Pattern]:
    words = load_yaml("vocabulary.yaml")
    return re.compile(words["garbled_label"]), re.compile(words["label_numbering"])


def garbled(printed: str, expected: str) -> bool:
    """Whether a printed label holds more than a label: numbers or prose run into it, or a
    neighbouring header word merged with the whole expected label ("信息内容本年处理决定数量")."""
    junk, numbering = _label_patterns()
    text = numbering.sub("", printed.replace(" ", ""))
    bare = numbering.sub("", expected.replace(" ", ""))
    return bool(junk.search(text)) or (bare != text and len(bare) >= 4 and bare in text)


def missing_rows(table) -> list:
    """Template rows not printed and not stood for by a printed subtotal or its parts."""
    if not table.present:
        return []
    parents = parent_rows(table.template, table.key) if table.template else {}
    # (（六） printed as one row: its parts are covered)
    return [row for row in table.rows.values() if row.match == "missing" and not _covered(table, parents, row)]


def _covered(table, parents: dict, row) -> bool:
    """Whether a row's subtotal is printed with values (it stands for the row)."""
    parent = table.rows.get(parents.get(row.key, ""))
    return parent is not None and parent.match not in ("derived", "missing") and parent.has_values


def unplaceable_rows(table) -> int:
    """Rows of a table whose numbers could not be placed under their columns: where there are
    any, the table's rows were not reliably aligned, and a row "not found" may be one of them."""
    return sum(1 for row in table.rows.values() if row.unplaceable)


def labels_printed_apart(report: Report, table, home, missing: list) -> set[str]:
    """Rows not placed whose label is printed all the same, as a line or cell of its own in
    the table's section (text extraction put the label apart from its numbers, or before the
    header): such a row is there, only not aligned — never "missing"."""
    if not missing or home is None or not table.template:
        return set()
    spec = template_spec(table.template).tables[table.key]
    # a row label that is also a column's ("3.其他" / 其他) is no evidence where it stands alone
    columns = {comparable(label) for c in spec.columns + tuple(c for b in spec.blocks for c in b.columns)
               for label in (c.label, *c.aliases)}
    wanted: dict[str, str] = {}
    for row in missing:
        item = spec.row(row.key)
        for label in (item.label, *item.aliases) if item else ():
            if comparable(label) not in columns:
                wanted[comparable(label)] = row.key
    found = set()
    end = home.end_line or home.line
    for text in report.source_lines[home.line - 1:end]:
        for piece in re.split(r"[|\t]", unicodedata.normalize("NFKC", text)):
            key = wanted.get(comparable(piece.strip()))
            if key:
                found.add(key)
    return found


def _table_facts(table, add, read_to_end: int, table_missing: int, table_limits: int, apart: set = frozenset()) -> None:
    amounts = amount_columns(table.template, table.key)
    signed = signed_columns(table.template, table.key)
    parents = parent_rows(table.template, table.key)
    columns: dict[str, dict] = {}
    rows = table.rows
    for row in rows.values():
        match = row.match
        present = match != "missing"
        has_values = row.has_values
        props = {
            "table": table.key, "row": row.key, "present": int(present), "printed": row.printed,
            "expected_cells": row.expected_cells, "short": int(row.short), "long": int(row.long),
            "blanks": row.blanks, "split": row.split, "match": match,
            "derived": int(match == "derived"), "has_values": int(has_values),
            "label": row.label or row.expected, "line": row.line,
            "covered": int(_covered(table, parents, row)),
            "table_present": int(table.present), "read_to_end": read_to_end,
            "table_rows": len(rows), "table_missing": table_missing, "table_limits": table_limits,
            "printed_apart": int(row.key in apart),
        }
        printed = int(present and match != "derived" and has_values)
        v_row, k_row, p_row = _names(row.key)
        negatives = fractions = 0
        for col, cell in row.cells.items():
            raw_value, status, amount = cell.value, cell.status, col in amounts
            known = 1 if status in KNOWN_STATUSES else 0
            if raw_value is None:
                value = 0
            elif type(raw_value) is int and not amount:
                value = raw_value  # the common case, without number()'s Decimal handling
            else:
                value = number(cell, amount)
            if status == "ok" and raw_value is not None:
                negatives += raw_value < 0 and col not in signed
                fractions += not amount and raw_value != int(raw_value)
            v_col, k_col, _ = _names(col)
            props[v_col], props[k_col] = value, known
            column = columns.get(col)
            if column is None:
                column = columns[col] = {"table": table.key, "col": col}
            column[v_row], column[k_row], column[p_row] = value, known, printed
        props["negatives"], props["fractions"] = int(negatives), int(fractions)
        add("row", f"row:{table.key}.{row.key}", **props)
    for col, props in columns.items():
        add("col", f"col:{table.key}.{col}", **props)


@cache
def amount_columns(template_id: str, table: str) -> frozenset[str]:
    """Columns of a table whose values are money (stored in hundredths)."""
    if table == "fee":
        return frozenset({"notified", "collected"})
    spec = template_spec(template_id).tables[table.removeprefix("prev.")]  # last year's too
    return frozenset(c.key for c in spec.columns + tuple(c for b in spec.blocks for c in b.columns) if c.amount)


@cache
def signed_columns(template_id: str, table: str) -> frozenset[str]:
    """Columns that may hold negative values (本年增/减)."""
    spec = template_spec(template_id).tables[table]
    return frozenset(c.key for c in spec.columns + tuple(c for b in spec.blocks for c in b.columns) if c.signed)


@cache
def parent_rows(template_id: str, table: str) -> dict:
    """Sub-row key -> the subtotal row it belongs to."""
    spec = template_spec(template_id).tables[table]
    return {part: row.key for row in spec.all_rows() for part in row.sum_of}

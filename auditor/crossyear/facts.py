"""Engine facts of a pair of reports: this year's cells, last year's (tables `prev.t2`,
`prev.t3`), the pair itself, and how much text repeats (copy facts).

The same flat shape as the per-report facts (engine/facts.py: `v_<key>` value, `k_<key>`
known, one row fact and one column fact per table line), so the rule compiler reads
`prev.t3.carried_out[col]` exactly as it reads `t3.carried_out[col]`. Every fact of a pair
session carries this year's template and year (the compiled guards test them). Properties
no rule reads (source lines, the other report's file) ride along for the findings.
"""

from decimal import Decimal
from functools import cache

from ..engine.facts import END, SCHEMA, amount_columns
from ..model import KNOWN_STATUSES
from ..templates import template as template_spec
from .summary import T3_ROWS, Summary

PREV = "prev"


def pair_facts(sid: str, current: Summary, previous: Summary | None, copies: list[dict]) -> list[dict]:
    """All facts of one session; the end fact last. `copies`: dicts of copy properties."""
    tpl = current.template if current.template in ("2019", "2021") else "2021"
    base = {"sid": sid, "tpl": tpl, "year": current.year}
    facts: list[dict] = []

    def add(fact_type: str, ref: str, **props):
        facts.append({**base, "id": len(facts) + 1, "type": fact_type, "ref": ref, **props})

    report = {name: ("" if kind == "str" else 0) for name, kind in SCHEMA["report"].items()}
    report.update(year=current.year, body=current.body, level=current.level, template=current.template, has_body=int(bool(current.body)), has_year=1)
    add("report", "report", **report)
    _cells(add, current, "", tpl)
    if previous is not None:
        add(
            "pair", "pair", gap=current.year - previous.year, prev_year=previous.year, prev_template=previous.template,
            prev_file=previous.path, prev_body=previous.body,
        )
        _cells(add, previous, PREV + ".", tpl)
    for index, copy in enumerate(copies):
        props = {name: ("" if kind == "str" else 0) for name, kind in SCHEMA["copy"].items()}
        props.update(copy)
        add("copy", f"copy:{copy['kind']}:{copy['part']}:{index}", **props)
    add(END, END)
    return facts


def _cells(add, summary: Summary, prefix: str, tpl: str) -> None:
    """Row and column facts of the summary's cells, laid out by this year's template: a cell
    last year's template does not have is unknown (value 0, known 0), never absent."""
    cells = summary.cells
    for table, rows, amounts in _layout(tpl):
        columns: dict[str, dict] = {}
        for row, cols in rows:
            props = {"table": prefix + table, "row": row, "line": 0}
            for col in cols:
                value, status, line = cells.get(f"{table}.{row}.{col}", _MISSING)
                number = _number(value, col in amounts)
                known = int(status in KNOWN_STATUSES)
                props[f"v_{col}"], props[f"k_{col}"], props[f"line_{col}"] = number, known, line
                props["line"] = props["line"] or line
                column = columns.setdefault(col, {"table": prefix + table, "col": col})
                column[f"v_{row}"], column[f"k_{row}"], column[f"p_{row}"] = number, known, int(status == "ok")
            add("row", f"row:{prefix}{table}.{row}", **props)
        for col, props in columns.items():
            add("col", f"col:{prefix}{table}.{col}", **props)


_MISSING = (None, "missing", 0)


@cache
def _layout(tpl: str) -> tuple:
    """(table, ((row, columns), …), amount columns) of the cells a pair session carries."""
    spec = template_spec(tpl)
    out = []
    for table in ("t2", "t3"):
        if table not in spec.tables:
            continue
        rows = tuple(
            (r.key, tuple(c.key for c in spec.tables[table].columns_of(r.key)))
            for r in spec.tables[table].all_rows()
            if not r.heading and (table == "t2" or r.key in T3_ROWS)
        )
        out.append((table, rows, amount_columns(tpl, table)))
    return tuple(out)


def _number(value, amount: bool):
    if value is None:
        return 0
    if amount:
        return int((Decimal(str(value)) * 100).to_integral_value())
    if isinstance(value, str):
        value = Decimal(value)
        return int(value) if value == value.to_integral_value() else float(value)
    return value

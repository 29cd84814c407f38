"""One cause, one finding: what render.findings_for does after the firings are findings.

- the firings of a rule with `merge: table` become one finding per table naming every row;
- a row relation failing on most rows of a table is one reading limit (columns read out of
  place), not an error per row;
- a relation that cannot be verified only because its cells sit in rows with a finding of
  their own (a row not printed, a row whose numbers could not be placed) says nothing more.
"""

from ..findings import REVIEW, Finding
from ..model import MISSING, UNKNOWN, Report
from .placeholders import PLACEHOLDER, TABLE_KEYS

SCRAMBLED_MIN = 3  # failing rows before a table counts as read out of place


def _nonzero(row) -> bool:
    return any(cell.known and cell.value for cell in row.cells.values())


def scrambled(report: Report, findings: list[Finding], rules: dict) -> list[Finding]:
    """One cause, one finding: a row relation (rule with `scrambled_message`) that fails on
    at least SCRAMBLED_MIN rows and on most rows printing a number other than 0 (rows of zeros
    hold whatever the columns) is a table read out of place (a header and its numbers not
    aligned): one reading limit, not many errors. So is one that fails in a table where some
    other row could not be read at all (every cell unknown): the numbers were not where the
    reading put them (表四's fifteen numbers in text-extraction order, 351 read as a total of
    12 + 1 + 1 + 6)."""
    failing: dict[tuple, list[Finding]] = {}
    for finding in findings:
        rule = rules.get(finding.rule_id)
        if rule is not None and rule.scrambled_message and finding.outcome in ("violated", "impossible"):
            failing.setdefault((finding.rule_id, finding.table), []).append(finding)
    dropped: set[int] = set()
    limits: list[Finding] = []
    for (rule_id, table_name), group in failing.items():
        table = report.tables.get(TABLE_KEYS.get(table_name, ""))
        rows = sum(1 for row in table.rows.values() if row.present and row.match != "derived" and _nonzero(row)) if table else 0
        most = len(group) >= SCRAMBLED_MIN and len(group) * 2 > rows
        if not most and not (table is not None and _unread_row(table)):
            continue
        dropped.update(id(f) for f in group)
        group.sort(key=lambda f: f.line or 10**9)
        first = group[0]
        values = {"table": table_name, "count": str(len(group)), "rows": str(rows), "lines": _lines_text(group)}
        first.message = PLACEHOLDER.sub(lambda m: values.get(m.group(1).strip(), m.group(0)), rules[rule_id].scrambled_message)
        first.severity, first.outcome = REVIEW, "unverifiable"
        first.row = first.column = first.expected = first.actual = ""
        first.location_key = f"{rule_id}@scrambled={table_name}"
        limits.append(first)
    return [f for f in findings if id(f) not in dropped] + limits


def _unread_row(table) -> bool:
    return any(row.present and row.cells and all(c.status == UNKNOWN for c in row.cells.values())
               for row in table.rows.values())


def said_elsewhere(report: Report, cells) -> bool:
    """Whether every cell a relation cannot read is in a row that has a finding of its own:
    a row the report does not print (SECT-008, SECT-013, the file's truncation) or a row whose
    numbers could not be placed (RECON-010/011/013/014). Then that finding is the one."""
    unknown = []
    for term in cells:
        table = report.tables.get(term.table) if term.table != "fee" else None
        cell = table.cell(term.row, term.col) if table else None
        if term.table == "fee" or (cell is not None and cell.known):
            continue
        unknown.append((table.rows.get(term.row) if table else None, cell))
    return bool(unknown) and all(_row_said(row, cell) for row, cell in unknown)


def _row_said(row, cell) -> bool:
    if cell is None or row is None or cell.status == MISSING or row.match == "derived":
        return True  # (a subtotal summed from its parts is unknown through them)
    return row.unplaceable


def merge_by_table(findings: list[Finding], rules: dict) -> list[Finding]:
    """One cause, one finding: the findings of a rule with `merge: table` (e.g. rows whose
    numbers cannot be placed) become one finding per table, naming every row."""
    out: list[Finding] = []
    groups: dict[tuple, list[Finding]] = {}
    for finding in findings:
        rule = rules.get(finding.rule_id)
        if rule is None or rule.merge != "table" or finding.outcome == "unverifiable":
            out.append(finding)
            continue
        groups.setdefault((finding.rule_id, finding.table), []).append(finding)
    for (rule_id, table), group in groups.items():
        group.sort(key=lambda f: f.line or 10**9)
        first = group[0]
        out.append(first)
        if len(group) == 1:
            continue
        rows = list(dict.fromkeys(f.row for f in group if f.row))
        shown = "、".join(f"“{r}”" for r in rows[:10]) + (" 等" if len(rows) > 10 else "")
        values = {"table": table, "count": str(len(group)), "rows": shown, "lines": _lines_text(group)}
        first.message = PLACEHOLDER.sub(lambda m: values.get(m.group(1).strip(), m.group(0)), rules[rule_id].merged_message)
        first.row = first.column = ""
        first.location_key = f"{rule_id}@table={table}"
        first.extra["rows"] = rows
    return out


def _lines_text(group: list[Finding]) -> str:
    lines = sorted({f.line for f in group if f.line})
    return "、".join(map(str, lines[:12])) + ("等" if len(lines) > 12 else "")

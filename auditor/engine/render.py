"""Turn rule firings into Findings: location, expected vs printed, Chinese message.

Placeholders in a rule's message name facts the same way conditions do:
  {t3.received[col]}  a cell's printed value        {col} {row}  a loop variable's label
  {section.heading}   a property of the matched fact
  {lhs} {rhs}         the two sides of an `expect` relation, as computed from the report
  {unknown}           cells whose value is unknown  {assumed}    note on blank cells taken as 0
Firings of the same rule instance and outcome are one finding; "cannot verify" outcomes of
one rule are merged into one finding per report, naming every instance.
"""

from decimal import Decimal
from functools import cache

from ..findings import REVIEW, Finding
from ..model import BLANK, MISSING, Report
from ..templates import template as template_spec
from .instances import Instance
from .expr import Compare, ConditionError, Ref, Truth, parse_condition, parse_ref
from .onecause import merge_by_table, said_elsewhere, scrambled
from .placeholders import PLACEHOLDER as _PLACEHOLDER, TABLE_KEYS as _TABLE_KEYS, TABLE_NAMES as _TABLE_NAMES
from .session import Firing
from .terms import CellTerm, PropTerm, RuleError, resolve

_SECTION_OF_TABLE = {"t2": "proactive", "t3": "requests", "t4": "appeals"}
_OUTCOME_PREFIX = {"impossible": "", "unverifiable": "无法核验："}


def findings_for(report: Report, result, path: str) -> list[Finding]:
    """Findings of one report from an engine Result (its firings and facts).

    Firings of one rule instance and outcome become one finding (rendered once); the
    "cannot verify" outcomes of one rule become one finding naming every instance.
    """
    first: dict[tuple, Firing] = {}
    for firing in result.firings:
        compiled = firing.compiled
        first.setdefault((compiled.instance.key, compiled.outcome, _generic_refs(firing)), firing)
    findings: list[Finding] = []
    unverifiable: dict[str, Finding] = {}
    templates: dict[str, object] = {}  # rule id -> template of its merged "cannot verify" finding
    for firing in first.values():
        compiled = firing.compiled
        rule_id = compiled.instance.rule.id
        if compiled.outcome == "unverifiable" and said_elsewhere(report, compiled.instance.cells):
            continue  # one cause, one finding: the row's own finding names it
        if compiled.outcome == "unverifiable" and rule_id in unverifiable:
            # Only what the merged finding lists: where, and which cells are unknown.
            context = _Context(report, compiled.instance, firing, result.facts)
            _merge(unverifiable[rule_id], context.instance_label(), context.unknown_terms())
            templates[rule_id] = context.template
            continue
        finding = _finding(report, firing, path, result.facts)
        findings.append(finding)
        if compiled.outcome == "unverifiable":
            unverifiable[rule_id] = finding
    for rule_id, template in templates.items():
        _merged_message(unverifiable[rule_id], template)
    rules = {f.compiled.instance.rule.id: f.compiled.instance.rule for f in first.values()}
    findings = scrambled(report, merge_by_table(findings, rules), rules)
    return sorted(findings, key=Finding.sort_key)


def _generic_refs(firing: Firing) -> tuple:
    return tuple(sorted(fact.get("ref", "") for fact in firing.facts.values() if isinstance(fact, dict)))


def _merge(into: Finding, where: str, unknown: list[CellTerm]) -> None:
    """Add one more "cannot verify" instance of a rule to the finding that names them all
    (its message is written once all are in: _merged_message)."""
    instances = into.extra.setdefault("instances", [into.extra.get("instance") or into.column or into.row])
    if where and where not in instances:
        instances.append(where)
    terms, seen = into.extra["unknown_terms"], into.extra.setdefault("unknown_seen", set(into.extra["unknown_terms"]))
    for cell in unknown:
        if cell not in seen:
            seen.add(cell)
            terms.append(cell)


def _merged_message(finding: Finding, template) -> None:
    instances = finding.extra["instances"]
    labels = unknown_labels(template, finding.extra["unknown_terms"])
    finding.extra["unknown"] = labels
    shown = "、".join(labels[:12]) + (" 等" if len(labels) > 12 else "")
    finding.message = f"{finding.title}：{len(instances)} 处无法核验（{'、'.join(instances)}），因为以下单元格的数值未知：{shown}。"
    finding.column = finding.column if len(instances) == 1 else ""
    finding.location_key = finding.extra.get("group_key", finding.location_key.split("@")[0])


def unknown_labels(template, cells: list[CellTerm]) -> list[str]:
    """Unknown cells as an inspector reads them; a row whose every column is unknown is
    named once (表三“(一)予以公开”行) instead of cell by cell."""
    by_row: dict[tuple, list[CellTerm]] = {}
    for cell in cells:
        by_row.setdefault((cell.table, cell.row), []).append(cell)
    labels = []
    for (table, row), group in by_row.items():
        columns = template.tables[table].columns_of(row) if table in template.tables else ()
        if len(group) > 1 and len({c.col for c in group}) == len(columns):
            labels.append(f"{_TABLE_NAMES.get(table, table)}“{row_label(template, table, row)}”行")
        else:
            labels.extend(cell_label(template, cell) for cell in group)
    return labels


def _finding(report: Report, firing: Firing, path: str, all_facts: list[dict]) -> Finding:
    compiled = firing.compiled
    instance, rule = compiled.instance, compiled.instance.rule
    # "cannot verify" is a limit of our reading, never the report's defect
    severity = REVIEW if compiled.outcome == "unverifiable" else rule.severity
    context = _Context(report, instance, firing, all_facts)
    finding = Finding(
        file=path, rule_id=rule.id, family=rule.pack.lower(), severity=severity, title=rule.title,
        message="", basis=rule.basis, fix=rule.fix, outcome=compiled.outcome,
        body=report.metadata.body, year=report.metadata.year,
    )
    _locate(finding, context)
    relation = instance.relation or first_comparison(rule.when)
    if relation is not None:
        try:
            lhs, rhs = context.side(relation.left), context.side(relation.right)
        except RuleError:  # a comparison of words, not numbers
            lhs = rhs = None
        finding.actual, finding.expected = value_text(lhs), value_text(rhs)
        if lhs is not None:
            context.values.update(lhs=value_text(lhs), rhs=value_text(rhs), actual=value_text(lhs), expected=value_text(rhs))
        if lhs is not None and rhs is not None:
            context.values["difference"] = value_text(lhs - rhs)
        if instance.relation is None or compiled.outcome == "unverifiable":
            finding.actual = finding.expected = ""  # no printed-vs-expected to show
    finding.extra["unknown_terms"] = context.unknown_terms()
    unknown = unknown_labels(context.template, finding.extra["unknown_terms"])
    finding.extra["unknown"] = unknown
    context.values["unknown"] = "、".join(unknown) or "无"
    blanks = context.blank_cells()
    context.values["assumed"] = f"（其中{'、'.join(blanks)}为空白，按 0 计算）" if blanks else ""
    message = _PLACEHOLDER.sub(lambda m: context.placeholder(m.group(1)), rule.message)
    if compiled.outcome == "unverifiable":
        message = f"{rule.title}：无法核验，因为以下单元格的数值未知：{context.values['unknown']}。"
    elif compiled.outcome == "impossible":
        message += f"（部分单元格数值未知：{context.values['unknown']}；但无论其取何非负值，该关系都不成立。）"
    elif blanks and compiled.outcome == "violated":
        message += context.values["assumed"]
    finding.message = message
    finding.extra["group_key"] = rule.id
    finding.extra["instance"] = context.instance_label()
    if instance.bindings:
        finding.location_key += "@" + ",".join(f"{k}={v}" for k, v in sorted(instance.bindings.items()))
    return finding


def value_text(value) -> str:
    """A value as messages print it: 12, 96171.6 (no exponent, no trailing zeros), "" for none."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class _Context:
    def __init__(self, report: Report, instance: Instance, firing: Firing, all_facts: list[dict]):
        self.report, self.instance, self.firing, self.all_facts = report, instance, firing, all_facts
        self.template = template_spec(instance.template)
        self.values: dict[str, str] = {}

    # -- cells ---------------------------------------------------------------------
    def cell(self, term: CellTerm):
        if term.table == "fee":
            return getattr(self.report.fee, term.col, None)
        table = self.report.tables.get(term.table)
        return table.cell(term.row, term.col) if table else None

    def side(self, node):
        """Value of one side of the relation from the report (unknown cells count 0)."""
        form = self.instance.linear(node)
        total = Decimal(str(form.const)) if form.const else Decimal(0)
        for term, coef in form.terms:
            value = self.value(term)
            if value is None:
                value = 0
            total += Decimal(str(coef)) * Decimal(str(value))
        return total.normalize() if total == total.to_integral_value() else total

    def value(self, term):
        if isinstance(term, CellTerm):
            cell = self.cell(term)
            return None if cell is None or cell.value is None else cell.value
        fact = self.fact_for(term)
        return fact.get(term.prop) if fact else None

    def fact_for(self, term: PropTerm) -> dict | None:
        """The matched fact a property belongs to (or, for a specific fact, any of the report's)."""
        candidates = [f for f in self.firing.facts.values() if isinstance(f, dict)]
        if term.key:
            candidates += self.all_facts
        for fact in candidates:
            if fact.get("type") == term.fact and all(fact.get(k) == v for k, v in term.key):
                return fact
        return None

    def unknown_terms(self) -> list[CellTerm]:
        return [cell for cell in self.instance.cells if not self._known(cell)]

    def blank_cells(self) -> list[str]:
        return [self.cell_label(c) for c in self.instance.cells if (cell := self.cell(c)) is not None and cell.status == BLANK]

    def _known(self, term: CellTerm) -> bool:
        cell = self.cell(term)
        return cell is not None and cell.known

    def cell_label(self, term: CellTerm) -> str:
        return cell_label(self.template, term)

    def row_label(self, table: str, row: str) -> str:
        return row_label(self.template, table, row)

    def column_label(self, table: str, row: str, col: str) -> str:
        return column_label(self.template, table, row, col)

    # -- placeholders ----------------------------------------------------------------
    def placeholder(self, name: str) -> str:
        name = name.strip()
        if name in self.values:
            return self.values[name]
        if name in self.instance.bindings:
            return self.binding_label(name)
        try:
            node = parse_condition(name)
        except ConditionError:
            return "{" + name + "}"
        node = node.ref if isinstance(node, Truth) else node
        try:
            if isinstance(node, Ref):
                term = self.instance.resolve(node)[0]
                if isinstance(term, CellTerm):
                    return self.cell_text(term)
                value = self.value(term)
                return "" if value is None else value_text(value)
            return value_text(self.side(node))
        except RuleError:
            return "{" + name + "}"

    def cell_text(self, term: CellTerm) -> str:
        cell = self.cell(term)
        if cell is None or cell.status == MISSING:
            return "未填报"
        if cell.status == BLANK:
            return "空白"
        if not cell.known:
            return "未知"
        return value_text(cell.value)

    def instance_label(self) -> str:
        """The loop bindings of the rule instance as an inspector names them."""
        return "、".join(self.binding_label(v) for v in self.instance.bindings) if self.instance.bindings else ""

    def binding_label(self, name: str) -> str:
        key = self.instance.bindings[name]
        source = self.instance.rule.for_each.get(name, "")
        if source == "tables":
            return self.template.tables[key].label
        table = _TABLE_KEYS.get(source.split(".")[0], source.split(".")[0])  # 表三.columns
        if table in self.template.tables:
            spec = self.template.tables[table]
            for item in spec.columns + tuple(c for b in spec.blocks for c in b.columns):
                if item.key == key and not source.endswith("rows") and "subtotals" not in source:
                    return item.label
            row = spec.row(key)
            if row is not None:
                return self.row_label(table, key)
        section = self.template.section(key)
        return section.label if section else key


def _is_text_ref(node, instance: Instance) -> bool:
    ref = getattr(node, "ref", node)
    if not isinstance(ref, Ref):
        return False
    terms = resolve(ref, instance.scope)
    return isinstance(terms[0], PropTerm) and terms[0].kind == "str"


def _locate(finding: Finding, context: _Context) -> None:
    instance = context.instance
    rule = instance.rule
    target = None
    if rule.at:
        target = instance.resolve(parse_ref(rule.at))[0]
    elif instance.relation is not None:
        cells = instance.linear(instance.relation.left).cells() or list(instance.cells)
        target = cells[0] if cells else None
    elif instance.cells:
        target = min(instance.cells, key=lambda c: _template_position(context.template, c))
    if isinstance(target, PropTerm):
        _locate_fact(finding, context, prefer=target.fact)  # `at: figure.value`: cite that fact
    elif isinstance(target, CellTerm):
        cell = context.cell(target)
        row = context.report.tables.get(target.table).rows.get(target.row) if target.table in context.report.tables else None
        finding.table = _TABLE_NAMES.get(target.table, target.table)
        finding.row = context.row_label(target.table, target.row) if target.table != "fee" else ""
        finding.column = context.column_label(target.table, target.row, target.col).strip("“”列") if target.table != "fee" else context.cell_label(target)
        finding.line = (cell.line if cell and cell.line else 0) or (row.line if row else 0)
        finding.section = _section_label(context.report, _SECTION_OF_TABLE.get(target.table, "other"))
        finding.location_key = f"{target.table}.{target.row}.{target.col}"
    else:
        _locate_fact(finding, context)
    finding.quote = context.report.quote(finding.line, _anchor(finding, context))


@cache
def _template_position(template, cell: CellTerm) -> tuple:
    """Where a cell sits in its table as the template prints it (first row, first column first)."""
    spec = template.tables.get(cell.table)
    if spec is None:
        return (cell.table, 0, 0, cell.row, cell.col)
    rows = [r.key for r in spec.all_rows()]
    columns = [c.key for c in spec.columns_of(cell.row)]
    return (cell.table, rows.index(cell.row) if cell.row in rows else len(rows),
            columns.index(cell.col) if cell.col in columns else len(columns), cell.row, cell.col)


def _locate_fact(finding: Finding, context: _Context, prefer: str = "") -> None:
    facts = [f for f in context.firing.facts.values() if isinstance(f, dict)]
    order = ("row", "section", "deviation", "figure", "conflict", "fee", "table", "col", "report")
    facts.sort(key=lambda f: (f.get("type") != prefer, order.index(f.get("type")) if f.get("type") in order else 99))
    fact = facts[0] if facts else {}
    kind = fact.get("type")
    finding.location_key = fact.get("ref", "report")
    report = context.report
    if kind == "row":
        table, row = fact["table"], fact["row"]
        finding.table = _TABLE_NAMES.get(table, table)
        finding.row = context.row_label(table, row)
        finding.line = fact.get("line", 0)
        finding.section = _section_label(report, _SECTION_OF_TABLE.get(table, ""))
    elif kind == "section":
        finding.section = f"{_numeral(fact)}、{fact.get('heading', '')}"
        finding.line = fact.get("line", 0)
    elif kind == "deviation":
        deviation = next((d for d in report.deviations if (d.kind, d.table, d.key, d.printed) == (fact["kind"], fact["table"], fact["key"], fact["printed"])), None)
        finding.table = _TABLE_NAMES.get(fact["table"], fact["table"])
        finding.line = deviation.line if deviation else 0
        finding.section = _section_label(report, _SECTION_OF_TABLE.get(fact["table"], "")) if fact["table"] else ""
    elif kind == "figure":
        finding.line = fact.get("line", 0)
    elif kind == "conflict":
        conflict = next((c for c in report.metadata.template_conflicts if c["element"] == fact["element"]), {})
        finding.table = _TABLE_NAMES.get(fact["table"], fact["table"])
        finding.line = conflict.get("line", 0)
    elif kind == "fee":
        finding.line = report.fee.line
        finding.section = _section_label(report, "other")
    elif kind == "table":
        finding.table = _TABLE_NAMES.get(fact["table"], fact["table"])
    else:
        finding.line = report.metadata.title_line or report.metadata.body_line


def _anchor(finding: Finding, context: _Context) -> str:
    """Words the cited line prints at the finding's place: the row label, the heading, …"""
    report = context.report
    table = _TABLE_KEYS.get(finding.table, "")
    key = finding.location_key.split("@")[0].split(".")
    if table in report.tables and len(key) >= 2 and key[1] in report.tables[table].rows:
        return report.tables[table].rows[key[1]].label
    for fact in context.firing.facts.values():
        if isinstance(fact, dict):
            for prop in ("label", "heading", "printed", "text", "element"):
                if fact.get(prop):
                    return str(fact[prop])[:12]
    return ""


def _numeral(fact: dict) -> str:
    return "一二三四五六七八九十"[fact["number"] - 1] if 1 <= fact.get("number", 0) <= 10 else str(fact.get("number", ""))


def _section_label(report: Report, key: str) -> str:
    section = report.section(key) if key else None
    return f"{section.numeral}、{section.heading}" if section else ""


@cache
def cell_label(template, term: CellTerm) -> str:
    """A cell as an inspector names it: 表三“(七)总计”“自然人”列."""
    if term.table == "fee":
        names = {"notices": "通知收取件数", "notified": "通知收取金额", "collected": "实际收取金额"}
        return f"信息处理费{names.get(term.col, term.col)}"
    table = _TABLE_NAMES.get(term.table, term.table)
    return f"{table}“{row_label(template, term.table, term.row)}”{column_label(template, term.table, term.row, term.col)}"


@cache
def column_label(template, table: str, row: str, col: str) -> str:
    spec = template.tables[table]
    column = next((c for c in spec.columns_of(row) if c.key == col), None)
    return f"“{column.label}”列" if column else col


@cache
def row_label(template, table: str, row: str) -> str:
    """A row as an inspector names it: "一、本年新收…", "(三)1.属于国家秘密"."""
    spec = template.tables[table]
    item = spec.row(row)
    if item is None:
        return row
    number = item.number
    if not number:
        return item.label
    if number.isdigit():
        parent = next((r for r in spec.all_rows() if row in r.sum_of), None)
        return f"{parent.number if parent else ''}{number}.{item.label}"
    if number.startswith("("):
        return f"{number}{item.label}"
    return f"{number}、{item.label}"


def first_comparison(condition: str):
    """The first comparison of a `when` condition (its sides fill {lhs} and {rhs})."""
    if not condition:
        return None
    stack = [parse_condition(condition)]
    while stack:
        node = stack.pop(0)
        if isinstance(node, Compare):
            return node
        stack.extend(getattr(node, "items", ()))
    return None

"""Findings of rules over two reports: cited in this year's report, naming the other.

A firing of a YEAR rule cites this year's cell (file, line, table, row, column) and last
year's (other_file, other_line); a COPY firing cites the section (or the whole report) and
the report it repeats. Messages fill placeholders as per-report rules do: {col} {row} loop
labels, {lhs} {rhs} {difference} the sides of the relation, {t3.carried_in[col]} and
{prev.t3.carried_out[col]} cells, {copy.similarity} {pair.prev_year} fact properties.
"Cannot verify" outcomes are not reported: the unknown cells already have a finding in
their own report.
"""

from decimal import Decimal

from ..engine.expr import ConditionError, Ref, Truth, parse_condition, parse_ref
from ..engine.names import TABLE_NAMES
from ..engine.render import first_comparison, row_label, value_text
from ..engine.terms import CellTerm, PropTerm, RuleError
from ..findings import Finding
from ..templates import template as template_spec
from .summary import WHOLE, Summary

_SECTION_OF_TABLE = {"t2": "二、主动公开政府信息情况", "t3": "三、收到和处理政府信息公开申请情况", "t4": "四、政府信息公开行政复议、行政诉讼情况"}


def findings_of(result, current: Summary, previous: Summary | None) -> list[Finding]:
    """One finding per rule instance, outcome and copy comparison that fired."""
    seen, out = set(), []
    for firing in result.firings:
        compiled = firing.compiled
        if compiled.outcome == "unverifiable":
            continue
        facts = [f for f in firing.facts.values() if isinstance(f, dict)]
        key = (compiled.instance.key, compiled.outcome, tuple(sorted(f.get("ref", "") for f in facts if f.get("type") == "copy")))
        if key in seen:
            continue
        seen.add(key)
        out.append(_Render(compiled, facts + result.facts, current, previous).finding())
    return out


class _Render:
    def __init__(self, compiled, facts: list[dict], current: Summary, previous: Summary | None):
        self.compiled, self.instance, self.facts = compiled, compiled.instance, facts
        self.current, self.previous = current, previous
        self.template = template_spec(self.instance.template)

    def finding(self) -> Finding:
        rule, instance = self.instance.rule, self.instance
        finding = Finding(
            file=self.current.path, rule_id=rule.id, family=rule.pack.lower(), severity=rule.severity, title=rule.title,
            message="", basis=rule.basis, fix=rule.fix, outcome=self.compiled.outcome,
            body=self.current.body, year=self.current.year or None,
        )
        values = {}
        relation = instance.relation or first_comparison(rule.when)
        if relation is not None:
            try:
                lhs, rhs = self.side(relation.left), self.side(relation.right)
                values.update(lhs=value_text(lhs), rhs=value_text(rhs), difference=value_text(lhs - rhs))
                if instance.relation is not None:
                    finding.actual, finding.expected = value_text(lhs), value_text(rhs)
            except RuleError:
                pass
        self.locate(finding)
        message = _fill(rule.message, lambda name: values.get(name) if name in values else self.placeholder(name))
        if self.compiled.outcome == "impossible":
            message += "（部分单元格数值未知；但无论其取何非负值，该关系都不成立。）"
        finding.message = message
        if instance.bindings:
            finding.location_key += "@" + ",".join(f"{k}={v}" for k, v in sorted(instance.bindings.items()))
        return finding

    # -- where ------------------------------------------------------------------------
    def locate(self, finding: Finding) -> None:
        rule, instance = self.instance.rule, self.instance
        copy = next((f for f in self.facts if f.get("type") == "copy"), None)
        target = None
        if rule.at:
            target = instance.resolve(parse_ref(rule.at))[0]
        elif instance.relation is not None:
            target = next((c for c in instance.linear(instance.relation.left).cells()), None)
        if isinstance(target, CellTerm):
            table = target.table.removeprefix("prev.")
            summary = self.previous if target.table.startswith("prev.") else self.current
            finding.table = TABLE_NAMES.get(table, table)
            finding.row = row_label(self.template, table, target.row)
            finding.column = self.column(table, target.row, target.col)
            finding.section = _SECTION_OF_TABLE.get(table, "")
            finding.line = self.line(summary, target)
            finding.location_key = f"{target.table}.{target.row}.{target.col}"
            other = next((c for c in instance.cells if c.table.startswith("prev.")), None)
            if other is not None and self.previous is not None:
                finding.other_file, finding.other_line = self.previous.path, self.line(self.previous, other)
        elif copy is not None:
            finding.section = copy.get("label", "") if copy.get("part") != "whole" else ""
            if copy.get("kind") == "table":
                finding.table = TABLE_NAMES.get(copy["part"], copy["part"])
            finding.line = copy.get("line", 0)
            finding.location_key = f"copy:{copy['kind']}:{copy['part']}:{copy.get('other_key', '')}"
            finding.other_file, finding.other_line = copy.get("other_file", ""), copy.get("other_line", 0)
        else:
            finding.location_key = "pair"
            finding.line = self.current.sections.get(WHOLE, ("", 0))[1]
            if self.previous is not None:
                finding.other_file = self.previous.path
                finding.other_line = self.previous.sections.get(WHOLE, ("", 0))[1]
        if self.previous is not None and not finding.other_file:
            finding.other_file = self.previous.path

    def line(self, summary: Summary | None, cell: CellTerm) -> int:
        if summary is None:
            return 0
        item = summary.cell(f"{cell.table.removeprefix('prev.')}.{cell.row}.{cell.col}")
        return item[2] if item else 0

    def column(self, table: str, row: str, col: str) -> str:
        spec = self.template.tables.get(table)
        item = next((c for c in spec.columns_of(row) if c.key == col), None) if spec else None
        return item.label if item else col

    # -- values -----------------------------------------------------------------------
    def value(self, term):
        if isinstance(term, CellTerm):
            summary = self.previous if term.table.startswith("prev.") else self.current
            item = summary.cell(f"{term.table.removeprefix('prev.')}.{term.row}.{term.col}") if summary else None
            return None if item is None or item[0] is None else Decimal(str(item[0]))
        fact = next((f for f in self.facts if f.get("type") == term.fact), None)
        return None if fact is None else fact.get(term.prop)

    def side(self, node) -> Decimal:
        form = self.instance.linear(node)
        total = Decimal(str(form.const)) if form.const else Decimal(0)
        for term, coef in form.terms:
            value = self.value(term)
            total += Decimal(str(coef)) * Decimal(str(value or 0))
        return total.normalize() if total == total.to_integral_value() else total

    def placeholder(self, name: str) -> str:
        if name in self.instance.bindings:
            return self.binding_label(name)
        try:
            node = parse_condition(name)
            node = node.ref if isinstance(node, Truth) else node
            if isinstance(node, Ref):
                term = self.instance.resolve(node)[0]
                if isinstance(term, CellTerm):
                    value = self.value(term)
                    return "未知" if value is None else value_text(value)
                return value_text(self.value(term)) if isinstance(term, PropTerm) else ""
            return value_text(self.side(node))
        except (ConditionError, RuleError):
            return "{" + name + "}"

    def binding_label(self, name: str) -> str:
        key = self.instance.bindings[name]
        source = self.instance.rule.for_each.get(name, "")
        table = source.split(".")[0]
        spec = self.template.tables.get(table)
        if spec is not None:
            for item in spec.columns + tuple(c for b in spec.blocks for c in b.columns):
                if item.key == key and "columns" in source:
                    return item.label
            if spec.row(key) is not None:
                return row_label(self.template, table, key)
        return key


def _fill(message: str, lookup) -> str:
    from ..engine.placeholders import PLACEHOLDER

    return PLACEHOLDER.sub(lambda m: str(lookup(m.group(1).strip())), message)

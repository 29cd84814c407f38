"""Compile rules into durable_rules rulesets.

Each rule is instantiated per template it applies to and per `for_each` binding; each
instance becomes one or more durable_rules rules (one per alternative of its condition,
and for `expect` relations one per outcome):

  violated      every input known and the relation false;
  impossible    some input unknown, but the relation fails whatever non-negative values
                the unknown cells take (their value is a lower bound: 0, or the sum of the
                known parts of a derived subtotal);
  unverifiable  some input unknown and the relation could still hold.

durable_rules evaluates every condition; Python only builds the JSON here and reads the
matched facts back when a rule fires. See ENGINE-NOTES.md for the JSON forms used.
"""

from dataclasses import dataclass, field
from itertools import product

from ..templates import Template, all_templates
from .expr import ConditionError, parse_condition
from .placeholders import check_placeholders
from .rulefile import Rule, RuleFileError
from .terms import (
    FLIP,
    AnyUnknown,
    CellTerm,
    Cmp,
    Exists,
    Known,
    Linear,
    Printed,
    PropTerm,
    RuleError,
    Scope,
    StrTest,
    column_set,
    dnf,
    flatten,
    linear,
    resolve,
    row_set,
    table_rows,
    table_columns,
)
from .expr import Compare

MAX_JOIN = 14  # durable_rules joins at most 16 facts in one rule; keep a margin


@dataclass
class Instance:
    """One rule applied to one template with one set of loop bindings."""

    rule: Rule
    template: str
    bindings: dict
    scope: Scope
    relation: Compare | None = None  # the `expect` comparison, for messages
    cells: tuple = ()  # every cell the condition reads
    slices: dict = field(default_factory=dict)  # table -> "row" | "col"
    memo: dict = field(default_factory=dict, repr=False)  # rendering: resolved references

    def resolve(self, node):
        """Terms of a reference, remembered (messages resolve the same names every time)."""
        key = ("resolve", node)
        if key not in self.memo:
            self.memo[key] = resolve(node, self.scope)
        return self.memo[key]

    def linear(self, node):
        key = ("linear", node)
        if key not in self.memo:
            self.memo[key] = linear(node, self.scope)
        return self.memo[key]

    @property
    def key(self) -> str:
        binding = ",".join(f"{k}={v}" for k, v in sorted(self.bindings.items()))
        return f"{self.rule.id}[{binding}]" if binding else self.rule.id


@dataclass
class Compiled:
    name: str  # durable_rules rule name
    instance: Instance
    outcome: str  # fires | violated | impossible | unverifiable
    aliases: dict  # alias -> (fact type, selector tuple)
    definition: dict
    # A rule compiled once for every row (or column) of a table: the matched fact's
    # `variant_key` = (alias, property) picks the per-row/column Compiled (for messages).
    variant_key: tuple = ()
    variants: dict = field(default_factory=dict)

    def variant(self, matched: dict):
        """The Compiled this firing stands for (itself unless compiled for a whole table)."""
        if not self.variants:
            return self
        alias, prop = self.variant_key
        return self.variants.get((matched.get(alias) or {}).get(prop))


def compile_rules(rules: list[Rule]) -> list[Compiled]:
    out: list[Compiled] = []
    for rule in rules:
        try:
            out.extend(compile_rule(rule))
        except (RuleError, ConditionError) as error:
            key = "expect" if rule.expect else "when"
            raise RuleFileError(rule.source, rule.line_of(key), f"{rule.id}: {error}") from None
    return out


def compile_rule(rule: Rule) -> list[Compiled]:
    """All durable_rules rules of one rule. An instance that comes out the same for every
    template the rule applies to is kept once, without a template guard."""
    per_template: dict[str, list[Compiled]] = {}
    for template in all_templates():
        if rule.templates and template.id not in rule.templates:
            continue
        compiled = []
        for bindings in _bindings(rule, template):
            instance = Instance(rule, template.id, bindings, Scope(template, bindings))
            compiled.extend(_compile_instance(instance))
        per_template[template.id] = _generalize(compiled, template)
    shared = _shared(per_template) if len(per_template) == len(all_templates()) else set()
    out: list[Compiled] = []
    kept: dict[str, Compiled] = {}
    for template_id, compiled in per_template.items():
        for item in compiled:
            signature = _signature(item)
            if signature in shared:
                if signature in kept:
                    # One rule for every template: it must know the rows (columns) of all of
                    # them (2021's (六)1-3 are not in 2019's table 三).
                    for value, variant in item.variants.items():
                        kept[signature].variants.setdefault(value, variant)
                    continue
                kept[signature] = item
                _drop_template_guard(item)
            item.name = f"{rule.id}#{len(out)}"
            item.definition["run"] = item.name
            out.append(item)
    return out


def _signature(item: Compiled) -> str:
    import json

    definition = {"all": [{a: _without_guard(c) for a, c in alias.items()} for alias in item.definition["all"]]}
    key = item.instance.rule.id + "[*]" if item.variants else item.instance.key
    return json.dumps([key, item.outcome, definition], ensure_ascii=False, sort_keys=True)


def _without_guard(condition):
    if isinstance(condition, dict) and "$and" in condition:
        return {"$and": [c for c in condition["$and"] if "tpl" not in c]}
    return condition


def _shared(per_template: dict) -> set:
    sets = [{_signature(item) for item in compiled} for compiled in per_template.values()]
    return set.intersection(*sets) if sets else set()


def _drop_template_guard(item: Compiled) -> None:
    item.definition["all"] = [{a: _without_guard(c) for a, c in alias.items()} for alias in item.definition["all"]]


def _generalize(compiled: list[Compiled], template: Template) -> list[Compiled]:
    """Per-row (or per-column) copies of one rule that differ only in which row (column)
    fact they test become one rule matching every row (column) fact of the table: far
    fewer rules for durable_rules to match, the same firings."""
    groups: dict[str, list[tuple[str, Compiled]]] = {}
    out: list[Compiled] = []
    for item in compiled:
        generic = _generic_form(item)
        if generic is None:
            out.append(item)
            continue
        signature, value = generic
        groups.setdefault(signature, []).append((value, item))
    for signature, members in groups.items():
        first = members[0][1]
        (alias, (fact, selector)), = first.aliases.items()
        table, prop = dict(selector)["table"], "col" if fact == "col" else "row"
        universe = set(table_columns(template, table) if fact == "col" else table_rows(template, table))
        values = {value for value, _ in members}
        if len(members) < 2 or not universe <= values:
            out.extend(item for _, item in members)
            continue
        name = f"{fact}_{table}"
        kept = tuple(pair for pair in selector if pair[0] != prop)
        condition = first.definition["all"][0][alias]
        conditions = [c for c in condition.get("$and", [condition]) if prop not in c]
        generic_item = Compiled(
            "", first.instance, first.outcome, {name: (fact, kept)},
            {"all": [{name: _all(conditions)}], "run": ""}, (name, prop), {value: item for value, item in members},
        )
        out.append(generic_item)
    return out


def _generic_form(item: Compiled) -> tuple[str, str] | None:
    """(signature without the row/column selector, that row/column) for a single-fact rule."""
    import json

    conditions = item.definition["all"]
    if len(conditions) != 1 or len(item.aliases) != 1:
        return None
    (alias, (fact, selector)), = item.aliases.items()
    prop = {"col": "col", "row": "row"}.get(fact)
    value = dict(selector).get(prop) if prop else None
    if value is None or value not in item.instance.bindings.values():
        return None
    condition = conditions[0][alias]
    parts = [c for c in condition.get("$and", [condition]) if prop not in c]
    return json.dumps([item.instance.rule.id, item.outcome, fact, parts], ensure_ascii=False, sort_keys=True), value


def _bindings(rule: Rule, template: Template) -> list[dict]:
    if not rule.for_each:
        return [{}]
    axes = []
    for variable, source in rule.for_each.items():
        table, _, what = source.partition(".")
        scope = Scope(template, {})
        if source == "sections":
            values = [s.key for s in template.sections]
        elif source == "tables":
            values = list(template.tables)
        elif what in ("columns",) or what in _column_groups(table):
            values = column_set(scope, table, what, None)
        else:
            values = row_set(scope, table, what)
        axes.append([(variable, value) for value in values])
    return [dict(combo) for combo in product(*axes)]


def _column_groups(table: str) -> set:
    from .terms import groups

    return set(groups().get(table, {}).get("columns", {}))


def _compile_instance(instance: Instance) -> list[Compiled]:
    rule, scope = instance.rule, instance.scope
    check_placeholders(instance)
    guards = dnf(parse_condition(rule.when), scope) if rule.when else [[]]
    alternatives: list[tuple[str, list]] = []
    if rule.expect:
        relation = parse_condition(rule.expect)
        if not isinstance(relation, Compare):
            raise RuleError("expect 应是一个比较式，例如 a + b == c")
        instance.relation = relation
        cmp = dnf(relation, scope)[0][0]
        for outcome, atoms in _outcomes(cmp):
            alternatives.extend((outcome, guard + atoms) for guard in guards)
    else:
        for guard in guards:
            alternatives.append(("fires", guard + _known_inputs(guard)))
    cells = {c for _, atoms in alternatives for a in flatten(atoms) for c in _cells_of(a)}
    instance.cells = tuple(sorted(cells, key=lambda c: (c.table, c.row, c.col)))
    instance.slices = _choose_slices(instance.cells, alternatives)
    out = []
    for outcome, atoms in alternatives:
        for branch in _split_unknowns(flatten(atoms), instance):
            compiled = _build(instance, outcome, branch, "")
            if compiled:
                out.append(compiled)
    return out



# --- outcomes of a relation -----------------------------------------------------------------


def _outcomes(cmp: Cmp) -> list[tuple[str, list]]:
    """Atoms for each outcome of relation `form op 0` (see the module docstring)."""
    form, op = cmp.form, cmp.op
    positive = tuple(t for t, c in form.terms if isinstance(t, CellTerm) and c > 0)
    negative = tuple(t for t, c in form.terms if isinstance(t, CellTerm) and c < 0)
    everything = positive + negative
    known_all = [Known(c, True) for c in everything]
    fails = Cmp(form, _NEGATE_OP[op])
    out = [("violated", known_all + [fails])]
    if not everything:
        return out
    # Unknown cells on the positive side can only raise the form, on the negative side lower it.
    if op in ("==", "<=", "<"):
        if positive:
            out.append(("impossible", [AnyUnknown(positive)] + [Known(c, True) for c in negative] + [Cmp(form, ">" if op != "<" else ">=")]))
    if op in ("==", ">=", ">"):
        if negative:
            out.append(("impossible", [AnyUnknown(negative)] + [Known(c, True) for c in positive] + [Cmp(form, "<" if op != ">" else "<=")]))
    out.extend(("unverifiable", atoms) for atoms in _unverifiable(form, op, positive, negative))
    return out


_NEGATE_OP = {"==": "!=", "!=": "==", "<": ">=", ">=": "<", ">": "<=", "<=": ">"}


def _unverifiable(form: Linear, op: str, positive: tuple, negative: tuple) -> list[list]:
    """Some input unknown and the relation not ruled out (the complement of impossible)."""
    out = []
    both = bool(positive) and bool(negative)
    if op in ("==", "<=", "<"):
        if positive:
            # only positive unknowns: still possible while the form is not already too big
            out.append([AnyUnknown(positive)] + [Known(c, True) for c in negative] + [Cmp(form, "<=" if op != "<" else "<")])
        if negative:
            out.append([AnyUnknown(negative)] + ([] if op == "==" else []))
    if op in ("==", ">=", ">"):
        if negative and op != "==":
            out.append([AnyUnknown(negative)] + [Known(c, True) for c in positive] + [Cmp(form, ">=" if op != ">" else ">")])
        if op == "==" and negative:
            out[-1] = [AnyUnknown(negative)] + [Known(c, True) for c in positive] + [Cmp(form, ">=")]
            if both:
                out.append([AnyUnknown(positive), AnyUnknown(negative)])
        elif positive and op != "==":
            out.append([AnyUnknown(positive)])
    return out


def _known_inputs(atoms: list) -> list:
    """A `when` condition only fires on known values: cells it compares must be known."""
    cells = []
    for atom in flatten(atoms):
        if isinstance(atom, Cmp):
            cells.extend(c for c in atom.form.cells() if c not in cells)
    return [Known(c, True) for c in cells]


def _cells_of(atom) -> list:
    if isinstance(atom, Cmp):
        return atom.form.cells()
    if isinstance(atom, Known):
        return [atom.cell]
    if isinstance(atom, AnyUnknown):
        return list(atom.cells)
    return []


# --- which facts hold the cells -------------------------------------------------------------


def _choose_slices(cells: tuple, alternatives) -> dict:
    """Per table: read its cells from row facts or from column facts, whichever is fewer."""
    slices = {}
    for table in {c.table for c in cells if c.table != "fee"}:
        mine = [c for c in cells if c.table == table]
        rows = {c.row for c in mine}
        cols = {c.col for c in mine}
        wants_rows = any(
            isinstance(a, PropTerm) or (isinstance(a, Printed) and a.table == table)
            for _, atoms in alternatives
            for a in flatten(atoms)
            if getattr(a, "fact", "") == "row"
        )
        slices[table] = "col" if len(cols) < len(rows) and not wants_rows else "row"
    return slices


def _cell_fact(cell: CellTerm, instance: Instance) -> tuple[str, tuple, str, str]:
    """(fact type, selector, value property, known property) holding a cell."""
    if cell.table == "fee":
        return "fee", (), f"v_{cell.col}", f"k_{cell.col}"
    if instance.slices.get(cell.table) == "col":
        return "col", (("table", cell.table), ("col", cell.col)), f"v_{cell.row}", f"k_{cell.row}"
    return "row", (("table", cell.table), ("row", cell.row)), f"v_{cell.col}", f"k_{cell.col}"


def _split_unknowns(atoms: list, instance: Instance) -> list[list]:
    """AnyUnknown over cells on several facts becomes one alternative per fact."""
    branches = [[]]
    for atom in atoms:
        if not isinstance(atom, AnyUnknown):
            branches = [b + [atom] for b in branches]
            continue
        by_fact: dict = {}
        for cell in atom.cells:
            fact = _cell_fact(cell, instance)[:2]
            by_fact.setdefault(fact, []).append(cell)
        options = [AnyUnknown(tuple(group)) for group in by_fact.values()]
        branches = [b + [option] for b in branches for option in options]
    return branches


# --- durable_rules JSON ---------------------------------------------------------------------


class _Rule:
    """Accumulates aliases and their conditions for one durable_rules rule."""

    def __init__(self, instance: Instance):
        self.instance = instance
        self.order: list[str] = []
        self.facts: dict[str, tuple] = {}  # alias -> (type, selector)
        self.conditions: dict[str, list] = {}
        self.absent: list[tuple[str, tuple]] = []

    def alias(self, fact: str, selector: tuple) -> str:
        for name, known in self.facts.items():
            if known == (fact, selector):
                return name
        name = _alias_name(fact, selector, len(self.facts))
        self.facts[name] = (fact, selector)
        self.order.append(name)
        self.conditions[name] = [{"type": fact}] + [{k: v} for k, v in selector]
        return name

    def term(self, term) -> tuple[str, str]:
        """(alias, value property) of a numeric term."""
        if isinstance(term, CellTerm):
            fact, selector, value, _ = _cell_fact(term, self.instance)
            return self.alias(fact, selector), value
        return self.alias(term.fact, term.key), term.prop


def _alias_name(fact: str, selector: tuple, index: int) -> str:
    parts = [fact] + [str(v) for _, v in selector]
    return "_".join(parts).replace(".", "_") + (f"_{index}" if not selector and fact not in ("report", "fee") else "")


def _build(instance: Instance, outcome: str, atoms: list, name: str) -> Compiled | None:
    rule = _Rule(instance)
    for atom in atoms:
        if not _place(rule, atom):
            return None  # a constant condition that is false
    if not rule.order:
        rule.alias("report", ())
    if len(rule.order) > MAX_JOIN:
        raise RuleError(f"条件涉及 {len(rule.order)} 个事实，超过规则引擎的连接上限（{MAX_JOIN}）")
    # Every fact carries the report's template and year: guard the first one.
    first = rule.conditions[rule.order[0]]
    first.insert(1, {"tpl": instance.template})
    years = instance.rule.years
    if years.get("from"):
        first.append({"$gte": {"year": years["from"]}})
    if years.get("to"):
        first.append({"$lte": {"year": years["to"]}})
    conditions = [{alias: _all(rule.conditions[alias])} for alias in rule.order]
    if rule.absent:
        conditions.append({"end": {"type": "end"}})
        for index, (fact, selector) in enumerate(rule.absent):
            conditions.append({f"absent{index}$not": _all([{"type": fact}] + [{k: v} for k, v in selector])})
    aliases = dict(rule.facts)
    return Compiled(name, instance, outcome, aliases, {"all": conditions, "run": name})


def _all(conditions: list) -> dict:
    return conditions[0] if len(conditions) == 1 else {"$and": conditions}


def _place(rule: _Rule, atom) -> bool:
    if isinstance(atom, Known):
        fact, selector, _, known = _cell_fact(atom.cell, rule.instance)
        rule.conditions[rule.alias(fact, selector)].append({known: int(atom.known)})
    elif isinstance(atom, AnyUnknown):
        # Some of these cells (all on one fact) is unknown: the sum of their known-flags is
        # below their number. One arithmetic test, so the rule fires once (an $or would
        # fire once per unknown cell).
        fact, selector, _, _ = _cell_fact(atom.cells[0], rule.instance)
        alias = rule.alias(fact, selector)
        flags = [_cell_fact(c, rule.instance)[3] for c in atom.cells]
        if len(flags) == 1:
            rule.conditions[alias].append({flags[0]: 0})
        else:
            rest = _expression([((alias, f), -1.0) for f in flags[1:]], len(flags), alias)
            rule.conditions[alias].append({"$lt": {flags[0]: rest}})
    elif isinstance(atom, Printed):
        # printed: the row is in the report with values of its own (not a derived subtotal)
        column = next((c for c in rule.instance.cells if c.table == atom.table), None)
        if rule.instance.slices.get(atom.table) == "col" and column is not None:
            alias = rule.alias("col", (("table", atom.table), ("col", column.col)))
            rule.conditions[alias].append({f"p_{atom.row}": int(atom.printed)})
            return True
        alias = rule.alias("row", (("table", atom.table), ("row", atom.row)))
        if atom.printed:
            rule.conditions[alias].extend([{"has_values": 1}, {"derived": 0}])
        else:
            rule.conditions[alias].append({"$or": [{"has_values": 0}, {"derived": 1}]})
    elif isinstance(atom, Exists):
        if atom.exists:
            rule.alias(atom.fact, atom.key)
        else:
            rule.absent.append((atom.fact, atom.key))
    elif isinstance(atom, StrTest):
        alias = rule.alias(atom.term.fact, atom.term.key)
        other = atom.other
        if isinstance(other, PropTerm):
            other_alias = rule.alias(other.fact, other.key)
            other = {"$m": other.prop} if other_alias == alias else {other_alias: other.prop}
        test = {atom.term.prop: other} if atom.op == "==" else {"$neq": {atom.term.prop: other}}
        rule.conditions[alias].append(test)
    elif isinstance(atom, Cmp):
        return _place_comparison(rule, atom)
    else:
        raise RuleError(f"无法编译的条件：{atom}")
    return True


def _place_comparison(rule: _Rule, cmp: Cmp) -> bool:
    form = _scaled(cmp.form, rule.instance)
    if not form.terms:
        return _constant_holds(form.const, cmp.op)
    placed = [(rule.term(term), coef) for term, coef in form.terms]
    position = {alias: i for i, alias in enumerate(rule.order)}
    last = max(position[alias] for (alias, _), _ in placed)
    pivot = next(((a, p), c) for (a, p), c in placed if position[a] == last and abs(c) == 1)
    (alias, prop), coef = pivot
    op = cmp.op if coef > 0 else FLIP[cmp.op]
    # form = coef*x + rest (op) 0  ->  x (op') -rest/coef
    rest = [((a, p), -c / coef) for (a, p), c in placed if (a, p) != (alias, prop)]
    expression = _expression(rest, -form.const / coef, alias)
    operator = {"==": None, "!=": "$neq", "<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}[op]
    test = {prop: expression} if operator is None else {operator: {prop: expression}}
    rule.conditions[alias].append(test)
    return True


def _scaled(form: Linear, instance: Instance) -> Linear:
    """Amounts are stored in hundredths: scale constants compared with amount cells."""
    from .facts import amount_columns

    cells = form.cells()
    if cells and all(c.col in amount_columns(instance.template, c.table) for c in cells):
        return Linear(form.terms, form.const * 100)
    return form


def _expression(terms: list, const: float, home: str):
    """durable_rules arithmetic for sum(coef * prop) + const, relative to alias `home`."""

    def ref(alias, prop):
        return {"$m": prop} if alias == home else {alias: prop}

    expression = None
    for (alias, prop), coef in terms:
        value = ref(alias, prop)
        if abs(coef) != 1:
            value = {"$mul": {"$l": value, "$r": _number(abs(coef))}}
        if expression is None:
            expression = value if coef > 0 else {"$sub": {"$l": _number(0), "$r": value}}
        else:
            expression = {"$add" if coef > 0 else "$sub": {"$l": expression, "$r": value}}
    if expression is None:
        return _number(const)
    if const:
        expression = {"$add" if const > 0 else "$sub": {"$l": expression, "$r": _number(abs(const))}}
    return expression


def _number(value: float):
    return int(value) if float(value).is_integer() else value


def _constant_holds(value: float, op: str) -> bool:
    return {
        "==": value == 0, "!=": value != 0, "<": value < 0, "<=": value <= 0, ">": value > 0, ">=": value >= 0,
    }[op]


def rows_and_columns(template: Template, table: str):
    return table_rows(template, table), table_columns(template, table)

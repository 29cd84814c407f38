"""The durable_rules JSON of one compiled rule instance: facts joined under aliases, each
condition placed on the fact it reads, linear arithmetic in durable's `$add`/`$sub` forms
(ENGINE-NOTES.md has the forms and the traps measured)."""

from .instances import MAX_JOIN, Compiled, Instance
from .terms import FLIP, AnyUnknown, CellTerm, Cmp, Exists, Known, Linear, Printed, PropTerm, RuleError, StrTest


def cell_fact(cell: CellTerm, instance: Instance) -> tuple[str, tuple, str, str]:
    """(fact type, selector, value property, known property) holding a cell."""
    if cell.table == "fee":
        return "fee", (), f"v_{cell.col}", f"k_{cell.col}"
    if instance.slices.get(cell.table) == "col":
        return "col", (("table", cell.table), ("col", cell.col)), f"v_{cell.row}", f"k_{cell.row}"
    return "row", (("table", cell.table), ("row", cell.row)), f"v_{cell.col}", f"k_{cell.col}"



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
            fact, selector, value, _ = cell_fact(term, self.instance)
            return self.alias(fact, selector), value
        return self.alias(term.fact, term.key), term.prop


def _alias_name(fact: str, selector: tuple, index: int) -> str:
    parts = [fact] + [str(v) for _, v in selector]
    return "_".join(parts).replace(".", "_") + (f"_{index}" if not selector and fact not in ("report", "fee") else "")


def build(instance: Instance, outcome: str, atoms: list, name: str) -> Compiled | None:
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
    conditions = [{alias: all_of(rule.conditions[alias])} for alias in rule.order]
    if rule.absent:
        conditions.append({"end": {"type": "end"}})
        for index, (fact, selector) in enumerate(rule.absent):
            conditions.append({f"absent{index}$not": all_of([{"type": fact}] + [{k: v} for k, v in selector])})
    aliases = dict(rule.facts)
    return Compiled(name, instance, outcome, aliases, {"all": conditions, "run": name})


def all_of(conditions: list) -> dict:
    return conditions[0] if len(conditions) == 1 else {"$and": conditions}


def _place(rule: _Rule, atom) -> bool:
    if isinstance(atom, Known):
        fact, selector, _, known = cell_fact(atom.cell, rule.instance)
        rule.conditions[rule.alias(fact, selector)].append({known: int(atom.known)})
    elif isinstance(atom, AnyUnknown):
        # Some of these cells (all on one fact) is unknown: the sum of their known-flags is
        # below their number. One arithmetic test, so the rule fires once (an $or would
        # fire once per unknown cell).
        fact, selector, _, _ = cell_fact(atom.cells[0], rule.instance)
        alias = rule.alias(fact, selector)
        flags = [cell_fact(c, rule.instance)[3] for c in atom.cells]
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

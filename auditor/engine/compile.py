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

from contextlib import contextmanager
from itertools import product

from ..templates import Template, all_templates
from .expr import Compare, ConditionError, parse_condition, parse_ref
from .durable_json import all_of, build, cell_fact
from .instances import Compiled, Instance
from .names import table_key, unknown_name
from .placeholders import check_placeholders
from .rulefile import Rule, RuleFileError
from .terms import (
    AnyUnknown,
    CellTerm,
    Cmp,
    Known,
    Linear,
    Printed,
    PropTerm,
    RuleError,
    Scope,
    column_set,
    dnf,
    flatten,
    resolve,
    row_set,
    table_rows,
    table_columns,
)

def compile_rules(rules: list[Rule]) -> list[Compiled]:
    out: list[Compiled] = []
    for rule in rules:
        try:
            out.extend(compile_rule(rule))
        except (RuleError, ConditionError) as error:
            key = getattr(error, "key", "") or ("expect" if rule.expect else "when")
            raise RuleFileError(rule.source, rule.line_of(key), f"{rule.id}（{key}）：{error}") from None
    return out


@contextmanager
def concerning(key: str):
    """Errors raised inside are about this key of the rule (reported at its line)."""
    try:
        yield
    except (RuleError, ConditionError) as error:
        if not getattr(error, "key", ""):
            error.key = key
        raise


def compile_rule(rule: Rule) -> list[Compiled]:
    """All durable_rules rules of one rule. An instance that comes out the same for every
    template the rule applies to is kept once, without a template guard."""
    per_template: dict[str, list[Compiled]] = {}
    for template in all_templates():
        if rule.templates and template.id not in rule.templates:
            continue
        compiled = []
        with concerning("for_each"):
            every = _bindings(rule, template)
        for bindings in every:
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
            {"all": [{name: all_of(conditions)}], "run": ""}, (name, prop), {value: item for value, item in members},
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
        table = table_key(table)  # 表三.columns is t3.columns
        scope = Scope(template, {})
        if source == "sections":
            values = [s.key for s in template.sections]
        elif source == "tables":
            values = list(template.tables)
        elif table not in template.tables:
            raise RuleError(unknown_name("没有表", table, [], tuple(template.tables) + ("sections", "tables")))
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
    with concerning("when"):
        guards = dnf(parse_condition(rule.when), scope) if rule.when else [[]]
    alternatives: list[tuple[str, list]] = []
    if rule.expect:
        with concerning("expect"):
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
    with concerning("message"):
        check_placeholders(instance)
    if rule.at:
        with concerning("at"):
            resolve(parse_ref(rule.at), scope)
    cells = {c for _, atoms in alternatives for a in flatten(atoms) for c in _cells_of(a)}
    instance.cells = tuple(sorted(cells, key=lambda c: (c.table, c.row, c.col)))
    instance.slices = _choose_slices(instance.cells, alternatives)
    out = []
    for outcome, atoms in alternatives:
        for branch in _split_unknowns(flatten(atoms), instance):
            compiled = build(instance, outcome, branch, "")
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


def _split_unknowns(atoms: list, instance: Instance) -> list[list]:
    """AnyUnknown over cells on several facts becomes one alternative per fact."""
    branches = [[]]
    for atom in atoms:
        if not isinstance(atom, AnyUnknown):
            branches = [b + [atom] for b in branches]
            continue
        by_fact: dict = {}
        for cell in atom.cells:
            fact = cell_fact(cell, instance)[:2]
            by_fact.setdefault(fact, []).append(cell)
        options = [AnyUnknown(tuple(group)) for group in by_fact.values()]
        branches = [b + [option] for b in branches for option in options]
    return branches


# --- durable_rules JSON ---------------------------------------------------------------------


def rows_and_columns(template: Template, table: str):
    return table_rows(template, table), table_columns(template, table)

"""Resolve condition ASTs against a template into terms, linear forms and atoms.

A reference such as t3.received[col] becomes a CellTerm (table, row, column); report.level
a PropTerm of the report fact; sum(t3[results][col]) a list of cells. Conditions become
a disjunction of conjunctions of atoms (comparisons `E op 0` of a linear form E, string
tests, yes/no flags, known/unknown tests, fact existence) — the shape durable_rules needs.
Unknown names raise RuleError with the names that would have been valid; so does a
condition whose disjunctive form would have more than MAX_ALTERNATIVES alternatives (each
becomes a durable_rules rule: `(a or b) and (c or d) and …` doubles them at every step).
"""

from dataclasses import dataclass, field

from ..templates import Template
from . import names
from .expr import Arith, Bool, Call, Compare, Logic, Member, Num, Ref, Str, Truth
from .facts import FEE_CELLS, SCHEMA
from .names import groups, subtotal_rows, table_columns, table_rows  # noqa: F401  (also imported from here)

TABLES = ("t2", "t3", "t4")
PREV = "prev"  # prefix of last year's tables (prev.t3.carried_out[col])
MAX_ALTERNATIVES = 256
FUNCTIONS = ("sum", "known", "unknown", "exists", "missing", "printed")
NEGATE = {"==": "!=", "!=": "==", "<": ">=", ">=": "<", ">": "<=", "<=": ">"}
FLIP = {"==": "==", "!=": "!=", "<": ">", ">": "<", "<=": ">=", ">=": "<="}


class RuleError(ValueError):
    """A problem in a rule's condition or message, phrased for the rule's author."""


@dataclass(frozen=True)
class CellTerm:
    table: str  # t2 | t3 | t4 | fee
    row: str
    col: str


@dataclass(frozen=True)
class PropTerm:
    fact: str  # report | section | table | row | fee | figure | deviation | conflict
    key: tuple  # selector of a specific fact, e.g. (("key", "other"),); () for "any such fact"
    prop: str
    kind: str  # num | str | bool


@dataclass(frozen=True)
class Linear:
    terms: tuple  # ((term, coefficient), ...)
    const: float = 0.0

    def cells(self):
        return [t for t, _ in self.terms if isinstance(t, CellTerm)]


@dataclass(frozen=True)
class Cmp:
    form: Linear  # form op 0
    op: str


@dataclass(frozen=True)
class StrTest:
    term: PropTerm
    op: str  # == | !=
    other: object  # a str, a number, or another PropTerm


@dataclass(frozen=True)
class Known:
    cell: CellTerm
    known: bool


@dataclass(frozen=True)
class AnyUnknown:
    cells: tuple  # some of these cells is unknown (all on one fact once compiled)


@dataclass(frozen=True)
class Printed:
    table: str
    row: str
    printed: bool


@dataclass(frozen=True)
class Exists:
    fact: str
    key: tuple
    exists: bool


@dataclass
class Scope:
    """What names mean while one rule instance is compiled."""

    template: Template
    bindings: dict = field(default_factory=dict)  # loop variable -> row or column key


# --- tables, rows, columns of a template --------------------------------------------------
# A row or column is named by its key, a group, a loop variable, or the Chinese printed in
# the reports (engine/names.py).


def row_set(scope: Scope, table: str, name: str) -> list[str]:
    """Rows a name stands for: one row key, a bound variable, a group, g.parts, or a label."""
    template = scope.template
    if name in scope.bindings:
        return [scope.bindings[name]]
    base, _, suffix = name.partition(".")
    if suffix == "parts" and base in scope.bindings:
        row = template.tables[table].row(scope.bindings[base])
        if row is None or not row.sum_of:
            raise RuleError(f"{table} 的行 {scope.bindings[base]} 没有分项（parts）")
        return list(row.sum_of)
    if name == "rows":
        return table_rows(template, table)
    if name == "subtotals":
        return subtotal_rows(template, table)
    named = groups().get(table, {}).get("rows", {})
    if name in named:
        return list(named[name])
    if name in table_rows(template, table):
        return [name]
    rows = names.row_names(table)
    key = _chinese(name, rows)
    if key is not None:
        return row_set(scope, table, key)
    others = ("rows", "subtotals", *named, *scope.bindings)
    raise RuleError(names.unknown_name(f"{names.table_title(table)}没有行或行组", name, rows, others))


def column_set(scope: Scope, table: str, name: str, row: str | None) -> list[str]:
    if name in scope.bindings:
        return [scope.bindings[name]]
    if name in ("*", "columns"):
        return table_columns(scope.template, table, row)
    named = groups().get(table, {}).get("columns", {})
    if name in named:
        return list(named[name])
    valid = table_columns(scope.template, table, row)
    if name in valid:
        return [name]
    columns = names.column_names(table)
    key = _chinese(name, columns)
    if key is not None:
        return column_set(scope, table, key, row)
    others = ("columns", *named, *scope.bindings)
    raise RuleError(names.unknown_name(f"{names.table_title(table)}没有列或列组", name, columns, others))


def _chinese(name: str, named: list) -> str | None:
    """The key a Chinese name stands for (None: it is not Chinese, or names nothing)."""
    if not names.is_chinese(name):
        return None
    keys = names.keys_for(name, named)
    if len(keys) > 1:
        raise RuleError(names.ambiguous_name(name, keys, named))
    return keys[0] if keys else None


# --- references -----------------------------------------------------------------------------


def resolve(ref: Ref, scope: Scope, many: bool = False) -> list:
    """Terms a reference names; more than one only where `many` (inside sum())."""
    terms = _resolve(ref, scope)
    if len(terms) != 1 and not many:
        raise RuleError(f"“{ref.text()}” 指向 {len(terms)} 个单元格，请用 sum(...) 求和")
    return terms


def _resolve(ref: Ref, scope: Scope) -> list:
    head, path = ref.head, ref.path
    if head == PREV and path and path[0][0] == "attr" and path[0][1] in TABLES:
        # last year's report (rules over two reports, packs YEAR/COPY): prev.t3.carried_out[col]
        inner = _table_ref(Ref(path[0][1], path[1:]), scope)
        return [_previous(t) for t in inner]
    if head in TABLES:
        return _table_ref(ref, scope)
    if head == "fee" and len(path) == 1:
        cell = path[0][1]
        fee = names.fee_names() if names.is_chinese(cell) else []
        cell = _chinese(cell, fee) or cell
        if cell in FEE_CELLS:
            return [CellTerm("fee", "fee", cell)]
        if fee:
            raise RuleError(names.unknown_name("信息处理费没有", path[0][1], fee))
    if head not in SCHEMA:
        raise RuleError(names.unknown_name("未知的事实", head, [], tuple(SCHEMA) + TABLES))
    props = SCHEMA[head]
    parts = [scope.bindings.get(name, name) if kind == "item" else name for kind, name in path]
    if head == "section" and len(parts) == 2:
        sections = names.section_names()
        key = parts[0] if scope.template.section(parts[0]) else _chinese(parts[0], sections)
        if key is None:
            raise RuleError(names.unknown_name("模板没有章节", parts[0], sections))
        return [_prop(head, (("key", key),), parts[1], props)]
    if head == "table" and len(parts) == 2:
        return [_prop(head, (("table", names.table_key(parts[0])),), parts[1], props)]
    if len(parts) != 1:
        raise RuleError(f"“{ref.text()}” 的写法不对：应为 {head}.属性名")
    return [_prop(head, (), parts[0], props)]


def _previous(term):
    """The same cell (row property) of last year's table."""
    if isinstance(term, CellTerm):
        return CellTerm(f"{PREV}.{term.table}", term.row, term.col)
    key = tuple((k, f"{PREV}.{v}" if k == "table" else v) for k, v in term.key)
    return PropTerm(term.fact, key, term.prop, term.kind)


def _prop(fact: str, key: tuple, name: str, props: dict) -> PropTerm:
    if name not in props:
        raise RuleError(names.unknown_name(f"{fact} 没有属性", name, [], tuple(props)))
    return PropTerm(fact, key, name, props[name])


def _table_ref(ref: Ref, scope: Scope) -> list:
    table, path = ref.head, ref.path
    if len(path) != 2:
        raise RuleError(f"“{ref.text()}” 应写成 {table}.行.列 或 {table}[行][列]")
    (_, row_name), (col_kind, col_name) = path
    rows = row_set(scope, table, row_name)
    row_props = SCHEMA["row"]
    if col_kind == "attr" and col_name in row_props and col_name not in table_columns(scope.template, table):
        return [PropTerm("row", (("table", table), ("row", r)), col_name, row_props[col_name]) for r in rows]
    terms = []
    for row in rows:
        for col in column_set(scope, table, col_name, row):
            terms.append(CellTerm(table, row, col))
    return terms


# --- linear forms ---------------------------------------------------------------------------


def linear(node, scope: Scope) -> Linear:
    terms: dict = {}
    const = _accumulate(node, scope, 1.0, terms)
    return Linear(tuple((t, c) for t, c in terms.items() if c), const)


def _accumulate(node, scope: Scope, sign: float, terms: dict) -> float:
    if isinstance(node, Num):
        return sign * node.value
    if isinstance(node, Ref):
        (term,) = resolve(node, scope)
        if isinstance(term, PropTerm) and term.kind == "str":
            raise RuleError(f"“{node.text()}” 是文字，不能参与计算")
        terms[term] = terms.get(term, 0.0) + sign
        return 0.0
    if isinstance(node, Call) and node.name == "sum":
        const = 0.0
        for arg in node.args:
            if isinstance(arg, Ref):
                for term in resolve(arg, scope, many=True):
                    terms[term] = terms.get(term, 0.0) + sign
            else:
                const += _accumulate(arg, scope, sign, terms)
        return const
    if isinstance(node, Arith):
        if node.op == "add":
            return _accumulate(node.left, scope, sign, terms) + _accumulate(node.right, scope, sign, terms)
        if node.op == "sub":
            return _accumulate(node.left, scope, sign, terms) + _accumulate(node.right, scope, -sign, terms)
        if node.op == "neg":
            return _accumulate(node.left, scope, -sign, terms)
        factor = node.right.value if node.op == "mul" else 1.0 / node.right.value
        return _accumulate(node.left, scope, sign * factor, terms)
    raise RuleError(f"这里需要一个数值表达式，得到的是 {type(node).__name__}")


# --- conditions -----------------------------------------------------------------------------


def dnf(node, scope: Scope, negate: bool = False) -> list[list]:
    """The condition as a list of alternatives, each a list of atoms that must all hold."""
    if isinstance(node, Logic):
        if node.op == "not":
            return dnf(node.items[0], scope, not negate)
        parts = [dnf(item, scope, negate) for item in node.items]
        conjunctive = (node.op == "all") != negate
        if conjunctive:
            out = [[]]
            for alternatives in parts:
                _bounded(len(out) * len(alternatives))
                out = [left + right for left in out for right in alternatives]
            return out
        _bounded(sum(len(alternatives) for alternatives in parts))
        return [alt for alternatives in parts for alt in alternatives]
    atoms = _atoms(node, scope, negate)
    _bounded(len(atoms))
    return [[atom] for atom in atoms]


def _bounded(alternatives: int) -> None:
    if alternatives > MAX_ALTERNATIVES:
        raise RuleError(f"条件展开后有 {alternatives} 种情形（最多 {MAX_ALTERNATIVES} 种）：and 连接的 or 太多，请拆成几条规则")


def _atoms(node, scope: Scope, negate: bool) -> list:
    """Alternatives (each one atom) for a leaf condition."""
    if isinstance(node, Bool):
        return [] if node.value == negate else [Cmp(Linear(()), "==")]
    if isinstance(node, Compare):
        op = NEGATE[node.op] if negate else node.op
        string = _string_side(node.left, scope) or _string_side(node.right, scope)
        if string:
            return [_string_test(node.left, node.right, op, scope)]
        form = _difference(node.left, node.right, scope)
        return [Cmp(form, op)]
    if isinstance(node, Member):
        inside = negate == node.negate
        tests = [Compare("==" if inside else "!=", node.value, option) for option in node.options]
        if inside:
            return [a for test in tests for a in _atoms(test, scope, False)]
        return [_all_of([a for test in tests for a in _atoms(test, scope, False)])]
    if isinstance(node, Truth):
        (term,) = resolve(node.ref, scope)
        if isinstance(term, PropTerm) and term.kind == "str":
            raise RuleError(f"“{node.ref.text()}” 是文字，不能单独作为条件")
        return [Cmp(Linear(((term, 1.0),)), "==" if negate else "!=")]
    if isinstance(node, Call):
        return [_call_atom(node, scope, negate)]
    raise RuleError(f"无法作为条件：{node}")


@dataclass(frozen=True)
class AllOf:
    """Several atoms that must hold together (from `not in`)."""

    atoms: tuple


def _all_of(atoms: list):
    return atoms[0] if len(atoms) == 1 else AllOf(tuple(atoms))


def flatten(conjunction: list) -> list:
    out = []
    for atom in conjunction:
        out.extend(atom.atoms if isinstance(atom, AllOf) else [atom])
    return out


def _string_side(node, scope: Scope) -> bool:
    if isinstance(node, Str):
        return True
    if isinstance(node, Ref) and node.head not in TABLES:
        terms = resolve(node, scope)
        return isinstance(terms[0], PropTerm) and terms[0].kind == "str"
    return False


def _string_test(left, right, op: str, scope: Scope) -> StrTest:
    if op not in ("==", "!="):
        raise RuleError("文字只能用 == 或 != 比较")
    if not isinstance(left, Ref):
        left, right = right, left
    if not isinstance(left, Ref):
        raise RuleError("比较文字时至少一边应是事实属性")
    (term,) = resolve(left, scope)
    if isinstance(right, Ref):
        (other,) = resolve(right, scope)
    elif isinstance(right, Str):
        other = right.value
    elif isinstance(right, Num):
        other = right.value
    else:
        raise RuleError("文字比较的另一边应是文字或事实属性")
    return StrTest(term, op, other)


def _difference(left, right, scope: Scope) -> Linear:
    a, b = linear(left, scope), linear(right, scope)
    terms = dict(a.terms)
    for term, coef in b.terms:
        terms[term] = terms.get(term, 0.0) - coef
    return Linear(tuple((t, c) for t, c in terms.items() if c), a.const - b.const)


def _call_atom(node: Call, scope: Scope, negate: bool):
    name = node.name
    if name in ("known", "unknown"):
        (term,) = resolve(_single_ref(node), scope)
        if not isinstance(term, CellTerm):
            raise RuleError(f"{name}() 只能用于表格单元格")
        return Known(term, (name == "known") != negate)
    if name in ("exists", "missing"):
        ref = _single_ref(node)
        (term,) = resolve(Ref(ref.head, ref.path + (("attr", _first_prop(ref.head)),)), scope)
        present = (name == "exists") != negate
        return Exists(term.fact, term.key, present)
    if name == "printed":
        ref = _single_ref(node)
        if ref.head not in TABLES or len(ref.path) != 1:
            raise RuleError("printed() 的参数应是表格的一行或一组行，例如 printed(t3.denied)")
        rows = row_set(scope, ref.head, ref.path[0][1])
        atoms = tuple(Printed(ref.head, row, True) for row in rows)
        if negate:  # not printed(all of them): some row is not printed
            raise RuleError("not printed(...) 暂不支持；请改写条件")
        return atoms[0] if len(atoms) == 1 else AllOf(atoms)
    raise RuleError(names.unknown_name("未知的函数", name, [], FUNCTIONS))


def _single_ref(node: Call) -> Ref:
    if len(node.args) != 1 or not isinstance(node.args[0], Ref):
        raise RuleError(f"{node.name}() 需要一个事实作参数")
    return node.args[0]


def _first_prop(fact: str) -> str:
    return next(iter(SCHEMA[fact])) if fact in SCHEMA else "present"

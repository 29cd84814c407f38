"""Parse rule conditions (grammar/condition.lark) into a small AST.

The AST is plain data; resolving references against a report's template and turning
conditions into durable_rules JSON is done by engine.compile.

A condition comes from a rule file anyone may edit, so its size is bounded before it is
parsed or compiled: length, nesting of brackets, depth of the tree, digits of a constant; a
division by a constant zero is refused. Each limit is a ConditionError (reported as
`file:line: …`, exit code 2), never a RecursionError or an infinite number.
"""

from dataclasses import dataclass
from functools import cache

from lark import Lark, Transformer_NonRecursive, v_args
from lark.exceptions import UnexpectedInput, VisitError

from ..resources import grammar_dir
from .mistakes import common_mistake
from .names import table_key

MAX_LENGTH = 2000  # characters of one condition
MAX_NESTING = 32  # brackets inside brackets
MAX_DEPTH = 100  # levels of the parsed tree (a + b + … chains count one level per term)
MAX_DIGITS = 15  # digits of a constant (what a float holds exactly)


@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class Str:
    value: str


@dataclass(frozen=True)
class Bool:
    value: bool


@dataclass(frozen=True)
class Ref:
    """A dotted/indexed name: t3.received[col] -> ("t3", ("attr","received"), ("item","col"))."""

    head: str
    path: tuple[tuple[str, str], ...] = ()

    def text(self) -> str:
        out = self.head
        for kind, name in self.path:
            out += f".{name}" if kind == "attr" else f"[{name}]"
        return out


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple


@dataclass(frozen=True)
class Arith:
    op: str  # add | sub | mul | div | neg
    left: object
    right: object = None


@dataclass(frozen=True)
class Compare:
    op: str  # == != < <= > >=
    left: object
    right: object


@dataclass(frozen=True)
class Member:
    value: object
    options: tuple
    negate: bool = False


@dataclass(frozen=True)
class Truth:
    ref: object


@dataclass(frozen=True)
class Logic:
    op: str  # all | any | not
    items: tuple


class ConditionError(ValueError):
    """A condition that does not parse; `column` is 1-based within the condition text."""

    def __init__(self, message: str, column: int = 0):
        super().__init__(message)
        self.column = column


def _constant(token) -> float:
    text = str(token)
    if sum(ch.isdigit() for ch in text) > MAX_DIGITS:
        shown = text if len(text) <= 20 else text[:20] + "…"
        raise ConditionError(f"数值常量 {shown} 位数过多（最多 {MAX_DIGITS} 位数字）", getattr(token, "column", 0) or 0)
    return float(text)


@v_args(inline=True)
class _ToAst(Transformer_NonRecursive):
    def number(self, token):
        return Num(_constant(token))

    def string(self, token):
        return Str(token[1:-1])

    def true(self):
        return Bool(True)

    def false(self):
        return Bool(False)

    def ref(self, head, *path):
        return Ref(table_key(str(head)), tuple(path))  # 表三[…] is t3[…]

    def attr(self, name):
        return ("attr", str(name))

    def item(self, index):
        return ("item", str(index))

    def index(self, *names):
        if len(names) == 1 and names[0].type == "STRING":  # t3["本年增/减"]: a printed label
            return str(names[0])[1:-1]
        return ".".join(str(n) for n in names)

    def call(self, name, *args):
        return Call(str(name), tuple(a for a in args if a is not None))

    def add(self, left, right):
        return Arith("add", left, right)

    def sub(self, left, right):
        return Arith("sub", left, right)

    def mul(self, left, number):
        return Arith("mul", left, Num(_constant(number)))

    def div(self, left, number):
        value = _constant(number)
        if value == 0:
            raise ConditionError("不能除以 0", getattr(number, "column", 0) or 0)
        return Arith("div", left, Num(value))

    def neg(self, value):
        return Arith("neg", value)

    def compare(self, left, op, right):
        return Compare(str(op), left, right)

    def member(self, value, options):
        return Member(value, options)

    def not_member(self, value, options):
        return Member(value, options, negate=True)

    def list(self, *items):
        return tuple(i for i in items if i is not None)

    def truth(self, value):
        # A bare reference tests a yes/no fact; a call or a parenthesised condition stands as is.
        return Truth(value) if isinstance(value, Ref) else value

    def all_of(self, *items):
        return items[0] if len(items) == 1 else Logic("all", items)

    def any_of(self, *items):
        return items[0] if len(items) == 1 else Logic("any", items)

    def negation(self, item):
        return Logic("not", (item,))


@cache
def _parser() -> Lark:
    return Lark.open(str(grammar_dir() / "condition.lark"), parser="lalr", lexer="contextual")


@cache
def parse_condition(text: str):
    _check_size(text)
    try:
        tree = _parser().parse(text)
        node = _ToAst().transform(tree)
    except UnexpectedInput as error:
        mistake = common_mistake(text)
        if mistake:
            raise ConditionError(f"条件第 {mistake[0]} 个字符：{mistake[1]}", mistake[0]) from None
        column = getattr(error, "column", 0) or 0
        near = text[max(0, column - 1) : column + 9]
        raise ConditionError(f"条件在第 {column} 个字符处无法解析（“{near}”附近）", column) from None
    except VisitError as error:
        if isinstance(error.orig_exc, ConditionError):
            raise error.orig_exc from None
        raise
    except RecursionError:
        raise ConditionError("条件过于复杂（层次过深），请拆成几条规则") from None
    if _depth(node) > MAX_DEPTH:
        raise ConditionError(f"条件层次过深（超过 {MAX_DEPTH} 层：项数过多或 not、负号、括号叠用过多），请拆成几条规则或用 sum(...)")
    return node


def _check_size(text: str) -> None:
    """Refuse a condition too long or too deeply bracketed before parsing it."""
    if len(text) > MAX_LENGTH:
        raise ConditionError(f"条件过长（{len(text)} 个字符，最多 {MAX_LENGTH} 个），请拆成几条规则或用 sum(...) 和行组")
    depth, quote = 0, ""
    for column, char in enumerate(text, 1):
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "([":
            depth += 1
            if depth > MAX_NESTING:
                raise ConditionError(f"括号嵌套过深（超过 {MAX_NESTING} 层），请简化条件", column)
        elif char in ")]":
            depth = max(0, depth - 1)


def _depth(node) -> int:
    """Levels of the AST, counted without recursion."""
    deepest, stack = 0, [(node, 1)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if level > MAX_DEPTH:
            break
        if isinstance(item, (Arith, Compare)):
            children = (item.left, item.right)
        elif isinstance(item, Member):
            children = (item.value,)
        elif isinstance(item, Logic):
            children = item.items
        elif isinstance(item, Call):
            children = item.args
        elif isinstance(item, Truth):
            children = (item.ref,)
        else:
            children = ()
        stack.extend((child, level + 1) for child in children if child is not None)
    return deepest


def parse_ref(text: str) -> Ref:
    """A single reference such as t3.results_total[col] (the `at:` key of a rule)."""
    node = parse_condition(text)
    node = node.ref if isinstance(node, Truth) else node
    if not isinstance(node, Ref):
        raise ConditionError(f"“{text}” 应是一个事实或单元格，例如 t3.received.total")
    return node

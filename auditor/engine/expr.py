"""Parse rule conditions (grammar/condition.lark) into a small AST.

The AST is plain data; resolving references against a report's template and turning
conditions into durable_rules JSON is done by engine.compile.
"""

from dataclasses import dataclass
from functools import cache

from lark import Lark, Transformer, v_args
from lark.exceptions import UnexpectedInput

from ..resources import grammar_dir


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


@v_args(inline=True)
class _ToAst(Transformer):
    def number(self, token):
        return Num(float(token))

    def string(self, token):
        return Str(token[1:-1])

    def true(self):
        return Bool(True)

    def false(self):
        return Bool(False)

    def ref(self, head, *path):
        return Ref(str(head), tuple(path))

    def attr(self, name):
        return ("attr", str(name))

    def item(self, index):
        return ("item", str(index))

    def index(self, *names):
        return ".".join(str(n) for n in names)

    def call(self, name, *args):
        return Call(str(name), tuple(a for a in args if a is not None))

    def add(self, left, right):
        return Arith("add", left, right)

    def sub(self, left, right):
        return Arith("sub", left, right)

    def mul(self, left, number):
        return Arith("mul", left, Num(float(number)))

    def div(self, left, number):
        return Arith("div", left, Num(float(number)))

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
    try:
        tree = _parser().parse(text)
    except UnexpectedInput as error:
        column = getattr(error, "column", 0) or 0
        near = text[max(0, column - 1) : column + 9]
        raise ConditionError(f"条件在第 {column} 个字符处无法解析（“{near}”附近）", column) from None
    return _ToAst().transform(tree)


def parse_ref(text: str) -> Ref:
    """A single reference such as t3.results_total[col] (the `at:` key of a rule)."""
    node = parse_condition(text)
    node = node.ref if isinstance(node, Truth) else node
    if not isinstance(node, Ref):
        raise ConditionError(f"“{text}” 应是一个事实或单元格，例如 t3.received.total")
    return node

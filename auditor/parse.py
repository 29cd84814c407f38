"""The Lark parser for the normalized report stream (grammar/report.lark)."""

from functools import cache

from lark import Lark, Tree

from .resources import grammar_dir


@cache
def parser() -> Lark:
    return Lark.open(
        str(grammar_dir() / "report.lark"),
        parser="lalr",
        lexer="contextual",
        propagate_positions=False,
        maybe_placeholders=False,
        cache=False,
    )


def parse_stream(text: str) -> Tree:
    return parser().parse(text)

"""The Lark parser for the normalized report stream (grammar/report.lark).

Reports are parsed with the Transformer applied inside the LALR parser (no tree is built);
`parse_tree` builds the plain tree for `auditor parse --format tree`.
"""

from functools import cache

from lark import Lark, Tree

from .facts.transformer import Document, ReportTransformer
from .normalize import Stream
from .resources import grammar_dir

_TRANSFORMER = ReportTransformer()


def _open(**options) -> Lark:
    return Lark.open(
        str(grammar_dir() / "report.lark"),
        parser="lalr",
        lexer="contextual",
        propagate_positions=False,
        maybe_placeholders=False,
        **options,
    )


@cache
def _tree_parser() -> Lark:
    return _open()


@cache
def _document_parser() -> Lark:
    return _open(transformer=_TRANSFORMER)


def parse_tree(stream: Stream) -> Tree:
    return _tree_parser().parse(stream.text())


def parse_document(stream: Stream) -> Document:
    _TRANSFORMER.stream = stream
    try:
        return _document_parser().parse(stream.text())
    finally:
        _TRANSFORMER.stream = None

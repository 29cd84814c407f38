"""The Lark parser for the normalized report stream (grammar/report.lark).

Reports are parsed with the Transformer applied inside the LALR parser (no tree is built);
`parse_tree` builds the plain tree for `auditor parse --format tree`. The LALR steps run in
lark-cython when it is installed (a dependency; measured 1.2–1.4× faster parsing with the
same trees on the corpus and 300 generated PDFs, scripts/compare_lark_cython.py); plain lark
otherwise.
"""

from functools import cache

from lark import Lark, Tree

from .facts.transformer import Document, ReportTransformer
from .normalize import Stream
from .resources import grammar_dir

_TRANSFORMER = ReportTransformer()


def _plugins() -> dict:
    try:
        import lark_cython
    except ImportError:  # a platform without its wheel: the same parser in Python
        return {}
    return {"_plugins": lark_cython.plugins}


def _open(**options) -> Lark:
    return Lark.open(
        str(grammar_dir() / "report.lark"),
        parser="lalr",
        lexer="contextual",
        propagate_positions=False,
        maybe_placeholders=False,
        **_plugins(),
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

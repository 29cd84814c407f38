"""Parse the same normalized reports with plain lark and with lark-cython: same trees?
how fast? Run from the repository root:

    python scripts/compare_lark_cython.py corpus [more folders, e.g. made by python -m auditor.synth]
"""

import sys
import time

import lark_cython
from lark import Lark

from auditor.audit import expand
from auditor.errors import InputError
from auditor.ingest import read_source
from auditor.normalize import normalize
from auditor.parse import _TRANSFORMER
from auditor.resources import grammar_dir


def _parser(**options) -> Lark:
    return Lark.open(str(grammar_dir() / "report.lark"), parser="lalr", lexer="contextual", propagate_positions=False,
                     maybe_placeholders=False, transformer=_TRANSFORMER, **options)


def _parse_all(parser: Lark, streams) -> list[str]:
    out = []
    for stream in streams:
        _TRANSFORMER.stream = stream
        try:
            out.append(repr(parser.parse(stream.text())))
        except Exception as error:  # a parse error must be the same error in both
            out.append(type(error).__name__)
    return out


def main(paths: list[str], rounds: int = 4) -> None:
    streams = []
    for path in expand(paths):
        try:
            source = read_source(path)
        except InputError:
            continue
        streams.append(normalize(source.text, source.format))
    plain, fast = _parser(), _parser(_plugins=lark_cython.plugins)
    print(f"{len(streams)} reports; same documents: {_parse_all(plain, streams) == _parse_all(fast, streams)}")
    times = {"lark": [], "lark-cython": []}
    for _ in range(rounds):
        for name, parser in (("lark", plain), ("lark-cython", fast)):
            started = time.perf_counter()
            _parse_all(parser, streams)
            times[name].append(time.perf_counter() - started)
    best = {name: min(values) for name, values in times.items()}
    print(f"best of {rounds}: lark {best['lark']:.3f} s, lark-cython {best['lark-cython']:.3f} s, "
          f"{best['lark'] / best['lark-cython']:.2f}x")


if __name__ == "__main__":
    main(sys.argv[1:] or ["corpus"])

"""Narrative paragraphs from data/prose.yaml, with the table figures they quote.

A template phrase written [[measure|…]] quotes a figure; `fill` returns the paragraph with
the phrase's offset (the cited line is where it starts) and a span a hard wrap must not cut,
and records the Figure in the spec: the oracle compares it with the tables.
"""

import re
from functools import cache
from random import Random

import yaml

from . import data_path
from .model import Figure, Para

_MARK = re.compile(r"\[\[(\w+)\|(.*?)\]\]")
_KEEP = 6  # characters at the start of a figure phrase kept on one line


@cache
def prose_data() -> dict:
    with open(data_path("prose.yaml"), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def pick(rng: Random, *path: str) -> str:
    node = prose_data()
    for key in path:
        node = node[key]
    return rng.choice(node) if isinstance(node, list) else node


def fill(template: str, values: dict, figures: list[Figure] | None = None, figure_values: dict | None = None) -> Para:
    """The paragraph of `template` with {placeholders} filled and figure phrases recorded."""
    text, anchors, keep = "", {}, []
    position = 0
    for match in _MARK.finditer(template):
        text += template[position:match.start()].format(**values)
        measure, phrase = match.group(1), match.group(2).format(**values)
        anchor = f"figure:{measure}:{len(figures or ())}"
        anchors[anchor] = len(text)
        keep.append((len(text), len(text) + min(_KEEP, len(phrase))))
        if figures is not None:
            figures.append(Figure(measure, int((figure_values or {}).get(measure, 0)), anchor))
        text += phrase
        position = match.end()
    text += template[position:].format(**values)
    return Para(text, anchors, tuple(keep), (template, values, figures is not None))


def has_measure(template: str, measure: str) -> bool:
    return f"[[{measure}|" in template


def measures(template: str) -> list[str]:
    return [m.group(1) for m in _MARK.finditer(template)]

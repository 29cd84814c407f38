"""Findings as JSON Lines: one finding per line, stable field order.

JSON is UTF-8: a file name that is not (lone surrogates from os.fsdecode) is written with
backslash escapes (sanitize.escape_surrogates) instead of failing the whole batch.
"""

import orjson

from ..findings import FIELDS, Finding
from .sanitize import escape_surrogates


def finding_json(finding: Finding) -> str:
    data = finding.as_dict()
    ordered = {key: data[key] for key in FIELDS}
    ordered.update((k, v) for k, v in data.items() if k not in ordered)
    try:
        return orjson.dumps(ordered).decode()
    except TypeError:  # a string that is not valid UTF-8
        return orjson.dumps(_escaped(ordered)).decode()


def _escaped(value):
    if isinstance(value, str):
        return escape_surrogates(value)
    if isinstance(value, dict):
        return {escape_surrogates(str(k)): _escaped(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_escaped(v) for v in value]
    return value

"""Findings as JSON Lines: one finding per line, stable field order."""

import orjson

from ..findings import FIELDS, Finding


def finding_json(finding: Finding) -> str:
    data = finding.as_dict()
    ordered = {key: data[key] for key in FIELDS}
    ordered.update((k, v) for k, v in data.items() if k not in ordered)
    return orjson.dumps(ordered).decode()

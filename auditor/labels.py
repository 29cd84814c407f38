"""Words users read (families, severities, statuses, conclusions, templates, levels).

They live in auditor/data/labels.yaml; this module only loads them and answers lookups,
falling back to the raw key for anything the data file does not name.
"""

from functools import cache
from pathlib import Path

import yaml

_DATA = Path(__file__).resolve().parent / "data"


@cache
def labels() -> dict:
    with open(_DATA / "labels.yaml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def family(key: str) -> str:
    return labels()["families"].get(key, key.upper() if key else "")


def family_order(key: str) -> int:
    order = list(labels()["families"])
    return order.index(key) if key in order else len(order)


def severity(key: str) -> str:
    return labels()["severities"].get(key, key)


def kind(key: str) -> str:
    return labels()["kinds"].get(key, key)


def status(key: str) -> str:
    return labels()["statuses"].get(key, key)


def template(key: str | None) -> str:
    if not key:
        return labels()["templates"]["unknown"]
    return labels()["templates"].get(str(key), str(key))


def level(key: str | None) -> str:
    return labels()["level_unknown"] if not key or key == "unknown" else key


def conclusions() -> list[str]:
    return list(labels()["conclusions"])


def ascii_key(kind: str, label: str) -> str:
    """An ASCII stand-in for a Chinese label (charts drawn without a CJK font)."""
    if kind == "conclusion":
        return labels()["conclusions"].get(label, label)
    if kind == "level":
        return labels()["levels"].get(label, "unknown" if label == labels()["level_unknown"] else label)
    if kind == "family":
        return next((k.upper() for k, v in labels()["families"].items() if v == label), label)
    return label


def outcome(key: str) -> str:
    return labels()["outcomes"].get(key, key)

"""Locate the data the tool ships with: Lark grammars, template specs and rule packs.

From a source checkout they are the top-level `grammar/` and `rules/` folders; in an
installed wheel the same folders are packaged as `auditor/_grammar` and `auditor/_rules`.
"""

from functools import cache
from pathlib import Path

import yaml

_PACKAGE = Path(__file__).resolve().parent


def _first_existing(*candidates: Path) -> Path:
    for path in candidates:
        if path.is_dir():
            return path
    raise FileNotFoundError(f"data folder not found: {candidates[0]}")


@cache
def grammar_dir() -> Path:
    return _first_existing(_PACKAGE / "_grammar", _PACKAGE.parent / "grammar")


@cache
def rules_dir() -> Path:
    return _first_existing(_PACKAGE / "_rules", _PACKAGE.parent / "rules")


def grammar_text(name: str) -> str:
    return (grammar_dir() / name).read_text(encoding="utf-8")


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML was built with it


@cache
def load_yaml(relative: str):
    """Load a YAML data file shipped under rules/ (cached; treat the result as read-only)."""
    with open(rules_dir() / relative, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_LOADER)

"""Locate the data the tool ships with: Lark grammars, template specs and rule packs.

From a source checkout they are the top-level `grammar/` and `rules/` folders; in an
installed wheel the same folders are packaged as `auditor/_grammar` and `auditor/_rules`.

Rule folders given with `--rules` (or `rules.dirs` in the configuration) may carry data files
as well as packs: `groups.yaml`, `vocabulary.yaml`, `metadata.yaml`, `deadlines.yaml`,
`copy_masks.yaml` and `templates/<year>.yaml`. Such a file extends the shipped one of the
same name — lists are extended, mappings merged key by key (recursively), other values
replaced — and a template file of a new name is a new template year. `set_overlays` is
called once a process, before any data is read (runtime.build_run; workers do the same).
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


_OVERLAYS: list[Path] = []  # --rules folders, in order: later ones extend earlier ones


def set_overlays(folders) -> None:
    """The rule folders whose data files extend the shipped ones (see the module docstring).
    Cached data read before is forgotten (always when there are folders: their files may
    have changed since)."""
    folders = [Path(f) for f in folders or ()]
    if folders or folders != _OVERLAYS:  # (the same folders may hold other files by now)
        _OVERLAYS[:] = folders
        _forget_derived_data()


def _forget_derived_data() -> None:
    """Clear every cached function of the tool (templates, compiled patterns, … made from the
    data files): they are made again from the data as it now is."""
    import sys

    for name, module in list(sys.modules.items()):
        if module is None or not (name == "auditor" or name.startswith("auditor.")):
            continue
        for value in list(vars(module).values()):
            if callable(value) and hasattr(value, "cache_clear") and getattr(value, "__module__", "") == name:
                value.cache_clear()


def overlays() -> list[Path]:
    return list(_OVERLAYS)


@cache
def data_files(relative: str) -> tuple[Path, ...]:
    """The shipped file and every overlay's file of that name that exists, in order; for a
    folder name ("templates"), the files in the folder."""
    found = []
    for base in [rules_dir()] + _OVERLAYS:
        path = base / relative
        if path.is_file() or (path.is_dir() and not relative.endswith(".yaml")):
            found.append(path)
    return tuple(found)


@cache
def load_yaml(relative: str):
    """Load a YAML data file shipped under rules/, extended by the --rules folders' file of
    the same name (cached; treat the result as read-only)."""
    data = None
    for path in data_files(relative):
        with open(path, encoding="utf-8") as handle:
            layer = yaml.load(handle, Loader=_LOADER)
        data = layer if data is None else _extended(data, layer)
    if data is None:
        raise FileNotFoundError(rules_dir() / relative)
    return data


def _extended(base, layer):
    if isinstance(base, dict) and isinstance(layer, dict):
        out = dict(base)
        for key, value in layer.items():
            out[key] = _extended(base[key], value) if key in base else value
        return out
    if isinstance(base, list) and isinstance(layer, list):
        return base + [item for item in layer if item not in base]
    return layer

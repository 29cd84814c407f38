"""Who a report is from, normalised so that reports of one body pair across years.

The printed body name is NFKC-normalised, spaces and punctuation removed, and the usual
suffixes (人民政府, 管委会, … in rules/copy_masks.yaml) dropped: “平潭综合实验区管理委员会” and
“平潭综合实验区” are one body. An inspector overrides this with an aliases file (YAML,
`printed name: identity`), given as `[history] aliases` in the configuration or
`--history-aliases FILE`: a renamed or merged body is paired with its predecessor.
"""

import re
import unicodedata
from pathlib import Path

from ..engine.rulefile import RuleFileError, read_yaml

_NOISE = re.compile(r"[\s\W_]+")


def short_name(body: str) -> str:
    from .fingerprint import settings

    name = _NOISE.sub("", unicodedata.normalize("NFKC", body or ""))
    for suffix in sorted(settings()["body_suffixes"], key=len, reverse=True):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def identity(body: str, aliases: dict | None = None) -> str:
    """The body's identity: its alias when the inspector gave one, else its short name."""
    name = short_name(body)
    if aliases:
        mapped = aliases.get(name) or aliases.get(_NOISE.sub("", unicodedata.normalize("NFKC", body or "")))
        if mapped:
            return mapped
    return name


def load_aliases(path) -> dict:
    """printed name (normalised) -> identity. Raises RuleFileError at file:line."""
    if not path:
        return {}
    path = Path(path)
    if not path.is_file():
        raise RuleFileError(path, 0, "单位名称对照表不存在")
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise RuleFileError(path, 1, "单位名称对照表应是“印出的名称: 统一的单位标识”的映射")
    out = {}
    for name, target in data.items():
        if str(name).startswith("__"):
            continue
        if not isinstance(target, str) or not target.strip():
            raise RuleFileError(path, (data.get("__lines__") or {}).get(name, 1), f"“{name}”应对应一个非空的单位标识")
        out[short_name(str(name))] = short_name(target)
        out[_NOISE.sub("", unicodedata.normalize("NFKC", str(name)))] = short_name(target)
    return out

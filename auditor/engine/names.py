"""What a table, row, column or section name in a rule stands for: its English key, or the
Chinese printed in the reports.

The Chinese names are the templates' own words (rules/templates/*.yaml: each item's label,
its aliases, its numbered form "(一)予以公开"; TABLE_NAMES for the tables) — there is no
second copy of the mapping. A Chinese name means an item when it equals one of those words
(compared as templates.comparable compares printed labels: numbering, spaces, quotes and
brackets aside, full-width forms folded), or else when it begins the label of exactly one
item ("本年新收" for "本年新收政府信息公开申请数量"). A name that means nothing gets the
close matches, key and label side by side, for its error message.
"""

import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache

from ..resources import load_yaml
from ..templates import Template, all_templates, comparable, numbered

# The names messages and finding locations give the tables, and back.
TABLE_NAMES = {"t2": "表二", "t3": "表三", "t4": "表四", "fee": "信息处理费"}
TABLE_KEYS = {name: key for key, name in TABLE_NAMES.items()}
MAX_SUGGESTIONS = 5
CLOSE = 0.6  # similarity (0..1) from which a name is offered as "did you mean"


@dataclass(frozen=True)
class Named:
    """One item a name may stand for: its key and its printed words (label first)."""

    key: str
    words: tuple[str, ...]

    @property
    def shown(self) -> str:
        return f"{self.key}（{self.words[0]}）" if self.words and self.words[0] != self.key else self.key


def is_chinese(name: str) -> bool:
    return any(ord(ch) >= 0x2E80 for ch in name)


def table_key(name: str) -> str:
    """t3 for 表三 (and for t3)."""
    return TABLE_KEYS.get(name, name)


def table_title(table: str) -> str:
    """t3（表三）: how an error message names a table."""
    return f"{table}（{TABLE_NAMES[table]}）" if table in TABLE_NAMES else table


@cache
def groups() -> dict:
    """Named groups of rows and columns (rules/groups.yaml)."""
    return load_yaml("groups.yaml")


# --- the items of a template ----------------------------------------------------------------


def table_rows(template: Template, table: str) -> list[str]:
    spec = template.tables[table]
    return [r.key for r in spec.all_rows() if not r.heading]


def table_columns(template: Template, table: str, row: str | None = None) -> list[str]:
    spec = template.tables[table]
    if row is not None:
        return [c.key for c in spec.columns_of(row)]
    seen = []
    for column in spec.columns + tuple(c for b in spec.blocks for c in b.columns):
        if column.key not in seen:
            seen.append(column.key)
    return seen


def subtotal_rows(template: Template, table: str) -> list[str]:
    return [r.key for r in template.tables[table].all_rows() if r.sum_of]


def _named(items) -> list[Named]:
    out: dict[str, Named] = {}
    for item in items:
        words = (item.label, numbered(item.number, item.label), *item.aliases)
        known = out.get(item.key)
        out[item.key] = Named(item.key, tuple(dict.fromkeys((known.words if known else ()) + words)))
    return list(out.values())


# A key means the same in every template, so a Chinese name is looked up in all of them: it
# means one thing whichever template a rule is compiled for (a key the template lacks is
# then reported as for an English key).


@cache
def row_names(table: str) -> list[Named]:
    """Every row of a table (heading rows too: 本年度办理结果 is the group `results`)."""
    return _named(r for t in all_templates() if table in t.tables for r in t.tables[table].all_rows())


@cache
def column_names(table: str) -> list[Named]:
    specs = [t.tables[table] for t in all_templates() if table in t.tables]
    return _named(c for spec in specs for c in spec.columns + tuple(c for b in spec.blocks for c in b.columns))


@cache
def section_names() -> list[Named]:
    return _named(s for t in all_templates() for s in t.sections)


@cache
def fee_names() -> list[Named]:
    return _named(c for t in all_templates() for c in t.fee_columns)


# --- Chinese name -> key --------------------------------------------------------------------


def _plain(text: str) -> str:
    return comparable(unicodedata.normalize("NFKC", text))


def keys_for(name: str, named: list[Named]) -> list[str]:
    """The keys a Chinese name stands for: those whose words equal it, else those whose label
    it begins. One key: found; none: unknown; several: ambiguous (the caller says which)."""
    plain = _plain(name)
    if not plain:
        return []
    exact = [n.key for n in named if any(_plain(w) == plain for w in n.words)]
    if exact:
        return exact
    return [n.key for n in named if any(_plain(w).startswith(plain) for w in n.words)]


def suggestions(name: str, named: list[Named], others: tuple[str, ...] = ()) -> list[str]:
    """Up to MAX_SUGGESTIONS items (key and label) or other names close to `name`, closest first."""
    plain = _plain(name) or name
    scored = []
    for item in named:
        score = max(_similarity(plain, _plain(word)) for word in (item.key, *item.words))
        scored.append((score, item.shown))
    scored += [(_similarity(plain, other), other) for other in others]
    scored.sort(key=lambda pair: -pair[0])
    return [shown for score, shown in scored if score >= CLOSE][:MAX_SUGGESTIONS]


def _similarity(name: str, word: str) -> float:
    """How close `name` is to `word`, or to the start of it (a label shortened by its author)."""
    if not word:
        return 0.0
    whole = SequenceMatcher(None, name, word).ratio()
    start = SequenceMatcher(None, name, word[: len(name) + 1]).ratio() if len(word) > len(name) + 1 else 0.0
    return max(whole, start * 0.95)


def unknown_name(what: str, name: str, named: list[Named], others: tuple[str, ...] = ()) -> str:
    """The message for a name that stands for nothing: the close matches, or every name."""
    close = suggestions(name, named, others)
    if close:
        return f"{what} “{name}”；是否应为：{'、'.join(close)}？"
    every = [n.shown for n in named] + list(others)
    table = "（名称对照见 docs/rules/names.md）" if named else ""
    return f"{what} “{name}”；可用的名称：{'、'.join(every)}{table}"


def ambiguous_name(name: str, keys: list[str], named: list[Named]) -> str:
    shown = [n.shown for n in named if n.key in keys]
    return f"“{name}” 可指 {'、'.join(shown)}，请写得更完整，或改用英文名称"

"""Template specs (rules/templates/*.yaml) as typed objects, and printed-label matching.

A template says which sections, tables, rows and columns a report of its years must have
and which label variants are accepted. Matching a printed label returns the canonical key
and how it matched: exactly, through a listed alias, or fuzzily (typo, truncation, extra
words) — the last two are recorded as deviations for the rules to report.
"""

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache, lru_cache

from .chars import compact
from .resources import data_files, load_yaml

_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]{1,2}\s*[、.]|\([一二三四五六七八九十]{1,2}\)|\d{1,2}\s*[.、](?!\d))")


@dataclass(frozen=True, eq=False)
class Item:
    """A row, column or section of a template: canonical key, printed label, variants.

    Compared and hashed by identity: items are built once per template and used as cache
    keys (hashing every field on each label lookup cost more than the lookup itself)."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    number: str = ""
    signed: bool = False
    amount: bool = False
    heading: bool = False
    sum_of: tuple[str, ...] = ()
    pattern: str = ""
    variants: tuple[str, ...] = ()  # regexes: real wordings that mean the same (sections)


@dataclass(frozen=True)
class Block:
    key: str
    caption: str
    columns: tuple[Item, ...]
    rows: tuple[Item, ...]


@dataclass(frozen=True)
class TableSpec:
    key: str
    label: str
    section: str
    header_words: tuple[str, ...]
    columns: tuple[Item, ...] = ()
    rows: tuple[Item, ...] = ()
    blocks: tuple[Block, ...] = ()

    def row(self, key: str) -> Item | None:
        return _row_index(self).get(key)

    def all_rows(self) -> tuple[Item, ...]:
        return self.rows or tuple(r for b in self.blocks for r in b.rows)

    def block_of(self, row_key: str) -> Block | None:
        return next((b for b in self.blocks if any(r.key == row_key for r in b.rows)), None)

    def columns_of(self, row_key: str) -> tuple[Item, ...]:
        block = self.block_of(row_key)
        return block.columns if block else self.columns


@cache
def _row_index(spec: TableSpec) -> dict:
    return {r.key: r for r in spec.all_rows()}


@dataclass(frozen=True)
class Template:
    id: str
    name: str
    basis: str
    years: tuple[int, int | None]
    sections: tuple[Item, ...]
    tables: dict = field(hash=False)
    strong_signatures: tuple[str, ...] = ()
    fee_columns: tuple[Item, ...] = ()

    def covers(self, year: int) -> bool:
        first, last = self.years
        return year >= first and (last is None or year <= last)

    def section(self, key: str) -> Item | None:
        return next((s for s in self.sections if s.key == key), None)


@dataclass(frozen=True)
class LabelMatch:
    key: str
    kind: str  # "exact" | "alias" | "fuzzy"
    expected: str
    score: float
    number: str = ""  # the item's numbering in the template: 一, (三), 5


def _item(data: dict) -> Item:
    return Item(
        key=data["key"],
        label=str(data.get("label", data.get("title", ""))),
        aliases=tuple(str(a) for a in data.get("aliases", ())),
        number=str(data.get("number", "")),
        signed=bool(data.get("signed", False)),
        amount=bool(data.get("amount", False)),
        heading=bool(data.get("heading", False)),
        sum_of=tuple(data.get("sum_of", ())),
        pattern=str(data.get("pattern", "")),
        variants=tuple(str(v) for v in data.get("variants", ())),
    )


def _table(key: str, data: dict) -> TableSpec:
    blocks = tuple(
        Block(b["key"], b["caption"], tuple(map(_item, b["columns"])), tuple(map(_item, b["rows"])))
        for b in data.get("blocks", ())
    )
    return TableSpec(
        key=key,
        label=data["label"],
        section=data["section"],
        header_words=tuple(data.get("header_words", ())),
        columns=tuple(map(_item, data.get("columns", ()))),
        rows=tuple(map(_item, data.get("rows", ()))),
        blocks=blocks,
    )


def _raw(template_id: str) -> dict:
    data = dict(load_yaml(f"templates/{template_id}.yaml"))
    parent = data.pop("extends", None)
    if parent:
        base = _raw(str(parent))
        tables = {**base.get("tables", {}), **data.get("tables", {})}
        data = {**base, **data, "tables": tables}
    return data


@cache
def template(template_id: str) -> Template:
    data = _raw(template_id)
    first, last = data["report_years"]
    return Template(
        id=str(data["id"]),
        name=data["name"],
        basis=data["basis"],
        years=(int(first), None if last is None else int(last)),
        sections=tuple(map(_item, data["sections"])),
        tables={key: _table(key, spec) for key, spec in data["tables"].items()},
        strong_signatures=tuple(data.get("signatures", {}).get("strong", ())),
        fee_columns=tuple(map(_item, data.get("fee", {}).get("columns", ()))),
    )


@cache
def all_templates() -> tuple[Template, ...]:
    ids = sorted({p.stem for folder in data_files("templates") for p in folder.glob("*.yaml")})
    return tuple(template(i) for i in ids)


def template_for_year(year: int) -> Template | None:
    return next((t for t in all_templates() if t.covers(year)), None)


def numbered(number: str, label: str) -> str:
    """A label with its template numbering as printed: 一、… (三)… 5.…"""
    if not number:
        return label
    if number.isdigit():
        return f"{number}.{label}"
    if number.startswith("("):
        return f"{number}{label}"
    return f"{number}、{label}"


def strip_numbering(label: str) -> tuple[str, str]:
    """Split "(三)不予公开" into ("(三)", "不予公开")."""
    match = _NUMBERING.match(label)
    if not match:
        return "", label
    return match.group(0), label[match.end():].strip()


@lru_cache(maxsize=16384)
def comparable(label: str) -> str:
    return compact(strip_numbering(label)[1]).replace(",", "").replace(":", "").replace("(", "").replace(")", "")


def match_label(printed: str, items: tuple[Item, ...], fuzzy: bool = True) -> LabelMatch | None:
    """Best template item for a printed label, or None when nothing is close enough."""
    return _match_cached(comparable(printed), items, fuzzy)


@cache
def _match_cached(text: str, items: tuple[Item, ...], fuzzy: bool) -> LabelMatch | None:
    if not text:
        return None
    for item in items:
        if text == comparable(item.label):
            return LabelMatch(item.key, "exact", item.label, 1.0, item.number)
    for item in items:
        if any(text == comparable(alias) for alias in item.aliases):
            return LabelMatch(item.key, "alias", item.label, 1.0, item.number)
    if not fuzzy:
        return None
    best: LabelMatch | None = None
    for item in items:
        expected = comparable(item.label)
        score = _similarity(text, expected)
        if score and (best is None or score > best.score):
            best = LabelMatch(item.key, "fuzzy", item.label, score, item.number)
    return best


def _similarity(text: str, expected: str) -> float:
    """Closeness of a printed label to an expected one; 0 when not plausibly the same label."""
    if len(text) >= 2 and expected.startswith(text) and len(text) * 2 >= len(expected):
        return 0.9  # truncated: "本年增/" for "本年增/减"
    if len(expected) >= 3 and expected in text and len(expected) * 2 >= len(text):
        return 0.85  # extra words around the label
    ratio = SequenceMatcher(None, text, expected).ratio()
    return ratio if ratio >= 0.8 else 0.0

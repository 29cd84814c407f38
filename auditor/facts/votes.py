"""Which template (2019 or 2021) the tables follow.

Strong evidence first: the words of 表二's header that only one template prints (the
`signatures.strong` lists of rules/templates/*.yaml: 本年制发件数 … for 2021, 本年新制作数量 …
for 2019), searched in the whole header text of 表二 with spaces removed, so that header
cells merged or split by PDF extraction still count. Where only one template's words are
found, that template it is. Otherwise weaker votes decide: header cells matched cell by
cell, row labels printed only in one template, and 表三's (六) printed as one row or as 1-3.
"""

import re

from ..chars import compact
from ..templates import Item, all_templates, match_label
from .cells import Mapping
from .transformer import RawTable

_CAPTION_NUMERAL = re.compile(r"\(([一二三四五六七八九十]+)\)")
_SENTENCE = re.compile(r"[。；;，,]")


def caption_numeral(caption: str) -> str:
    found = _CAPTION_NUMERAL.search(caption)
    return found.group(1) if found else ""


def strong_evidence(tables: list[RawTable]) -> dict[str, int]:
    """Template id -> how many of its signature words 表二's header text prints."""
    text = compact("".join(h.text for t in tables for h in t.heads if not _SENTENCE.search(h.text)))
    text += "\x00" + compact("".join(r.label for t in tables for r in t.rows))
    words = sorted(
        ((compact(word), template.id) for template in all_templates() for word in template.strong_signatures),
        key=lambda pair: -len(pair[0]),
    )
    found: dict[str, int] = {}
    for word, template_id in words:  # longest first: 本年处理决定数量 before 处理决定数量
        if word and word in text:
            found[template_id] = found.get(template_id, 0) + text.count(word)
            text = text.replace(word, "\x00")
    return found


def vote_t2_block(table: RawTable, mapping: Mapping) -> str:
    """The template this block's header columns (and row labels) follow, or ""."""
    numeral = caption_numeral(table.caption)
    universe = _block_universe(numeral) if numeral else [
        (t.id, c) for t in all_templates() for b in t.tables["t2"].blocks for c in b.columns
    ]
    weights: dict[str, int] = {}
    columns = tuple(c for _, c in universe)
    for head in table.heads:
        found = match_label(head.text, columns, fuzzy=False)
        if not found:
            continue
        owners = {tid for tid, c in universe if c.key == found.key and _label_of(c, head.text)}
        if len(owners) == 1:
            (owner,) = owners
            weights[owner] = weights.get(owner, 0) + 3
    for row in table.rows:
        owners = _row_owners(row.label)
        if len(owners) == 1:
            (owner,) = owners
            weights[owner] = weights.get(owner, 0) + 1
    for tid, weight in weights.items():
        mapping.vote(tid, weight)
    return max(weights, key=weights.get) if weights else ""


def _block_universe(numeral: str) -> list[tuple[str, Item]]:
    """(template id, column) for every template's block with this caption numeral."""
    columns = []
    for template in all_templates():
        for block in template.tables["t2"].blocks:
            if caption_numeral(block.caption) == numeral:
                columns.extend((template.id, column) for column in block.columns)
    return columns


def _label_of(item: Item, printed: str) -> bool:
    return match_label(printed, (item,), fuzzy=False) is not None


def _row_owners(label: str) -> set[str]:
    """Templates whose table 二 has a row printed exactly like this label."""
    owners = set()
    for template in all_templates():
        found = match_label(label, template.tables["t2"].all_rows(), fuzzy=False)
        if found and found.kind == "exact":
            owners.add(template.id)
    return owners


def vote_t3(keys: set[str], mapping: Mapping) -> None:
    """表三's (六) printed with values as 1-3 (2021) or as one row (2019): a weak vote."""
    if {"other_1", "other_2", "other_3"} & keys:
        mapping.vote("2021", 1)
    elif "other" in keys:
        mapping.vote("2019", 1)


def decide_template(mapping: Mapping, has_t2: bool, strong: dict[str, int]) -> str:
    if len(strong) == 1:
        return next(iter(strong))  # only one template's own header words are printed
    votes = {k: v for k, v in mapping.votes.items() if v > 0}
    if not votes:
        return "unknown"
    if len(votes) == 1:
        return next(iter(votes))
    ranked = sorted(votes, key=votes.get, reverse=True)
    top, second = ranked[0], ranked[1]
    # Table 二 carries the strong signals (its columns changed); table 三's (六) row alone
    # does not make a report "mixed", it is a conflict noted against the majority.
    if has_t2 and votes[second] >= 3:
        return "mixed"
    return top


def fallback_template(decided: str, year: int | None) -> str:
    if decided in {t.id for t in all_templates()}:
        return decided
    if year:
        for template in all_templates():
            if template.covers(year):
                return template.id
    return all_templates()[-1].id

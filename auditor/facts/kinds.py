"""Which template table each raw table of the document is (表二 block, 表三, 表四, fee table).

A table with a 第二十条 caption is a block of 表二; rows naming two or more different 表三
rows make 表三; the words 行政复议 and 行政诉讼 make 表四 (also when it is printed as three
small tables, one per group); values under the 复议/诉讼 section heading make 表四 whose
header was lost. Pieces of one table split by a page break are merged again.
"""

import re
from functools import cache

from ..resources import load_yaml
from ..templates import all_templates
from .cells import exact, specs, union_rows
from .transformer import Document, RawTable


# Sections that never hold a statistics table: a "table" of its words found there (prose that
# a PDF-to-markdown tool turned into pipe rows: "…政府信息公开行政复议 | 351 | 件，其中结果维持")
# is not the table when the table is found in its own section as well.
_PROSE_SECTIONS = ("overview", "problems", "other")


def classify(document: Document) -> dict[str, list[RawTable]]:
    groups: dict[str, list[RawTable]] = {}
    stray: dict[str, list[RawTable]] = {}
    last = (None, "")  # (section, kind) of the table before
    for section, table in document.tables():
        kind = _kind(table) or _kind_by_section(section, table) or _continued(last, section, table)
        if kind in ("t2", "t3", "t4") and _section_key(section) in _PROSE_SECTIONS:
            stray.setdefault(kind, []).append(table)
        elif kind:
            groups.setdefault(kind, []).append(table)
        last = (section, kind)
    for kind, tables in stray.items():
        if kind not in groups:  # the only candidate: keep it
            groups[kind] = tables
    return groups


def _section_key(section) -> str:
    if section is None:
        return ""
    from .sections import heading_key

    return heading_key(section.heading)


def _continued(last: tuple, section, table: RawTable) -> str:
    """The rest of 表三 after a page break (a running header between): a piece in the same
    section right after 表三 that prints one of its rows ("四、结转下年度继续办理 0 0 …")."""
    if last[1] != "t3" or last[0] is not section:
        return ""
    labels = [r.label for r in table.rows if r.label] + [h.text for h in table.heads]
    return "t3" if any(exact(label, union_rows("t3")) for label in labels) and table.rows else ""


def merge(tables: list[RawTable]) -> RawTable | None:
    """Pieces of one table split by a page break or a stray line become one table again."""
    if not tables:
        return None
    merged = RawTable(tables[0].caption, tables[0].line, list(tables[0].parts))
    for table in tables[1:]:
        merged.parts.extend(table.parts)
    return merged


def _kind_by_section(section, table: RawTable) -> str:
    """Table 四 whose header was lost or replaced (markdown "| 1 | 2 | … |"): a row of five or
    more values under the section heading of 行政复议、行政诉讼."""
    if section is None or not any(len(row.values) >= 5 for row in table.rows):
        return ""
    appeals = all_templates()[0].section("appeals")
    heading = section.heading
    if appeals.label in heading or (appeals.pattern and re.search(appeals.pattern, heading)):
        return "t4"
    return ""


def _kind(table: RawTable) -> str:
    if table.caption:
        return "t2"
    texts = [h.text for h in table.heads] + [r.label for r in table.rows if r.label]
    joined = "".join(texts)
    fee_labels = [c.label for t in all_templates() for c in t.fee_columns]
    if any(label in joined for label in fee_labels):
        return "fee"
    # distinct rows: three small tables of 表四 each print "总计" (also 表三's (七)总计)
    t3_keys = {found.key for r in table.rows if r.label and (found := exact(r.label, union_rows("t3")))}
    if len(t3_keys) >= 2 or any(word in joined for word in _t3_markers()):
        return "t3"
    t4 = specs("t4")[0]
    review, *suits = t4.rows
    names_suit = any(word in joined for word in t4.header_words + tuple(s.label for s in suits))
    if review.label in joined and names_suit and not _sentence_only(table):
        return "t4"
    if any(r.label and exact(r.label, union_rows("t2")) for r in table.rows):
        return "t2"
    return ""


@cache
def _t3_markers() -> tuple[str, ...]:
    """Words only table 三 prints (`markers` of its template spec: 申请人情况, the 勾稽关系 note)."""
    words: dict[str, None] = {}
    for template in all_templates():
        table = load_yaml(f"templates/{template.id}.yaml").get("tables", {}).get("t3", {})
        words.update(dict.fromkeys(table.get("markers", ())))
    return tuple(words)


def _sentence_only(table: RawTable) -> bool:
    """No values and a comma in its cells: a line of prose lexed as header cells ("…，无行政复议
    和行政诉讼案" hard-wrapped in PDF text), not a table whose values were lost."""
    return not table.rows and any("," in h.text or "，" in h.text for h in table.heads)

"""Map the document's raw tables onto the template tables: canonical rows, columns, cells.

Rows are found by their printed labels (exact, alias or fuzzy, each deviation recorded);
values are placed by position under the template's columns for that row, because printed
headers are often broken, truncated or misplaced. A row printing fewer values than its
columns has lost its positions: its cells are unknown. Digit runs are split by
facts.digits. The labels also tell which template each table follows.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache

from ..model import BLANK, DERIVED, MISSING, OK, UNKNOWN, Cell, Deviation, Row, Table
from ..templates import Item, LabelMatch, TableSpec, all_templates, comparable, match_label, numbered, strip_numbering
from .digits import split_run
from .transformer import Document, Head, RawRow, RawTable, Value

_CAPTION_NUMERAL = re.compile(r"\(([一二三四五六七八九十]+)\)")
_INNER_NUMBERING = re.compile(r"\d{1,2}\s*[.、](?!\d)|\([一二三四五六七八九十]{1,2}\)")
_T3_TOTALS = ((0, 1, 2, 3, 4, 5, 6),)
_T4_TOTALS = ((0, 1, 2, 3, 4), (5, 6, 7, 8, 9), (10, 11, 12, 13, 14))


@dataclass
class Mapping:
    tables: dict[str, Table] = field(default_factory=dict)
    deviations: list[Deviation] = field(default_factory=list)
    votes: dict[str, int] = field(default_factory=dict)  # template id -> weight of its labels
    conflicts: list[dict] = field(default_factory=list)  # elements of the minority template
    fee_cells: dict[str, Cell] = field(default_factory=dict)
    fee_line: int = 0
    template: str = "unknown"

    def vote(self, template_id: str, weight: int = 1) -> None:
        self.votes[template_id] = self.votes.get(template_id, 0) + weight


def map_tables(document: Document, year: int | None) -> Mapping:
    mapping = Mapping()
    groups = _classify(document)
    t2_blocks = groups.get("t2", [])
    block_templates = [_vote_t2_block(table, mapping) for table in t2_blocks]
    t3 = _merge(groups.get("t3", []))
    if t3:
        _vote_t3(t3, mapping)
    mapping.template = _decide_template(mapping, bool(t2_blocks))
    fallback = _fallback_template(mapping.template, year)
    mapping.tables["t2"] = _map_t2(t2_blocks, block_templates, fallback, mapping)
    mapping.tables["t3"] = _map_t3(t3, fallback, mapping)
    mapping.tables["t4"] = _map_t4(_merge(groups.get("t4", [])), fallback, mapping)
    for fee_table in groups.get("fee", []):
        _map_fee(fee_table, mapping)
    return mapping


# --- which template table a raw table is -------------------------------------------------


def _specs(key: str) -> list[TableSpec]:
    return [t.tables[key] for t in all_templates() if key in t.tables]


@cache
def _union_rows(key: str) -> tuple[Item, ...]:
    seen: dict[str, Item] = {}
    for spec in reversed(_specs(key)):  # newest template first: its labels are canonical
        for item in spec.all_rows():
            seen.setdefault(item.key, item)
    return tuple(seen.values())


def _classify(document: Document) -> dict[str, list[RawTable]]:
    groups: dict[str, list[RawTable]] = {}
    for section, table in document.tables():
        kind = _kind(table) or _kind_by_section(section, table)
        if kind:
            groups.setdefault(kind, []).append(table)
    return groups


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
    t3_hits = sum(1 for r in table.rows if r.label and _exact(r.label, _union_rows("t3")))
    if t3_hits >= 2 or "本列数据的勾稽关系" in joined or "申请人情况" in joined:
        return "t3"
    if "行政复议" in joined and ("行政诉讼" in joined or "复议后起诉" in joined) and not _sentence_only(table):
        return "t4"
    if any(r.label and _exact(r.label, _union_rows("t2")) for r in table.rows):
        return "t2"
    return ""


def _sentence_only(table: RawTable) -> bool:
    """No values and a comma in its cells: a line of prose lexed as header cells ("…，无行政复议
    和行政诉讼案" hard-wrapped in PDF text), not a table whose values were lost."""
    return not table.rows and any("," in h.text or "，" in h.text for h in table.heads)


def _exact(label: str, items: tuple[Item, ...]):
    found = match_label(label, items, fuzzy=False)
    return found


def _merge(tables: list[RawTable]) -> RawTable | None:
    """Pieces of one table split by a page break or a stray line become one table again."""
    if not tables:
        return None
    merged = RawTable(tables[0].caption, tables[0].line, list(tables[0].parts))
    for table in tables[1:]:
        merged.parts.extend(table.parts)
    return merged


# --- template votes ------------------------------------------------------------------------


def _block_universe(numeral: str) -> list[tuple[str, Item]]:
    """(template id, column) for every template's block with this caption numeral."""
    columns = []
    for template in all_templates():
        for block in template.tables["t2"].blocks:
            if _caption_numeral(block.caption) == numeral:
                columns.extend((template.id, column) for column in block.columns)
    return columns


def _caption_numeral(caption: str) -> str:
    found = _CAPTION_NUMERAL.search(caption)
    return found.group(1) if found else ""


def _vote_t2_block(table: RawTable, mapping: Mapping) -> str:
    """The template this block's header columns (and row labels) follow, or ""."""
    numeral = _caption_numeral(table.caption)
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


def _vote_t3(table: RawTable, mapping: Mapping) -> None:
    rows = _union_rows("t3")
    keys = set()
    for row in table.rows:
        found = _exact(row.label, rows) if row.label else None
        if found:
            keys.add(found.key)
    detail = {"other_1", "other_2", "other_3"} & keys
    if detail:
        mapping.vote("2021", 1)
    elif "other" in keys:
        mapping.vote("2019", 1)


def _decide_template(mapping: Mapping, has_t2: bool) -> str:
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


def _fallback_template(decided: str, year: int | None) -> str:
    if decided in {t.id for t in all_templates()}:
        return decided
    if year:
        for template in all_templates():
            if template.covers(year):
                return template.id
    return all_templates()[-1].id


def _template_spec(template_id: str, key: str) -> TableSpec:
    for template in all_templates():
        if template.id == template_id:
            return template.tables[key]
    return all_templates()[-1].tables[key]


# --- values --------------------------------------------------------------------------------


def _parse_value(text: str) -> int | Decimal | None:
    cleaned = text.replace(",", "").replace("万元", "").replace("元", "").strip()
    for unit in "件个条项":
        cleaned = cleaned.removesuffix(unit)
    try:
        if "." in cleaned:
            return Decimal(cleaned)
        return int(cleaned)
    except (ValueError, InvalidOperation):
        return None


def _fill_row(row: Row, columns: tuple[Item, ...], values: list[Value], totals=()) -> None:
    """Place a row's printed values under its columns (or mark them unknown)."""
    row.expected_cells = len(columns)
    cells = {c.key: Cell(row.table, row.key, c.key, line=row.line, status=UNKNOWN) for c in columns}
    row.cells = cells
    runs = [v for v in values if v.kind == "run"]
    if runs:
        text = " ".join(v.text for v in values if v.kind in ("run", "number"))
        split = split_run(text, len(columns), totals)
        row.split = split.how
        row.printed = len(columns) if split.values else 0
        for column in columns:
            cells[column.key].raw = text
            cells[column.key].line = runs[0].line
        if split.values:
            for column, raw in zip(columns, split.values):
                _set(cells[column.key], raw, runs[0].line)
        return
    while len(values) > len(columns) and values[-1].kind == "blank":
        values = values[:-1]  # padding cells after the last column
    while len(values) > len(columns) and values[0].kind == "blank":
        values = values[1:]  # the rest of a label cell spanning two columns
    if len(values) < len(columns):
        # Positions are lost anyway: blank cells right after the label are the label's own
        # spanned cells, not values (unless the row printed nothing but blanks).
        first = next((i for i, v in enumerate(values) if v.kind != "blank"), 0)
        values = values[first:]
    row.printed = len(values)
    row.blanks = sum(1 for v in values if v.kind in ("blank", "dash"))
    if len(values) != len(columns):
        for column, value in zip(columns, values):
            cells[column.key].raw = value.text
            cells[column.key].line = value.line
        return
    for column, value in zip(columns, values):
        if value.kind in ("blank", "dash"):
            cell = cells[column.key]
            cell.value, cell.raw, cell.line, cell.status = 0, value.text, value.line, BLANK
        else:
            _set(cells[column.key], value.text, value.line)


def _set(cell: Cell, raw: str, line: int) -> None:
    cell.raw, cell.line = raw, line
    cell.value = _parse_value(raw)
    cell.status = OK if cell.value is not None else UNKNOWN


def _missing_row(table: str, item: Item, columns: tuple[Item, ...]) -> Row:
    row = Row(table, item.key, "", item.label, "missing", expected_cells=len(columns))
    row.cells = {c.key: Cell(table, item.key, c.key) for c in columns}
    return row


def _record(mapping: Mapping, kind: str, table: str, key: str, printed: str, found, line: int) -> None:
    if not found or found.kind not in ("alias", "fuzzy"):
        return
    for known in mapping.deviations:
        if (known.kind, known.table, known.key, known.printed) == (kind, table, key, printed):
            known.count += 1  # the same label printed again (table 四 repeats its columns)
            return
    expected = numbered(found.number, found.expected) if strip_numbering(printed)[0] else found.expected
    mapping.deviations.append(Deviation(kind, table, key, printed, expected, found.kind, line))


# --- table 二 --------------------------------------------------------------------------------


def _map_t2(blocks: list[RawTable], block_templates: list[str], fallback: str, mapping: Mapping) -> Table:
    spec = _template_spec(fallback, "t2")
    table = Table("t2", spec.label, template=fallback)
    caption_lines: dict[str, int] = {}
    for raw, voted in zip(blocks, block_templates):
        table.present = True
        table.line = table.line or raw.line
        caption_lines.setdefault(_caption_numeral(raw.caption), raw.line)
        block_spec = _template_spec(voted or fallback, "t2")
        numeral = _caption_numeral(raw.caption)
        block = next((b for b in block_spec.blocks if _caption_numeral(b.caption) == numeral), None)
        _t2_header(raw, block_spec, block, table, mapping)
        for printed in raw.rows:
            _t2_row(printed, block_spec, block, table, mapping)
    for item in spec.all_rows():
        if item.key not in table.rows:
            row = _missing_row("t2", item, spec.columns_of(item.key))
            block = spec.block_of(item.key)
            row.line = caption_lines.get(_caption_numeral(block.caption), table.line) if block else table.line
            table.rows[item.key] = row
    return table


def _t2_header(raw: RawTable, spec: TableSpec, block, table: Table, mapping: Mapping) -> None:
    if not block:
        return
    for head in _joined_heads(raw.heads, block.columns, spec.header_words):
        found = match_label(head.text, block.columns)
        if found:
            _record(mapping, "column", "t2", found.key, head.text, found, head.line)
    table.missing_columns += _absent_columns(raw.heads, block.columns, f"{block.caption}·")


def _t2_row(printed: RawRow, spec: TableSpec, block, table: Table, mapping: Mapping) -> None:
    if not printed.label:
        return
    candidates = block.rows if block else spec.all_rows()
    found = match_label(printed.label, candidates) or match_label(printed.label, spec.all_rows())
    if not found or found.key in table.rows:
        return
    _record(mapping, "row", "t2", found.key, printed.label, found, printed.line)
    columns = spec.columns_of(found.key)
    row = Row("t2", found.key, printed.label, found.expected, found.kind, printed.line)
    _fill_row(row, columns, printed.values)
    table.rows[found.key] = row


def _joined_heads(heads: list[Head], columns: tuple[Item, ...], header_words: tuple[str, ...]) -> list[Head]:
    """Header cells with the pieces of broken labels joined ("本年新" + "制作数量")."""
    labels = [c.label for c in columns] + [a for c in columns for a in c.aliases]
    out: list[Head] = []
    i = 0
    while i < len(heads):
        head = heads[i]
        if any(word in head.text for word in header_words) or match_label(head.text, columns, fuzzy=False):
            out.append(head)
            i += 1
            continue
        text, j, best = head.text, i, None
        while j + 1 < len(heads) and len(text) < 40:
            j += 1
            text += heads[j].text
            if match_label(text, columns, fuzzy=False):
                best = (text, j)
                break
            if not any(label.startswith(text) for label in labels):
                break
        if best:
            out.append(Head(best[0], head.line))
            i = best[1] + 1
        else:
            out.append(head)
            i += 1
    return out


# --- table 三 --------------------------------------------------------------------------------


def _map_t3(raw: RawTable | None, fallback: str, mapping: Mapping) -> Table:
    spec = _template_spec(fallback, "t3")
    table = Table("t3", spec.label, template=fallback)
    union = _union_rows("t3")
    if raw:
        table.present, table.line = True, raw.line
        _t3_header(raw, spec, table, mapping)
        _t3_rows(raw, spec, union, table, mapping)
    for item in spec.rows:
        if item.key not in table.rows and not item.heading:
            table.rows[item.key] = _missing_row("t3", item, spec.columns)
    _derive_groups(table, spec)
    _note_other_form(table, fallback, mapping)
    return table


def _t3_header(raw: RawTable, spec: TableSpec, table: Table, mapping: Mapping) -> None:
    first_row = next((i for i, p in enumerate(raw.parts) if isinstance(p, RawRow) and p.label), len(raw.parts))
    heads = [p for p in raw.parts[:first_row] if isinstance(p, Head)]
    table.header = [h.text for h in heads]
    for head in _joined_heads(heads, spec.columns, spec.header_words):
        found = match_label(head.text, spec.columns)
        if found:
            _record(mapping, "column", "t3", found.key, head.text, found, head.line)
    table.missing_columns += _absent_columns(heads, spec.columns)


def _absent_columns(heads: list[Head], columns: tuple[Item, ...], prefix: str = "") -> list[str]:
    """Columns whose label (or an alias) a printed header does not contain even with its
    characters spread apart (PDF text breaks headers one character per line: 自/然/人)."""
    if not heads:
        return []
    text = comparable("".join(h.text for h in heads))
    return [
        prefix + column.label
        for column in columns
        if not any(_spread_in(comparable(label), text) for label in (column.label,) + column.aliases)
    ]


def _spread_in(label: str, text: str) -> bool:
    """Whether the label's characters occur in the text in order (not necessarily adjacent)."""
    remaining = iter(text)
    return all(char in remaining for char in label)


def _t3_rows(raw: RawTable, spec: TableSpec, union: tuple[Item, ...], table: Table, mapping: Mapping) -> None:
    children = {child: item.key for item in union for child in item.sum_of}
    group = ""
    pending: list[Head] = []  # text cells since the last row: group labels or broken labels
    started = False
    tails = _label_tails(raw.parts, union)
    for index, part in enumerate(raw.parts):
        if index in tails.values():
            continue  # the end of the label above, wrapped after its values
        if isinstance(part, Head):
            found = _exact(part.text, union)
            if found and started or (found and _is_row_label(part.text)):
                started = True
                group = found.key if _item(union, found.key).sum_of else group
                _record(mapping, "row", "t3", found.key, part.text, found, part.line)
                pending = []
            else:
                pending.append(part)
            continue
        if not part.label:
            continue
        started = True
        if index in tails:
            found, label = _exact(part.label + raw.parts[tails[index]].text, union), part.label + raw.parts[tails[index]].text
        else:
            found, label = _t3_label(part.label, pending, union, children, group)
        pending = []
        if not found:
            continue
        item = _item(union, found.key)
        if item.sum_of:
            group = item.key
        elif found.key in children:
            group = children[found.key]
        if found.key in table.rows:
            continue
        _record(mapping, "row", "t3", found.key, label, found, part.line)
        row = Row("t3", found.key, label, found.expected, found.kind, part.line)
        _fill_row(row, spec.columns, part.values, _T3_TOTALS)
        table.rows[found.key] = row


def _label_tails(parts: list, union: tuple[Item, ...]) -> dict[int, int]:
    """Rows whose label was wrapped after its values (PDF text: "(二)部分公开(区分处理的,只计这
    3 1 0 …" then "一情形,不计其他情形)"): row index -> index of the text cell ending it."""
    tails = {}
    for index, part in enumerate(parts[:-1]):
        tail = parts[index + 1]
        if not (isinstance(part, RawRow) and part.label and isinstance(tail, Head)):
            continue
        if _exact(part.label, union) or _exact(tail.text, union) or _is_row_label(tail.text):
            continue
        if _exact(part.label + tail.text, union):
            tails[index] = index + 1
    return tails


def _is_row_label(text: str) -> bool:
    numbering, _ = strip_numbering(text)
    return bool(numbering)


def _item(items: tuple[Item, ...], key: str) -> Item:
    return next(i for i in items if i.key == key)


def _t3_label(label: str, pending: list[Head], union, children: dict, group: str):
    """Match a row label, joining a label broken over lines and preferring the current group."""
    found = _exact(label, union)
    if found and (found.key not in children or children[found.key] == group or not group or not _ambiguous(label, union)):
        return found, label
    for start in range(len(pending)):
        joined = "".join(h.text for h in pending[start:]) + label
        candidate = _exact(joined, union)
        if candidate:
            return candidate, joined
    for inner in _INNER_NUMBERING.finditer(label, 1):
        # a group label printed in the same cell: "(三)不予公开 1.属于国家秘密"
        prefix, rest = label[: inner.start()], label[inner.start():]
        parent = _exact(prefix, union)
        if parent and _exact(rest, union):
            return _exact(rest, union), rest
        if parent and _item(union, parent.key).sum_of:
            # the sub-row label printed with a variant: match it among the group's rows
            in_group = match_label(rest, tuple(i for i in union if children.get(i.key) == parent.key))
            if in_group:
                return in_group, rest
    siblings = tuple(i for i in union if children.get(i.key) == group) if group else ()
    numbering, _ = strip_numbering(label)
    if siblings and numbering[:1].isdigit():
        in_group = match_label(label, siblings)
        if in_group:
            return in_group, label
    return found or match_label(label, union), label


def _ambiguous(label: str, union) -> bool:
    _, text = strip_numbering(label)
    return sum(1 for item in union if item.label == text) > 1


def _derive_groups(table: Table, spec: TableSpec) -> None:
    """A subtotal row the report does not print is the sum of its sub-rows (marked derived)."""
    for item in spec.rows:
        if not item.sum_of:
            continue
        row = table.rows.get(item.key)
        if row is not None and row.has_values:
            continue
        derived = Row("t3", item.key, row.label if row else "", item.label, "derived", row.line if row else 0)
        derived.expected_cells = len(spec.columns)
        for column in spec.columns:
            parts = [table.rows[k].cells[column.key] for k in item.sum_of if k in table.rows]
            known = len(parts) == len(item.sum_of) and all(p.known for p in parts)
            value = sum((p.number for p in parts if p.known), 0)
            status = DERIVED if known else (UNKNOWN if any(p.status != MISSING for p in parts) else MISSING)
            derived.cells[column.key] = Cell("t3", item.key, column.key, value, "", derived.line, status)
        table.rows[item.key] = derived


def _note_other_form(table: Table, template_id: str, mapping: Mapping) -> None:
    """(六)其他处理 printed in the other template's form is a conflict for TMPL to report."""
    printed_single = table.rows.get("other") is not None and table.rows["other"].match not in ("derived", "missing")
    detail = any(table.rows.get(k) is not None and table.rows[k].present for k in ("other_1", "other_2", "other_3"))
    if template_id == "2021" and printed_single and not detail:
        row = table.rows["other"]
        mapping.conflicts.append({"table": "t3", "element": "(六)其他处理", "form": "2019", "line": row.line})
    if template_id == "2019" and detail:
        line = next(table.rows[k].line for k in ("other_1", "other_2", "other_3") if table.rows.get(k))
        mapping.conflicts.append({"table": "t3", "element": "(六)其他处理1-3", "form": "2021", "line": line})


# --- table 四 --------------------------------------------------------------------------------


def _map_t4(raw: RawTable | None, fallback: str, mapping: Mapping) -> Table:
    spec = _template_spec(fallback, "t4")
    table = Table("t4", spec.label, template=fallback)
    rows = {item.key: Row("t4", item.key, "", item.label, "missing") for item in spec.rows}
    if raw:
        table.present, table.line = True, raw.line
        table.header = [h.text for h in raw.heads]
        values_row = next((r for r in raw.rows if r.values), None)
        _t4_header(raw, values_row, spec, mapping)
        _t4_values(raw, spec, rows, mapping)
    for item in spec.rows:
        row = rows[item.key]
        if not row.cells:
            row.expected_cells = len(spec.columns)
            row.cells = {c.key: Cell("t4", item.key, c.key) for c in spec.columns}
        table.rows[item.key] = row
    return table


def _t4_expected_header(spec: TableSpec) -> list:
    """The official table 四 header, cell by cell, as the template prints it:
    行政复议 | 行政诉讼 | 5 columns | 未经复议直接起诉 | 复议后起诉 | 5 columns | 5 columns.
    Entries are items (rows or columns) or None for the 行政诉讼 super-header."""
    review, direct, after = spec.rows
    columns = list(spec.columns)
    return [review, None] + columns + [direct, after] + columns + columns


def _t4_header(raw: RawTable, values_row: RawRow | None, spec: TableSpec, mapping: Mapping) -> None:
    heads = list(raw.heads)
    if values_row is not None and values_row.label:
        heads.append(Head(values_row.label, values_row.line))  # the last header cell, lexed as a label
    expected = _t4_expected_header(spec)
    labels = spec.columns + spec.rows
    if len(heads) == len(expected):
        # Cell-for-cell: a truncated "结果" under 结果纠正 is a deviation from 结果纠正.
        # (A header cell that is exactly some label is fine wherever it sits: layouts
        # order the header rows differently.)
        for head, item in zip(heads, expected):
            if item is None or any(_same_or_annotated(head.text, other.label) for other in labels):
                continue
            # a listed alias ("结果维护", "合计") names its own label wherever it sits (layouts
            # order the header rows differently); otherwise the cell deviates from its position's
            found = match_label(head.text, labels, fuzzy=False) or match_label(head.text, (item,)) \
                or LabelMatch(item.key, "fuzzy", item.label, 0.0, item.number)
            kind = "column" if any(c.key == found.key for c in spec.columns) else "row"
            _record(mapping, kind, "t4", found.key, head.text, found, head.line)
        return
    for head in heads:
        found = match_label(head.text, labels)
        if found and found.kind != "exact" and not any(w in head.text for w in spec.header_words):
            kind = "column" if any(c.key == found.key for c in spec.columns) else "row"
            _record(mapping, kind, "t4", found.key, head.text, found, head.line)


def _same_or_annotated(printed: str, label: str) -> bool:
    """The label itself, or the label followed by a note in brackets: 行政复议(因政府信息公开被行政复议)."""
    text, expected = comparable(printed), comparable(label)
    return text == expected or (text.startswith(expected) and "(" in printed)


def _t4_values(raw: RawTable, spec: TableSpec, rows: dict[str, Row], mapping: Mapping) -> None:
    labelled = {}
    for printed in raw.rows:
        found = match_label(printed.label, spec.rows, fuzzy=False) if printed.label else None
        if found and len(printed.values) <= len(spec.columns) + 1:
            labelled[found.key] = printed
    if len(labelled) == len(spec.rows):  # one printed row per group (transposed layouts)
        for key, printed in labelled.items():
            row = rows[key]
            row.label, row.match, row.line = printed.label, "exact", printed.line
            _fill_row(row, spec.columns, printed.values, ((0, 1, 2, 3, 4),))
        return
    values_row = next((r for r in raw.rows if r.values), None)
    if values_row is None:
        return
    width = len(spec.columns)
    line = values_row.values[0].line  # the values, not a header cell lexed as their label
    flat = RawRow("", line, values_row.values)
    whole = Row("t4", "all", "", "", "position", line)
    flat_columns = tuple(
        Item(f"{r.key}.{c.key}", c.label) for r in spec.rows for c in spec.columns
    )
    _fill_row(whole, flat_columns, flat.values, _T4_TOTALS)
    complete = whole.printed == len(flat_columns) or bool(whole.split)
    for index, item in enumerate(spec.rows):
        row = rows[item.key]
        row.match, row.line, row.label = "position", line, item.label
        row.split, row.expected_cells = whole.split, width
        row.printed = width if complete else 0
        if not complete and index == 0:
            # The 15 values are one printed row: report its length once, on the first group.
            row.printed, row.expected_cells = whole.printed, len(flat_columns)
        for column in spec.columns:
            source = whole.cells[f"{item.key}.{column.key}"]
            row.cells[column.key] = Cell("t4", item.key, column.key, source.value, source.raw, source.line, source.status)
        # blank cells of the group (where positions are lost, all of them on the first group)
        row.blanks = sum(1 for c in row.cells.values() if c.status == BLANK) if complete else (whole.blanks if index == 0 else 0)


# --- 信息处理费 table ------------------------------------------------------------------------


def _map_fee(raw: RawTable, mapping: Mapping) -> None:
    columns = next((t.fee_columns for t in all_templates() if t.fee_columns), ())
    heads = list(raw.heads)
    values_row = next((r for r in raw.rows if r.values), None)
    if values_row is not None and values_row.label and match_label(values_row.label, columns, fuzzy=False):
        # one cell per line: the last header cell, right above the values, reads as their label
        heads.append(Head(values_row.label, values_row.line))
    found = [(i, match_label(h.text, columns, fuzzy=False)) for i, h in enumerate(heads)]
    positions = {m.key: i for i, m in found if m}
    if not positions or values_row is None:
        return
    values = values_row.values
    mapping.fee_line = values_row.line
    if len(values) == len(heads):
        by_key = {key: values[i] for key, i in positions.items()}
    elif len(values) == len(positions):
        by_key = dict(zip(sorted(positions, key=positions.get), values))
    else:
        by_key = {}
    for column in columns:
        cell = Cell("fee", "fee", column.key, line=values_row.line, status=UNKNOWN)
        value = by_key.get(column.key)
        if value is not None:
            if value.kind in ("blank", "dash"):
                cell.value, cell.raw, cell.status = 0, value.text, BLANK
            else:
                _set(cell, value.text, value.line)
        mapping.fee_cells[column.key] = cell

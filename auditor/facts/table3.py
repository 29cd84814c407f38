"""Table 三 (收到和处理政府信息公开申请情况): header, rows, subtotals.

Rows are found by their labels (facts.fragments: a label printed whole before its values,
or in pieces around them in PDF text); values are placed under the seven applicant columns
by position. Where labels printed apart from their values could belong to more than one
row, the table's own arithmetic picks the placement when exactly one satisfies it.
"""

import re

from ..chars import ROW_NUMBERING
from ..model import DERIVED, MISSING, UNKNOWN, Cell, Row, Table
from ..templates import Item, TableSpec, match_label, strip_numbering
from .cells import (
    Mapping, exact, fill_row, item_of, missing_row, padding, parse_value, record, specs, template_spec, union_rows, unplaced_row,
)
from .fragments import Placed, mark_unread, place
from .headers import absent_columns, header_vocabulary, joined_heads, record_header
from .transformer import Head, RawRow, RawTable

_INNER_NUMBERING = re.compile(r"\d{1,2}\s*[.、](?!\d)|\([一二三四五六七八九十]{1,2}\)")
_T3_TOTALS = ((0, 1, 2, 3, 4, 5, 6),)


def place_t3(raw: RawTable | None) -> list[Placed]:
    """The printed rows of table 三 with their template rows (before the template is known)."""
    if raw is None:
        return []
    union = union_rows("t3")
    body = raw.parts[_header_end(raw.parts, union):]
    return place(body, union, _anchor_matcher(union), _arithmetic(union))


def map_t3(raw: RawTable | None, placed: list[Placed], fallback: str, mapping: Mapping) -> Table:
    spec = template_spec(fallback, "t3")
    table = Table("t3", spec.label, template=fallback)
    if raw:
        table.present, table.line = True, raw.line
        _header(raw, spec, table, mapping)
        for item in placed:
            if item.key and item.key not in table.rows:
                record(mapping, "row", "t3", item.key, item.label, item.found, item.line)
                row = Row("t3", item.key, item.label, item.found.expected, item.found.kind, item.line)
                fill_row(row, spec.columns, item.row.values, _T3_TOTALS)
                table.rows[item.key] = row
        for item in placed:  # rows whose values could be another row's: present, unknown
            for key in item.ambiguous:
                if key not in table.rows:
                    table.rows[key] = unplaced_row("t3", item_of(union_rows("t3"), key), spec.columns, item.line)
    for item in spec.rows:
        if item.key not in table.rows and not item.heading:
            table.rows[item.key] = missing_row("t3", item, spec.columns)
    _derive_groups(table, spec)
    _note_other_form(table, fallback, mapping)
    return table


def _header_end(parts: list, union: tuple[Item, ...]) -> int:
    """Index of the first part that is no header cell: a row of values, or a text cell with
    row numbering (一、 (一) 1.) or naming a row that is no column ("其他", "总计" are both)."""
    column_items = tuple(c for spec in specs("t3") for c in spec.columns)
    for index, part in enumerate(parts):
        if padding(part):
            continue
        if isinstance(part, RawRow):
            return index
        if ROW_NUMBERING.match(part.text):
            return index
        found = exact(part.text, union)
        if found and not exact(part.text, column_items):
            return index
    return len(parts)


def _header(raw: RawTable, spec: TableSpec, table: Table, mapping: Mapping) -> None:
    end = _header_end(raw.parts, union_rows("t3"))
    heads = [p for p in raw.parts[:end] if isinstance(p, Head)]
    table.header = [h.text for h in heads]
    joined, cut = joined_heads(heads, spec.columns, spec.header_words, runs_out=end == len(raw.parts))
    vocabulary = header_vocabulary(spec.columns, spec.header_words)
    for index, head in enumerate(joined):
        found = match_label(head.text, spec.columns)
        if found and index not in cut:
            record_header(mapping, "column", "t3", found, head, joined, vocabulary)
    table.missing_columns += absent_columns(heads, spec.columns)


# --- labels ------------------------------------------------------------------------------


def _anchor_matcher(union: tuple[Item, ...]):
    """A row's own label naming a row: exactly, through an alias, with a group label printed
    in the same cell ("(三)不予公开 1.属于国家秘密"), or with the pieces printed just before
    it ("(二)部分公开(区分处理的,只计这" + "一情形,不计其他情形)")."""
    children = {child: item.key for item in union for child in item.sum_of}

    def anchor(label: str, before: list[str]):
        found = exact(label, union)
        if found:
            return found, label
        for inner in _INNER_NUMBERING.finditer(label, 1):
            prefix, rest = label[: inner.start()], label[inner.start():]
            parent = exact(prefix, union)
            if parent and exact(rest, union):
                return exact(rest, union), rest
            if parent and item_of(union, parent.key).sum_of:
                # the sub-row label printed with a variant: match it among the group's rows
                in_group = match_label(rest, tuple(i for i in union if children.get(i.key) == parent.key))
                if in_group:
                    return in_group, rest
        return None, label

    return anchor


def fuzzy_rows(raw: RawTable | None, placed: list[Placed]) -> list[Placed]:
    """Rows no exact label placed, matched fuzzily by their own label (typos, truncations:
    "2.其他法律行政止公开"), preferring the group the rows around them belong to. A label
    cell that is a piece of another row's label is not matched."""
    if raw is None:
        return placed
    union = union_rows("t3")
    children = {child: item.key for item in union for child in item.sum_of}
    taken = {p.key for p in placed if p.key} | {k for p in placed for k in p.ambiguous}
    by_row = {id(p.row): p for p in placed}
    group = ""
    for part in raw.parts[_header_end(raw.parts, union):]:
        if isinstance(part, Head):
            found = exact(part.text, union)
            if found and item_of(union, found.key).sum_of:
                group = found.key
            continue
        item = by_row.get(id(part))
        if item is None:
            continue
        if item.key:
            group = item.key if item_of(union, item.key).sum_of else children.get(item.key, group)
            continue
        if item.ambiguous:
            continue
        siblings = tuple(i for i in union if children.get(i.key) == group) if group else ()
        found, label = None, ""
        own = [part.label] if part.label and not item.label_taken else []
        between = _between(placed, item, union)
        for options in (own, _spans(item.context, item.context_own)):
            # the row's own label first; else the best run of the pieces around it (a label
            # in pieces with a typo, of a row between the rows placed around it: an exact
            # label among them was refused by the placement)
            matches = [(m, text) for text in options
                       if (m := _fuzzy(text, siblings, union)) and m.key not in taken
                       and (options is own or (m.kind == "fuzzy" and m.key in between))]
            if matches:
                found, label = max(matches, key=lambda pair: (pair[0].score, -len(pair[1])))
                break
        if found:
            taken.add(found.key)
            item.key, item.label, item.found, item.line = found.key, label, found, part.line
            if item_of(union, found.key).sum_of:
                group = found.key
            elif found.key in children:
                group = children[found.key]
    mark_unread(placed, union)
    return placed


def _between(placed: list[Placed], item: Placed, union: tuple[Item, ...]) -> set[str]:
    """Keys of the leaf rows between (in template order) the rows placed around `item`."""
    order = [i.key for i in union]
    index = next(i for i, p in enumerate(placed) if p is item)
    low = next((order.index(p.key) for p in reversed(placed[:index]) if p.key), -1)
    high = next((order.index(p.key) for p in placed[index + 1:] if p.key), len(order))
    return {i.key for i in union[low + 1:high] if not i.sum_of and not i.heading} if low < high else set()


def _fuzzy(label: str, siblings: tuple[Item, ...], union: tuple[Item, ...]):
    numbering, _ = strip_numbering(label)
    found = match_label(label, siblings) if siblings and numbering[:1].isdigit() else None
    found = found or match_label(label, union)
    return None if found is None or item_of(union, found.key).heading else found


def _spans(pieces: tuple[str, ...], own: int) -> list[str]:
    """Runs of consecutive pieces (a label printed in pieces, with a typo), holding the
    row's own label cell where it has one."""
    return ["".join(pieces[i:j]) for i in range(len(pieces)) for j in range(i + 1, len(pieces) + 1)
            if own < 0 or i <= own < j]


# --- arithmetic --------------------------------------------------------------------------


def _arithmetic(union: tuple[Item, ...]):
    """check(placements, keys): whether table 三's relations that involve `keys` hold for
    rows placed this way (None when none of them can be evaluated)."""
    groups = {item.key: item.sum_of for item in union if item.sum_of}
    parent = {child: key for key, parts in groups.items() for child in parts}
    results = ("granted", "partial", "denied", "unable", "rejected", "other")
    balance = ("received", "carried_in", "results_total", "carried_out")

    def values(row: RawRow):
        if len(row.values) != 7 or any(v.kind not in ("number", "blank", "dash") for v in row.values):
            return None
        numbers = [0 if v.kind != "number" else parse_value(v.text) for v in row.values]
        return None if any(n is None for n in numbers) else numbers

    def check(placements: dict[str, RawRow], keys) -> bool | None:
        table = {k: v for k, row in placements.items() if (v := values(row)) is not None}

        def result(key):
            if key in table:
                return table[key]
            parts = groups.get(key, ())
            if parts and all(p in table for p in parts):
                return [sum(table[p][c] for p in parts) for c in range(7)]
            return None

        verdicts = []
        for key in keys:
            if key in table:
                verdicts.append(sum(table[key][:6]) == table[key][6])
            for group in {key, parent.get(key)} & set(groups):
                if group in table and all(p in table for p in groups[group]):
                    verdicts.append(all(table[group][c] == sum(table[p][c] for p in groups[group]) for c in range(7)))
        if any(k in results or k in parent or k == "results_total" for k in keys):
            summed = [result(k) for k in results]
            if "results_total" in table and all(s is not None for s in summed):
                verdicts.append(all(table["results_total"][c] == sum(s[c] for s in summed) for c in range(7)))
        if any(k in balance for k in keys) and all(k in table for k in balance):
            verdicts.append(all(
                table["received"][c] + table["carried_in"][c] == table["results_total"][c] + table["carried_out"][c]
                for c in range(7)
            ))
        return all(verdicts) if verdicts else None

    return check


# --- subtotals and the (六) form ---------------------------------------------------------


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

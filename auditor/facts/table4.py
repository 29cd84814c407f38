"""Table 四 (行政复议、行政诉讼): three groups of five columns.

Real reports print it as one row of fifteen values under a two-level header, as one row
per group (transposed), as three small tables (one per group, each with its five columns
and five values), or as 行政复议 and 行政诉讼 tables (five and ten values). All are read the
same way: the values are cut into segments at the texts that name groups, and a segment
is given to the groups named since the previous one (in template order) when it holds
five values per group. A segment after no group name is the whole table only when it is
the table's only segment (a header lost or replaced by column numbers). Anything else
leaves those groups' cells unknown.
"""

import re
from dataclasses import dataclass, field
from functools import cache

from ..model import BLANK, Cell, Row, Table
from ..templates import Item, LabelMatch, TableSpec, comparable, match_label
from .cells import Mapping, fill_row, template_spec
from .headers import header_vocabulary, record_header
from .transformer import Head, RawTable, Value


@dataclass
class _Segment:
    groups: list[str]  # row keys named since the previous segment
    values: list[Value] = field(default_factory=list)
    line: int = 0
    label: str = ""  # a row label naming the groups itself (transposed layout)


def map_t4(raw: RawTable | None, fallback: str, mapping: Mapping) -> Table:
    spec = template_spec(fallback, "t4")
    table = Table("t4", spec.label, template=fallback)
    rows = {item.key: Row("t4", item.key, "", item.label, "missing") for item in spec.rows}
    if raw:
        table.present, table.line = True, raw.line
        table.header = [h.text for h in raw.heads]
        segments = _segments(raw, spec)
        _header(raw, spec, mapping, one_row=len(segments) == 1)
        _values(segments, spec, rows)
    for item in spec.rows:
        row = rows[item.key]
        if not row.cells:
            row.expected_cells = len(spec.columns)
            row.cells = {c.key: Cell("t4", item.key, c.key) for c in spec.columns}
        table.rows[item.key] = row
    return table


# --- header ------------------------------------------------------------------------------


def _expected_header(spec: TableSpec) -> list:
    """The official table 四 header, cell by cell, as the template prints it:
    行政复议 | 行政诉讼 | 5 columns | 未经复议直接起诉 | 复议后起诉 | 5 columns | 5 columns.
    Entries are items (rows or columns) or None for the 行政诉讼 super-header."""
    review, direct, after = spec.rows
    columns = list(spec.columns)
    return [review, None] + columns + [direct, after] + columns + columns


def _header(raw: RawTable, spec: TableSpec, mapping: Mapping, one_row: bool) -> None:
    heads = [p if isinstance(p, Head) else Head(p.label, p.line) for p in raw.parts if isinstance(p, Head) or p.label]
    # (the last header cell right above the values is lexed as their label)
    expected = _expected_header(spec)
    labels = spec.columns + spec.rows
    vocabulary = header_vocabulary(spec.columns, spec.header_words, spec.rows)
    if one_row and len(heads) == len(expected):
        # Cell-for-cell (the official layout: one header over one row of values): a truncated "结果" under 结果纠正 is a deviation from 结果纠正.
        # (A header cell that is exactly some label is fine wherever it sits: layouts
        # order the header rows differently.)
        for head, item in zip(heads, expected):
            if item is None or any(_same_or_annotated(head.text, other.label) for other in labels):
                continue
            # a listed alias ("结果维护", "合计") names its own label wherever it sits (layouts
            # order the header rows differently); otherwise the cell deviates from its position's
            found = match_label(head.text, labels, fuzzy=False) or match_label(head.text, (item,)) \
                or LabelMatch(item.key, "fuzzy", item.label, 0.0, item.number)
            _record(mapping, spec, found, head, heads, vocabulary)
        return
    for head in heads:
        found = match_label(head.text, labels)
        if found and found.kind != "exact" and not any(w in head.text for w in spec.header_words):
            _record(mapping, spec, found, head, heads, vocabulary)


def _record(mapping: Mapping, spec: TableSpec, found: LabelMatch, head: Head, heads, vocabulary) -> None:
    kind = "column" if any(c.key == found.key for c in spec.columns) else "row"
    record_header(mapping, kind, "t4", found, head, heads, vocabulary)


def _same_or_annotated(printed: str, label: str) -> bool:
    """The label itself, or the label followed by a note in brackets: 行政复议(因政府信息公开被行政复议)."""
    text, expected = comparable(printed), comparable(label)
    return text == expected or (text.startswith(expected) and "(" in printed)


# --- values ------------------------------------------------------------------------------


def _segments(raw: RawTable, spec: TableSpec) -> list[_Segment]:
    """The table's values cut at the texts naming groups."""
    width = len(spec.columns)
    segments: list[_Segment] = []
    named: list[str] = []
    for part in raw.parts:
        text = part.text if isinstance(part, Head) else part.label
        found = _groups_in(text, spec) if text else []
        named += [key for key in dict.fromkeys(found) if key not in named]
        if isinstance(part, Head):
            continue
        values = part.values
        if all(v.kind == "blank" for v in values) and (not named or len(values) != width * len(named)):
            continue  # padding cells of a caption spanning the columns ("| 行政复议 | | | | |")
        if segments and not named:
            last = segments[-1]
            if len(last.values) < width * (len(last.groups) or len(spec.rows)):
                last.values.extend(values)  # more values of the same groups, a line below
            continue  # (after a complete segment: a stray value, e.g. a page number)
        order = [item.key for item in spec.rows]
        groups = sorted(named, key=order.index)
        # the row is where its label is printed (a label on a line of its own, values below it)
        line = part.line if found and part.line else values[0].line
        segments.append(_Segment(groups, list(values), line, part.label if found else ""))
        named = []
    return segments


def _groups_in(text: str, spec: TableSpec) -> list[str]:
    """Keys of the groups a text names (longest names first: 未经行政复议直接起诉 is no 行政复议)."""
    pattern, keys = _group_pattern(spec)
    return [keys[m.group(0)] for m in pattern.finditer(comparable(text))]


@cache
def _group_pattern(spec: TableSpec) -> tuple[re.Pattern, dict[str, str]]:
    keys = {comparable(text): item.key for item in spec.rows for text in (item.label,) + item.aliases}
    names = sorted(keys, key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in names)), keys


def _values(segments: list[_Segment], spec: TableSpec, rows: dict[str, Row]) -> None:
    width = len(spec.columns)
    if len(segments) == 1 and not segments[0].groups:
        segments[0].groups = [item.key for item in spec.rows]  # header lost: the whole table
    items = {item.key: item for item in spec.rows}
    for segment in segments:
        groups = [key for key in segment.groups if not rows[key].cells]
        if not groups or groups != segment.groups:
            continue  # no group named, or a group named twice: its values are not placed
        columns = tuple(Item(f"{key}.{c.key}", c.label) for key in groups for c in spec.columns)
        totals = tuple(tuple(range(i * width, (i + 1) * width)) for i in range(len(groups)))
        whole = Row("t4", "+".join(groups), "", "", "position", segment.line)
        fill_row(whole, columns, segment.values, totals)
        complete = whole.printed == len(columns) or bool(whole.split)
        for index, key in enumerate(groups):
            row = rows[key]
            named_by_label = len(groups) == 1 and segment.label
            row.match = "exact" if named_by_label else "position"
            row.label = segment.label if named_by_label else items[key].label
            row.line, row.split, row.expected_cells = segment.line, whole.split, width
            row.printed = width if complete else 0
            if not complete and index == 0:
                # The segment's values are one printed row: report its length once, on its first group.
                row.printed, row.expected_cells = whole.printed, len(columns)
            for column in spec.columns:
                source = whole.cells[f"{key}.{column.key}"]
                row.cells[column.key] = Cell("t4", key, column.key, source.value, source.raw, source.line, source.status)
            blanks = sum(1 for c in row.cells.values() if c.status == BLANK)
            row.blanks = blanks if complete else (whole.blanks if index == 0 else 0)

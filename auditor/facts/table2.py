"""Table 二 (主动公开政府信息情况): one block per 第二十条 caption, each with its own columns.

A block follows the template its header names (a report may mix them: that is reported,
not corrected). Rows are found by their labels, also when PDF text prints a label in
pieces around its values ("行政规范性" / values / "文件"); values are placed by position.
"""

from ..model import Row, Table
from ..templates import TableSpec, match_label
from .cells import Mapping, exact, fill_row, missing_row, padding, record, template_spec
from .fragments import place
from .headers import absent_columns, header_vocabulary, joined_heads, record_header
from .transformer import Head, RawRow, RawTable
from .votes import caption_numeral


def map_t2(blocks: list[RawTable], block_templates: list[str], fallback: str, mapping: Mapping) -> Table:
    spec = template_spec(fallback, "t2")
    table = Table("t2", spec.label, template=fallback)
    caption_lines: dict[str, int] = {}
    for raw, voted in zip(blocks, block_templates):
        table.present = True
        table.line = table.line or raw.line
        numeral = caption_numeral(raw.caption)
        caption_lines.setdefault(numeral, raw.line)
        block_spec = template_spec(voted or fallback, "t2")
        block = next((b for b in block_spec.blocks if caption_numeral(b.caption) == numeral), None)
        end = _header_end(raw, block_spec)
        _header(raw.parts[:end], end == len(raw.parts), block_spec, block, table, mapping)
        _rows(raw.parts[end:], block_spec, block, table, mapping)
    for item in spec.all_rows():
        if item.key not in table.rows:
            row = missing_row("t2", item, spec.columns_of(item.key))
            block = spec.block_of(item.key)
            row.line = caption_lines.get(caption_numeral(block.caption), table.line) if block else table.line
            table.rows[item.key] = row
    return table


def _header_end(raw: RawTable, spec: TableSpec) -> int:
    """Index of the first part that is a row: values, or a text cell naming a row."""
    rows = spec.all_rows()
    for index, part in enumerate(raw.parts):
        if padding(part):
            continue
        if isinstance(part, RawRow) or exact(part.text, rows):
            return index
    return len(raw.parts)


def _header(parts: list, runs_out: bool, spec: TableSpec, block, table: Table, mapping: Mapping) -> None:
    if not block:
        return
    heads = [p for p in parts if isinstance(p, Head)]
    joined, cut = joined_heads(heads, block.columns, spec.header_words, runs_out)
    vocabulary = header_vocabulary(block.columns, spec.header_words)
    for index, head in enumerate(joined):
        found = match_label(head.text, block.columns)
        if found and index not in cut:
            record_header(mapping, "column", "t2", found, head, joined, vocabulary)
    table.missing_columns += absent_columns(heads, block.columns, f"{block.caption}·")


def _rows(parts: list, spec: TableSpec, block, table: Table, mapping: Mapping) -> None:
    candidates = block.rows if block else spec.all_rows()

    def anchor(label: str, before: list[str]):
        found = exact(label, candidates) or exact(label, spec.all_rows())
        return found, label

    for item in place(parts, candidates, anchor):
        found, label = item.found, item.label
        if not item.key:
            if item.ambiguous or item.label_taken or not item.row.label:
                continue
            label = item.row.label
            found = match_label(label, candidates) or match_label(label, spec.all_rows())
        if not found or found.key in table.rows:
            continue
        record(mapping, "row", "t2", found.key, label, found, item.line)
        row = Row("t2", found.key, label, found.expected, found.kind, item.line)
        fill_row(row, spec.columns_of(found.key), item.row.values)
        table.rows[found.key] = row

"""Map the document's raw tables onto the template tables: canonical rows, columns, cells.

Which template table each raw table is (facts.kinds), which template the report follows
(facts.votes), then each table: 表二 blocks (facts.table2), 表三 (facts.table3), 表四
(facts.table4) and the 信息处理费 table (here). Rows are found by their printed labels
(exact, alias or fuzzy, each deviation recorded), also where PDF text prints a label in
pieces apart from its values (facts.fragments); values are placed by position under the
template's columns for that row, because printed headers are often broken, truncated or
misplaced. A row printing fewer values than its columns has lost its positions: its cells
are unknown.
"""

from ..model import BLANK, UNKNOWN, Cell
from ..templates import all_templates, match_label
from .cells import Mapping, set_cell
from .kinds import classify, merge
from .table2 import map_t2
from .table3 import fuzzy_rows, map_t3, place_t3
from .table4 import map_t4
from .transformer import Document, Head, RawTable
from .votes import decide_template, fallback_template, strong_evidence, vote_t2_block, vote_t3

__all__ = ["Mapping", "map_tables"]


def map_tables(document: Document, year: int | None) -> Mapping:
    mapping = Mapping(pdf_text=document.layout == "pdf-text")
    groups = classify(document)
    t2_blocks = groups.get("t2", [])
    block_templates = [vote_t2_block(table, mapping) for table in t2_blocks]
    t3 = merge(groups.get("t3", []))
    placed = fuzzy_rows(t3, place_t3(t3))
    vote_t3({p.key for p in placed if p.key}, mapping)
    mapping.template = decide_template(mapping, bool(t2_blocks), strong_evidence(t2_blocks))
    fallback = fallback_template(mapping.template, year)
    mapping.tables["t2"] = map_t2(t2_blocks, block_templates, fallback, mapping)
    mapping.tables["t3"] = map_t3(t3, placed, fallback, mapping)
    mapping.tables["t4"] = map_t4(merge(groups.get("t4", [])), fallback, mapping)
    for fee_table in groups.get("fee", []):
        _map_fee(fee_table, mapping)
    return mapping


def _map_fee(raw: RawTable, mapping: Mapping) -> None:
    """The 信息处理费 table some reports add: notices, amount notified, amount collected."""
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
                set_cell(cell, value.text, value.line)
        mapping.fee_cells[column.key] = cell

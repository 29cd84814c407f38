"""Tables as grids of cells, the shape a word processor gives them (spans included).

Every layout renders from the same grid: HTML keeps the spans; the line layouts print the
cells in reading order, with or without placeholders for spanned positions. A cell carries
anchors (what the oracle cites: a row's label, a value cell, a deviating label), and the
renderer records the line each anchor is printed on.
"""

from dataclasses import dataclass, field

from ..templates import template as template_spec
from .model import BLANK, DASH, PCell, PRow, PTable, Spec
from .tables import T3_COLUMNS

T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_WIDTH = 10  # three label columns and seven values
T2_WIDTH = 4


@dataclass
class GCell:
    text: str
    kind: str  # caption | head | label | group | value
    colspan: int = 1
    rowspan: int = 1
    anchors: tuple = ()
    blank: bool = False  # a value cell printed empty (the template wants a number)


@dataclass
class Grid:
    table: str
    width: int
    rows: list[list[GCell]] = field(default_factory=list)
    header_rows: int = 0  # leading rows that are header (caption, column labels)


def value_cell(cell: PCell, anchors: tuple) -> GCell:
    if cell.form == BLANK:
        return GCell("", "value", anchors=anchors, blank=True)
    if cell.form == DASH:
        return GCell(cell.text or "—", "value", anchors=anchors)
    return GCell(cell.text, "value", anchors=anchors)


def row_values(row: PRow) -> list[GCell]:
    out = []
    for index, cell in enumerate(row.cells):
        col = row.columns[index] if index < len(row.columns) else f"extra{index}"
        out.append(value_cell(cell, (("cell", row.table, row.key, col),)))
    return out


def grids_of(spec: Spec, key: str) -> list[Grid]:
    if key == "fee":
        return [fee_grid(spec)]
    table = spec.tables[key]
    if key == "t2":
        return [t2_block_grid(block) for block in table.blocks]
    if key == "t3":
        return [t3_grid(table)]
    if key == "t4":
        return [t4_grid(table)]
    return [fee_grid(spec)]


def t2_block_grid(block) -> Grid:
    grid = Grid("t2", T2_WIDTH)
    grid.rows.append([GCell(f"第二十条第（{block.numeral}）项", "caption", colspan=T2_WIDTH, anchors=(("caption", "t2", block.numeral),))])
    head = [GCell("信息内容", "head")]
    span = T2_WIDTH - len(block.columns)
    for index, (key, label, variant) in enumerate(block.columns):
        anchors = (("label", "t2", key, label),) if variant else ()
        head.append(GCell(label, "head", colspan=span if index == len(block.columns) - 1 else 1, anchors=anchors))
    grid.rows.append(head)
    grid.header_rows = 2
    for row in block.rows:
        anchors = (("row", "t2", row.key),) + ((("label", "t2", row.key, row.label),) if row.variant else ())
        cells = [GCell(row.label, "label", anchors=anchors)] + row_values(row)
        if cells and len(row.cells) == len(block.columns) and span > 1:
            cells[-1].colspan = span
        grid.rows.append(cells)
    return grid


def t3_grid(table: PTable) -> Grid:
    grid = Grid("t3", T3_WIDTH)
    labels = {key: (label, variant) for key, label, variant in table.columns}

    def head(key):
        label, variant = labels[key]
        return GCell(label, "head", rowspan=2 if key in ("natural", "total") else 1, anchors=(("label", "t3", key, label),) if variant else ())

    grid.rows.append([GCell(T3_NOTE, "head", colspan=3, rowspan=3), GCell("申请人情况", "head", colspan=7)])
    grid.rows.append([head("natural"), GCell("法人或其他组织", "head", colspan=5), head("total")])
    grid.rows.append([head(k) for k in T3_COLUMNS[1:6]])
    grid.header_rows = 3
    result_rows = [r for r in table.rows if r.key not in ("received", "carried_in", "carried_out")]
    first_result = True
    spans, covered = _group_spans(table)
    for row in table.rows:
        anchors = (("row", "t3", row.key),) + ((("label", "t3", row.key, row.label),) if row.variant else ())
        cells: list[GCell] = []
        if row in result_rows and first_result:
            cells.append(GCell("三、本年度办理结果", "group", rowspan=len(result_rows)))
            first_result = False
        if row.key in ("received", "carried_in", "carried_out"):
            cells.append(GCell(row.label, "label", colspan=3, anchors=anchors))
        elif row.key in spans:
            cells.append(GCell(row.group, "group", rowspan=spans[row.key]))
            cells.append(GCell(row.label, "label", anchors=anchors))
        elif row.key in covered:
            cells.append(GCell(row.label, "label", anchors=anchors))
        else:
            cells.append(GCell(row.label, "label", colspan=2, anchors=anchors))
        cells.extend(row_values(row))
        grid.rows.append(cells)
    return grid


def _group_spans(table: PTable) -> tuple[dict[str, int], set[str]]:
    """First row of each printed group label -> rows it spans; and every row it spans."""
    spec = template_spec(table.template).tables["t3"]
    parents = {part: item.key for item in spec.rows for part in item.sum_of}
    spans: dict[str, int] = {}
    covered: set[str] = set()
    current = parent = None
    for row in table.rows:
        if row.group:
            current, parent = row.key, parents.get(row.key)
            spans[current] = 1
            covered.add(row.key)
        elif current and parent and parents.get(row.key) == parent:
            spans[current] += 1
            covered.add(row.key)
        else:
            current = parent = None
    return spans, covered


def t4_grid(table: PTable) -> Grid:
    if table.transposed:
        return _t4_rows_grid(table)
    grid = Grid("t4", 15)
    labels = [(key, label, variant) for key, label, variant in table.columns]

    def heads(rowspan: int):
        return [GCell(label, "head", rowspan=rowspan, anchors=(("label", "t4", key, label),) if variant else ()) for key, label, variant in labels]

    grid.rows.append([GCell("行政复议", "head", colspan=5), GCell("行政诉讼", "head", colspan=10)])
    grid.rows.append(heads(2) + [GCell("未经复议直接起诉", "head", colspan=5), GCell("复议后起诉", "head", colspan=5)])
    grid.rows.append(heads(1) + heads(1))
    grid.header_rows = 3
    values = []
    for row in table.rows:
        values.extend(row_values(row))
    if values:  # the fifteen values are one printed row: each group's row is cited where it starts
        values[0].anchors = values[0].anchors + tuple(("row", "t4", row.key) for row in table.rows)
    grid.rows.append(values)
    return grid


def _t4_rows_grid(table: PTable) -> Grid:
    """Table 四 as three labelled rows (行政复议 / 未经复议直接起诉 / 复议后起诉) of five values."""
    grid = Grid("t4", 6)
    heads = [GCell(label, "head", anchors=(("label", "t4", key, label),) if variant else ()) for key, label, variant in table.columns]
    grid.rows.append([GCell("", "corner")] + heads)
    grid.header_rows = 1
    for row in table.rows:
        grid.rows.append([GCell(row.label, "label", anchors=(("row", "t4", row.key),))] + row_values(row))
    return grid


def fee_grid(spec: Spec) -> Grid:
    fee = spec.fee
    grid = Grid("fee", 3)
    grid.rows.append([GCell("通知收取件数", "head"), GCell("通知收取金额", "head"), GCell("实际收取金额", "head")])
    grid.header_rows = 1
    grid.rows.append([GCell(str(v), "value", anchors=(("cell", "fee", "fee", k),)) for k, v in
                      (("notices", fee.notices), ("notified", fee.notified), ("collected", fee.collected))])
    return grid

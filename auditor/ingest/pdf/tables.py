"""A PDF page's ruled tables as rows of cells, and rows cut by a page break put together.

pdfplumber's table finder turns the page's ruling lines into cells. A "table" is kept from
its first to its last row of two or more cells: rows above and below holding one cell across
the width are prose in a frame (WPS frames some pages so), and a "table" with no such row is
a frame around prose. A merged cell is printed once: across columns it is not repeated, down
rows it leaves an empty cell in each row below (the DOCX reader's shape, one table parser
serves both). Each printed cell keeps its left and right edge, so a table going on over a
page break is matched to the page before by position, not by column count.
"""

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from pdfplumber.table import TableFinder

from ...chars import ROW_NUMBERING
from .text import block_text

_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
_VALUE = re.compile(r"^[\s\d０-９.,，．+＋\-－%％]*$")  # a figure ("12", "+3", "96171.6"), or nothing
_SAME_EDGE = 2.0  # points apart at most: the same column edge on two pages


@dataclass
class Row:
    cells: list[str]
    edges: list[tuple[float, float] | None]  # each cell's left and right edge; None: covered from above


@dataclass
class Grid:
    """A table proper on a page: its rows and the box it takes (x0, top, x1, bottom)."""
    rows: list[Row]
    box: tuple[float, float, float, float]


def page_grids(page) -> list[Grid]:
    grids = []
    for table in TableFinder(page, _SETTINGS).tables:
        texts = _cell_texts(table, page.chars)
        span = _grid_span(table)
        if span is not None and any(_printed(row) >= 2 for row in texts[span[0]:span[1] + 1]):
            first, last = table.rows[span[0]].bbox, table.rows[span[1]].bbox
            grids.append(Grid(_rows(table, texts, span), (table.bbox[0], first[1], table.bbox[2], last[3])))
    return grids


def continuations(above: Row, below: Row) -> list[tuple[int, int]]:
    """Cells of the first row on a page that go on cells of the last row on the page before
    (index above, index below): the rest of a row cut by the page break —
    - a header row cut in two: all words, each piece below under a cell printed above
      ("信息 | 本年" above "内容 | 制发件数"; pieces under a wider cell above are sub-headers);
    - a data row whose label stayed above and whose values went on ("规章 | | |" above "| 0 | 0 | 0");
    - the rest of a tall label cell, alone on the new page ("（五）不" above, "予处理" here);
    - a group label cut between two data rows ("（四）无" above, "法提供" here: no numbering of
      its own, and a row label of its own to its right)."""
    values_above = any(text and _VALUE.match(text) for text in above.cells)
    values_below = any(text and _VALUE.match(text) for text in below.cells)
    printed = [(index, text) for index, text in enumerate(below.cells) if text]
    if not printed:
        return []
    if values_above and values_below:
        return _cut_group_labels(above, below)
    if any(ROW_NUMBERING.match(text) for _, text in printed):
        return []  # a numbered label starts a row of its own
    if values_above:  # only the rest of cut words below, each under a word above
        pairs = [(_same_cell(above, below.edges[index]), index) for index, text in printed]
        whole = all(match is not None and above.cells[match] and not _VALUE.match(above.cells[match]) for match, _ in pairs)
        return pairs if whole and not any(_VALUE.match(text) for _, text in printed) else []
    pairs = []
    for index, text in printed:
        match = _same_cell(above, below.edges[index])
        if values_below:  # only figures below, each under an empty cell above
            if not _VALUE.match(text) or match is None or above.cells[match]:
                return []
            pairs.append((match, index))
        elif match is not None and above.cells[match]:
            pairs.append((match, index))
        elif not _under_wider_cell(above, below.edges[index]):
            return []
    if not values_below and len(pairs) == 1 and pairs[0][0] == min(i for i, text in enumerate(above.cells) if text):
        return []  # a row label alone under the header's first cell: a row of its own, its figures blank
    return pairs


def _cut_group_labels(above: Row, below: Row) -> list[tuple[int, int]]:
    pairs = []
    for index, text in enumerate(below.cells):
        if not text or ROW_NUMBERING.match(text) or _VALUE.match(text):
            continue
        match = _same_cell(above, below.edges[index])
        if match is None or not above.cells[match] or _VALUE.match(above.cells[match]):
            continue
        if any(right and not _VALUE.match(right) for right in below.cells[index + 1:]):
            pairs.append((match, index))
    return pairs


def _same_cell(row: Row, edges: tuple[float, float] | None) -> int | None:
    if edges is None:
        return None
    for index, other in enumerate(row.edges):
        if other is not None and abs(other[0] - edges[0]) <= _SAME_EDGE and abs(other[1] - edges[1]) <= _SAME_EDGE:
            return index
    return None


def _under_wider_cell(row: Row, edges: tuple[float, float] | None) -> bool:
    if edges is None:
        return False
    return any(
        other is not None and other[0] - _SAME_EDGE <= edges[0] and edges[1] <= other[1] + _SAME_EDGE
        and other[1] - other[0] > edges[1] - edges[0] + _SAME_EDGE and text
        for other, text in zip(row.edges, row.cells)
    )


def _printed(row: list[str | None]) -> int:
    return sum(1 for cell in row if cell and cell.strip())


def _cell_texts(table, chars: list[dict]) -> list[list[str | None]]:
    """Each row's cells' texts (None where no cell starts), as pdfplumber's Table.extract:
    a character belongs to the cell holding its middle (found on the grid of cell edges)."""
    xs = sorted({edge for box in table.cells for edge in (box[0], box[2])})
    ys = sorted({edge for box in table.cells for edge in (box[1], box[3])})
    slots: dict[tuple[int, int], tuple] = {}
    for box in table.cells:
        for i in range(bisect_left(xs, box[0]), bisect_left(xs, box[2])):
            for j in range(bisect_left(ys, box[1]), bisect_left(ys, box[3])):
                slots[i, j] = box
    held: dict[tuple, list[dict]] = {}
    for char in chars:
        x, y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
        box = slots.get((bisect_right(xs, x) - 1, bisect_right(ys, y) - 1))
        if box is not None:
            held.setdefault(box, []).append(char)
    return [[None if box is None else block_text(held.get(box, [])) for box in row.cells] for row in table.rows]


def _grid_span(table) -> tuple[int, int] | None:
    """First and last row of two or more cells: the table proper."""
    multi = [index for index, row in enumerate(table.rows) if sum(1 for box in row.cells if box is not None) >= 2]
    return (multi[0], multi[-1]) if multi else None


def _rows(table, texts: list[list], span: tuple[int, int]) -> list[Row]:
    starts = sorted({cell[0] for cell in table.cells})  # pdfplumber's column grid
    rows = []
    for row, row_texts in list(zip(table.rows, texts))[span[0]:span[1] + 1]:
        cells: list[str] = []
        edges: list[tuple[float, float] | None] = []
        left = None  # the last cell printed in this row
        for index, box in enumerate(row.cells):
            if box is not None:
                left = box
                cells.append(row_texts[index] or "")
                edges.append((box[0], box[2]))
            elif left is not None and index < len(starts) and left[2] > starts[index] + 1:
                continue  # the cell to the left spans this column
            else:
                cells.append("")  # covered by a cell from a row above
                edges.append(None)
        rows.append(Row(cells, edges))
    return rows

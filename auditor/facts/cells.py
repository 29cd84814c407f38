"""Shared pieces of table mapping: the result (Mapping), template lookups, placing printed
values under a row's columns, and recording label deviations.

A row printing as many values as its columns has them placed by position; a row printing
fewer has lost its positions and its cells are unknown, never zeros. Digit runs are split
by facts.digits.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache

from ..model import BLANK, OK, UNKNOWN, Cell, Deviation, Row
from ..templates import Item, TableSpec, all_templates, match_label, numbered, strip_numbering
from .digits import split_run
from .transformer import Value


@dataclass
class Mapping:
    tables: dict = field(default_factory=dict)  # table key -> model.Table
    deviations: list[Deviation] = field(default_factory=list)
    votes: dict[str, int] = field(default_factory=dict)  # template id -> weight of its labels
    conflicts: list[dict] = field(default_factory=list)  # elements of the minority template
    fee_cells: dict[str, Cell] = field(default_factory=dict)
    fee_line: int = 0
    template: str = "unknown"
    pdf_text: bool = False  # the document is PDF layout text: header words may be reflowed

    def vote(self, template_id: str, weight: int = 1) -> None:
        self.votes[template_id] = self.votes.get(template_id, 0) + weight


# --- template lookups --------------------------------------------------------------------


def specs(key: str) -> list[TableSpec]:
    return [t.tables[key] for t in all_templates() if key in t.tables]


@cache
def union_rows(key: str) -> tuple[Item, ...]:
    """The rows of this table in every template, newest template's labels first."""
    seen: dict[str, Item] = {}
    for spec in reversed(specs(key)):
        for item in spec.all_rows():
            seen.setdefault(item.key, item)
    return tuple(seen.values())


def exact(label: str, items: tuple[Item, ...]):
    """The item this label names exactly or through a listed alias, or None."""
    return match_label(label, items, fuzzy=False)


def template_spec(template_id: str, key: str) -> TableSpec:
    for template in all_templates():
        if template.id == template_id:
            return template.tables[key]
    return all_templates()[-1].tables[key]


def padding(part) -> bool:
    """A row of blank cells with no label: the cells a caption or header cell spans."""
    values = getattr(part, "values", None)
    return bool(values) and not part.label and all(v.kind == "blank" for v in values)


def item_of(items: tuple[Item, ...], key: str) -> Item:
    return next(i for i in items if i.key == key)


# --- values ------------------------------------------------------------------------------


def parse_value(text: str) -> int | Decimal | None:
    cleaned = text.replace(",", "").replace("万元", "").replace("元", "").strip()
    for unit in "件个条项":
        cleaned = cleaned.removesuffix(unit)
    try:
        if "." in cleaned:
            return Decimal(cleaned)
        return int(cleaned)
    except (ValueError, InvalidOperation):
        return None


def fill_row(row: Row, columns: tuple[Item, ...], values: list[Value], totals=()) -> None:
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
                set_cell(cells[column.key], raw, runs[0].line)
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
            set_cell(cells[column.key], value.text, value.line)


def set_cell(cell: Cell, raw: str, line: int) -> None:
    cell.raw, cell.line = raw, line
    cell.value = parse_value(raw)
    cell.status = OK if cell.value is not None else UNKNOWN


def missing_row(table: str, item: Item, columns: tuple[Item, ...]) -> Row:
    row = Row(table, item.key, "", item.label, "missing", expected_cells=len(columns))
    row.cells = {c.key: Cell(table, item.key, c.key) for c in columns}
    return row


def unplaced_row(table: str, item: Item, columns: tuple[Item, ...], line: int) -> Row:
    """A row whose label is printed but whose values could not be told apart from another
    row's: present, every cell unknown."""
    row = Row(table, item.key, "", item.label, "position", line, expected_cells=len(columns))
    row.cells = {c.key: Cell(table, item.key, c.key, line=line, status=UNKNOWN) for c in columns}
    return row


# --- deviations --------------------------------------------------------------------------


def record(mapping: Mapping, kind: str, table: str, key: str, printed: str, found, line: int) -> None:
    """Record a label printed through an alias or fuzzily (the same label again counts)."""
    if not found or found.kind not in ("alias", "fuzzy"):
        return
    for known in mapping.deviations:
        if (known.kind, known.table, known.key, known.printed) == (kind, table, key, printed):
            known.count += 1  # the same label printed again (table 四 repeats its columns)
            return
    expected = numbered(found.number, found.expected) if strip_numbering(printed)[0] else found.expected
    mapping.deviations.append(Deviation(kind, table, key, printed, expected, found.kind, line))

"""Printed tables: template rows and columns with their labels, cells formatted as printed.

Structure comes from the template specs (rules/templates/*.yaml: the same data the auditor
maps labels with); values from synth.figures. A label may be printed as one of the variants
of data/labels.yaml (the row or column then records that it deviates).
"""

from decimal import Decimal
from functools import cache
from random import Random

import yaml

from ..templates import Item, comparable, numbered, template as template_spec
from . import data_path
from .figures import APPLICANTS, T4_OUTCOMES, subtotal
from .model import NUM, PBlock, PCell, PRow, PTable

T3_COLUMNS = APPLICANTS + ("total",)
T4_COLUMNS = T4_OUTCOMES + ("total",)
_T2_NUMERALS = {"item1": "一", "item5": "五", "item6": "六", "item8": "八", "item9": "九"}


@cache
def label_data() -> dict:
    with open(data_path("labels.yaml"), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def printed_variant(template: str, address: str, label: str, rng: Random, rate: float, aliases_only: bool) -> tuple[str, bool]:
    """The label as this report prints it: itself, or (at `rate`) one of its variants."""
    options = variants(template, address, aliases_only)
    if options and rng.random() < rate:
        return rng.choice(options), True
    return label, False


def variants(template: str, address: str, aliases_only: bool = False) -> list[str]:
    """Printed variants of a label; `aliases_only`: only those the template lists as aliases
    (in text run together, a label is found only as the template or its aliases spell it —
    a mistyped or truncated label there cannot be told from the text around it)."""
    options = list(label_data()["variants"].get(template, {}).get(address, ()))
    if aliases_only:
        table, kind, key = address.split(".")
        spec = template_spec(template).tables[table]
        items = spec.columns + tuple(c for b in spec.blocks for c in b.columns) if kind == "column" else spec.all_rows()
        item = next((i for i in items if i.key == key), None)
        allowed = {comparable(a) for a in item.aliases} if item else set()
        options = [o for o in options if comparable(o) in allowed]
    return options


def printed_label(item: Item) -> str:
    """A template row label as reports print it (numbering, full-width brackets, quotes)."""
    label = label_data()["quotes"].get(item.key, item.label)
    text = numbered(item.number, label)
    return text.replace("(", "（").replace(")", "）").replace(",", "，").replace(":", "：")


def number_cell(value, signed: bool = False, amount_unit: str = "") -> PCell:
    if isinstance(value, Decimal):
        text = format(value, "f")
        if amount_unit and value:
            text += amount_unit
    elif signed and value > 0:
        text = f"+{value}"
    else:
        text = str(value)
    return PCell(value, NUM, text)


def t2_table(template: str, values: dict, rng: Random, variant_rate: float, aliases_only: bool = False) -> PTable:
    spec = template_spec(template).tables["t2"]
    table = PTable("t2", template)
    for block in spec.blocks:
        table.blocks.append(t2_block(template, block.key, values, rng, variant_rate, aliases_only))
    return table


def t2_block(template: str, block_key: str, values: dict, rng: Random, variant_rate: float, aliases_only: bool = False) -> PBlock:
    spec = template_spec(template).tables["t2"]
    block = next(b for b in spec.blocks if b.key == block_key)
    columns = []
    for column in block.columns:
        label, variant = printed_variant(template, f"t2.column.{column.key}", column.label, rng, variant_rate, aliases_only)
        columns.append((column.key, label.replace("(", "（").replace(")", "）").replace(":", "："), variant))
    rows = []
    for item in block.rows:
        row_values = values[item.key]
        cells = [
            number_cell(row_values[c.key], signed=c.signed, amount_unit="万元" if c.amount and block_key == "item9" and rng.random() < 0.5 else "")
            for c in block.columns
        ]
        label, variant = printed_variant(template, f"t2.row.{item.key}", printed_label(item), rng, variant_rate, aliases_only)
        rows.append(PRow("t2", item.key, label, item.label, cells, tuple(c.key for c in block.columns), variant))
    return PBlock(_T2_NUMERALS[block_key], template, columns, rows)


def t3_table(template: str, values: dict[str, list[int]], rng: Random, variant_rate: float, aliases_only: bool = False) -> PTable:
    spec = template_spec(template).tables["t3"]
    table = PTable("t3", template)
    for column in spec.columns:
        label, variant = printed_variant(template, f"t3.column.{column.key}", column.label, rng, variant_rate, aliases_only)
        table.columns.append((column.key, label, variant))
    groups = {part: item for item in spec.rows for part in item.sum_of}
    seen_groups = set()
    for item in spec.rows:
        if item.heading or item.sum_of:
            continue  # 三、本年度办理结果 and the (三)…(六) group labels print with their first row
        row_values = values[item.key]
        label, variant = printed_variant(template, f"t3.row.{item.key}", printed_label(item), rng, variant_rate, aliases_only)
        group = groups.get(item.key)
        group_label = ""
        if group is not None and group.key not in seen_groups:
            seen_groups.add(group.key)
            group_label = printed_label(group)
        row = PRow("t3", item.key, label, numbered(item.number, item.label), [number_cell(v) for v in row_values], T3_COLUMNS, variant, group=group_label)
        table.rows.append(row)
    return table


def t3_subtotal_row(template: str, table: PTable, key: str) -> PRow:
    """The (三)…(六) subtotal printed as a row of its own, with the sums of its parts."""
    item = template_spec(template).tables["t3"].row(key)
    parts = {p: [c.value for c in table.row(p).cells] for p in item.sum_of}
    values = subtotal(parts, item.sum_of)
    return PRow("t3", key, printed_label(item), numbered(item.number, item.label), [number_cell(v) for v in values], T3_COLUMNS)


def t4_table(template: str, values: list[int], rng: Random, variant_rate: float, aliases_only: bool = False) -> PTable:
    spec = template_spec(template).tables["t4"]
    table = PTable("t4", template)
    for column in spec.columns:
        label, variant = printed_variant(template, f"t4.column.{column.key}", column.label, rng, variant_rate, aliases_only)
        table.columns.append((column.key, label, variant))
    for index, item in enumerate(spec.rows):
        cells = [number_cell(v) for v in values[index * 5:(index + 1) * 5]]
        table.rows.append(PRow("t4", item.key, item.label, item.label, cells, T4_COLUMNS))
    return table


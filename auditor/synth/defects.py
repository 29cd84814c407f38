"""Labelled defects: known problems injected into a report's Spec.

Each defect kind names the rule it is meant to trip, says where it can occur (report years,
administrative levels, layouts) and edits the Spec at one of two stages: `tables` (after
the tables are built, before the prose quotes them) or `document` (after sections, prose,
fee statement and dates exist). The oracle then derives every finding the edit implies —
the intended one and its consequences (a broken cell breaks its row and its column) —
from the edited Spec.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from random import Random
from typing import Callable

from ..templates import template as template_spec
from . import bodies, build, figures, tables
from .layouts import KEEP_POSITIONS
from .model import BLANK, DASH, NUM, Para, PCell, PRow, Spec

YEARS = (2019, 2020, 2021, 2022, 2023, 2024)
NEW_YEARS = (2021, 2022, 2023, 2024)
OLD_YEARS = (2019, 2020)
LOW_LEVELS = ("乡镇", "街道", "县级部门")


@dataclass(frozen=True)
class Defect:
    name: str
    rule: str  # the rule the defect is meant to trip
    tables: Callable | None = None  # (spec, rng) after the tables are built
    document: Callable | None = None  # (spec, rng) after the document is built
    years: tuple = YEARS
    levels: tuple | None = None
    layouts: tuple | None = None  # only these layouts
    not_layouts: tuple = ()
    template: str = ""  # "other": build the tables in the other template
    nonzero: bool = False  # needs applications in table 三
    group: str = ""  # defects of one group edit the same things: a report gets at most one of each


# --- helpers ---------------------------------------------------------------------------------


def _set(row: PRow, index: int, value) -> None:
    cell = row.cells[index]
    signed = row.table == "t2" and row.columns[index] == "change"
    fresh = tables.number_cell(value, signed=signed)
    cell.value, cell.form, cell.text = fresh.value, NUM, fresh.text


def _add(row: PRow, index: int, delta: int) -> None:
    _set(row, index, (row.cells[index].value or 0) + delta)


def _t3_rows(spec: Spec, keys=None) -> list[PRow]:
    return [r for r in spec.tables["t3"].rows if keys is None or r.key in keys]


def _result_rows(spec: Spec) -> list[PRow]:
    return [r for r in spec.tables["t3"].rows if r.key not in ("received", "carried_in", "carried_out", "results_total")]


# --- RECON -----------------------------------------------------------------------------------


def recon_001(spec, rng):
    row = spec.tables["t3"].row(rng.choice(("carried_out", "carried_in")))
    col, delta = rng.randrange(6), rng.randint(1, 3)
    _add(row, col, delta)
    _add(row, 6, delta)
    spec.notes.append(f"表三 {row.key} 第{col + 1}列与总计各加 {delta}：该列与总计列 一+二≠三(七)+四")


def recon_002(spec, rng):
    row = rng.choice(_t3_rows(spec))
    delta = rng.randint(1, 3)
    if (row.cells[6].value or 0) >= delta and rng.random() < 0.5:
        delta = -delta
    _add(row, 6, delta)
    spec.notes.append(f"表三 {row.key} 总计改动 {delta:+d}")


def recon_003(spec, rng):
    row = rng.choice(_result_rows(spec))
    col, delta = rng.randrange(6), rng.randint(1, 3)
    _add(row, col, delta)
    _add(row, 6, delta)
    spec.notes.append(f"表三 {row.key} 第{col + 1}列与总计各加 {delta}：办理结果之和≠(七)总计")


def recon_004(spec, rng):
    table = spec.tables["t3"]
    group = rng.choice(("denied", "unable", "rejected"))
    subtotal = tables.t3_subtotal_row(table.template, table, group)
    item = template_spec(table.template).tables["t3"].row(group)
    first = next(i for i, r in enumerate(table.rows) if r.key == item.sum_of[0])
    table.rows[first].group = ""
    table.rows.insert(first, subtotal)
    table.subtotals_printed.add(group)
    col, delta = rng.randrange(6), rng.randint(1, 3)
    _add(subtotal, col, delta)
    _add(subtotal, 6, delta)
    spec.notes.append(f"表三 {group} 小计印出，第{col + 1}列与总计各多 {delta}")


def recon_005(spec, rng):
    row = rng.choice(spec.tables["t4"].rows)
    if len(row.cells) < 5:  # shortened by short_row (the other defect of this report)
        row = next(r for r in spec.tables["t4"].rows if len(r.cells) >= 5)
    delta = rng.randint(1, 2)
    _add(row, 4, delta)
    spec.notes.append(f"表四 {row.key} 总计多 {delta}")


def recon_006(spec, rng):
    t2 = spec.tables["t2"]  # (another defect may have left a block out)
    key = rng.choice([k for k in ("licensing", "other_services", "penalty", "enforcement", "admin_fees") if t2.row(k)])
    row = t2.row(key)
    previous = rng.randint(0, 5)
    _set(row, 0, previous)
    _set(row, 1, -(previous + rng.randint(1, 5)))
    spec.notes.append(f"表二 {key} 上一年项目数量+本年增减<0")


def recon_007(spec, rng):
    t2 = spec.tables["t2"]
    key = rng.choice([k for k in ("licensing", "penalty", "enforcement") if t2.row(k)])
    row = t2.row(key)
    index = row.columns.index("decisions")
    _set(row, index, -rng.randint(1, 30))
    spec.notes.append(f"表二 {key} 处理决定数量为负数")


def recon_008(spec, rng):
    row = spec.tables["t2"].row("normative_docs")
    _set(row, 0, Decimal(rng.randint(1, 9)) + Decimal("0.5"))
    spec.notes.append("表二 规范性文件件数带小数")


def blank_cells(spec, rng):
    form = BLANK if spec.layout in KEEP_POSITIONS else DASH
    candidates = []
    for table in ("t2", "t3", "t4"):
        for row in spec.tables[table].all_rows():
            zeros = [i for i, c in enumerate(row.cells) if c.form == NUM and c.value == 0]
            if zeros:
                candidates.append((row, zeros))
    rng.shuffle(candidates)
    chosen = candidates[: rng.randint(1, 3)]
    for row, zeros in chosen:
        for index in rng.sample(zeros, min(len(zeros), rng.randint(1, 3))):
            row.cells[index] = PCell(None, form, "" if form == BLANK else rng.choice(("—", "-", "/")))
        spec.notes.append(f"{row.table} {row.key} 有空白单元格")


def short_row(spec, rng):
    candidates = [r for r in spec.tables["t3"].rows if sum(1 for c in r.cells[:6] if c.value == 0) >= 2]
    if spec.layout in ("pipe-row", "markdown"):
        # where a label spans columns these layouts print placeholders after it, and a row
        # with fewer values would read as a full row with blank cells: shorten a sub-row
        candidates = [r for r in candidates if r.key.rsplit("_", 1)[-1].isdigit()] or \
            [r for r in spec.tables["t3"].rows if r.key.rsplit("_", 1)[-1].isdigit()]
    if spec.layout != "run-together" and rng.random() < 0.25:
        candidates = [r for r in spec.tables["t4"].rows if sum(1 for c in r.cells[:4] if c.value == 0) >= 2] or candidates
    row = rng.choice(candidates or _t3_rows(spec))
    zeros = [i for i, c in enumerate(row.cells[:-1]) if c.value == 0] or [0]
    for index in sorted(rng.sample(zeros, min(len(zeros), rng.randint(1, 2))), reverse=True):
        del row.cells[index]
    row.short = True
    spec.notes.append(f"{row.table} {row.key} 只印出 {len(row.cells)} 个数")


def long_row(spec, rng):
    row = rng.choice(_t3_rows(spec))
    row.cells.append(PCell(0, NUM, "0"))
    row.long = True
    spec.notes.append(f"表三 {row.key} 多印一个数")


def ambiguous_run(spec, rng):
    row = spec.tables["t2"].row("normative_docs")
    values = (rng.randint(10, 30), rng.randint(1, 9), rng.randint(20, 99))
    for index, value in enumerate(values):
        _set(row, index, value)
    row.split = "ambiguous"
    spec.notes.append("表二 规范性文件数字粘连，可有多种拆分")


def impossible_run(spec, rng):
    rows = [r for r in _t3_rows(spec) if all(c.value is not None and 0 <= c.value < 10 for c in r.cells)]
    row = rng.choice(rows) if rows else spec.tables["t3"].row("carried_in")
    if not rows:
        for index in range(7):
            _set(row, index, 0)
    row.split = "impossible"
    spec.notes.append(f"表三 {row.key} 粘连数字少一位，无法拆分")


# --- SECT ------------------------------------------------------------------------------------


def _renumber(spec: Spec) -> None:
    for index, section in enumerate(spec.sections):
        section.numeral = build.NUMERALS[index]


def missing_section(spec, rng):
    key = rng.choice(("problems", "problems", "overview"))
    spec.sections = [s for s in spec.sections if s.key != key]
    if key == "overview":
        spec.figures = []
    if rng.random() < 0.5:
        _renumber(spec)
    spec.notes.append(f"缺少章节 {key}")


def renamed_section(spec, rng):
    key = rng.choice(("problems", "other", "overview"))
    section = spec.section(key)
    section.heading = rng.choice(tables.label_data()["headings"]["foreign"][key])
    section.key, section.variant = None, ""
    spec.notes.append(f"章节 {key} 改用格式以外的标题“{section.heading}”")


def reordered_sections(spec, rng):
    order = [s.key for s in spec.sections]
    i, j = order.index("problems"), order.index("other")
    spec.sections[i], spec.sections[j] = spec.sections[j], spec.sections[i]
    if rng.random() < 0.5:
        _renumber(spec)
    spec.notes.append("五、六两部分顺序颠倒")


def empty_section(spec, rng):
    key = rng.choice(("problems", "problems", "other"))
    spec.section(key).blocks = []
    if key == "other":
        # the last section empty: only the page chrome follows (seed 000); no fee statement
        spec.signature = []
        spec.fee.style = "absent"
        spec.fee.notices = spec.fee.notified = spec.fee.collected = None
        if spec.published_style in ("closing", "both"):
            spec.published_style = "labelled" if spec.chrome_before else ""
            if spec.published_style:
                build.set_published(spec, date.fromisoformat(spec.published))  # the date in the chrome
            else:
                spec.published = ""
    spec.notes.append(f"{key} 部分没有内容")


def missing_table(spec, rng):
    spec.tables["t4"].present = False
    spec.section("appeals").blocks = [Para("本年度未发生因政府信息公开申请行政复议、提起行政诉讼的情况。")]
    spec.notes.append("缺少表四")


def missing_row(spec, rng):
    if rng.random() < 0.3:  # a block of table 二 left out (caption, header and rows)
        blocks = spec.tables["t2"].blocks
        block = blocks.pop(rng.randrange(1, len(blocks)))
        spec.notes.append(f"表二缺少第二十条第（{block.numeral}）项")
        return
    table = spec.tables["t3"]
    parts = [r for r in table.rows if r.key.rsplit("_", 1)[-1].isdigit()]
    row = rng.choice(parts)
    index = table.rows.index(row)
    if row.group and index + 1 < len(table.rows) and table.rows[index + 1].key.startswith(row.key.rsplit("_", 1)[0]):
        table.rows[index + 1].group = row.group
    del table.rows[index]
    spec.notes.append(f"表三缺少 {row.key} 行")


# --- TMPL ------------------------------------------------------------------------------------


def mixed_template(spec, rng):
    table = spec.tables["t2"]
    other = "2019" if table.template == "2021" else "2021"
    values = figures.t2_values(rng, spec.level, other)
    table.blocks[0] = tables.t2_block(other, "item1", values, rng, 0.0)
    spec.template = "mixed"
    spec.notes.append(f"表二 第二十条第（一）项按{other}年版格式填报")


def other_2019_form(spec, rng):
    table = spec.tables["t3"]
    parts = [r for r in table.rows if r.key in ("other_1", "other_2", "other_3")]
    index = table.rows.index(parts[0])
    values = [sum(r.cells[c].value or 0 for r in parts) for c in range(7)]
    single = PRow("t3", "other", "（六）其他处理", "(六)其他处理", [tables.number_cell(v) for v in values], tables.T3_COLUMNS)
    table.rows[index:index + len(parts)] = [single]
    spec.notes.append("表三（六）其他处理按2019年版只印一行")


def missing_title(spec, rng):
    spec.title = ""
    spec.preamble.insert(0, Para(f"现将{spec.body}{spec.year}年政府信息公开工作情况报告如下。"))
    spec.notes.append("报告没有标题")


def label_variant(spec, rng):
    options = []
    for address in tables.label_data()["variants"].get(spec.template, {}):
        table_key, kind, key = address.split(".")
        options.append((table_key, kind, key))
    rng.shuffle(options)
    applied, wanted = 0, rng.randint(1, 3)
    for table_key, kind, key in options:
        if applied >= wanted:
            break
        table = spec.tables[table_key]
        choices = tables.variants(spec.template, f"{table_key}.{kind}.{key}", aliases_only=spec.layout == "run-together")
        if not choices:
            continue
        printed = rng.choice(choices)
        if kind == "row":
            row = table.row(key)
            if row is None or row.variant:
                continue
            row.label, row.variant = printed, True
        else:
            done = False
            for columns in [b.columns for b in table.blocks] + [table.columns]:
                for index, (column, label, variant) in enumerate(columns):
                    if column == key and not variant and not done:
                        columns[index] = (column, printed.replace("(", "（").replace(")", "）"), True)
                        done = True
            if not done:
                continue
        applied += 1
        spec.notes.append(f"{table_key} {key} 印为“{printed}”")


# --- FEE -------------------------------------------------------------------------------------


def _replace_fee(spec: Spec, rng: Random) -> None:
    # the section holding the statement: 六, or the heading printed in its place (renamed)
    section = spec.section(spec.fee.section) or next(
        (s for s in reversed(spec.sections) if s.key is None and s.number >= 6), spec.sections[-1])
    kept = [b for b in section.blocks if b != "fee" and not (isinstance(b, Para) and ("信息处理费" in b.text or "收费通知" in b.text))]
    new = build.fee_blocks(spec, rng)
    section.blocks = new + kept if new else (kept or [Para("本年度无其他需要报告的事项。")])


def _set_fee(spec, rng, style: str, note: str, notices=None, notified=None, collected=None) -> None:
    """Print the fee disclosure in `style` with these figures (None: not stated)."""
    fee = spec.fee
    fee.style, fee.notices, fee.notified, fee.collected = style, notices, notified, collected
    _replace_fee(spec, rng)
    spec.notes.append(note)


def fee_missing(spec, rng):
    _set_fee(spec, rng, "absent", "未说明信息处理费")


def fee_over(spec, rng):
    notices = rng.randint(1, 3)
    notified = rng.choice((100, 120, 200, 300))
    collected = notified + rng.choice((20, 50, 100))
    _set_fee(spec, rng, "values", "实际收取金额大于通知收取金额", notices, notified, collected)


def fee_amount_no_notice(spec, rng):
    style = rng.choice(("values", "values", "table")) if spec.layout not in ("run-together", "pdf-text") else "values"
    notified = rng.choice((100, 150, 300))
    collected = notified if rng.random() < 0.5 else 0
    _set_fee(spec, rng, style, "收费通知 0 件而有收费金额", 0, notified, collected)


def unpaid_applications(spec, rng):
    """Tables stage of fee_unpaid_no_notice: move some applications to (六)2 (逾期未缴费)."""
    table = spec.tables["t3"]
    other_2, received, results_total = table.row("other_2"), table.row("received"), table.row("results_total")
    count = rng.randint(1, 2)
    for row in (other_2, received, results_total):
        _add(row, 0, count)
        _add(row, 6, count)
    spec.notes.append(f"表三（六）2 逾期未缴费 {count} 件")


def fee_unpaid_no_notice(spec, rng):
    _set_fee(spec, rng, "none", "信息处理费写为未收取（无收费通知）")


# --- PLAUS -----------------------------------------------------------------------------------


def regulations_low_level(spec, rng):
    row = spec.tables["t2"].row("regulations")
    count = rng.randint(1, 9)
    _set(row, 0, count)
    if spec.template == "2021":
        _set(row, 2, count + rng.randint(0, 10))
    else:
        _set(row, 1, count)
        _set(row, 2, count + rng.randint(0, 10))
    spec.notes.append(f"{spec.level}报告规章 {count} 件")


def prose_contradiction(spec, rng):
    spec.noise["contradict"] = rng.choice(("received", "received", "accepted", "handled", "carried_out", "no_requests"))
    spec.notes.append(f"正文 {spec.noise['contradict']} 与表三不符")


def late_date(spec, rng):
    if not spec.published_style:
        spec.published_style = "closing"
    build.set_published(spec, bodies.late(rng, spec.level, spec.year))
    spec.notes.append(f"发布日期 {spec.published} 晚于期限")


def early_date(spec, rng):
    spec.published_style = "labelled"
    spec.signature = [spec.body]
    build.set_published(spec, bodies.early(rng, spec.year))
    spec.notes.append(f"发布日期 {spec.published} 早于年度结束")


DEFECTS = {d.name: d for d in (
    Defect("recon_001", "RECON-001", tables=recon_001, group="t3"),
    Defect("recon_002", "RECON-002", tables=recon_002, group="t3"),
    Defect("recon_003", "RECON-003", tables=recon_003, group="t3"),
    Defect("recon_004", "RECON-004", tables=recon_004, group="t3"),
    Defect("recon_005", "RECON-005", tables=recon_005, group="t4"),
    Defect("recon_006", "RECON-006", tables=recon_006, years=OLD_YEARS, group="t2"),
    Defect("recon_007", "RECON-007", tables=recon_007, group="t2"),
    Defect("recon_008", "RECON-008", tables=recon_008, group="t2"),
    Defect("blank_cells", "RECON-009", tables=blank_cells, not_layouts=("run-together",), group="t3"),
    Defect("short_row", "RECON-010", tables=short_row, not_layouts=("run-together",), group="t3"),
    Defect("long_row", "RECON-011", tables=long_row, not_layouts=("run-together",), group="t3"),
    Defect("ambiguous_run", "RECON-013", tables=ambiguous_run, layouts=("run-together",), group="t2"),
    Defect("impossible_run", "RECON-014", tables=impossible_run, layouts=("run-together",), group="t3"),
    Defect("missing_section", "SECT-001", document=missing_section, group="sections"),
    Defect("renamed_section", "SECT-004", document=renamed_section, group="sections"),
    Defect("reordered_sections", "SECT-005", document=reordered_sections, group="sections"),
    Defect("empty_section", "SECT-002", document=empty_section, group="sections"),
    Defect("missing_table", "SECT-007", document=missing_table, group="t4"),
    Defect("missing_row", "SECT-008", tables=missing_row, group="t3"),
    Defect("missing_title", "SECT-009", document=missing_title, not_layouts=("run-together",), group="sections"),
    Defect("wrong_template", "TMPL-001", template="other", group="template"),
    Defect("mixed_template", "TMPL-002", tables=mixed_template, group="template"),
    Defect("other_2019_form", "TMPL-003", tables=other_2019_form, years=NEW_YEARS, group="template"),
    Defect("label_variant", "TMPL-004", tables=label_variant, group="template"),
    Defect("fee_missing", "FEE-001", document=fee_missing, years=NEW_YEARS, group="fee"),
    Defect("fee_over", "FEE-002", document=fee_over, years=NEW_YEARS, group="fee"),
    Defect("fee_amount_no_notice", "FEE-003", document=fee_amount_no_notice, years=NEW_YEARS, group="fee"),
    Defect("fee_unpaid_no_notice", "FEE-004", tables=unpaid_applications, document=fee_unpaid_no_notice, years=NEW_YEARS, group="t3"),
    Defect("regulations_low_level", "PLAUS-001", tables=regulations_low_level, levels=LOW_LEVELS, group="t2"),
    Defect("prose_contradiction", "PLAUS-002…006", tables=prose_contradiction, nonzero=True, group="prose"),
    Defect("late_date", "PLAUS-007", document=late_date, group="date"),
    Defect("early_date", "PLAUS-008", document=early_date, not_layouts=("pdf-text",), group="date"),
)}


# A second defect joins the first only from another group, and never with a report whose
# tables follow another template (its edits assume the template of the year).
_ALONE_WITH_TEMPLATE = {"sections", "date", "prose"}


def compatible(first: Defect, second: Defect, layout: str) -> bool:
    if first.group == second.group or second not in applicable(layout):
        return False
    if "template" in (first.group, second.group) and ({first.group, second.group} - {"template"}) - _ALONE_WITH_TEMPLATE:
        return False
    if not set(first.years) & set(second.years):
        return False
    return not (first.levels and second.levels and not set(first.levels) & set(second.levels))


def applicable(layout: str) -> list[Defect]:
    return [d for d in DEFECTS.values() if (d.layouts is None or layout in d.layouts) and layout not in d.not_layouts]

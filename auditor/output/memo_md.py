"""An audit memo (output.memo.Memo) as Markdown, in the order of the DOCX memo: title, 主送,
opening, sections 一 to 五 (应为 / 实际 only where some finding has them), 附件 line, 落款
(issuing unit, Chinese date), then the attachment (the rule packs applied).

Every text from the report, its file name or the rules is escaped where it is placed
(sanitize.md / md_cell): no raw HTML, links or code spans, no stray pipes or line breaks.
"""

from .memo import Memo, MemoRow
from .sanitize import md, md_cell

FINDING_HEADERS = ("序号", "规则", "级别", "位置", "原文（行号）", "应为", "实际", "问题说明", "依据", "整改建议")
VALUE_COLUMNS = (5, 6)  # 应为, 实际: left out when no finding of the table has them
REVIEW_HEADERS = ("序号", "规则", "位置", "原文（行号）", "说明", "如何核对")
CROSS_HEADERS = ("序号", "规则", "级别", "位置", "原文（行号）", "对照报告", "问题说明", "整改建议")
CROSS_TITLE = "### 跨年度核对与雷同检查（与上一年度报告、同批次其他报告比较）"
SETTLED_HEADERS = ("序号", "规则", "级别", "位置", "原文（行号）", "问题说明", "处理", "理由")


def cell(text) -> str:
    """Text safe inside a Markdown table cell."""
    return md_cell(text if text not in (None, "") else "—")


def table(headers, rows) -> list[str]:
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return out


def finding_cells(row: MemoRow, values: bool = True) -> tuple:
    cells = (row.index, row.rule_id, row.severity, row.where, row.source, row.expected, row.actual, row.message, row.basis, row.fix)
    return cells if values else tuple(c for i, c in enumerate(cells) if i not in VALUE_COLUMNS)


def finding_headers(values: bool) -> tuple:
    return FINDING_HEADERS if values else tuple(h for i, h in enumerate(FINDING_HEADERS) if i not in VALUE_COLUMNS)


def cross_cells(row: MemoRow) -> tuple:
    return (row.index, row.rule_id, row.severity, row.where, row.source, row.other, row.message, row.fix)


def review_cells(row: MemoRow) -> tuple:
    return (row.index, row.rule_id, row.where, row.source, row.message, row.fix)


def settled_cells(row: MemoRow) -> tuple:
    return (row.index, row.rule_id, row.severity, row.where, row.source, row.message, row.status, row.note)


def render_markdown(memo: Memo) -> str:
    c = memo.conclusion
    lines = [f"# {md(memo.title)}", "", f"{md(memo.recipient)}：", "", md(memo.opening), "", "## 一、基本情况", ""]
    lines += table(("项目", "内容"), memo.facts)
    lines += ["", "## 二、审核结论", "", f"**{md(c.label)}**。{md(c.reason_text())}。", "", f"问题统计：{md(c.counts_text())}。", "", f"判定标准：{md(memo.criteria)}", ""]
    lines += ["## 三、发现的问题", ""]
    if memo.findings:
        values = memo.has_values
        lines += table(finding_headers(values), [finding_cells(r, values) for r in memo.findings])
    elif not memo.cross:
        lines.append("未发现计入结论的问题。")
    if memo.cross:
        lines += ["", CROSS_TITLE, ""]
        lines += table(CROSS_HEADERS, [cross_cells(r) for r in memo.cross])
    if memo.review:
        lines += ["", "### 需人工复核（审核工具未能读出的部分，不计入结论）", ""]
        lines += table(REVIEW_HEADERS, [review_cells(r) for r in memo.review])
    if memo.settled:
        lines += ["", "### 已在基线中接受或排除的问题（不计入结论）", ""]
        lines += table(SETTLED_HEADERS, [settled_cells(r) for r in memo.settled])
    lines += ["", "## 四、整改要求", "", md(memo.requirement), ""]
    for group in memo.fixes:
        lines += [f"### {md(group.label)}", ""]
        lines += [f"{n}. {md(item.text())}" for n, item in enumerate(group.items, 1)]
        lines.append("")
    lines += ["## 五、有关说明", ""] + [f"{n}. {md(note)}" for n, note in enumerate(memo.notes, 1)] + [""]
    lines += [f"附件：{md(memo.attachment)}", "", md(memo.issuer), "", md(memo.date), "", "---", ""]
    lines += [f"## 附件：{md(memo.attachment)}", ""]
    lines += table(("规则包", "名称", "版本", "适用规则数", "停用规则数", "规则文件"), [(p.pack, p.title, p.version, p.rules, p.disabled, p.source) for p in memo.packs])
    if memo.changes_text:  # (the ruleset version is in 基本情况)
        lines += ["", f"按配置调整：{md(memo.changes_text)}。"]
    return "\n".join(lines) + "\n"

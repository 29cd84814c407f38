"""The content of an audit memo (审核意见) for one report, independent of its file format.

build_memo() gathers what the Markdown and DOCX renderers print: the heading, the basic
facts, the conclusion with the counts behind it, the findings table (rule, severity, where,
the quoted source line, expected vs printed, basis, fix), findings settled in the baseline,
整改建议 grouped by family, and the rule packs applied. Renderers add no content of their own.
"""

from dataclasses import dataclass, field
from pathlib import Path

from .. import labels
from ..audit import FileResult
from ..conclusion import Conclusion
from ..findings import SEVERITY_ORDER, Finding, where_of

QUOTE_LIMIT = 100


@dataclass
class MemoRow:
    index: int
    rule_id: str
    title: str
    severity: str  # label: 错误 / 警告 / 提示
    where: str
    line: int
    quote: str
    expected: str
    actual: str
    message: str
    basis: str
    fix: str
    status: str = ""  # label: 新发现 / 已接受 / 已排除
    note: str = ""
    fingerprint: str = ""

    @property
    def source(self) -> str:
        """The cited source line: 第131行：“（一）予以公开”."""
        if not self.line:
            return "—"
        return f"第{self.line}行：“{self.quote}”" if self.quote else f"第{self.line}行"


@dataclass
class FixItem:
    rule_id: str
    title: str
    severity: str
    count: int
    lines: list[int]
    fix: str

    def text(self) -> str:
        where = f"，第{'、'.join(str(n) for n in self.lines[:12])}{' 等' if len(self.lines) > 12 else ''}行" if self.lines else ""
        return f"{self.rule_id}「{self.title}」（{self.severity}，{self.count} 处{where}）：{self.fix}"


@dataclass
class FixGroup:
    family: str
    label: str
    items: list[FixItem] = field(default_factory=list)


@dataclass
class Memo:
    title: str
    file: str
    facts: list[tuple[str, str]]
    conclusion: Conclusion
    findings: list[MemoRow]  # the report's defects that count
    review: list[MemoRow]  # limits of our reading: 需人工复核, never counted
    settled: list[MemoRow]
    fixes: list[FixGroup]
    packs: list  # runtime.PackInfo
    ruleset_text: str
    changes_text: str
    criteria: str
    notes: list[str]


def memo_title(result: FileResult) -> str:
    """关于《<body><year>年政府信息公开工作年度报告》的审核意见."""
    meta = result.report.metadata if result.report else None
    if meta and meta.body:
        year = f"{meta.year}年" if meta.year else ""
        name = f"{meta.body}{year}政府信息公开工作年度报告"
    elif meta and meta.title:
        name = meta.title
    else:
        name = Path(result.path).name
    return f"关于《{name}》的审核意见"


def build_memo(result: FileResult, conclusion: Conclusion, run) -> Memo:
    """The memo of one audited file; `run` is the runtime.Run that audited it."""
    ordered = sorted(result.findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.line or 10**9, f.rule_id, f.location_key))
    counted = [f for f in ordered if f.counts and f.kind != "limit"]
    review = [f for f in ordered if f.counts and f.kind == "limit"]
    settled = [f for f in ordered if not f.counts]
    return Memo(
        title=memo_title(result),
        file=result.path,
        facts=_facts(result, run),
        conclusion=conclusion,
        findings=[_row(i, f) for i, f in enumerate(counted, 1)],
        review=[_row(i, f) for i, f in enumerate(review, 1)],
        settled=[_row(i, f) for i, f in enumerate(settled, 1)],
        fixes=_fixes(counted),
        packs=run.ruleset.packs,
        ruleset_text=run.ruleset.version_text(),
        changes_text=run.ruleset.changes_text(),
        criteria=criteria_text(run.config.thresholds),
        notes=_notes(counted + review),
    )


def _facts(result: FileResult, run) -> list[tuple[str, str]]:
    facts: list[tuple[str, str]] = []
    meta = result.report.metadata if result.report else None
    if meta is not None:
        facts += [
            ("单位", meta.body or "未能识别"),
            ("年度", f"{meta.year}年" if meta.year else "未能识别"),
            ("行政层级", labels.level(meta.level)),
            ("适用模板", labels.template(meta.expected_template) if meta.expected_template else "未能确定（报告年度未能识别）"),
            ("检测到的模板", labels.template(meta.template)),
        ]
        if meta.published:
            facts.append(("发布日期", f"{meta.published}（第{meta.published_line}行）" if meta.published_line else meta.published))
    facts += [("审核文件", result.path), ("审核日期", run.audit_date), ("规则集版本", run.ruleset.version_text())]
    if run.config.reviewer:
        facts.append(("审核单位", run.config.reviewer))
    return facts


def _row(index: int, finding: Finding) -> MemoRow:
    quote = finding.quote if len(finding.quote) <= QUOTE_LIMIT else finding.quote[:QUOTE_LIMIT] + "…"
    expected, actual = finding.expected, finding.actual
    if finding.outcome == "unverifiable":  # the sides are lower bounds here, not printed values
        expected = actual = "无法确定"
    return MemoRow(
        index=index, rule_id=finding.rule_id, title=finding.title, severity=labels.severity(finding.severity),
        where=where_of(finding) or "全文", line=finding.line, quote=quote, expected=expected,
        actual=actual, message=finding.message, basis=finding.basis, fix=finding.fix,
        status=labels.status(finding.status), note=finding.note, fingerprint=finding.fingerprint,
    )


def _fixes(findings: list[Finding]) -> list[FixGroup]:
    groups: dict[str, FixGroup] = {}
    for finding in sorted(findings, key=lambda f: (labels.family_order(f.family), f.rule_id)):
        group = groups.setdefault(finding.family, FixGroup(finding.family, labels.family(finding.family)))
        item = next((i for i in group.items if i.rule_id == finding.rule_id), None)
        if item is None:
            item = FixItem(finding.rule_id, finding.title, labels.severity(finding.severity), 0, [], finding.fix)
            group.items.append(item)
        item.count += 1
        if finding.line and finding.line not in item.lines:
            item.lines.append(finding.line)
    for group in groups.values():
        for item in group.items:
            item.lines.sort()
    return list(groups.values())


def criteria_text(thresholds) -> str:
    fail, revise = [], []
    if thresholds.fail_rules:
        fail.append(f"出现 {'、'.join(thresholds.fail_rules)} 中任一规则")
    if thresholds.fail_errors:
        fail.append(f"错误不少于 {thresholds.fail_errors} 条")
    if thresholds.revise_errors:
        revise.append(f"错误不少于 {thresholds.revise_errors} 条")
    if thresholds.revise_warnings:
        revise.append(f"警告不少于 {thresholds.revise_warnings} 条")
    parts = []
    if fail:
        parts.append(f"不合格：{'或'.join(fail)}")
    if revise:
        parts.append(f"需整改：{'或'.join(revise)}")
    parts.append("其余为合格；已在基线中接受或排除的问题不计入")
    return "；".join(parts) + "。"


def _notes(findings: list[Finding]) -> list[str]:
    notes = ["本意见由 gkaudit 按所列规则自动生成；“原文”一栏引用所审文件的行号和该行文字，便于对照原件核实。"]
    if any(f.kind == "limit" for f in findings):
        notes.append("“需人工复核”各项是工具未能读出的部分（文件不完整、数字无法对应到单元格、表格无法对齐等），不是报告本身的问题，不计入结论；工具未作推测，请对照原件所列位置核实。")
    if any(f.outcome == "impossible" for f in findings):
        notes.append("部分关系含数值未知的单元格，但无论其取何非负值关系都不成立，因此仍判定为错误。")
    return notes


def memo_stem(path: str, used: set) -> str:
    """A file name stem for the memo of `path`, unique within one output folder."""
    stem = f"{Path(path).stem}_审核意见"
    candidate, n = stem, 2
    while candidate in used:
        candidate, n = f"{stem}-{n}", n + 1
    used.add(candidate)
    return candidate

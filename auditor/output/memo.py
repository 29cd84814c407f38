"""The content of an audit memo (审核意见) for one report, independent of its file format.

build_memo() gathers what the Markdown and DOCX renderers print, laid out as a 公文: the
heading, 主送 (the audited body), the opening sentence, the basic facts, the conclusion with
the counts behind it, the findings table (rule, severity, where, the quoted source line,
expected vs printed where some finding has them, basis, fix), reading limits and findings
settled in the baseline apart, 整改要求 with its 整改期限, notes, 落款 (issuing unit, Chinese
date) and the rule packs applied as the attachment. The sentences come from
auditor/data/memo.yaml; renderers add no content of their own.
"""

import datetime
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from .. import __version__, labels
from ..audit import FileResult
from ..conclusion import Conclusion
from ..findings import SEVERITY_ORDER, Finding, where_of
from .sanitize import display_path

QUOTE_LIMIT = 100
_WORDING = Path(__file__).resolve().parent.parent / "data" / "memo.yaml"


@cache
def wording() -> dict:
    """The memo's sentences (auditor/data/memo.yaml)."""
    with open(_WORDING, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def chinese_date(iso: str) -> str:
    """2026-11-25 -> 2026年11月25日 (GB/T 9704: Arabic numerals, no leading zeros); other text as is."""
    try:
        day = datetime.date.fromisoformat(str(iso)[:10])
    except ValueError:
        return str(iso)
    return f"{day.year}年{day.month}月{day.day}日" + str(iso)[10:]


def deadline_of(iso: str, days: int) -> str:
    """The 整改期限: `days` after the audit date, as a Chinese date ("" when days is 0)."""
    if not days:
        return ""
    try:
        return chinese_date((datetime.date.fromisoformat(iso) + datetime.timedelta(days=days)).isoformat())
    except ValueError:
        return ""


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
    page: int = 0  # a PDF's page
    other: str = ""  # the other report a finding over two reports names (packs YEAR, COPY)

    @property
    def source(self) -> str:
        """The cited source line: 第131行：“（一）予以公开” (a PDF's: 第4页第131行：…)."""
        if not self.line:
            return "—"
        place = _place(self.page, self.line)
        return f"{place}：“{self.quote}”" if self.quote else place


def _place(page: int, line: int) -> str:
    return f"第{page}页第{line}行" if page else f"第{line}行"


@dataclass
class FixItem:
    rule_id: str
    title: str
    severity: str
    count: int
    lines: list[int]
    fix: str
    pages: dict = field(default_factory=dict)  # line -> page, for a PDF's lines

    def text(self) -> str:
        more = " 等" if len(self.lines) > 12 else ""
        if self.pages:
            where = "，" + "、".join(_place(self.pages.get(n, 0), n) for n in self.lines[:12]) + more if self.lines else ""
        else:
            where = f"，第{'、'.join(str(n) for n in self.lines[:12])}{more}行" if self.lines else ""
        return f"{self.rule_id}「{self.title}」（{self.severity}，{self.count} 处{where}）：{self.fix}"


CROSS_FAMILIES = ("year", "copy")  # findings over two reports: a section of their own


@dataclass
class FixGroup:
    family: str
    label: str
    items: list[FixItem] = field(default_factory=list)


@dataclass
class Memo:
    title: str
    file: str
    report_name: str  # 《…》 without the brackets
    recipient: str  # 主送: the audited body
    issuer: str  # 落款: the issuing unit (memo.reviewer), or a placeholder
    date: str  # the audit date, Chinese (2026年11月25日)
    audit_date: str  # the audit date, ISO (document properties)
    deadline: str  # 整改期限, Chinese date ("" when there is nothing to fix or no deadline)
    opening: str
    requirement: str  # the first paragraph of 整改要求
    facts: list[tuple[str, str]]
    conclusion: Conclusion
    findings: list[MemoRow]  # the report's defects that count
    cross: list[MemoRow]  # those over two reports: against last year's report, or a copied one
    review: list[MemoRow]  # limits of our reading: 需人工复核, never counted
    settled: list[MemoRow]
    fixes: list[FixGroup]
    packs: list  # runtime.PackInfo
    ruleset_text: str
    changes_text: str
    criteria: str
    notes: list[str]
    attachment: str = ""  # 附件 title
    subject: str = ""  # document properties
    generator: str = ""
    author: str = ""  # the configured issuing unit ("" when not configured)

    @property
    def has_values(self) -> bool:
        """Whether some finding has an expected or printed value (else 应为/实际 are left out)."""
        return any(r.expected or r.actual for r in self.findings)


def report_name(result: FileResult) -> str:
    """<body><year>年政府信息公开工作年度报告 (the title it prints, or the file name, when unknown)."""
    meta = result.report.metadata if result.report else None
    if meta and meta.body:
        year = f"{meta.year}年" if meta.year else ""
        return f"{meta.body}{year}政府信息公开工作年度报告"
    if meta and meta.title:
        return meta.title
    return Path(result.path).name


def memo_title(result: FileResult) -> str:
    """关于《<body><year>年政府信息公开工作年度报告》的审核意见."""
    return f"关于《{report_name(result)}》的审核意见"


def build_memo(result: FileResult, conclusion: Conclusion, run) -> Memo:
    """The memo of one audited file; `run` is the runtime.Run that audited it."""
    ordered = sorted(result.findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.line or 10**9, f.rule_id, f.location_key))
    counted = [f for f in ordered if f.counts and f.kind != "limit"]
    cross = [f for f in counted if f.family in CROSS_FAMILIES]
    review = [f for f in ordered if f.counts and f.kind == "limit"]
    settled = [f for f in ordered if not f.counts]
    words, config = wording(), run.config
    meta = result.report.metadata if result.report else None
    fixes = _fixes(counted)
    days = config.memo_deadline_days
    deadline = deadline_of(run.audit_date, days) if fixes else ""
    fill = {"report": report_name(result), "issuer": config.reviewer or words["we"], "deadline": deadline, "days": days}
    requirement = words["requirement" if deadline else "requirement_no_deadline"] if fixes else words["requirement_none"]
    return Memo(
        title=memo_title(result),
        file=result.path,
        report_name=fill["report"],
        recipient=(meta.body if meta and meta.body else words["recipient_unknown"]),
        issuer=config.reviewer or words["issuer_unset"],
        date=chinese_date(run.audit_date),
        audit_date=run.audit_date,
        deadline=deadline,
        opening=words["opening"].format(**fill),
        requirement=requirement.format(**fill),
        facts=_facts(result, run),
        conclusion=conclusion,
        findings=[_row(i, f) for i, f in enumerate((f for f in counted if f.family not in CROSS_FAMILIES), 1)],
        cross=[_row(i, f) for i, f in enumerate(cross, 1)],
        review=[_row(i, f) for i, f in enumerate(review, 1)],
        settled=[_row(i, f) for i, f in enumerate(settled, 1)],
        fixes=fixes,
        packs=run.ruleset.packs,
        ruleset_text=run.ruleset.version_text(),
        changes_text=run.ruleset.changes_text(),
        criteria=criteria_text(run.config.thresholds),
        notes=_notes(counted + review),
        attachment=words["attachment"],
        subject=words["subject"],
        generator=words["generator"].format(version=__version__),
        author=config.reviewer,
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
            published = chinese_date(meta.published)
            facts.append(("发布日期", f"{published}（第{meta.published_line}行）" if meta.published_line else published))
    facts += [("审核文件", result.path), ("审核日期", chinese_date(run.audit_date)), ("规则集版本", run.ruleset.version_text())]
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
        status=labels.status(finding.status), note=finding.note, fingerprint=finding.fingerprint, page=finding.page,
        other=_other(finding),
    )


def _other(finding: Finding) -> str:
    """《file》第N行: the other report a finding over two reports is about."""
    if not finding.other_file:
        return ""
    name = display_path(finding.other_file)
    return f"{name} 第{finding.other_line}行" if finding.other_line else name


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
            if finding.page:
                item.pages[finding.line] = finding.page
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
    words = wording()["notes"]
    notes = [words["source"]]
    if any(f.kind == "limit" for f in findings):
        notes.append(words["review"])
    if any(f.outcome == "impossible" for f in findings):
        notes.append(words["impossible"])
    return notes


def memo_stem(path: str, used: set) -> str:
    """A file name stem for the memo of `path`, unique within one output folder."""
    stem = f"{Path(path).stem}_审核意见"
    candidate, n = stem, 2
    while candidate in used:
        candidate, n = f"{stem}-{n}", n + 1
    used.add(candidate)
    return candidate

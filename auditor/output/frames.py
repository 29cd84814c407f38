"""The batch as pandas tables: findings, reports, and the summaries pivoted from them.

findings_frame / reports_frame keep English column keys for computing; EXPORT_* rename
them to the Chinese headers users read in CSV, XLSX, Markdown and HTML. Summaries count
only findings that count (not accepted/dismissed in the baseline), except the column that
says how many were settled. Files are shown as sanitize.display_path gives them (a name that
is not UTF-8 with backslash escapes), the same in every output.
"""

import pandas as pd

from .. import labels
from ..conclusion import PASS, UNAUDITABLE
from .sanitize import display_path

FINDING_HEADERS = {
    "file": "文件", "body": "单位", "year": "年度", "level": "行政层级", "rule_id": "规则", "family_label": "类别",
    "severity_label": "级别", "kind_label": "问题性质", "title": "规则标题", "section": "章节", "table": "表", "row": "行", "column": "列",
    "line": "行号", "page": "页码", "other_file": "对照报告", "other_line": "对照行号", "quote": "原文", "expected": "应为", "actual": "实际", "message": "问题说明", "basis": "依据",
    "fix": "整改建议", "outcome_label": "核验结果", "status_label": "处理状态", "note": "处理理由",
    "conclusion": "报告结论", "fingerprint": "指纹",
}
REPORT_HEADERS = {
    "file": "文件", "body": "单位", "year": "年度", "level": "行政层级", "template": "检测到的模板",
    "expected_template": "适用模板", "published": "发布日期", "parse_status": "解析状态", "error": "错误",
    "warning": "警告", "info": "提示", "review": "需人工复核", "settled": "已接受/排除", "conclusion": "结论", "reason": "结论依据",
}
SEVERITIES = ("error", "warning", "info", "review")
TOP = 10


def findings_frame(results, conclusions) -> pd.DataFrame:
    """One row per finding (every status), with its report's identity and conclusion."""
    rows = []
    for result, conclusion in zip(results, conclusions):
        meta = result.report.metadata if result.report else None
        for finding in result.findings:
            data = finding.as_dict()
            data.update(
                file=display_path(finding.file),
                level=labels.level(meta.level if meta else ""), family_label=labels.family(finding.family),
                severity_label=labels.severity(finding.severity), kind_label=labels.kind(finding.kind), status_label=labels.status(finding.status),
                outcome_label=labels.outcome(finding.outcome), counts=finding.counts, conclusion=conclusion.label,
                body=finding.body or (meta.body if meta else ""), year=finding.year or (meta.year if meta else None),
            )
            rows.append(data)
    columns = list(FINDING_HEADERS) + ["family", "severity", "kind", "status", "outcome", "counts"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["year"] = frame["year"].astype("Int64")
    frame["line"] = frame["line"].astype("Int64")
    frame["page"] = frame["page"].astype("Int64")  # a PDF's page; empty for other files
    frame["other_line"] = frame["other_line"].astype("Int64")  # findings over two reports
    frame["other_file"] = frame["other_file"].map(lambda f: display_path(f) if isinstance(f, str) and f else "")
    return frame


def reports_frame(results, conclusions) -> pd.DataFrame:
    """One row per audited file: identity, template, parse status, counts, conclusion."""
    rows = []
    for result, conclusion in zip(results, conclusions):
        meta = result.report.metadata if result.report else None
        rows.append({
            "file": display_path(result.path),
            "body": meta.body if meta else "",
            "year": meta.year if meta else None,
            "level": labels.level(meta.level if meta else ""),
            "template": labels.template(meta.template) if meta else "",
            "expected_template": labels.template(meta.expected_template) if meta and meta.expected_template else "",
            "published": meta.published if meta else "",
            "parse_status": "已解析" if result.parsed else f"输入错误 {result.error.code}：{result.error.message}" if result.error else "输入错误",
            **{k: conclusion.counts.get(k, 0) for k in SEVERITIES},
            "settled": conclusion.settled,
            "conclusion": conclusion.label,
            "reason": conclusion.reason_text(),
        })
    frame = pd.DataFrame(rows, columns=list(REPORT_HEADERS))
    frame["year"] = frame["year"].astype("Int64")
    return frame


def export(frame: pd.DataFrame, headers: dict) -> pd.DataFrame:
    return frame[list(headers)].rename(columns=headers)


def _counted(findings: pd.DataFrame) -> pd.DataFrame:
    return findings[findings["counts"].astype(bool)]


def _severity_pivot(findings: pd.DataFrame, by: str) -> pd.DataFrame:
    counted = _counted(findings)
    pivot = pd.crosstab(counted[by], counted["severity"]) if len(counted) else pd.DataFrame()
    pivot = pivot.reindex(columns=list(SEVERITIES), fill_value=0)
    pivot.columns = [labels.severity(s) for s in SEVERITIES]
    return pivot


def by_rule(findings: pd.DataFrame) -> pd.DataFrame:
    if findings.empty:
        return pd.DataFrame(columns=["规则", "类别", "规则标题", "级别", "问题数", "涉及报告数", "已接受/排除"])
    grouped = findings.groupby("rule_id", sort=False)
    counted = _counted(findings).groupby("rule_id")
    table = pd.DataFrame({
        "类别": grouped["family_label"].first(),
        "规则标题": grouped["title"].first(),
        "级别": grouped["severity_label"].agg(lambda s: "、".join(dict.fromkeys(s))),
        "问题数": counted.size(),
        "涉及报告数": counted["file"].nunique(),
        "已接受/排除": grouped["counts"].agg(lambda s: int((~s.astype(bool)).sum())),
    })
    table[["问题数", "涉及报告数"]] = table[["问题数", "涉及报告数"]].fillna(0).astype(int)
    table = table.reset_index().rename(columns={"rule_id": "规则"})
    return table.sort_values(["涉及报告数", "问题数", "规则"], ascending=[False, False, True], ignore_index=True)


def by_family(findings: pd.DataFrame) -> pd.DataFrame:
    """Every rule family (those without findings too; "input" only when present)."""
    pivot = _severity_pivot(findings, "family")
    known, present = list(labels.labels()["families"]), set(pivot.index)
    families = [f for f in known if f != "input" or f in present] + sorted(present - set(known))
    pivot = pivot.reindex(families, fill_value=0)
    counted = _counted(findings)
    pivot["合计"] = pivot.sum(axis=1)
    pivot["涉及报告数"] = counted.groupby("family")["file"].nunique().reindex(pivot.index).fillna(0).astype(int) if len(counted) else 0
    pivot = pivot.loc[sorted(pivot.index, key=labels.family_order)]
    pivot.index = [labels.family(f) for f in pivot.index]
    return pivot.rename_axis("类别").reset_index()


def by_severity(findings: pd.DataFrame) -> pd.DataFrame:
    counted = _counted(findings)
    rows = [(labels.severity(s), int((counted["severity"] == s).sum()), int(counted.loc[counted["severity"] == s, "file"].nunique())) for s in SEVERITIES]
    settled = findings[~findings["counts"].astype(bool)]
    rows.append(("已接受/排除（不计入）", len(settled), int(settled["file"].nunique())))
    return pd.DataFrame(rows, columns=["级别", "问题数", "涉及报告数"])


def _by_report_key(reports: pd.DataFrame, findings: pd.DataFrame, key: str, label: str) -> pd.DataFrame:
    reports = reports.assign(_key=reports[key].astype("string").fillna("未能识别"))
    findings = findings.assign(_key=findings[key].astype("string").fillna("未能识别"))
    conclusions = pd.crosstab(reports["_key"], reports["conclusion"]).reindex(columns=labels.conclusions(), fill_value=0)
    table = pd.DataFrame({"报告数": reports.groupby("_key").size()}).join(conclusions)
    audited = table["报告数"]
    table["合格率"] = (table[PASS] / audited).map(lambda v: f"{v:.0%}")
    table = table.join(_severity_pivot(findings, "_key")).fillna(0)
    numeric = [c for c in table.columns if c != "合格率"]
    table[numeric] = table[numeric].astype(int)
    return table.rename_axis(label).reset_index()


def by_year(reports: pd.DataFrame, findings: pd.DataFrame) -> pd.DataFrame:
    return _by_report_key(reports, findings, "year", "年度")


def by_level(reports: pd.DataFrame, findings: pd.DataFrame) -> pd.DataFrame:
    return _by_report_key(reports, findings, "level", "行政层级")


def top_problems(findings: pd.DataFrame, reports: pd.DataFrame, n: int = TOP) -> pd.DataFrame:
    table = by_rule(findings)
    table = table[table["问题数"] > 0].head(n).reset_index(drop=True)
    audited = max(int((reports["conclusion"] != UNAUDITABLE).sum()), 1)
    table.insert(0, "排名", range(1, len(table) + 1))
    table["占已审报告比例"] = (table["涉及报告数"] / audited).map(lambda v: f"{v:.0%}")
    return table[["排名", "规则", "类别", "规则标题", "涉及报告数", "占已审报告比例", "问题数"]]


def overview(reports: pd.DataFrame, findings: pd.DataFrame) -> pd.DataFrame:
    counted = _counted(findings)
    total = len(reports)
    conclusions = reports["conclusion"].value_counts()
    passed = int(conclusions.get(PASS, 0))
    rows = [("报告总数", total), ("成功解析", int((reports["parse_status"] == "已解析").sum()))]
    rows += [(label, int(conclusions.get(label, 0))) for label in labels.conclusions()]
    rows.append(("合格率（合格 / 报告总数）", f"{passed / total:.1%}" if total else "—"))
    rows += [(labels.severity(s), int((counted["severity"] == s).sum())) for s in SEVERITIES]
    rows.append(("已接受/排除（不计入）", len(findings) - len(counted)))
    return pd.DataFrame(rows, columns=["项目", "数值"]).astype({"数值": "string"})


def pass_share(reports: pd.DataFrame) -> float:
    return float((reports["conclusion"] == PASS).mean()) if len(reports) else 0.0


def summaries(reports: pd.DataFrame, findings: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Every summary table, by its (sheet / section) name, in display order."""
    return {
        "总体情况": overview(reports, findings),
        "常见问题": top_problems(findings, reports),
        "按类别": by_family(findings),
        "按级别": by_severity(findings),
        "按规则": by_rule(findings),
        "按年度": by_year(reports, findings),
        "按行政层级": by_level(reports, findings),
        CROSS: cross_findings(findings),
    }


CROSS = "跨年度与雷同"  # the section of findings over two reports (packs YEAR, COPY)


def cross_findings(findings: pd.DataFrame) -> pd.DataFrame:
    """Findings over two reports that count, each naming the other report."""
    rows = findings[findings["family"].isin(("year", "copy")) & findings["counts"].astype(bool)]
    view = rows[["file", "body", "year", "rule_id", "severity_label", "message", "other_file", "other_line"]]
    return view.rename(columns={**FINDING_HEADERS, "severity_label": "级别"}).reset_index(drop=True)

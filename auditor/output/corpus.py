"""Write the batch outputs to a folder (--out DIR).

  findings.csv    every finding, Chinese headers, UTF-8 with BOM (Excel opens it correctly)
  findings.xlsx   sheets: 总体情况, 问题清单, 报告清单 and one per summary (按规则, 按类别, …);
                  printable, coloured, linked to the memos, with 处理意见 / 理由 to fill in (output/xlsx.py)
  findings.jsonl  every finding, one JSON object per line (same records as --format json)
  reports.csv     one row per report: identity, template, parse status, counts, conclusion
  summary.md      the summaries as Markdown tables
  summary.html    the summary page with charts (output/page.py)
"""

from pathlib import Path

import pandas as pd

from .. import __version__
from . import frames
from .atomic import ensure_folder, write_bytes
from .jsonl import finding_json
from .page import render_page
from .sanitize import clean_frame, display_path, md, md_cell
from .xlsx import FINDINGS, REPORTS, with_decisions, with_memo_links, xlsx_bytes

CSV_ENCODING = "utf-8-sig"
FILES = ("findings.csv", "findings.xlsx", "findings.jsonl", "reports.csv", "summary.md", "summary.html")


def write_corpus(results, conclusions, run, folder, memo_links: dict | None = None) -> list[Path]:
    """Write every batch output to `folder`; returns the paths written.

    Every file is rendered in memory first (a failure leaves the folder untouched), then each
    is written atomically (output/atomic.py). Text is cleaned where it enters each writer:
    CSV/XLSX cells never start a formula and carry no XML-illegal character, Markdown and HTML
    are escaped, file names that are not UTF-8 are shown with backslash escapes.
    """
    folder = ensure_folder(folder)
    findings = frames.findings_frame(results, conclusions)
    reports = frames.reports_frame(results, conclusions)
    finding_table = frames.export(findings, frames.FINDING_HEADERS)
    report_table = frames.export(reports, frames.REPORT_HEADERS)
    tables = frames.summaries(reports, findings)
    links = {display_path(path): link for path, link in (memo_links or {}).items()}  # the frames show files so

    report_sheet, memo_targets = with_memo_links(report_table, links, folder)
    shown = {k: v for k, v in tables.items() if k != "总体情况" and (k != frames.CROSS or len(v))}
    sheets = {"总体情况": tables["总体情况"], FINDINGS: with_decisions(finding_table), REPORTS: report_sheet, **shown}
    jsonl = "".join(finding_json(finding) + "\n" for result in results for finding in result.findings)
    rendered = {
        "findings.csv": _csv(finding_table),
        "findings.xlsx": xlsx_bytes(sheets, memo_targets),
        "findings.jsonl": jsonl.encode("utf-8"),
        "reports.csv": _csv(report_table),
        "summary.md": summary_markdown(reports, tables, run).encode("utf-8"),
        "summary.html": render_page(reports, findings, run, links).encode("utf-8"),
    }
    return [write_bytes(folder / name, rendered[name]) for name in FILES]


def _csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM (Excel opens it correctly); every text cell cleaned (sanitize.cell)."""
    return clean_frame(frame).to_csv(index=False).encode(CSV_ENCODING)


def summary_markdown(reports: pd.DataFrame, tables: dict, run) -> str:
    total = len(reports)
    passed = int((reports["conclusion"] == "合格").sum())
    lines = [
        "# 政府信息公开工作年度报告审核汇总",
        "",
        f"审核日期：{md(run.audit_date)}；报告 {total} 份；合格 {passed} 份，合格率 {frames.pass_share(reports):.1%}（合格 / 报告总数）。",
        "",
        f"规则集版本：{md(run.ruleset.version_text())}。",
        "",
    ]
    if run.ruleset.changes_text():
        lines += [f"按配置调整：{md(run.ruleset.changes_text())}。", ""]
    for name, frame in tables.items():
        if name != frames.CROSS or len(frame):  # (no section for a batch without pairs)
            lines += [f"## {name}", "", _markdown(frame), ""]
    report_view = frames.export(reports, frames.REPORT_HEADERS)[["文件", "单位", "年度", "行政层级", "错误", "警告", "提示", "已接受/排除", "结论", "结论依据"]]
    lines += ["## 报告清单", "", _markdown(report_view), ""]
    lines.append(f"由 gkaudit {__version__} 生成；问题明细见 findings.csv / findings.xlsx / findings.jsonl。")
    return "\n".join(lines) + "\n"


def _markdown(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "无。"
    clean = frame.astype(object).where(frame.notna(), "").map(lambda v: v if isinstance(v, (int, float)) else md_cell(v))
    clean.columns = [md_cell(c) for c in clean.columns]
    return clean.to_markdown(index=False)

"""Write the batch outputs to a folder (--out DIR).

  findings.csv    every finding, Chinese headers, UTF-8 with BOM (Excel opens it correctly)
  findings.xlsx   sheets: 总体情况, 问题清单, 报告清单 and one per summary (按规则, 按类别, …)
  findings.jsonl  every finding, one JSON object per line (same records as --format json)
  reports.csv     one row per report: identity, template, parse status, counts, conclusion
  summary.md      the summaries as Markdown tables
  summary.html    the summary page with charts (output/page.py)
"""

import io
import re
from pathlib import Path

import pandas as pd

from .. import __version__
from . import frames
from .atomic import ensure_folder, write_bytes
from .jsonl import finding_json
from .page import render_page
from .sanitize import XLSX_CELL_CHARS, clean_frame, display_path, md, md_cell

CSV_ENCODING = "utf-8-sig"
WRAPPED = {"问题说明", "依据", "整改建议", "原文", "结论依据", "解析状态", "处理理由", "规则标题"}
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

    sheets = {"总体情况": tables["总体情况"], "问题清单": finding_table, "报告清单": report_table, **{k: v for k, v in tables.items() if k != "总体情况"}}
    jsonl = "".join(finding_json(finding) + "\n" for result in results for finding in result.findings)
    rendered = {
        "findings.csv": _csv(finding_table),
        "findings.xlsx": _xlsx(sheets),
        "findings.jsonl": jsonl.encode("utf-8"),
        "reports.csv": _csv(report_table),
        "summary.md": summary_markdown(reports, tables, run).encode("utf-8"),
        "summary.html": render_page(reports, findings, run, links).encode("utf-8"),
    }
    return [write_bytes(folder / name, rendered[name]) for name in FILES]


def _csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM (Excel opens it correctly); every text cell cleaned (sanitize.cell)."""
    return clean_frame(frame).to_csv(index=False).encode(CSV_ENCODING)


def _xlsx(sheets: dict[str, pd.DataFrame]) -> bytes:
    from openpyxl.styles import Alignment, Font, PatternFill

    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame = clean_frame(frame, XLSX_CELL_CHARS)
            frame.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            if name not in LISTS:
                _numbers(sheet)
            sheet.freeze_panes = "A2"
            if len(frame):
                sheet.auto_filter.ref = sheet.dimensions
            for cell in sheet[1]:
                cell.font = Font(bold=True)
                cell.fill = PatternFill("solid", fgColor="EEF1F4")
            for index, column in enumerate(frame.columns, 1):
                letter = sheet.cell(row=1, column=index).column_letter
                texts = [str(column)] + [str(v) for v in frame[column].head(500) if not pd.isna(v)]
                width = max(_width(t) for t in texts) + 2
                wrap = column in WRAPPED
                sheet.column_dimensions[letter].width = min(width, 60 if wrap else 40)
                if wrap:
                    for cell in sheet[letter][1:]:
                        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return buffer.getvalue()


LISTS = ("问题清单", "报告清单")  # sheets of findings and reports: their text stays text
_COUNT = re.compile(r"\d+")
_SHARE = re.compile(r"(\d+(?:\.\d+)?)%")


def _numbers(sheet) -> None:
    """Counts and shares of a summary sheet as numbers Excel can sort and sum ("60.0%" -> 0.6
    shown as 60.0%), not text."""
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if not isinstance(cell.value, str):
                continue
            if _COUNT.fullmatch(cell.value):
                cell.value = int(cell.value)
            elif found := _SHARE.fullmatch(cell.value):
                digits = found.group(1).partition(".")[2]
                cell.value = float(found.group(1)) / 100
                cell.number_format = "0." + "0" * len(digits) + "%" if digits else "0%"


def _width(text: str) -> int:
    """Display width: CJK characters count double."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


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

"""findings.xlsx: the batch's sheets as a workbook people print, sort and fill in.

Every sheet: header row bold and frozen, filters on, widths by display width, A4 landscape
fitted to one page wide with the header row repeated on every printed page and "第 X 页 共 Y
页" in the footer. Summary sheets: counts and shares as numbers. 问题清单: the 级别 cell and
the 报告结论 cell coloured; two columns an inspector fills in, 处理意见 (a list: 接受 / 排除)
and 理由, prefilled with the baseline's decisions, read back by `auditor baseline import`.
报告清单: the 结论 cell coloured and, when memos were written, a link to each report's memo.
Colours, column names and the print footer are in auditor/data/sheets.yaml.
"""

import io
import re
from functools import cache
from pathlib import Path
from urllib.parse import quote

import pandas as pd
import yaml

from .. import labels
from .sanitize import XLSX_CELL_CHARS, clean_frame

FINDINGS, REPORTS = "问题清单", "报告清单"
LISTS = (FINDINGS, REPORTS)  # sheets of findings and reports: their text stays text
WRAPPED = {"问题说明", "依据", "整改建议", "原文", "结论依据", "解析状态", "处理理由", "规则标题", "理由"}
_COUNT = re.compile(r"\d+")
_SHARE = re.compile(r"(\d+(?:\.\d+)?)%")
_DATA = Path(__file__).resolve().parent.parent / "data" / "sheets.yaml"


@cache
def settings() -> dict:
    """auditor/data/sheets.yaml."""
    with open(_DATA, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def with_decisions(findings: pd.DataFrame) -> pd.DataFrame:
    """问题清单 with the two decision columns, prefilled from the findings' baseline status."""
    words = settings()["decision"]
    back = {labels.status(status): word for word, status in words["values"].items()}
    decided = findings["处理状态"].map(back)
    return findings.assign(**{words["column"]: decided.fillna(""), words["reason"]: findings["处理理由"].where(decided.notna(), "")})


def with_memo_links(reports: pd.DataFrame, links: dict, folder: Path) -> tuple[pd.DataFrame, list]:
    """报告清单 with a 审核意见 column (the memo's file name) and the link targets, row by row."""
    if not links:
        return reports, []
    targets = [_preferred(links.get(file, ""), folder) for file in reports["文件"]]
    names = [target.rsplit("/", 1)[-1] for target in targets]
    return reports.assign(**{settings()["memo_column"]: names}), targets


def _preferred(link: str, folder: Path) -> str:
    """The memo a link should open: a DOCX (or PDF) written beside the given one, if any."""
    if not link:
        return ""
    stem = link.rsplit(".", 1)[0]
    for suffix in settings()["memo_preference"]:
        if (folder / f"{stem}.{suffix}").is_file():
            return f"{stem}.{suffix}"
    return link


def xlsx_bytes(sheets: dict[str, pd.DataFrame], memo_targets: list | None = None) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame = clean_frame(frame, XLSX_CELL_CHARS)
            frame.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            if name not in LISTS:
                _numbers(sheet)
            _layout(sheet, frame)
            _colours(sheet, frame)
            if name == FINDINGS:
                _decisions(sheet, frame)
            if name == REPORTS and memo_targets:
                _links(sheet, frame, memo_targets)
            _print_setup(sheet)
    return buffer.getvalue()


def _layout(sheet, frame: pd.DataFrame) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    sheet.freeze_panes = "A2"
    if len(frame):
        sheet.auto_filter.ref = sheet.dimensions
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=settings()["header_fill"])
    for index, column in enumerate(frame.columns, 1):
        letter = sheet.cell(row=1, column=index).column_letter
        texts = [str(column)] + [str(v) for v in frame[column].head(500) if not pd.isna(v)]
        width = max(_width(t) for t in texts) + 2
        wrap = column in WRAPPED
        sheet.column_dimensions[letter].width = min(width, 60 if wrap else 40)
        if wrap:
            for cell in sheet[letter][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def _column(frame: pd.DataFrame, name: str) -> int:
    """1-based column of `name` in the sheet, 0 when absent."""
    return list(frame.columns).index(name) + 1 if name in frame.columns else 0


def _paint(cell, colours) -> None:
    from openpyxl.styles import Font, PatternFill

    fill, text = colours
    cell.fill = PatternFill("solid", fgColor=fill)
    cell.font = Font(color=text, bold=cell.font.bold)


def _colours(sheet, frame: pd.DataFrame) -> None:
    """级别 by severity; 结论 / 报告结论 by conclusion (colours from sheets.yaml)."""
    data = settings()
    by_label = {labels.severity(key): colours for key, colours in data["severity_colours"].items()}
    for name, palette in (("级别", by_label), ("结论", data["conclusion_colours"]), ("报告结论", data["conclusion_colours"])):
        column = _column(frame, name)
        if not column:
            continue
        for row in range(2, len(frame) + 2):
            colours = palette.get(sheet.cell(row=row, column=column).value)
            if colours:
                _paint(sheet.cell(row=row, column=column), colours)


def _decisions(sheet, frame: pd.DataFrame) -> None:
    """处理意见: a list to choose from (接受 / 排除); both columns' headers marked as to fill in."""
    from openpyxl.styles import PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    words = settings()["decision"]
    column, reason = _column(frame, words["column"]), _column(frame, words["reason"])
    if not column:
        return
    for index in (column, reason):
        sheet.cell(row=1, column=index).fill = PatternFill("solid", fgColor=words["header_fill"])
    letter = sheet.cell(row=1, column=column).column_letter
    sheet.column_dimensions[letter].width = 10
    choice = DataValidation(
        type="list", formula1='"' + ",".join(words["values"]) + '"', allow_blank=True,
        showErrorMessage=True, errorTitle=words["prompt_title"], error=words["error"],
        showInputMessage=True, promptTitle=words["prompt_title"], prompt=words["prompt"][:255],
    )
    choice.add(f"{letter}2:{letter}{max(len(frame), 1) + 1}")
    sheet.add_data_validation(choice)


def _links(sheet, frame: pd.DataFrame, targets: list) -> None:
    """Each report's memo cell links to the memo (a path relative to the workbook)."""
    column = _column(frame, settings()["memo_column"])
    for row, target in enumerate(targets, 2):
        if target:
            cell = sheet.cell(row=row, column=column)
            cell.hyperlink = quote(target, safe="/")
            cell.style = "Hyperlink"


def _print_setup(sheet) -> None:
    """A4 landscape, one page wide, the header row on every page, page numbers in the footer."""
    data = settings()["print"]
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.print_options.gridLines = False
    margins = data["margins_cm"]
    for side in ("left", "right", "top", "bottom"):
        setattr(sheet.page_margins, side, margins[side] / 2.54)
    sheet.oddFooter.center.text = data["footer"]


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

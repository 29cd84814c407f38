"""`auditor audit corpus/ --out out/ --memo out/memos`: every file written, opened and checked."""

import base64
import io
import json
import re
import shutil
from urllib.parse import unquote

import docx
import openpyxl
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from PIL import Image

from auditor.cli import main
from auditor.output import charts

from .conftest import ROOT, SEEDS


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    """One run over a copy of the bundled corpus (README included, as in corpus/; a generated
    corpus/synthetic left out)."""
    work = tmp_path_factory.mktemp("work")
    shutil.copytree(ROOT / "corpus", work / "corpus", ignore=shutil.ignore_patterns("synthetic"))
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(work)
        code = main(["audit", "corpus/", "--out", "out/", "--memo", "out/memos", "--date", "2025-06-01", "--no-progress"])
    return work / "out", code


def test_exit_code_and_every_file(out):
    folder, code = out
    assert code == 1  # seeds 002, 003, 004 have errors
    names = {p.name for p in folder.iterdir()}
    assert names >= {"findings.csv", "findings.xlsx", "findings.jsonl", "reports.csv", "summary.md", "summary.html", "memos"}
    memos = sorted(p.name for p in (folder / "memos").iterdir())
    stems = sorted(p.stem for p in SEEDS.glob("*.txt"))
    assert memos == sorted([f"{s}_审核意见.docx" for s in stems] + [f"{s}_审核意见.md" for s in stems])


def test_findings_csv_opens_in_excel_and_pandas(out):
    path = out[0] / "findings.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel reads it as UTF-8
    frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str)
    assert list(frame.columns[:9]) == ["文件", "单位", "年度", "行政层级", "规则", "类别", "级别", "问题性质", "规则标题"]
    for column in ("原文", "应为", "实际", "问题说明", "依据", "整改建议", "处理状态", "报告结论", "指纹"):
        assert column in frame.columns
    short = frame[(frame["规则"] == "RECON-010") & frame["文件"].str.contains("004_")]
    # rows whose numbers cannot be placed: one reading limit for the table, apart from defects
    assert list(short["行号"]) == ["131"] and set(short["级别"]) == {"需人工复核"} and set(short["问题性质"]) == {"需人工复核"}
    assert set(short["报告结论"]) == {"合格"} and set(frame["处理状态"]) == {"新发现"}
    assert set(frame["问题性质"]) == {"报告问题", "需人工复核"}
    assert not frame["文件"].str.contains("README").any()  # a folder's README is not a report
    assert frame["指纹"].str.fullmatch(r"[0-9a-f]{16}").all()


def test_findings_jsonl_line_by_line(out):
    lines = (out[0] / "findings.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    csv = pd.read_csv(out[0] / "findings.csv", encoding="utf-8-sig", dtype=str)
    assert len(records) == len(csv) > 0
    assert list(records[0])[:6] == ["file", "rule_id", "family", "severity", "kind", "section"]
    assert {r["kind"] for r in records} == {"defect", "limit"}
    assert all(r["kind"] == "limit" for r in records if r["severity"] == "review")
    assert {r["fingerprint"] for r in records} == set(csv["指纹"])
    assert all(r["status"] == "new" for r in records)


def test_reports_csv_one_row_per_report(out):
    reports = pd.read_csv(out[0] / "reports.csv", encoding="utf-8-sig", dtype={"年度": "Int64"})
    assert len(reports) == 5
    expected = ["文件", "单位", "年度", "行政层级", "检测到的模板", "适用模板", "发布日期", "解析状态", "错误", "警告", "提示", "需人工复核", "已接受/排除", "结论", "结论依据"]
    assert list(reports.columns) == expected
    by_file = reports.set_index(reports["文件"].str.extract(r"(\d{3})_")[0])
    assert by_file.loc["004", "结论"] == "合格" and by_file.loc["004", "错误"] == 0 and by_file.loc["004", "需人工复核"] == 1
    assert by_file.loc["003", "结论"] == "需整改" and by_file.loc["001", "结论"] == "合格"
    assert by_file.loc["002", "年度"] == 2022 and by_file.loc["002", "适用模板"].startswith("2021年版")
    assert set(reports["解析状态"]) == {"已解析"} and set(reports["行政层级"]) == {"乡镇"}


def test_xlsx_sheets(out):
    book = openpyxl.load_workbook(out[0] / "findings.xlsx", read_only=True)
    assert book.sheetnames == ["总体情况", "问题清单", "报告清单", "常见问题", "按类别", "按级别", "按规则", "按年度", "按行政层级"]
    overview = {r[0]: r[1] for r in book["总体情况"].iter_rows(min_row=2, values_only=True)}
    # counts and shares are numbers, not text (a share formatted as a percentage)
    assert overview["报告总数"] == 5 and overview["合格"] == 3 and overview["合格率（合格 / 报告总数）"] == 0.6
    findings = list(book["问题清单"].iter_rows(values_only=True))
    csv = pd.read_csv(out[0] / "findings.csv", encoding="utf-8-sig")
    assert len(findings) - 1 == len(csv) and findings[0][4] == "规则"
    years = {r[0]: r for r in book["按年度"].iter_rows(min_row=2, values_only=True)}
    assert set(years) == {2020, 2022} and years[2020][1] == 4
    families = {r[0]: r for r in book["按类别"].iter_rows(min_row=2, values_only=True)}
    assert {"勾稽关系", "必备内容", "信息处理费", "模板年度符合性", "合理性"} <= set(families)
    assert families["信息处理费"][4] == 0  # 合计: families without findings are listed with 0
    top = list(book["常见问题"].iter_rows(min_row=2, values_only=True))
    assert top[0][1] == "TMPL-004" and top[0][4] == 5  # label deviations in every seed
    assert top[0][5] == 1.0 and book["常见问题"]["F2"].number_format == "0%"  # a share, shown as 100%
    levels = {r[0]: r for r in book["按行政层级"].iter_rows(min_row=2, values_only=True)}
    assert levels["乡镇"][1] == 5


def test_xlsx_prints_landscape_one_page_wide_coloured_and_linked(out):
    folder = out[0]
    book = openpyxl.load_workbook(folder / "findings.xlsx")
    for sheet in book.worksheets:  # A4 landscape, every column on one page, the header on each page
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.print_title_rows == "$1:$1"
        assert "&P" in sheet.oddFooter.center.text and "&N" in sheet.oddFooter.center.text
    findings = book["问题清单"]
    header = [c.value for c in findings[1]]
    assert header[-3:] == ["指纹", "处理意见", "理由"]  # to fill in, read back by `baseline import`
    level = header.index("级别") + 1
    fills = {findings.cell(row, level).value: findings.cell(row, level).fill.fgColor.rgb for row in range(2, findings.max_row + 1)}
    assert fills["错误"].endswith("FFC7CE") and fills["警告"].endswith("FFEB9C") and fills["需人工复核"].endswith("E4DFEC")
    assert findings.cell(2, level).font.color.rgb.endswith(("9C0006", "7F4F00", "1F4E78", "4B2C7A"))  # dark text on a light fill
    (choice,) = findings.data_validations.dataValidation
    letter = openpyxl.utils.get_column_letter(header.index("处理意见") + 1)
    assert choice.type == "list" and choice.formula1 == '"接受,排除"' and str(choice.sqref) == f"{letter}2:{letter}{findings.max_row}"
    reports = book["报告清单"]
    columns = [c.value for c in reports[1]]
    assert columns[-1] == "审核意见"
    for row in range(2, reports.max_row + 1):
        cell = reports.cell(row, len(columns))
        target = unquote(cell.hyperlink.target)
        assert target.startswith("memos/") and target.endswith("_审核意见.docx") and (folder / target).is_file()
        assert target.endswith(cell.value) and reports.cell(row, 1).value.rsplit("/", 1)[1].split(".")[0] in target
    conclusion = columns.index("结论") + 1
    assert {reports.cell(r, conclusion).value: reports.cell(r, conclusion).fill.fgColor.rgb[-6:] for r in range(2, 7)} == {"合格": "C6EFCE", "需整改": "FFEB9C"}


def test_xlsx_without_memos_has_no_memo_column(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["audit", str(SEEDS / sorted(p.name for p in SEEDS.glob("*.txt"))[0]), "--out", "out", "--no-progress", "-q"]) == 0
    book = openpyxl.load_workbook(tmp_path / "out" / "findings.xlsx")
    assert "审核意见" not in [c.value for c in book["报告清单"][1]]


def test_summary_md(out):
    text = (out[0] / "summary.md").read_text(encoding="utf-8")
    assert text.startswith("# 政府信息公开工作年度报告审核汇总")
    assert "合格 3 份，合格率 60.0%" in text
    for heading in ("## 常见问题", "## 按类别", "## 按规则", "## 按年度", "## 按行政层级", "## 报告清单"):
        assert heading in text
    assert "| TMPL-004" in text and "需整改" in text


def test_summary_html_is_self_contained_with_tables_and_charts(out):
    page = (out[0] / "summary.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "html.parser")
    assert soup.find("h1").text == "政府信息公开工作年度报告审核汇总"
    assert not soup.find_all("script") and not soup.find_all("link")
    assert all(img["src"].startswith("data:image/png;base64,") for img in soup.find_all("img"))
    images = soup.find_all("img")
    assert [img["alt"] for img in images] == ["按类别的问题数", "各行政层级的审核结论", "最常见的问题"]
    for img in images:
        picture = Image.open(io.BytesIO(base64.b64decode(img["src"].split(",", 1)[1])))
        assert picture.format == "PNG" and picture.width > 300 and picture.height > 150
    headings = [h.text for h in soup.find_all("h2")]
    assert headings[:2] == ["常见问题", "按类别"] and "报告清单" in headings
    reports = soup.find("h2", string="报告清单").find_next("table")
    rows = reports.find_all("tr")[1:]
    assert len(rows) == 5
    badges = {re.search(r"(\d{3})_", r.td.text).group(1): r.find("span", class_="badge").text for r in rows}
    assert badges == {"000": "合格", "001": "合格", "002": "需整改", "003": "需整改", "004": "合格"}
    links = [a["href"] for a in reports.find_all("a")]
    assert links and all(href.startswith("memos/") and href.endswith("_审核意见.md") for href in links)
    assert all((out[0] / href).is_file() for href in links)
    top = soup.find("h2", string="常见问题").find_next("table")
    assert [th.text for th in top.find_all("th")][:3] == ["排名", "规则", "类别"]
    assert top.find_all("tr")[1].find_all("td")[1].text == "TMPL-004"


def test_memos_written_by_the_batch(out):
    folder = out[0] / "memos"
    text = (folder / "004_823b9c688159316a_审核意见.md").read_text(encoding="utf-8")
    assert "**合格**" in text and "### 需人工复核" in text and "第131行：“（一）予以公开”" in text and "审核日期 | 2025年6月1日" in text
    document = docx.Document(str(folder / "001_39cc965ecdfa4ae6_审核意见.docx"))
    assert document.paragraphs[0].text == "关于《天津市北辰区小淀镇人民政府2020年政府信息公开工作年度报告》的审核意见"
    assert any(p.runs and p.runs[0].bold and p.runs[0].text == "合格" for p in document.paragraphs)


def test_charts_without_a_cjk_font_fall_back_to_ascii(out, monkeypatch):
    from auditor.output import frames
    from auditor.runtime import build_run

    monkeypatch.setattr(charts, "cjk_font", lambda: None)
    run = build_run(None, folder=out[0])
    results = [run.audit(str(p)) for p in sorted(SEEDS.glob("*.txt"))[:2]]
    conclusions = [run.conclude(r) for r in results]
    reports = frames.reports_frame(results, conclusions)
    words = charts._Words(False)
    assert words.key("conclusion", "合格") == "pass" and words.key("level", "乡镇") == "township"
    assert words.key("family", "勾稽关系") == "RECON"
    png = charts.conclusion_chart(reports)
    assert Image.open(io.BytesIO(png)).format == "PNG"


def test_installed_cjk_font_is_found_when_present():
    font = charts.cjk_font()
    if font is None:
        pytest.skip("no CJK font on this machine (charts use ASCII keys)")
    from matplotlib import font_manager

    path = font_manager.findfont(font_manager.FontProperties(family=font), fallback_to_default=False)
    assert charts._covers(path)

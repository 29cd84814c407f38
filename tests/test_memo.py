"""Audit memos: content built from the findings, Markdown and DOCX read back."""

import re

import docx
import pytest

from auditor.cli import main
from auditor.output.memo import build_memo, memo_stem
from auditor.output.memo_md import render_markdown
from auditor.output.memos import write_memo
from auditor.runtime import build_run

from .conftest import seed

# 表三 rows of seed 004 that print 5 of 7 cells, and the lines they are on
SHORT_ROWS = {"(一)予以公开": 131, "(三)1.属于国家秘密": 148, "(七)总计": 299, "四、结转下年度继续办理": 306}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    return build_run(None, folder=tmp_path_factory.mktemp("empty"), audit_date="2025-06-01")


@pytest.fixture(scope="module")
def memo_004(run):
    result = run.audit(str(seed("004")))
    return build_memo(result, run.conclude(result), run)


@pytest.fixture(scope="module")
def docx_004(run, tmp_path_factory):
    folder = tmp_path_factory.mktemp("memos")
    result = run.audit(str(seed("004")))
    (path,) = write_memo(result, run.conclude(result), run, folder, "docx")
    return docx.Document(str(path)), sum(f.counts for f in result.findings)


def test_memo_content_for_004(memo_004):
    assert memo_004.title == "关于《蓝坊镇2020年政府信息公开工作年度报告》的审核意见"
    facts = dict(memo_004.facts)
    assert facts["单位"] == "蓝坊镇" and facts["年度"] == "2020年" and facts["行政层级"] == "乡镇"
    assert facts["适用模板"].startswith("2019年版") and facts["检测到的模板"].startswith("2019年版")
    assert facts["审核日期"] == "2025-06-01" and "RECON 1.0" in facts["规则集版本"]
    assert "发布日期" not in facts  # 004 prints no date
    assert memo_004.conclusion.label == "不合格" and memo_004.conclusion.counts["error"] >= 5
    short = {r.where.rsplit(" / ", 1)[-1]: r for r in memo_004.findings if r.rule_id == "RECON-010"}
    for row, line in SHORT_ROWS.items():
        assert short[row].line == line and short[row].source.startswith(f"第{line}行：“")
        assert short[row].severity == "错误" and "表三" in short[row].where
    assert short["(一)予以公开"].quote == "（一）予以公开"
    groups = {g.label: g for g in memo_004.fixes}
    assert {"勾稽关系", "模板年度符合性"} <= set(groups)
    recon010 = next(i for i in groups["勾稽关系"].items if i.rule_id == "RECON-010")
    assert recon010.count == len(short) and 131 in recon010.lines and "补全" in recon010.fix
    assert {p.pack for p in memo_004.packs} == {"FEE", "PLAUS", "RECON", "SECT", "TMPL"}


def test_unverifiable_rows_do_not_print_lower_bounds_as_values(memo_004):
    row = next(r for r in memo_004.findings if r.rule_id == "RECON-001")
    assert row.expected == row.actual == "无法确定"


def test_markdown_memo_for_004(memo_004):
    text = render_markdown(memo_004)
    assert text.startswith("# 关于《蓝坊镇2020年政府信息公开工作年度报告》的审核意见\n")
    verdict = text.split("## 二、审核结论", 1)[1].split("## 三", 1)[0]
    assert "**不合格**" in verdict and re.search(r"问题统计：错误 \d+ 条、警告 \d+ 条、提示 \d+ 条", verdict)
    table = text.split("## 三、发现的问题", 1)[1].split("## 四", 1)[0]
    header = "| 序号 | 规则 | 级别 | 位置 | 原文（行号） | 应为 | 实际 | 问题说明 | 依据 | 整改建议 |"
    assert header in table
    rows = [line for line in table.splitlines() if line.startswith("| ") and "RECON-010" in line]
    for row, line in SHORT_ROWS.items():
        assert any(f"/ {row} |" in r and f"第{line}行" in r for r in rows), row
    assert all(r.count(" | ") == 9 for r in rows)  # ten cells: no stray pipes
    assert "## 四、整改建议" in text and "### 勾稽关系" in text and "## 附录：适用的规则包" in text


def test_docx_memo_has_headings_and_real_tables(docx_004):
    docx_004, counted = docx_004
    headings = [(p.style.name, p.text) for p in docx_004.paragraphs if p.style.name == "Title" or p.style.name.startswith("Heading")]
    assert headings[0] == ("Title", "关于《蓝坊镇2020年政府信息公开工作年度报告》的审核意见")
    assert [t for s, t in headings if s == "Heading 1"] == ["一、基本情况", "二、审核结论", "三、发现的问题", "四、整改建议", "说明", "附录：适用的规则包"]
    assert "勾稽关系" in [t for s, t in headings if s == "Heading 2"]
    facts, findings, packs = docx_004.tables
    assert dict((r.cells[0].text, r.cells[1].text) for r in facts.rows[1:])["单位"] == "蓝坊镇"
    header = [c.text for c in findings.rows[0].cells]
    assert header == ["序号", "规则", "级别", "位置", "原文（行号）", "应为", "实际", "问题说明", "依据", "整改建议"]
    body = [[c.text for c in row.cells] for row in findings.rows[1:]]
    assert len(body) == counted and all(len(r) == 10 for r in body)
    short = {r[3].rsplit(" / ", 1)[-1]: r for r in body if r[1] == "RECON-010"}
    for row, line in SHORT_ROWS.items():
        assert short[row][4].startswith(f"第{line}行") and short[row][2] == "错误"
    assert findings._tbl.xpath("./w:tr[1]/w:trPr/w:tblHeader")  # header row repeats on each page
    assert [c.text for c in packs.rows[0].cells][:3] == ["规则包", "名称", "版本"] and len(packs.rows) == 6
    conclusion = next(p for p in docx_004.paragraphs if p.runs and p.runs[0].bold and p.runs[0].text in ("合格", "需整改", "不合格"))
    assert conclusion.runs[0].text == "不合格"
    assert docx_004.sections[1].page_width > docx_004.sections[1].page_height  # findings on landscape pages


def test_memo_for_a_clean_report_and_an_unreadable_file(run, tmp_path):
    result = run.audit(str(seed("001")))
    memo = build_memo(result, run.conclude(result), run)
    assert memo.title == "关于《小淀镇人民政府2020年政府信息公开工作年度报告》的审核意见"
    assert memo.conclusion.label == "合格" and dict(memo.facts)["发布日期"].startswith("2021-01-14")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run.audit(str(empty))
    memo = build_memo(result, run.conclude(result), run)
    assert memo.title == "关于《empty.txt》的审核意见" and memo.conclusion.label == "无法审核"
    assert memo.findings[0].rule_id == "INPUT-001"
    write_memo(result, run.conclude(result), run, tmp_path / "m", "both")  # renders without a report


def test_memo_command_writes_both_formats(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["memo", str(seed("004")), "--out", "memos", "--date", "2025-06-01"]) == 1  # errors: exit 1
    written = capsys.readouterr().out.split()
    assert [p.rsplit(".", 1)[1] for p in written] == ["md", "docx"]
    assert "审核日期 | 2025-06-01" in (tmp_path / written[0]).read_text(encoding="utf-8")
    assert main(["memo", "missing.txt"]) == 2


def test_memo_names_stay_unique():
    used: set = set()
    assert memo_stem("a/report.txt", used) == "report_审核意见"
    assert memo_stem("b/report.txt", used) == "report_审核意见-2"

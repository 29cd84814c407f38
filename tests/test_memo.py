"""Audit memos: content built from the findings, Markdown and DOCX read back."""

import datetime
import io
import re

import docx
import pytest

from auditor.cli import main
from auditor.findings import Finding
from auditor.output.memo import build_memo, memo_stem
from auditor.output.memo_docx import docx_bytes
from auditor.output.memo_md import render_markdown
from auditor.output.memos import write_memo
from auditor.runtime import build_run

from .conftest import seed

# 表三 rows of seed 004 that print 5 of 7 cells, and the lines they are on (one reading limit)
SHORT_ROWS = {"(一)予以公开": 131, "(三)1.属于国家秘密": 148, "(七)总计": 299, "四、结转下年度继续办理": 306}
# seed 003: a township reporting 规章 (an error); 002: a 2022 report without a 规章 row (an error)


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
    assert memo_004.title == "关于《蓝坊镇人民政府2020年政府信息公开工作年度报告》的审核意见"
    facts = dict(memo_004.facts)
    assert facts["单位"] == "蓝坊镇人民政府" and facts["年度"] == "2020年" and facts["行政层级"] == "乡镇"
    assert facts["适用模板"].startswith("2019年版") and facts["检测到的模板"].startswith("2019年版")
    assert facts["审核日期"] == "2025年6月1日" and "RECON 1.0" in facts["规则集版本"]
    assert "发布日期" not in facts  # 004 prints no date
    # what the tool could not read is apart and counts toward nothing
    assert memo_004.conclusion.label == "合格" and memo_004.conclusion.counts["error"] == 0
    assert memo_004.conclusion.counts["review"] == 1 and "需人工复核" in memo_004.conclusion.counts_text()
    (short,) = [r for r in memo_004.review if r.rule_id == "RECON-010"]
    assert short.line == 131 and short.source == "第131行：“（一）予以公开”" and short.where.endswith("表三")
    assert all(f"“{row}”" in short.message for row in list(SHORT_ROWS)[:2])
    assert not [r for r in memo_004.findings if r.rule_id == "RECON-010"]
    assert {r.rule_id for r in memo_004.findings} >= {"RECON-009", "TMPL-004"}
    groups = {g.label: g for g in memo_004.fixes}
    assert {"勾稽关系", "模板年度符合性"} <= set(groups)
    assert not [i for g in memo_004.fixes for i in g.items if i.rule_id == "RECON-010"]  # nothing for the body to fix
    assert {p.pack for p in memo_004.packs} >= {"FEE", "PLAUS", "RECON", "SECT", "TMPL"}


def test_unverifiable_rows_do_not_print_lower_bounds_as_values(run, tmp_path):
    result = run.audit(str(seed("001")))
    unverifiable = Finding(
        file=result.path, rule_id="RECON-001", family="recon", severity="review", title="t", message="m",
        outcome="unverifiable", expected="12", actual="10",  # lower bounds, not printed values
    )
    result.findings.append(unverifiable)
    memo = build_memo(result, run.conclude(result), run)
    (row,) = [r for r in memo.review if r.rule_id == "RECON-001"]
    assert row.expected == row.actual == "无法确定"


def test_markdown_memo_for_004(memo_004):
    text = render_markdown(memo_004)
    assert text.startswith("# 关于《蓝坊镇人民政府2020年政府信息公开工作年度报告》的审核意见\n")
    verdict = text.split("## 二、审核结论", 1)[1].split("## 三", 1)[0]
    assert "**合格**" in verdict and re.search(r"问题统计：错误 \d+ 条、警告 \d+ 条、提示 \d+ 条；另有 1 处需人工复核", verdict)
    table, review = text.split("## 三、发现的问题", 1)[1].split("## 四", 1)[0].split("### 需人工复核", 1)
    # no finding of 004 has expected / printed values: those two columns are left out
    header = "| 序号 | 规则 | 级别 | 位置 | 原文（行号） | 问题说明 | 依据 | 整改建议 |"
    assert header in table and "RECON-009" in table and "RECON-010" not in table and "应为" not in table
    rows = [line for line in table.splitlines() if line.startswith("| ") and "RECON-" in line]
    assert rows and all(r.count(" | ") == 7 for r in rows)  # eight cells: no stray pipes
    (limit,) = [line for line in review.splitlines() if "RECON-010" in line]
    assert "第131行" in limit and limit.count(" | ") == 5
    assert "## 四、整改要求" in text and "### 勾稽关系" in text and "## 附件：适用的规则包" in text
    # a 公文: 主送 after the title, 整改期限 (30 days after the audit date), 落款 with a Chinese date
    assert text.split("\n")[2] == "蓝坊镇人民政府："
    assert "于2025年7月1日前（自审核之日起30日内）" in text
    body = text.split("## 附件：", 1)[0].rstrip().splitlines()
    assert body[-5:] == ["（审核单位）", "", "2025年6月1日", "", "---"]
    assert "自动生成" not in text


def test_docx_memo_has_headings_and_real_tables(docx_004):
    docx_004, counted = docx_004
    headings = [(p.style.name, p.text) for p in docx_004.paragraphs if p.style.name == "Title" or p.style.name.startswith("Heading")]
    assert headings[0] == ("Title", "关于《蓝坊镇人民政府2020年政府信息公开工作年度报告》的审核意见")
    assert [t for s, t in headings if s == "Heading 1"] == ["一、基本情况", "二、审核结论", "三、发现的问题", "四、整改要求", "五、有关说明"]
    assert "勾稽关系" in [t for s, t in headings if s == "Heading 2"]
    facts, findings, review, packs = docx_004.tables
    assert dict((r.cells[0].text, r.cells[1].text) for r in facts.rows[1:])["单位"] == "蓝坊镇人民政府"
    header = [c.text for c in findings.rows[0].cells]
    assert header == ["序号", "规则/级别", "位置及原文", "问题说明及依据", "整改建议"]  # no 应为 / 实际: no finding has them
    body = [[c.text for c in row.cells] for row in findings.rows[1:]]
    assert len(body) + len(review.rows) - 1 == counted and all(len(r) == 5 for r in body)
    assert any(r[1] == "RECON-009\n警告" and "第157行" in r[2] and "依据：" in r[3] for r in body)
    (short,) = [[c.text for c in row.cells] for row in review.rows[1:] if row.cells[1].text == "RECON-010"]
    assert "第131行" in short[2] and short[2].startswith("三、") and "表三" in short[2]
    assert findings._tbl.xpath("./w:tr[1]/w:trPr/w:tblHeader")  # header row repeats on each page
    assert [c.text for c in packs.rows[0].cells][:3] == ["规则包", "名称", "版本"] and len(packs.rows) >= 6
    assert {"RECON", "TMPL"} <= {row.cells[0].text for row in packs.rows[1:]}
    conclusion = next(p for p in docx_004.paragraphs if p.runs and p.runs[0].bold and p.runs[0].text in ("合格", "需整改", "不合格"))
    assert conclusion.runs[0].text == "合格"
    assert "{{" not in "".join(p.text for p in docx_004.paragraphs) and "{%" not in docx_004.element.xml  # every tag rendered


def test_docx_memo_is_a_gongwen(docx_004):
    """主送, 整改期限, 落款 with a Chinese date, page numbers as fields, one orientation, real properties."""
    document, _ = docx_004
    texts = [p.text for p in document.paragraphs]
    assert texts[1] == "蓝坊镇人民政府："  # 主送, right under the title
    assert any("于2025年7月1日前" in t for t in texts)  # 整改期限: 30 days by default
    signature = texts.index("（审核单位）")  # no issuing unit configured: a place to fill in
    assert texts[signature + 1] == "2025年6月1日"
    assert all(not t.endswith("自动生成。") for t in texts if t)
    (section,) = document.sections  # one section, portrait A4: no orientation switching
    assert section.page_height > section.page_width
    footer = section.footer._element.xml
    assert "PAGE" in "".join(footer.split("NUMPAGES")) and " NUMPAGES " in footer and 'w:fldCharType="begin"' in footer
    assert "第 " in section.footer.paragraphs[0].text and " 页 共 " in section.footer.paragraphs[0].text
    props = document.core_properties
    assert props.created.date() == props.modified.date() == datetime.date(2025, 6, 1)
    assert props.title == "关于《蓝坊镇人民政府2020年政府信息公开工作年度报告》的审核意见"
    assert props.author == "" and "gkaudit" in props.comments


def test_docx_memo_with_values_issuing_unit_and_deadline(tmp_path):
    (tmp_path / "auditor.toml").write_text('[memo]\nreviewer = "某市人民政府办公室"\ndeadline_days = 15\n', encoding="utf-8")
    run = build_run(None, folder=tmp_path, audit_date="2026-11-25")
    result = run.audit(str(seed("003")))
    result.findings.append(Finding(
        file=result.path, rule_id="RECON-001", family="recon", severity="error", title="t", message="两者不等", expected="12", actual="10",
    ))
    memo = build_memo(result, run.conclude(result), run)
    assert memo.issuer == "某市人民政府办公室" and memo.deadline == "2026年12月10日" and memo.has_values
    text = render_markdown(memo)
    assert "| 应为 | 实际 |" in text and "| 12 | 10 |" in text and "报送某市人民政府办公室" in text
    document = docx.Document(io.BytesIO(docx_bytes(memo)))
    findings = document.tables[1]
    assert [c.text for c in findings.rows[0].cells][3:5] == ["应为", "实际"]
    (row,) = [[c.text for c in r.cells] for r in findings.rows[1:] if r.cells[1].text.startswith("RECON-001")]
    assert row[3:5] == ["12", "10"]
    assert all(r.cells[3].text == r.cells[4].text == "—" for r in findings.rows[1:] if not r.cells[1].text.startswith("RECON-001"))
    texts = [p.text for p in document.paragraphs]
    assert texts[texts.index("某市人民政府办公室") + 1] == "2026年11月25日"
    assert document.core_properties.author == "某市人民政府办公室"
    assert docx_bytes(memo) == docx_bytes(memo)  # the same memo, the same bytes


def test_no_deadline_and_nothing_to_fix(tmp_path):
    (tmp_path / "auditor.toml").write_text("[memo]\ndeadline_days = 0\n", encoding="utf-8")
    run = build_run(None, folder=tmp_path, audit_date="2026-11-25")
    result = run.audit(str(seed("003")))
    memo = build_memo(result, run.conclude(result), run)
    assert memo.deadline == "" and "前" not in memo.requirement and memo.requirement.startswith("请对照以下问题")
    result.findings.clear()
    memo = build_memo(result, run.conclude(result), run)
    assert memo.requirement == "未发现需要整改的问题。" and not memo.fixes


def test_memo_for_a_clean_report_and_an_unreadable_file(run, tmp_path):
    result = run.audit(str(seed("001")))
    memo = build_memo(result, run.conclude(result), run)
    assert memo.title == "关于《天津市北辰区小淀镇人民政府2020年政府信息公开工作年度报告》的审核意见"
    assert memo.conclusion.label == "合格" and dict(memo.facts)["发布日期"].startswith("2021年1月14日")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run.audit(str(empty))
    memo = build_memo(result, run.conclude(result), run)
    assert memo.title == "关于《empty.txt》的审核意见" and memo.conclusion.label == "无法审核" and memo.recipient == "有关单位"
    assert memo.findings[0].rule_id == "INPUT-001"
    write_memo(result, run.conclude(result), run, tmp_path / "m", "both")  # renders without a report


def test_memo_command_writes_both_formats(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["memo", str(seed("003")), "--out", "memos", "--date", "2025-06-01"]) == 1  # errors: exit 1
    written = capsys.readouterr().out.split()
    assert [p.rsplit(".", 1)[1] for p in written] == ["md", "docx"]
    assert "审核日期 | 2025年6月1日" in (tmp_path / written[0]).read_text(encoding="utf-8")
    assert main(["memo", "missing.txt"]) == 2


def test_memo_names_stay_unique():
    used: set = set()
    assert memo_stem("a/report.txt", used) == "report_审核意见"
    assert memo_stem("b/report.txt", used) == "report_审核意见-2"

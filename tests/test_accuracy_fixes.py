"""Auditor fixes the accuracy harness led to, each pinned by a small case of its own.

(The generated corpus exercises them all at once: tests/test_synth.py.)
"""

from pathlib import Path

import pytest

from auditor.audit import audit_file
from auditor.chars import source_lines
from auditor.engine.packs import load_rules
from auditor.engine.session import Engine
from auditor.facts.metadata import _digit_date, level_of
from auditor.ingest import decode_source
from auditor.normalize import runtogether
from auditor.pipeline import parse_source
from auditor.resources import rules_dir

BASE = rules_dir() / "fixtures" / "base" / "clean-2022.txt"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_rules())


def _report(text: str):
    return parse_source(decode_source(text.encode("utf-8"), "<case>")).report


def _findings(tmp_path: Path, engine: Engine, text: str, name: str = "case.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return audit_file(str(path), engine).findings


@pytest.mark.parametrize("body, level", [
    ("青山县市场监督管理局", "县级部门"),
    ("云溪市城市管理局", "市级部门"),
    ("江南省市场监督管理局", "省级部门"),
    ("青山县人民政府办公室", "县级政府"),  # a government's office counts with its government
    ("青山县清河镇人民政府", "乡镇"),
])
def test_level_of_department_names_holding_place_characters(body, level):
    assert level_of(body) == level


def test_form_feeds_do_not_shift_line_numbers():
    assert source_lines("a\n\fb\nc\n") == ["a", "\fb", "c"]
    assert source_lines("a\r\nb\rc") == ["a", "b", "c"]


def test_chinese_numeral_signature_date():
    assert _digit_date("二〇二三年一月十八日") == "2023年1月18日"
    assert _digit_date("二〇二四年十二月三十一日") == "2024年12月31日"
    text = BASE.read_text(encoding="utf-8").replace("2023年1月18日", "二〇二三年二月十八日")
    assert _report(text).metadata.published == "2023-02-18"


def test_year_first_title_names_the_body():
    text = BASE.read_text(encoding="utf-8").replace(
        "示例县清河镇人民政府2022年政府信息公开工作年度报告", "2022年示例县清河镇人民政府政府信息公开工作年度报告", 1)
    meta = _report(text).metadata
    assert (meta.body, meta.level, meta.year) == ("示例县清河镇人民政府", "乡镇", 2022)


def test_wrapped_fee_sentence_is_not_glued_table_text():
    assert not runtogether.applies("本年度共向申请人发出信息处理费收费通知2件,通知收取金额240")
    assert not runtogether.applies("本年度共向申请人发出信息处理费收费通知3件,实际收取金额9")
    assert runtogether.applies("行政许可45-31280")


def test_prose_in_a_wrapped_paragraph_is_read(tmp_path, engine):
    """A hard-wrapped first line with no sentence mark lexes as a header cell; it is prose."""
    text = BASE.read_text(encoding="utf-8").replace(
        "本年度发出信息处理费收费通知0件，通知收取金额0元，实际收取金额0元，未收取信息处理费。本年度无其他需要报告的事项。",
        "本年度共向申请人发出信息处理费收费通知2件，通知收取金额\n300元，实际收取金额400元。")
    rules = {f.rule_id for f in _findings(tmp_path, engine, text)}
    assert "FEE-002" in rules and "FEE-001" not in rules


def test_pipe_rows_keep_a_blank_first_cell(tmp_path, engine):
    """Rows written "a | b |" (no opening pipe): an empty cell before the first pipe is a cell."""
    t4_values = "| 1 | 0 | 0 | 1 | 2 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 1 | 1 |"
    lines = []
    for line in BASE.read_text(encoding="utf-8").splitlines():
        if line == t4_values:
            line = " | 0 | 0 | 1 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 1 | 1 |"  # 结果维持 of 行政复议 blank
        elif line.startswith("| "):
            line = line[2:]
        lines.append(line)
    findings = _findings(tmp_path, engine, "\n".join(lines) + "\n")
    blank = [f for f in findings if f.rule_id == "RECON-009"]
    assert [f.row for f in blank] == ["行政复议"]
    assert not [f for f in findings if f.rule_id in ("RECON-010", "RECON-005")]


def test_prose_figure_findings_cite_the_sentence(tmp_path, engine):
    text = BASE.read_text(encoding="utf-8").replace("全年共收到政府信息公开申请13件", "全年共收到政府信息公开申请20件")
    (finding,) = [f for f in _findings(tmp_path, engine, text) if f.rule_id == "PLAUS-002"]
    assert finding.line == 7 and finding.location_key.startswith("figure:received")


def test_a_signature_ends_a_report_cleanly(tmp_path, engine):
    # (六、其他事项 would be section 六 in its own wording; 工作展望 is not section 六)
    text = BASE.read_text(encoding="utf-8").replace("六、其他需要报告的事项", "六、工作展望")
    findings = _findings(tmp_path, engine, text)
    assert "INPUT-007" not in {f.rule_id for f in findings}
    assert {"SECT-001", "SECT-004"} <= {f.rule_id for f in findings}


def test_a_wrapped_sentence_naming_appeals_is_not_table_four(tmp_path, engine):
    text = BASE.read_text(encoding="utf-8")
    start, end = text.index("| 行政复议 | 行政诉讼 |"), text.index("五、存在的主要问题及改进情况")
    text = text[:start] + "本年度未发生因政府信息公开申请行政复议、提起行政诉讼的情况。\n\n" + text[end:]
    # a short hard-wrapped line with no full stop lexes as a header cell
    text = text.replace("全年主动公开政府信息126条。", "全年主动公开政府信息126条。\n本年度工作平稳，无行政复议和行政诉讼案\n件。")
    rules = [f.rule_id for f in _findings(tmp_path, engine, text)]
    assert "SECT-007" in rules and "SECT-008" not in rules

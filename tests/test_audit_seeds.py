"""What the audit must say about the bundled seeds (issue: rule engine, "done when")."""

from functools import cache

import pytest

from auditor.audit import audit_file
from auditor.engine.packs import load_rules
from auditor.engine.session import Engine

from .conftest import seed


@cache
def findings(prefix: str):
    return audit_file(str(seed(prefix)), Engine(load_rules())).findings


def by_rule(prefix: str, rule_id: str):
    return [f for f in findings(prefix) if f.rule_id == rule_id]


@pytest.mark.parametrize("prefix", ["000", "001"])
def test_clean_tables_have_no_reconciliation_error(prefix):
    assert not [f for f in findings(prefix) if f.family == "recon" and f.severity == "error"]


def test_004_rows_printing_5_of_7_cells_are_one_reading_limit():
    # numbers the tool cannot place under their columns: one finding for the table, never errors
    (short,) = by_rule("004", "RECON-010")
    assert (short.severity, short.kind, short.table, short.line) == ("review", "limit", "表三", 131)
    assert short.extra["rows"][0] == "(一)予以公开" and {"(七)总计", "四、结转下年度继续办理"} <= set(short.extra["rows"])
    assert "21 行" in short.message and "131" in short.message


def test_004_blank_row_is_reported():
    (blank,) = by_rule("004", "RECON-009")
    assert blank.row == "(三)2.其他法律行政法规禁止公开" and blank.line == 157


def test_004_relations_on_unplaceable_rows_are_not_reported_again():
    # one cause, one finding: RECON-010 names the rows; the relations over them say nothing more
    assert not [f for f in findings("004") if f.outcome == "unverifiable"]


def test_003_township_with_regulations():
    (finding,) = by_rule("003", "PLAUS-001")
    assert finding.severity == "error" and "乡镇" in finding.message and finding.line == 43


def test_002_single_other_row_in_2022_report():
    (finding,) = by_rule("002", "TMPL-003")
    assert "(六)其他处理" in finding.message and finding.line == 293


def test_002_seven_section_numbering():
    numbering = by_rule("002", "SECT-003")
    assert {f.line for f in numbering} == {375, 380}
    (extra,) = by_rule("002", "SECT-004")
    assert "信息处理费收取情况" in extra.message


def test_002_discloses_fees_so_no_fee_error():
    assert not [f for f in findings("002") if f.family == "fee"]


@pytest.mark.parametrize(
    "prefix, printed, expected",
    [("004", "合计", "总计"), ("004", "结果维护", "结果维持"), ("000", "本年增/", "本年增/减")],
)
def test_label_deviations_reported(prefix, printed, expected):
    messages = [f.message for f in by_rule(prefix, "TMPL-004")]
    assert any(f"“{printed}”" in m and f"“{expected}”" in m for m in messages), messages

"""The memo conclusion: thresholds, what counts, and the counts behind it."""

import pytest

from auditor.conclusion import FAIL, PASS, REVISE, UNAUDITABLE, conclude
from auditor.config import Thresholds
from auditor.findings import Finding

DEFAULT = Thresholds(fail_errors=5, revise_errors=1, revise_warnings=10)


def findings(errors=0, warnings=0, infos=0, status="new", rule="RECON-001"):
    out = []
    for severity, n in (("error", errors), ("warning", warnings), ("info", infos)):
        out += [Finding("r.txt", rule, "recon", severity, "t", "m", status=status, location_key=f"{severity}{i}") for i in range(n)]
    return out


@pytest.mark.parametrize(
    "errors, warnings, label",
    [(0, 0, PASS), (0, 9, PASS), (0, 10, REVISE), (1, 0, REVISE), (4, 30, REVISE), (5, 0, FAIL), (21, 8, FAIL)],
)
def test_thresholds(errors, warnings, label):
    result = conclude(findings(errors, warnings), True, DEFAULT)
    assert result.label == label
    assert result.counts == {"error": errors, "warning": warnings, "info": 0, "review": 0}
    assert result.reasons


def test_settled_findings_do_not_count():
    result = conclude(findings(errors=6, status="dismissed") + findings(warnings=1), True, DEFAULT)
    assert result.label == PASS and result.counts["error"] == 0 and result.settled == 6
    assert "另有 6 条已在基线中接受或排除" in result.counts_text()


def test_zero_switches_a_condition_off():
    result = conclude(findings(errors=50), True, Thresholds(fail_errors=0, revise_errors=0, revise_warnings=0))
    assert result.label == PASS


def test_fail_rules_fail_at_once():
    result = conclude(findings(warnings=1, rule="SECT-001"), True, Thresholds(fail_rules=("SECT-001",)))
    assert result.label == FAIL and "SECT-001" in result.reason_text()


def test_unparsed_file_cannot_be_audited():
    error = Finding("x.txt", "INPUT-001", "input", "error", "文件为空", "文件为空", outcome="input")
    result = conclude([error], False, DEFAULT)
    assert result.label == UNAUDITABLE and "INPUT-001" in result.reason_text()


def test_reason_names_the_threshold():
    result = conclude(findings(errors=7, warnings=2), True, DEFAULT)
    assert result.reason_text() == "错误 7 条，达到“不合格”标准（错误不少于 5 条）"
    assert result.counts_text() == "错误 7 条、警告 2 条、提示 0 条"

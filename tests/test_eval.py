"""The accuracy harness (auditor.eval, auditor.scoring): a wrong expectation must show up as
a miss or a false alarm, and the exit code must say so."""

import shutil
from pathlib import Path

import pytest
import yaml

from auditor import eval as harness
from auditor import scoring
from auditor.synth import generate


def _reported(rule, where="", line=0, severity="error", outcome="violated"):
    return scoring.Reported(rule, severity, outcome, where, line)


@pytest.mark.parametrize(
    "key, outcome, place",
    [
        ("t3.results_total.natural@col=natural", "violated", "t3.results_total.natural"),
        ("row:t3.granted", "fires", "t3.granted"),
        ("report@s=problems", "fires", "section:problems"),
        ("report", "fires", ""),
        ("section:5", "fires", "section:5"),
        ("deviation:column:t3:total:合计", "fires", "label:t3.total"),
        ("deviation:section::appeals:政府信息公开行政复议和行政诉讼情况", "fires", "label:section.appeals"),
        ("figure:received:12:0", "fires", "figure:received"),
        ("fee.fee.collected", "violated", "fee"),
        ("table:t4@t=t4", "fires", "table:t4"),
        ("RECON-001", "unverifiable", ""),
    ],
)
def test_place_of_a_finding(key, outcome, place):
    assert scoring.place(key, outcome) == place


def test_matching_by_rule_place_and_line():
    expectation = {"report": "x.txt", "layout": "tab", "defects": ["recon_002"], "findings": [
        {"rule": "RECON-002", "severity": "error", "where": "t3.granted", "line": 40},
        {"rule": "RECON-001", "severity": "warning", "where": "", "outcome": "unverifiable"},
        {"rule": "SECT-006", "severity": "info", "where": "label:section.appeals"},
    ]}
    result = scoring.score_report(expectation, [
        _reported("RECON-002", "t3.granted.total", 40),
        _reported("RECON-001", "", 9, "warning", "unverifiable"),
        _reported("RECON-012", "t3.granted", 40, "info", "fires"),  # info: not scored
    ])
    assert len(result.matched) == 2 and not result.missed and not result.false_alarms


def test_wrong_line_is_a_miss_and_a_false_alarm():
    expectation = {"report": "x.txt", "layout": "tab", "defects": [], "findings": [
        {"rule": "TMPL-004", "severity": "warning", "where": "label:t3.total", "line": 33}]}
    result = scoring.score_report(expectation, [_reported("TMPL-004", "label:t3.total", 34, "warning", "fires")])
    assert len(result.missed) == 1 and len(result.false_alarms) == 1


def test_unverifiable_does_not_stand_for_a_violation():
    expectation = {"report": "x.txt", "layout": "tab", "defects": ["recon_001"], "findings": [
        {"rule": "RECON-001", "severity": "error", "where": "t3.results_total.natural"}]}
    result = scoring.score_report(expectation, [_reported("RECON-001", "", 0, "warning", "unverifiable")])
    assert result.missed and result.false_alarms


def test_input_errors_are_false_alarms():
    expectation = {"report": "x.txt", "layout": "tab", "defects": [], "findings": []}
    result = scoring.score_report(expectation, [_reported("INPUT-007", "INPUT-007", 9, "warning", "input")])
    assert [f.rule for f in result.false_alarms] == ["INPUT-007"]
    assert scoring.by_family([result])["INPUT"].precision == 0.0


def test_precision_and_recall():
    tally = scoring.Tally(matched=99, missed=1, false_alarms=1)
    assert tally.recall == pytest.approx(0.99) and tally.precision == pytest.approx(0.99)
    assert scoring.Tally().precision == 1.0 and scoring.Tally().recall == 1.0


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("small")
    generate(folder, 16, seed=21, defect_rate=1.0, kinds=["recon_002", "label_variant"])
    return folder


def _copy(small: Path, tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(small, target)
    return target


def _edit(folder: Path, edit) -> str:
    """Apply `edit` to the findings of the first expectation with a RECON-002 finding."""
    for path in sorted(folder.glob("*.expected.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if any(f["rule"] == "RECON-002" for f in data["findings"]):
            edit(data["findings"])
            path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
            return data["report"]
    raise AssertionError("no report with a RECON-002 expectation")


def test_untouched_corpus_meets_the_targets(small, capsys):
    assert harness.main([str(small)]) == 0
    out = capsys.readouterr().out
    assert "漏报 0 条" in out and "误报 0 条" in out and "全部达到目标" in out
    assert "RECON" in out and "精确率" in out and "召回率" in out


def test_an_expectation_the_auditor_does_not_meet_is_a_miss(small, tmp_path, capsys):
    folder = _copy(small, tmp_path)
    report = _edit(folder, lambda findings: findings.append(
        {"rule": "RECON-005", "severity": "error", "where": "t4.review.total"}))
    assert harness.main([str(folder)]) == 1
    out = capsys.readouterr().out
    assert "漏报 1 条" in out and f"{report}: 应报 RECON-005 @ t4.review.total" in out and "未达到目标" in out


def test_a_finding_nobody_expects_is_a_false_alarm(small, tmp_path, capsys):
    folder = _copy(small, tmp_path)
    report = _edit(folder, lambda findings: findings.remove(next(f for f in findings if f["rule"] == "RECON-002")))
    assert harness.main([str(folder)]) == 1
    out = capsys.readouterr().out
    assert "误报 1 条" in out and f"{report}: 实报 RECON-002" in out and "不应报告" in out


def test_a_finding_in_the_wrong_place_is_both(small, tmp_path):
    folder = _copy(small, tmp_path)

    def move(findings):
        item = next(f for f in findings if f["rule"] == "RECON-002")
        item["line"] = item.get("line", 0) + 1000

    _edit(folder, move)
    results = harness.run(folder)
    assert scoring.total(results).missed == 1 and scoring.total(results).false_alarms == 1


def test_jobs_give_the_same_results(small):
    one = harness.run(small, jobs=1)
    two = harness.run(small, jobs=2)
    assert [(r.report, len(r.matched), len(r.missed), len(r.false_alarms)) for r in one] == \
        [(r.report, len(r.matched), len(r.missed), len(r.false_alarms)) for r in two]


def test_empty_folder_is_a_usage_error(tmp_path):
    assert harness.main([str(tmp_path)]) == 2

"""Baseline decisions: file format, CLI, and the next run marking findings instead of counting them."""

import json
import shutil
from dataclasses import replace

import pytest

from auditor.baseline import BaselineError, load_baseline
from auditor.cli import main
from auditor.runtime import build_run

from .conftest import seed


def jsonl(capsys, *argv) -> tuple[int, list[dict]]:
    code = main(["audit", *argv, "--format", "json"])
    out = capsys.readouterr().out
    return code, [json.loads(line) for line in out.splitlines() if line.strip()]


def test_fingerprints_are_stable_across_runs_and_locations(tmp_path):
    first = build_run(None, folder=tmp_path).audit(str(seed("004"))).findings
    second = build_run(None, folder=tmp_path).audit(str(seed("004"))).findings
    assert [f.fingerprint for f in first] == [f.fingerprint for f in second]
    assert len({f.fingerprint for f in first}) == len(first)  # every location its own


def test_renamed_report_keeps_its_fingerprints_and_an_anonymous_one_uses_its_name(tmp_path):
    original = build_run(None, folder=tmp_path).audit(str(seed("004"))).findings
    moved = tmp_path / "sub" / "renamed.txt"
    moved.parent.mkdir()
    shutil.copy(seed("004"), moved)
    renamed = build_run(None, folder=tmp_path).audit(str(moved)).findings
    assert [f.fingerprint for f in renamed] == [f.fingerprint for f in original]
    anonymous = replace(original[0], body="", file="a.txt")
    assert anonymous.fingerprint != replace(anonymous, file="b.txt").fingerprint


def test_dismissed_finding_is_marked_and_no_longer_counts(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    report = str(seed("003"))  # its only error: PLAUS-001 (a township reporting 规章)
    code, records = jsonl(capsys, report)
    assert code == 1
    (target,) = [r for r in records if r["rule_id"] == "PLAUS-001"]
    assert target["status"] == "new"

    assert main(["audit", report, "--out", "out", "--no-progress"]) == 1
    capsys.readouterr()
    assert main(["baseline", "dismiss", target["fingerprint"], "--reason", "该乡填报的是上级转发的规章，已核实", "--findings", "out/findings.jsonl", "--by", "张三"]) == 0
    capsys.readouterr()

    saved = (tmp_path / ".auditor-baseline.yaml").read_text(encoding="utf-8")
    assert target["fingerprint"] in saved and "PLAUS-001" in saved and "dismissed" in saved and "张三" in saved

    code, records = jsonl(capsys, report)  # the default baseline file is picked up
    assert code == 0
    (marked,) = [r for r in records if r["rule_id"] == "PLAUS-001"]
    assert marked["status"] == "dismissed" and marked["note"] == "该乡填报的是上级转发的规章，已核实"
    assert all(r["status"] == "new" for r in records if r is not marked)

    assert main(["memo", report, "--out", "memos", "--format", "md"]) == 0
    assert capsys.readouterr().out.strip().endswith("_审核意见.md")
    memo = next((tmp_path / "memos").glob("*.md")).read_text(encoding="utf-8")
    verdict = memo.split("## 二、审核结论", 1)[1].split("## 三", 1)[0]
    assert "**合格**" in verdict and "另有 1 条已在基线中接受或排除" in verdict
    problems = memo.split("## 三、发现的问题", 1)[1].split("### 已在基线中", 1)[0]
    assert "PLAUS-001" not in problems
    settled = memo.split("### 已在基线中接受或排除的问题", 1)[1].split("## 四", 1)[0]
    assert "PLAUS-001" in settled and "已排除" in settled and "已核实" in settled

    # removing the decision brings the finding back
    assert main(["baseline", "remove", target["fingerprint"]]) == 0
    assert "删除 1 条处理决定" in capsys.readouterr().out
    code, records = jsonl(capsys, report)
    assert code == 1 and all(r["status"] == "new" for r in records)


def test_accept_then_list_and_explicit_baseline_file(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code, records = jsonl(capsys, str(seed("000")))
    fingerprints = [r["fingerprint"] for r in records]
    assert main(["baseline", "accept", *fingerprints, "--reason", "网页模板所致，不要求整改", "--baseline", "b.yaml"]) == 0
    assert main(["baseline", "list", "--baseline", "b.yaml"]) == 0
    listing = capsys.readouterr().out
    assert all(fp in listing for fp in fingerprints) and "已接受" in listing
    code, again = jsonl(capsys, str(seed("000")), "--baseline", "b.yaml")
    assert {r["status"] for r in again} == {"accepted"}
    # the table output says so too, and the run summary counts them apart
    main(["audit", str(seed("000")), "--baseline", "b.yaml"])
    table = capsys.readouterr().out
    assert "（已接受）" in table and "基线中已接受/排除" in table


def test_from_jsonl_records_a_rule_subset(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code, records = jsonl(capsys, str(seed("004")))
    (tmp_path / "f.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    assert main(["baseline", "from", "f.jsonl", "--status", "accepted", "--reason", "存量问题", "--rule", "TMPL-004"]) == 0
    baseline = load_baseline(tmp_path / ".auditor-baseline.yaml")
    assert len(baseline) == sum(1 for r in records if r["rule_id"] == "TMPL-004") > 0
    assert {d.context["rule_id"] for d in baseline.decisions.values()} == {"TMPL-004"}


def test_stale_decisions_are_reported(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["baseline", "dismiss", "0123456789abcdef", "--reason", "旧决定"]) == 0
    main(["audit", str(seed("001")), "--no-progress"])
    assert "1 条处理决定在本次审核中没有对应的问题" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv, words",
    [
        (["baseline", "dismiss", "xyz", "--reason", "r"], "不是问题指纹"),
        (["baseline", "dismiss", "0123456789abcdef", "--reason", "  "], "理由"),
        (["baseline", "remove", "0123456789abcdef"], "基线中没有"),
    ],
)
def test_baseline_usage_errors(tmp_path, monkeypatch, capsys, argv, words):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    assert words in capsys.readouterr().err


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("decisions:\n  - fingerprint: 0123456789abcdef\n    status: ignored\n    reason: x\n", 3, "status"),
        ("decisions:\n  - fingerprint: 0123456789abcdef\n    status: accepted\n", 2, "reason"),
        ("decisions:\n  - fingerprint: 0123456789abcdef\n    status: accepted\n    reason: x\n    reasn: y\n", 5, "reason"),
        ("decisions:\n  - {fingerprint: 0123456789abcdef, status: accepted, reason: x}\n  - {fingerprint: 0123456789abcdef, status: dismissed, reason: y}\n", 3, "重复"),
        ("version: 1\nitems: []\n", 2, "未知的键"),
    ],
)
def test_baseline_file_errors_name_the_line(tmp_path, text, line, words):
    path = tmp_path / "b.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BaselineError) as error:
        load_baseline(path)
    assert error.value.line == line and words in error.value.message


def test_bad_baseline_stops_the_audit_with_exit_2(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".auditor-baseline.yaml").write_text("decisions: [{fingerprint: nope}]\n", encoding="utf-8")
    assert main(["audit", str(seed("001"))]) == 2
    assert ".auditor-baseline.yaml:1:" in capsys.readouterr().err
    assert main(["audit", str(seed("001")), "--baseline", "missing.yaml"]) == 2

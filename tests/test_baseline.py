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


def _decide(path, decisions: dict) -> None:
    """Fill in 处理意见 / 理由 (and other cells) of 问题清单 as an inspector would in Excel."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheet = book["问题清单"]
    header = [c.value for c in sheet[1]]
    rows = {sheet.cell(r, header.index("指纹") + 1).value: r for r in range(2, sheet.max_row + 1)}
    for fingerprint, cells in decisions.items():
        for name, value in cells.items():
            sheet.cell(rows[fingerprint], header.index(name) + 1).value = value
    book.save(path)


def test_decisions_made_in_the_xlsx_come_back_and_the_next_audit_marks_them(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(seed("002").parent, tmp_path / "in")
    assert main(["audit", "in", "--out", "out", "--no-progress", "-q"]) == 1
    capsys.readouterr()
    records = [json.loads(line) for line in (tmp_path / "out" / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    errors = [r for r in records if r["severity"] == "error"]
    warnings = [r for r in records if r["severity"] == "warning"]
    accept, dismiss = errors[0], errors[1]
    no_reason, bad, edited = warnings[:3]
    other = next(r for r in warnings[3:] if r["file"] != edited["file"])
    _decide(tmp_path / "out" / "findings.xlsx", {
        accept["fingerprint"]: {"处理意见": "接受", "理由": "存量问题，下一年度整改"},
        dismiss["fingerprint"]: {"处理意见": " 排除 ", "理由": "原件表格完整，转载时出错"},
        no_reason["fingerprint"]: {"处理意见": "排除"},  # no reason: reported, not taken
        bad["fingerprint"]: {"处理意见": "同意", "理由": "x"},
        edited["fingerprint"]: {"处理意见": "接受", "理由": "y", "指纹": other["fingerprint"]},  # another finding's fingerprint
        other["fingerprint"]: {"处理意见": "接受", "理由": "z", "指纹": "0123456789abcdef", "规则": "XXX-999"},  # unknown
    })
    assert main(["baseline", "import", "out/findings.xlsx", "--by", "张三"]) == 1  # some rows not taken
    out = capsys.readouterr().out
    assert out.startswith("从 out/findings.xlsx 导入处理意见：接受 1 条、排除 1 条；未导入 4 条（")
    for words in ("缺少理由 1 条", "处理意见无效 1 条", "指纹已变化 1 条", "未知指纹 1 条"):
        assert words in out
    assert "理由必填" in out and "0123456789abcdef" in out and other["fingerprint"] in out

    baseline = load_baseline(tmp_path / ".auditor-baseline.yaml")
    assert {fp: (d.status, d.reason, d.by) for fp, d in baseline.decisions.items()} == {
        accept["fingerprint"]: ("accepted", "存量问题，下一年度整改", "张三"),
        dismiss["fingerprint"]: ("dismissed", "原件表格完整，转载时出错", "张三"),
    }
    assert baseline.decisions[accept["fingerprint"]].context["rule_id"] == accept["rule_id"]

    code, again = jsonl(capsys, "in", "--no-progress")
    status = {r["fingerprint"]: (r["status"], r["note"]) for r in again}
    assert status[accept["fingerprint"]] == ("accepted", "存量问题，下一年度整改")
    assert status[dismiss["fingerprint"]] == ("dismissed", "原件表格完整，转载时出错")
    assert sum(s != "new" for s, _ in status.values()) == 2

    # the next workbook shows the decisions in the columns; importing it again changes nothing
    assert main(["audit", "in", "--out", "out2", "--no-progress", "-q"]) in (0, 1)
    capsys.readouterr()
    assert main(["baseline", "import", "out2/findings.xlsx"]) == 0
    assert "接受 0 条、排除 0 条、与基线相同 2 条" in capsys.readouterr().out


def test_import_checks_against_a_newer_run_and_refuses_what_is_not_a_findings_workbook(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    shutil.copy(seed("003"), tmp_path / "report.txt")
    assert main(["audit", "report.txt", "--out", "old", "--no-progress", "-q"]) == 1
    (target,) = [json.loads(line) for line in (tmp_path / "old" / "findings.jsonl").read_text(encoding="utf-8").splitlines() if '"PLAUS-001"' in line]
    _decide(tmp_path / "old" / "findings.xlsx", {target["fingerprint"]: {"处理意见": "排除", "理由": "已核实"}})
    # the report is changed (another year) and audited again: the same finding, a new fingerprint
    text = (tmp_path / "report.txt").read_text(encoding="utf-8")
    (tmp_path / "report.txt").write_text(text.replace("2020年", "2019年"), encoding="utf-8")
    assert main(["audit", "report.txt", "--out", "new", "--no-progress", "-q"]) in (0, 1)
    capsys.readouterr()
    assert main(["baseline", "import", "old/findings.xlsx", "--findings", "new/findings.jsonl"]) == 1
    out = capsys.readouterr().out
    assert "指纹已变化 1 条" in out and "请在新的 findings.xlsx 中重新处理" in out and not (tmp_path / ".auditor-baseline.yaml").exists()

    (tmp_path / "bad.xlsx").write_bytes(b"not a workbook")
    assert main(["baseline", "import", "bad.xlsx"]) == 2
    assert "无法作为 Excel 工作簿" in capsys.readouterr().err
    assert main(["baseline", "import", "missing.xlsx"]) == 2
    assert "文件不存在" in capsys.readouterr().err
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "问题清单"
    book.active.append(["文件", "规则", "指纹"])
    book.save(tmp_path / "old.xlsx")
    assert main(["baseline", "import", "old.xlsx"]) == 2
    assert "缺少列：处理意见、理由" in capsys.readouterr().err

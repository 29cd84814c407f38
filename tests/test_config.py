"""Configuration: closed schema with file:line errors, and every setting taking effect."""

import pytest

from auditor.config import ConfigError, Thresholds, find_config, load_config, toml_lines
from auditor.runtime import build_run, input_severities

from .conftest import ROOT, seed


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_alone_are_valid():
    config = load_config(None, folder="/nonexistent-folder")
    assert config.path == ""
    assert config.thresholds == Thresholds(fail_errors=5, revise_errors=1, revise_warnings=10, fail_rules=())
    assert config.disable == () and config.severity == {} and config.deadlines == {}


def test_toml_settings_are_read(tmp_path):
    path = write(tmp_path, "auditor.toml", """
[rules]
disable = ["TMPL"]
enable = ["TMPL-004"]
folders = ["local"]

[rules.severity]
"PLAUS-001" = "warning"

[conclusion]
fail_errors = 3

[deadlines]
"乡镇" = "03-31"
"街道" = ""

[baseline]
file = "decisions.yaml"

[memo]
reviewer = "某市政务公开办"
""")
    config = load_config(None, folder=tmp_path)
    assert config.path == str(path)
    assert config.disable == ("TMPL",) and config.enable == ("TMPL-004",)
    assert config.folders == (tmp_path / "local",)
    assert config.severity == {"PLAUS-001": "warning"}
    # user keys override defaults one by one; the rest stay
    assert config.thresholds.fail_errors == 3 and config.thresholds.revise_warnings == 10
    assert config.deadlines == {"乡镇": "03-31", "街道": ""}
    assert config.baseline == tmp_path / "decisions.yaml"
    assert config.reviewer == "某市政务公开办"


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("[rules]\ndisable = []\ndisabel = [\"TMPL\"]\n", 3, "disable"),
        ("[conclusion]\nfail_errors = 5\n\n[conclusoin]\nx = 1\n", 4, "conclusion"),
        ("[rules.severity]\n\"PLAUS-001\" = \"fatal\"\n", 2, "error / warning / info"),
        ("[conclusion]\nrevise_warnings = -1\n", 2, "不小于 0 的整数"),
        ("[conclusion]\nfail_errors = 1\nrevise_errors = 2\n", 2, "应不小于"),
        ("[deadlines]\n\"乡镇\" = \"3月31日\"\n", 2, "月-日"),
        ("[deadlines]\n\"乡真\" = \"03-31\"\n", 2, "乡镇"),
        ("[deadlines]\n乡镇 = \"03-31\"\n", 2, "TOML 格式错误"),
        ("[rules]\ndisable = [\n  \"TMPL\",\n  \"bad id\",\n]\n", 2, "bad id"),
        ("[memo]\nreviewer = \"x\"\nsigner = \"y\"\n", 3, "可用的键"),
    ],
)
def test_toml_errors_name_file_and_line(tmp_path, text, line, words):
    path = write(tmp_path, "auditor.toml", text)
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert error.value.path == str(path) and error.value.line == line, str(error.value)
    assert words in str(error.value)
    assert str(error.value).startswith(f"{path}:{line}: ")


def test_yaml_config_and_its_errors(tmp_path):
    write(tmp_path, ".auditor.yaml", "rules:\n  disable: [SECT-009]\nconclusion:\n  revise_warnings: 3\n")
    config = load_config(None, folder=tmp_path)
    assert config.disable == ("SECT-009",) and config.thresholds.revise_warnings == 3
    bad = write(tmp_path, "other.yaml", "rules:\n  disable: []\n  severity:\n    TMPL-004: info\n  extra: 1\n")
    with pytest.raises(ConfigError) as error:
        load_config(bad)
    assert error.value.line == 5 and "rules.extra" in error.value.message


def test_both_config_files_is_an_error(tmp_path):
    write(tmp_path, "auditor.toml", "")
    write(tmp_path, ".auditor.yaml", "")
    with pytest.raises(ConfigError, match="同时存在"):
        find_config(tmp_path)


def test_toml_line_scan_skips_multiline_values():
    text = '[rules]\ndisable = [\n  "a = b",\n  "TMPL",\n]\nnote = """\nfake = 1\n"""\n[rules.severity]\n"TMPL-004" = "info"\nx.y = 2\n'
    lines = toml_lines(text)
    assert lines[("rules",)] == 1 and lines[("rules", "disable")] == 2 and lines[("rules", "note")] == 6
    assert ("rules", "fake") not in lines and ("rules", "a") not in lines
    assert lines[("rules", "severity", "TMPL-004")] == 10 and lines[("rules", "severity", "x", "y")] == 11


def test_unknown_rule_names_are_errors_at_their_line(tmp_path):
    path = write(tmp_path, "auditor.toml", "[rules]\nenable = []\ndisable = [\"RECON-999\"]\n")
    with pytest.raises(ConfigError) as error:
        build_run(path, folder=tmp_path)
    assert error.value.line == 3 and "RECON-999" in error.value.message
    path = write(tmp_path, "auditor.toml", "[conclusion]\nfail_rules = [\"SECT\", \"SECTT\"]\n")
    with pytest.raises(ConfigError, match="SECTT") as error:
        build_run(path, folder=tmp_path)
    assert error.value.line == 2


def test_disable_pack_enable_rule_and_severity_override(tmp_path):
    path = write(tmp_path, "auditor.toml", """
[rules]
disable = ["TMPL", "SECT-009"]
enable = ["TMPL-004"]
[rules.severity]
"PLAUS-001" = "warning"
"RECON" = "info"
""")
    run = build_run(path, folder=tmp_path)
    ids = {r.id for r in run.rules}
    assert "TMPL-004" in ids and not ids & {"TMPL-001", "TMPL-003", "SECT-009"}
    assert "SECT-001" in ids
    assert "TMPL-003" in run.ruleset.disabled and run.ruleset.overridden["PLAUS-001"] == ("error", "warning")
    # the overrides reach the findings
    findings = run.audit(str(seed("003"))).findings
    assert {f.rule_id for f in findings} >= {"PLAUS-001", "TMPL-004"} and "SECT-009" not in {f.rule_id for f in findings}
    assert next(f for f in findings if f.rule_id == "PLAUS-001").severity == "warning"
    recon = [f for f in run.audit(str(seed("004"))).findings if f.family == "recon"]
    # defects are re-graded; what the tool could not read stays 需人工复核
    assert recon and {f.severity for f in recon if f.kind == "defect"} == {"info"}
    assert {f.severity for f in recon if f.kind == "limit"} == {"review"}
    assert run.conclude(run.audit(str(seed("003")))).label == "合格"
    # and the ruleset digest records that the rules differ from the defaults
    assert run.ruleset.digest != build_run(None, folder=tmp_path / "none").ruleset.digest


def test_deadline_override_reaches_the_engine(tmp_path):
    # seed 000 (a 乡镇 report for 2020) is dated 2021-01-28: within 01-31, late against 01-15
    default = build_run(None, folder=tmp_path)
    assert not [f for f in default.audit(str(seed("000"))).findings if f.rule_id == "PLAUS-007"]
    path = write(tmp_path, "auditor.toml", '[deadlines]\n"乡镇" = "01-15"\n')
    late = [f for f in build_run(path, folder=tmp_path).audit(str(seed("000"))).findings if f.rule_id == "PLAUS-007"]
    assert len(late) == 1 and "20210115" in late[0].message


def test_conclusion_thresholds_from_config(tmp_path):
    path = write(tmp_path, "auditor.toml", "[conclusion]\nrevise_warnings = 2\nfail_rules = [\"PLAUS-001\"]\n")
    run = build_run(path, folder=tmp_path)
    assert run.conclude(run.audit(str(seed("000")))).label == "需整改"  # two warnings
    verdict = run.conclude(run.audit(str(seed("003"))))
    assert verdict.label == "不合格" and "PLAUS-001" in verdict.reason_text()


def test_input_outcomes_can_be_regraded_by_code_or_all_at_once(tmp_path, capsys, monkeypatch):
    from auditor.cli import main

    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "notes.txt").write_text("会议纪要：本周安排。\n", encoding="utf-8")  # not a report
    text = seed("001").read_text(encoding="utf-8")
    (folder / "cut.txt").write_text(text[: len(text) * 2 // 3], encoding="utf-8")  # truncated
    write(tmp_path, "auditor.toml", '[rules.severity]\n"INPUT-004" = "info"\n"INPUT-007" = "error"\n')
    run = build_run(None, folder=tmp_path)
    graded = {f.rule_id: f.severity for path in sorted(folder.iterdir()) for f in run.audit(str(path)).findings if f.family == "input"}
    # a reading limit (a file cut short) stays one: configuration never makes it an error
    assert graded == {"INPUT-004": "info", "INPUT-007": "review"}
    assert run.ruleset.overridden["INPUT-004"] == ("error", "info") and "INPUT-007" not in run.ruleset.overridden

    monkeypatch.chdir(tmp_path)  # the configuration is found in the working folder
    (folder / "cut.txt").unlink()
    (folder / "minutes.txt").write_text("工作周报\n", encoding="utf-8")  # two files: --jobs 2 uses workers
    for jobs in ("1", "2"):
        assert main(["audit", str(folder), "--jobs", jobs, "--no-progress"]) == 0  # 不是报告: info only
        assert "INPUT-004" in capsys.readouterr().out

    write(tmp_path, "auditor.toml", '[rules.severity]\nINPUT = "warning"\n')
    assert input_severities(load_config(tmp_path / "auditor.toml"))["INPUT-004"] == "warning"
    write(tmp_path, "auditor.toml", '[rules]\ndisable = ["INPUT-004"]\n')  # never silently dropped
    with pytest.raises(ConfigError):
        build_run(None, folder=tmp_path)


def _readme_block(language: str, after: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split(after, 1)[1].split(f"```{language}\n", 1)[1].split("```", 1)[0]


def test_readme_configuration_example_is_valid(tmp_path):
    write(tmp_path, "auditor.toml", _readme_block("toml", "## Configuration"))
    (tmp_path / "local_rules").mkdir()
    run = build_run(None, folder=tmp_path)
    assert run.config.reviewer and run.config.deadlines == {"乡镇": "03-31"}
    assert "TMPL-004" in {r.id for r in run.rules} and "SECT-009" not in {r.id for r in run.rules}
    assert run.config.thresholds.fail_rules == ("SECT-001",)


def test_readme_baseline_example_is_valid(tmp_path):
    from auditor.baseline import load_baseline

    path = write(tmp_path, "b.yaml", _readme_block("yaml", "## Baseline"))
    (decision,) = load_baseline(path).decisions.values()
    assert decision.status == "dismissed" and decision.by == "张三" and decision.date == "2025-03-02"

"""Rule files are data with a closed schema: mistakes are reported as file:line and stop
the run with exit code 2; a new YAML rule is picked up with no code change."""

import json
import re
import textwrap

import pytest

from auditor.cli import main
from auditor.engine.packs import load_rules
from auditor.engine.rulefile import RuleFileError
from auditor.engine.session import Engine

from .conftest import seed

GOOD_RULE = """
pack: LOCAL
title: 本地规则
rules:
  - id: LOCAL-001
    title: 乡镇报告了依申请公开
    severity: warning
    basis: 本地检查要求
    when: report.level == "乡镇" and t3.received.total > 0
    message: “{report.body}”收到 {t3.received.total} 件申请。
    fix: 无需整改，仅供统计。
"""


def write(tmp_path, text: str):
    folder = tmp_path / "local_rules"
    folder.mkdir()
    (folder / "local.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def test_new_yaml_rule_is_reported_by_audit(tmp_path, capsys):
    folder = write(tmp_path, GOOD_RULE)
    code = main(["audit", str(seed("001")), "--rules", str(folder), "--format", "json"])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    local = [f for f in lines if f["rule_id"] == "LOCAL-001"]
    assert len(local) == 1 and "收到 35 件申请" in local[0]["message"]
    assert code == 0  # only a warning


@pytest.mark.parametrize(
    "text, line, words",
    [
        (GOOD_RULE.replace("    fix: 无需整改", "    fixx: 无需整改"), 11, "未知的键 “fixx”"),
        (GOOD_RULE.replace("t3.received.total > 0", "t3.recieved.total > 0"), 9, "没有行或行组 “recieved”"),
        (GOOD_RULE.replace("and t3.received", "and and t3.received"), 9, "无法解析"),
        (GOOD_RULE.replace("report.level", "reprot.level"), 9, "未知的事实 “reprot”"),
        (GOOD_RULE.replace("LOCAL-001", "LOCAL-1"), 5, "应为 LOCAL-三位数字"),
        (GOOD_RULE.replace("severity: warning", "severity: fatal"), 7, "severity 应为"),
        (GOOD_RULE.replace("{report.body}", "{report.bodyy}"), 10, "没有属性 “bodyy”"),  # the message: line
    ],
)
def test_rule_file_errors_cite_file_and_line(tmp_path, capsys, text, line, words):
    folder = write(tmp_path, text)
    with pytest.raises(RuleFileError) as error:
        Engine(load_rules([folder]))
    assert error.value.path.endswith("local.yaml") and error.value.line == line
    assert words in error.value.message
    assert main(["audit", str(seed("001")), "--rules", str(folder)]) == 2
    assert f"local.yaml:{line}:" in capsys.readouterr().err


def test_rule_with_existing_id_overrides_default(tmp_path):
    folder = write(tmp_path, GOOD_RULE.replace("LOCAL", "PLAUS").replace("PLAUS-001", "PLAUS-001"))
    rules = {r.id: r for r in load_rules([folder])}
    assert rules["PLAUS-001"].title == "乡镇报告了依申请公开"


def test_rules_list_and_show_reflect_configuration_and_extra_folders(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "local").mkdir()
    (tmp_path / "local" / "local.yaml").write_text(GOOD_RULE, encoding="utf-8")
    (tmp_path / "auditor.toml").write_text(
        '[rules]\ndisable = ["PLAUS-001"]\n[rules.severity]\n"RECON-001" = "warning"\n', encoding="utf-8"
    )
    assert main(["rules", "list", "--rules", "local"]) == 0
    listing = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()[2:]}
    assert len(listing) == len(load_rules()) + 1 and "LOCAL-001" in listing
    assert "停用（配置）" in listing["PLAUS-001"] and "启用" in listing["PLAUS-002"]
    assert "警告（配置；原为 错误）" in listing["RECON-001"]
    assert not re.search(r"\b(error|warning|info|review)\b", "\n".join(listing.values()))

    assert main(["rules", "show", "PLAUS-001"]) == 0
    assert "已在配置中停用" in capsys.readouterr().out
    assert main(["rules", "show", "RECON-002"]) == 0
    shown = capsys.readouterr().out
    assert "规则包：RECON" in shown and re.search(r"编译为 durable_rules 规则 [1-9]\d* 条", shown)
    assert main(["rules", "show", "NOPE-001"]) == 2

"""Rule folders given with --rules carry data files too: groups, vocabulary, templates extend
the shipped ones (auditor/resources.py); a broken one is a rule-file error at its line."""

import json
import textwrap

import pytest

from auditor.cli import main
from auditor.resources import load_yaml, set_overlays
from auditor.templates import all_templates

from .conftest import seed

RULE = """
pack: LOCAL
title: 本地规则
rules:
  - id: LOCAL-001
    title: 公开和部分公开的申请
    severity: warning
    basis: 本地检查要求
    when: sum(t3[opened][total]) > 0
    message: 予以公开和部分公开共 {sum(t3[opened][total])} 件。
    fix: 无需整改，仅供统计。
"""
GROUPS = """
t3:
  rows:
    opened: [granted, partial]
"""


@pytest.fixture
def folder(tmp_path):
    made = tmp_path / "local_rules"
    made.mkdir()
    (made / "local.yaml").write_text(textwrap.dedent(RULE), encoding="utf-8")
    yield made
    set_overlays([])  # the next test sees the shipped data only


def test_a_group_defined_in_the_rule_folder_is_used(folder, capsys):
    assert main(["audit", str(seed("001")), "--rules", str(folder), "--format", "json"]) == 2  # no such group yet
    assert "opened" in capsys.readouterr().err
    (folder / "groups.yaml").write_text(textwrap.dedent(GROUPS), encoding="utf-8")
    main(["audit", str(seed("001")), "--rules", str(folder), "--format", "json"])
    found = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    assert [f["rule_id"] for f in found if f["rule_id"] == "LOCAL-001"] == ["LOCAL-001"]
    assert set(load_yaml("groups.yaml")["t3"]["rows"]) >= {"results", "opened"}  # extended, not replaced


def test_a_template_year_in_the_rule_folder_is_a_new_template(folder):
    shipped = load_yaml("templates/2021.yaml")
    (folder / "templates").mkdir()
    (folder / "templates" / "2031.yaml").write_text(
        'id: "2031"\nextends: "2021"\nname: 2031年版试用格式\nbasis: 本地试用\nreport_years: [2031, null]\n', encoding="utf-8"
    )
    set_overlays([folder])
    assert "2031" in {t.id for t in all_templates()}
    assert load_yaml("templates/2021.yaml") == shipped


def test_a_broken_data_file_is_a_rule_file_error_at_its_line(folder, capsys):
    (folder / "vocabulary.yaml").write_text("chrome:\n  - ok\n  bad: [\n", encoding="utf-8")
    assert main(["audit", str(seed("001")), "--rules", str(folder)]) == 2
    assert "vocabulary.yaml:" in capsys.readouterr().err

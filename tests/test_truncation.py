"""A file cut short is reported as INPUT-007 (where the text stops), on top of what the
rules find in the part that is there; a complete report is not."""

from functools import cache

import pytest

from auditor.audit import audit_file
from auditor.engine.packs import load_rules
from auditor.engine.session import Engine

from .conftest import SEEDS


@cache
def engine():
    return Engine(load_rules())


def input_codes(path):
    return [(f.rule_id, f.line) for f in audit_file(str(path), engine()).findings if f.family == "input"]


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_seed_cut_inside_table_three(tmp_path, path):
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    cut = next(i for i, line in enumerate(lines) if "无法提供" in line)
    short = tmp_path / path.name
    short.write_text("".join(lines[:cut]), encoding="utf-8")
    (code, line), = input_codes(short)
    assert code == "INPUT-007" and 0 < line <= cut
    assert input_codes(path) == []


def test_report_that_only_omits_section_six_is_not_truncated(tmp_path):
    text = (SEEDS / "001_39cc965ecdfa4ae6.txt").read_text(encoding="utf-8")
    without_six = text[: text.index("六、其他需要报告的事项")].rstrip() + "\n"
    assert without_six.rstrip().endswith("。")
    path = tmp_path / "no-six.txt"
    path.write_text(without_six, encoding="utf-8")
    assert input_codes(path) == []
    findings = audit_file(str(path), engine()).findings
    assert any(f.rule_id == "SECT-001" for f in findings)

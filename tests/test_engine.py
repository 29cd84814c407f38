"""The engine compiles per-row and per-column rules once per table, and still says which
row or column a finding is about; facts carry what the rules read."""

from functools import cache

from auditor.engine.fixtures import Case, build_case_report, base_dirs
from auditor.engine.packs import load_rules
from auditor.engine.render import findings_for
from auditor.engine.session import Engine


@cache
def engine():
    return Engine(load_rules())


def findings(data: dict, rule_id: str):
    report = build_case_report(Case(rule_id, "", "<test>", 0, {"base": "clean-2020", **data}), base_dirs())
    return [f for f in findings_for(report, engine().run(report), "<test>") if f.rule_id == rule_id]


def test_column_rule_names_the_broken_columns():
    found = findings({"set": {"t3.partial.commercial": 1, "t3.partial.total": 2}}, "RECON-003")
    assert sorted(f.column for f in found) == ["商业企业", "总计"]
    assert all(f.outcome == "violated" and f.line == 56 for f in found)


def test_row_rule_names_the_broken_row():
    (found,) = findings({"set": {"t3.unable_1.total": 5}}, "RECON-002")
    assert found.row == "(四)1.本机关不掌握相关政府信息" and found.line == 47
    assert (found.actual, found.expected) == ("5", "4")


def test_whole_table_rules_are_compiled_once():
    by_rule = {}
    for compiled in engine().compiled:
        by_rule.setdefault(compiled.instance.rule.id, []).append(compiled)
    # one durable_rules rule per outcome branch, not one per row or column
    assert len(by_rule["RECON-002"]) <= 6 and len(by_rule["RECON-001"]) <= 6
    assert all(c.variants for c in by_rule["RECON-002"])

"""Every rule fixture (rules/fixtures/*.yaml) through the real engine; every rule has both
a case where it fires and one where it does not."""

from functools import cache

import pytest

from auditor.engine.fixtures import base_dirs, fixture_dirs, load_cases, run_cases
from auditor.engine.packs import load_rules
from auditor.engine.session import Engine

CASES = load_cases(fixture_dirs())


@cache
def engine() -> Engine:
    return Engine(load_rules())


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.rule}-{c.line}")
def test_fixture_case(case):
    (result,) = run_cases(engine(), [case], base_dirs())
    assert result.ok, f"{case.name}: expected {case.expected}, got: {result.detail}"


@pytest.mark.parametrize("rule", load_rules(), ids=lambda r: r.id)
def test_every_rule_has_firing_and_quiet_cases(rule):
    mine = [c for c in CASES if c.rule == rule.id]
    assert any(c.expected > 0 for c in mine), f"{rule.id} has no case where it fires"
    assert any(c.expected == 0 for c in mine), f"{rule.id} has no case where it stays quiet"

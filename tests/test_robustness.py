"""Damaged reports never crash a batch nor vanish: each is parsed and audited or gets a coded
input error, and none reaches the catch-all for internal errors (that would be a bug to fix)."""

import random

import pytest

from auditor.audit import audit_file
from auditor.engine.session import Engine
from auditor.engine.packs import load_rules

from .conftest import FIXTURES, SEEDS
from .mutations import mutate

SAMPLES = sorted(SEEDS.glob("*.txt")) + sorted(p for p in (FIXTURES / "layouts").iterdir() if p.suffix in {".txt", ".html", ".md"})
PER_SAMPLE = 30
INTERNAL = ("内部错误", "规则引擎出错", "工作进程异常退出")


@pytest.fixture(scope="module")
def engine():
    return Engine(load_rules())


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_damaged_copies_get_findings_or_a_coded_error(sample, engine, tmp_path):
    rng = random.Random(sample.name)
    original = sample.read_bytes()
    for number in range(PER_SAMPLE):
        names, damaged = mutate(original, rng)
        path = tmp_path / f"{number:02d}{sample.suffix}"
        path.write_bytes(damaged)
        result = audit_file(str(path), engine)
        assert result.parsed or (result.error and result.findings), f"{names}: neither parsed nor an error"
        internal = [f.message for f in result.findings if any(word in f.message for word in INTERNAL)]
        assert not internal, f"{sample.name} after {names}: {internal}"
        for finding in result.findings:
            assert finding.message and finding.rule_id, names


def test_a_stray_byte_is_audited_with_a_warning_naming_its_line(engine, tmp_path):
    lines = sorted(SEEDS.glob("003_*.txt"))[0].read_bytes().split(b"\n")
    lines[9] += b"\xff"
    path = tmp_path / "stray.txt"
    path.write_bytes(b"\n".join(lines))
    result = audit_file(str(path), engine)
    assert result.parsed
    (warning,) = [f for f in result.findings if f.rule_id == "INPUT-009"]
    assert (warning.severity, warning.kind, warning.line) == ("review", "limit", 10)
    assert "第 10 行" in warning.message
    assert any(f.family == "plaus" or f.rule_id.startswith("PLAUS") for f in result.findings)  # still audited
    clean = audit_file(str(sorted(SEEDS.glob("003_*.txt"))[0]), engine)
    assert "INPUT-009" not in {f.rule_id for f in clean.findings}


def test_a_failure_while_rendering_findings_is_a_coded_error_not_a_crash(engine, monkeypatch):
    import auditor.audit

    def broken(*_):
        raise KeyError("t9")

    monkeypatch.setattr(auditor.audit, "findings_for", broken)
    result = audit_file(str(SAMPLES[0]), engine)
    (error,) = result.findings
    assert error.rule_id == "INPUT-011" and "规则引擎内部错误" in error.message and "KeyError" in error.message

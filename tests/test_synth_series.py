"""Generated series (python -m auditor.synth --series K) and the cross pass of the harness:
figures carried from year to year, labelled cross defects found by packs YEAR and COPY,
nothing over two reports on a clean series, the same bytes for the same seed, and the output
without --series as before."""

import hashlib
from pathlib import Path

import pytest
import yaml

from auditor import eval as harness
from auditor import scoring
from auditor.probe import audit_carry
from auditor.synth import generate
from auditor.synth.__main__ import main as synth_main
from auditor.synth.series import CROSS_KINDS

CROSS = ("YEAR", "COPY")


def _expectations(folder: Path) -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.expected.yaml"))]


def _cross_findings(folder: Path) -> dict[str, list[dict]]:
    """Every finding over two reports (all severities), by report file."""
    cases = harness.expectations(folder)
    found = [audit_carry(str(path)) for path, _ in cases]
    return harness._cross(cases, found)


@pytest.fixture(scope="module")
def defective(tmp_path_factory) -> Path:
    """12 series of 3 years, each with one cross defect (the four kinds taking turns)."""
    folder = tmp_path_factory.mktemp("series")
    generate(folder, 36, seed=5, defect_rate=1.0, kinds=CROSS_KINDS, series=3)
    return folder


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("clean-series")
    generate(folder, 24, seed=9, defect_rate=0.0, series=3)
    return folder


def test_every_cross_kind_is_labelled_and_expected(defective):
    data = _expectations(defective)
    rules = {"carry_break": {"YEAR-001"}, "rollforward_break": {"YEAR-002", "YEAR-003", "YEAR-004"},
             "copied_report": {"COPY-001"}, "missing_year": {"YEAR-005"}}
    for kind in CROSS_KINDS:
        carriers = [d for d in data if kind in d["defects"]]
        assert len(carriers) == 3, kind
        for item in carriers:
            assert item["series"]["position"] >= 1
            assert {f["rule"] for f in item["findings"]} & rules[kind], (kind, item["report"])
    gaps = [d for d in data if "missing_year" in d["defects"]]
    assert all(d["year"] - 1 not in d["series"]["years"] for d in gaps)


def test_labelled_cross_defects_are_all_found(defective):
    results = harness.run(defective)
    families = scoring.by_family(results)
    for family in CROSS:
        assert families[family].recall == 1.0 and families[family].precision == 1.0, family
    kinds = scoring.by_defect_kind(results)
    for kind in ("carry_break", "rollforward_break", "copied_report"):
        assert kinds[kind].matched > 0 and kinds[kind].missed == 0 and kinds[kind].false_alarms == 0, kind
    assert scoring.total(results).recall == 1.0


def test_a_missing_year_is_stated(defective):
    found = _cross_findings(defective)
    for item in _expectations(defective):
        got = [f["rule_id"] for f in found.get(str(defective / item["report"]), [])]
        wanted = [f["rule"] for f in item["findings"] if f["rule"].split("-")[0] in CROSS]
        assert sorted(r for r in got if r != "COPY-002") == sorted(wanted), item["report"]  # COPY-002 (info) is not predicted


def test_a_clean_series_chains_and_draws_no_cross_finding(clean):
    data = _expectations(clean)
    assert {d["series"]["position"] for d in data} == {0, 1, 2}
    assert all(d["series"]["years"] == list(range(d["series"]["years"][0], d["series"]["years"][0] + 3)) for d in data)
    assert _cross_findings(clean) == {}


def test_series_same_seed_same_bytes(tmp_path):
    generate(tmp_path / "a", 9, seed=3, series=3)
    generate(tmp_path / "b", 9, seed=3, series=3)
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b").iterdir())
    assert all((tmp_path / "a" / n).read_bytes() == (tmp_path / "b" / n).read_bytes() for n in names)


def test_a_corpus_extended_with_start_equals_one_run(tmp_path):
    generate(tmp_path / "whole", 8, seed=4, series=3)
    generate(tmp_path / "parts", 4, seed=4, series=3)
    generate(tmp_path / "parts", 4, seed=4, series=3, start=4)
    names = sorted(p.name for p in (tmp_path / "whole").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "parts").iterdir())
    assert all((tmp_path / "whole" / n).read_bytes() == (tmp_path / "parts" / n).read_bytes() for n in names)


def test_without_series_the_output_is_as_before(tmp_path):
    """The first 24 reports of `python -m auditor.synth --count 300 --seed 1` written before
    series existed (digest of names and bytes)."""
    generate(tmp_path, 24, seed=1)
    digest = hashlib.sha256()
    for path in sorted(tmp_path.iterdir()):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    assert digest.hexdigest() == "9f921fa408707abd8b87fd6e1f25b7f37a9e46bdfed4da11aa5c13033ac2a5f0"


def test_copy_places_are_compared_by_kind_and_part():
    assert scoring.place("copy:prev:whole:2021") == "copy:prev:whole"
    assert scoring.place("t3.carried_in.natural@col=natural") == "t3.carried_in.natural"


@pytest.mark.parametrize("argv", [["--series", "1"], ["--series", "7"], ["--defects", "carry_break"]])
def test_series_usage_errors(tmp_path, argv):
    with pytest.raises(SystemExit) as raised:
        synth_main(["--out", str(tmp_path), "--count", "3"] + argv)
    assert raised.value.code == 2

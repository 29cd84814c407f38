"""Accuracy on real reports (../shared/real, skipped where absent): the real-data harness.

Excerpts cut mid-text get no error finding and their truncation once; whole real reports
with hand-written expectations (tests/real/expectations) get no false error and every known
defect found. Metadata figures are asserted by tests/test_metadata_real.py.
"""

import io
import shutil
from pathlib import Path

import pytest
import yaml

from auditor import realeval

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "real"
EXPECTATIONS = ROOT / "tests" / "real" / "expectations"

pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real is not available on this machine")


@pytest.fixture(scope="module")
def excerpts():
    return realeval.score_excerpts(REAL / "excerpts")


@pytest.fixture(scope="module")
def wholes():
    return realeval.score_expectations(EXPECTATIONS, REAL, ROOT / "corpus")


def test_no_error_finding_on_excerpts_cut_mid_text(excerpts):
    assert len(excerpts) == 75
    errors = [(c.name, f["rule_id"], f["message"]) for c in excerpts for f in c.false]
    assert not errors


def test_truncation_reported_once_on_each_cut_excerpt_and_never_on_a_whole_page(excerpts):
    assert not [(c.name, m["why"]) for c in excerpts for m in c.missed]
    whole = [c for c in excerpts if not c.expected["truncated"]]
    assert {c.name for c in whole} == {"005.txt", "071.txt"}


def test_every_expectation_names_a_real_rule_and_a_file():
    from auditor.engine.packs import load_rules

    ids = {r.id for r in load_rules()} | {"INPUT-007", "INPUT-009"}
    for path in sorted(EXPECTATIONS.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        readers = data.get("readers") or [data.get("reader")]
        assert data["file"] and set(readers) <= {"text", "pdf", "pdftotext"}, path.name
        for item in (data.get("defects") or []) + (data.get("allowed") or []):
            assert item["rule"] in ids, (path.name, item["rule"])


@pytest.mark.parametrize("name", ["pingtan-2020", "pingtan-2025", "seeds-002", "seeds-003"])
def test_known_defects_of_real_reports_are_found(wholes, name):
    (case,) = [c for c in wholes if c.name == name]
    assert not case.skipped and case.expected["defects"]
    assert not case.missed, case.missed


def test_no_false_error_on_real_text_reports(wholes):
    text = [c for c in wholes if c.reader == "text"]
    assert len(text) == 12
    assert not [(c.name, f["rule_id"], f["message"]) for c in text for f in c.false if f["severity"] == "error"]
    assert not [(c.name, m) for c in text for m in c.missed]


def test_real_pdfs_read_directly(wholes):
    """The PDFs themselves through the tool's own reader: no false error, nothing missed
    (huaian's incomplete fee disclosure found), every finding citing its page."""
    pdfs = [c for c in wholes if c.reader == "pdf"]
    assert len(pdfs) == 2 and not [c.skipped for c in pdfs if c.skipped]
    assert not [(c.name, f["rule_id"], f["message"]) for c in pdfs for f in c.false if f["severity"] in ("error", "warning")]
    assert not [(c.name, m) for c in pdfs for m in c.missed]
    assert all(f.get("page") for c in pdfs for f in c.findings if f.get("line"))


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_real_pdf_text_reports(wholes):
    pdfs = [c for c in wholes if c.reader == "pdftotext"]
    assert len(pdfs) == 2 and not [c.skipped for c in pdfs if c.skipped]
    assert not [(c.name, f["rule_id"], f["message"]) for c in pdfs for f in c.false if f["severity"] == "error"]
    assert not [(c.name, m) for c in pdfs for m in c.missed]


def test_the_report_lists_false_errors_and_precision(excerpts, wholes):
    out = io.StringIO()
    realeval.report(excerpts, wholes, out)
    text = out.getvalue()
    assert "节选上的错误级别发现：0 条" in text and "误报的错误" in text and "精确率" in text

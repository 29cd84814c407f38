"""PDF files read directly (auditor/ingest/pdf/read.py): generated reports rendered by LibreOffice
(committed in tests/fixtures/pdf with their expectations, made by `python -m auditor.synth
--pdf`), rows and labels cut by page breaks, pages cited, and the PDFs that cannot be read.
The two real PDFs are tested in test_real_tables_pdf.py and test_real_accuracy.py."""

import dataclasses
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from auditor import eval as evaluation
from auditor import scoring
from auditor.errors import InputError
from auditor.ingest import read_source
from auditor.limits import current, set_limits
from auditor.pipeline import parse_file
from auditor.probe import audit_one

FIXTURES = Path(__file__).parent / "fixtures" / "pdf"
ROOT = Path(__file__).resolve().parents[1]


def _pdf(name: str) -> Path:
    (path,) = FIXTURES.glob(f"{name}*.pdf")
    return path


def test_generated_pdfs_meet_their_expectations():
    results = evaluation.run(FIXTURES)
    assert len(results) == 6
    total = scoring.total(results)
    assert total.expected and total.missed == 0 and total.false_alarms == 0, evaluation.report(results, FIXTURES, io.StringIO())
    assert all(got == want for r in results for want, got in r.metadata.values() if want is not None)


def test_a_header_row_cut_by_a_page_break_is_one_row():
    """表四's second header row: "结果 | 结果 | 其他 | 尚未" at the foot of page 3, "维持 | 纠正 |
    结果 | 审结" at the head of page 4, the 诉讼 sub-headers beside them."""
    source = read_source(_pdf("000012"))
    rows = [line.split("\t")[1:] for line in source.text.split("\n") if line.startswith("\t")]
    assert ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"] in rows
    assert not parse_file(_pdf("000012")).report.deviations


@pytest.mark.parametrize("name, label", [("000035", "（五）不予处理"), ("000021", "（三）不予公开")])
def test_a_group_label_cut_by_a_page_break_is_one_label(name, label):
    source = read_source(_pdf(name))
    lines = source.text.split("\n")
    (at,) = [i for i, line in enumerate(lines) if label in line.split("\t")]
    assert source.pages[at] < source.pages[at + 2]  # the label began on one page, its rows go on the next
    assert not [f for f in audit_one(str(_pdf(name)))[0] if f["rule_id"] in ("RECON-009", "TMPL-004")]


def test_a_header_cell_cut_by_a_page_break_is_one_cell():
    rep = parse_file(_pdf("000023")).report
    assert rep.tables["t3"].cell("received", "charity").known
    assert not [d for d in rep.deviations if d.table == "t3"]  # "社会公益" + "组织", not a label deviation


def test_findings_cite_their_page(tmp_path):
    pdf = _pdf("000043")
    out = subprocess.run(
        [str(Path(shutil.which("auditor") or ROOT / ".venv" / "bin" / "auditor")), "audit", str(pdf), "--format", "json"],
        capture_output=True, text=True, check=False,
    )
    findings = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    fee = [f for f in findings if f["rule_id"] == "FEE-004"]
    assert fee and all(f["page"] >= 1 and f["line"] >= 1 for f in fee)
    source = read_source(pdf)
    assert all(source.pages[f["line"] - 1] == f["page"] for f in findings if f["line"])


def test_text_findings_carry_no_page(tmp_path):
    (seed,) = sorted((ROOT / "corpus" / "seeds").glob("002_*"))[:1]
    findings, _ = audit_one(str(seed))
    assert findings and all(f["page"] == 0 for f in findings)


def test_a_scanned_pdf_without_text_is_said_so(tmp_path):
    Image = pytest.importorskip("PIL.Image")
    path = tmp_path / "scan.pdf"
    Image.new("RGB", (600, 800), "white").save(path, "PDF")
    with pytest.raises(InputError) as caught:
        read_source(path)
    assert caught.value.code == "INPUT-017" and "扫描件" in caught.value.message


def test_a_pdf_over_the_page_limit_is_refused():
    saved = current()
    set_limits(dataclasses.replace(saved, pdf_pages=3))
    try:
        with pytest.raises(InputError) as caught:
            read_source(_pdf("000012"))
    finally:
        set_limits(saved)
    assert caught.value.code == "INPUT-014" and "页" in caught.value.message


def test_a_word_97_file_without_libreoffice_says_how_to_convert(tmp_path, monkeypatch):
    import auditor.ingest.office as office

    monkeypatch.setattr(office, "soffice", lambda: None)
    path = tmp_path / "report.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500))
    with pytest.raises(InputError) as caught:
        read_source(path)
    assert caught.value.code == "INPUT-006" and "LibreOffice" in caught.value.message and "DOCX" in caught.value.message


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_word_97_file_is_read_through_libreoffice(tmp_path):
    seed = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))[0]
    made = subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--convert-to", "doc",
         "--outdir", str(tmp_path), str(seed)],
        capture_output=True, timeout=120, check=False,
    )
    doc = tmp_path / (seed.stem + ".doc")
    assert made.returncode == 0 and doc.is_file()
    text_report = parse_file(seed).report
    doc_report = parse_file(doc).report
    assert doc_report.format == "doc"
    assert doc_report.metadata.body == text_report.metadata.body and doc_report.metadata.year == text_report.metadata.year


def _pages_with_a_running_header(path: Path, pages: int = 4) -> None:
    """A PDF of `pages` pages, each with the same header line at the top, a page number at
    the foot and a body line (Latin text: no CJK font needed)."""
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["pdf.fonttype"] = 42  # TrueType: text PDFium can read back
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    with PdfPages(path) as pdf:
        for number in range(1, pages + 1):
            figure = Figure(figsize=(8.27, 11.69))
            figure.text(0.1, 0.96, "Running header of the report", fontsize=10)
            figure.text(0.1, 0.5, f"Body text of page {number} with enough words to count", fontsize=12)
            figure.text(0.5, 0.03, f"- {number} -", fontsize=10)
            pdf.savefig(figure)


def test_running_headers_and_page_numbers_are_not_text(tmp_path):
    from auditor.ingest.pdf import read_pdf

    path = tmp_path / "running.pdf"
    _pages_with_a_running_header(path)
    text = read_pdf(path.read_bytes())
    lines = [line for line in text.text.split("\n") if line.strip()]
    assert lines.count("Running header of the report") == 1  # kept where it first stands
    assert not [line for line in lines if line.startswith("- ")]
    assert [line for line in lines if line.startswith("Body text")] == [
        f"Body text of page {n} with enough words to count" for n in range(1, 5)
    ]


def _with_a_picture_page(source: Path, target: Path, replaced: int) -> None:
    """`source` with page `replaced` (1-based) swapped for a page that is only a picture
    (a table pasted as an image, a scanned page)."""
    import pypdfium2

    Image = pytest.importorskip("PIL.Image")
    picture = io.BytesIO()
    Image.new("RGB", (595, 842), "white").save(picture, "PDF")
    original, image = pypdfium2.PdfDocument(str(source)), pypdfium2.PdfDocument(picture.getvalue())
    made = pypdfium2.PdfDocument.new()
    for index in range(len(original)):
        if index + 1 == replaced:
            made.import_pages(image, [0])
        else:
            made.import_pages(original, [index])
    with open(target, "wb") as handle:
        made.save(handle)


def test_a_page_that_is_a_picture_is_a_reading_limit_and_nothing_is_called_missing(tmp_path):
    """Page 3 of the fee-defect fixture holds most of 表三; as a picture, its rows cannot be
    read: the report says which page was not read (INPUT-018, a limit) instead of calling the
    rows missing."""
    path = tmp_path / "picture.pdf"
    _with_a_picture_page(_pdf("000043"), path, replaced=3)
    findings, _ = audit_one(str(path))
    limit = [f for f in findings if f["rule_id"] == "INPUT-018"]
    assert len(limit) == 1 and limit[0]["page"] == 3 and "第 3 页" in limit[0]["message"] and limit[0]["kind"] == "limit"
    assert not [f for f in findings if f["rule_id"].startswith("SECT") and f["severity"] in ("error", "warning")]
    assert read_source(path).image_pages == (3,) and read_source(_pdf("000043")).image_pages == ()

"""The two real PDF reports in ../shared/real/pdf, read directly (tables from the PDF's ruling
lines, auditor/ingest/pdf/read.py) and through `pdftotext -layout`, against the cell values checked by
hand in ../shared/real/pdf/README.md (skipped where the folder, or for the second reader
pdftotext, is absent; the PDFs and their text are never copied into this repository).

Every cell must be the README's figure (unknown would be allowed, a wrong number never is;
today every cell is read), the template 2021, and no header word reflowed by the PDF
extraction reported as a label deviation.
"""

import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from auditor.pipeline import parse_file

PDF = Path(__file__).resolve().parents[2] / "shared" / "real" / "pdf"
pytestmark = pytest.mark.skipif(not PDF.is_dir(), reason="../shared/real is not available on this machine")
READERS = ("pdf", "pdftotext")
LAYOUT = {"pdf": "tab", "pdftotext": "pdf-text"}
T3 = ("natural", "commercial", "research", "charity", "legal", "other_org", "total")
T4 = ("upheld", "corrected", "other", "pending", "total")


def _natural(n: int) -> list[int]:
    """A 表三 row whose only applicants are 自然人."""
    return [n, 0, 0, 0, 0, 0, n]


# Figures from ../shared/real/pdf/README.md ("Hand-checked facts").
EXPECTED = {
    "hongze-2024.pdf": {
        "t2": {
            "regulations": {"issued": 0, "repealed": 0, "in_force": 0},
            "normative_docs": {"issued": 3, "repealed": 0, "in_force": 8},
            "licensing": {"decisions": 9487}, "penalty": {"decisions": 2776}, "enforcement": {"decisions": 84},
            "admin_fees": {"fee_amount": 7545},
        },
        "t3": {
            "received": _natural(95), "carried_in": _natural(0), "granted": _natural(50), "partial": _natural(9),
            "denied_1": _natural(0), "denied_2": _natural(0), "denied_3": _natural(1), "denied_4": _natural(0),
            "denied_5": _natural(0), "denied_6": _natural(1), "denied_7": _natural(1), "denied_8": _natural(0),
            "unable_1": _natural(31), "unable_2": _natural(1), "unable_3": _natural(0),
            "rejected_1": _natural(1), "rejected_2": _natural(0), "rejected_3": _natural(0), "rejected_4": _natural(0),
            "rejected_5": _natural(0), "other": _natural(0), "results_total": _natural(95), "carried_out": _natural(0),
        },
        "t4": {"review": [1, 1, 0, 0, 2], "suit_direct": [1, 0, 0, 0, 1], "suit_after": [2, 0, 1, 0, 3]},
    },
    "huaian-2024.pdf": {
        "t2": {
            "regulations": {"issued": 1, "repealed": 0, "in_force": 11},
            "normative_docs": {"issued": 8, "repealed": 26, "in_force": 66},
            "licensing": {"decisions": 447228}, "penalty": {"decisions": 3985758}, "enforcement": {"decisions": 88283},
            "admin_fees": {"fee_amount": Decimal("96171.6")},
        },
        "t3": {
            "received": [3001, 53, 0, 0, 61, 4, 3119], "carried_in": _natural(34),
            "granted": [1288, 21, 0, 0, 50, 3, 1362], "partial": [447, 7, 0, 0, 0, 0, 454],
            "denied_1": _natural(2), "denied_2": [30, 1, 0, 0, 0, 0, 31], "denied_3": _natural(5),
            "denied_4": _natural(6), "denied_5": [7, 1, 0, 0, 0, 0, 8], "denied_6": _natural(12),
            "denied_7": _natural(9), "denied_8": _natural(105),
            "unable_1": [746, 12, 0, 0, 10, 1, 769], "unable_2": _natural(11), "unable_3": _natural(1),
            "rejected_1": [56, 6, 0, 0, 0, 0, 62], "rejected_2": _natural(25), "rejected_3": _natural(0),
            "rejected_4": _natural(0), "rejected_5": _natural(1),
            "other_1": [67, 3, 0, 0, 1, 0, 71], "other_2": _natural(6), "other_3": [108, 2, 0, 0, 0, 0, 110],
            "results_total": [2932, 53, 0, 0, 61, 4, 3050], "carried_out": _natural(103),
        },
        "t4": {"review": [72, 64, 178, 37, 351], "suit_direct": [13, 4, 8, 1, 26], "suit_after": [12, 1, 1, 6, 20]},
    },
}


def _cells(expected: dict):
    for table, rows in expected.items():
        for row, cells in rows.items():
            if isinstance(cells, dict):
                yield from ((table, row, col, value) for col, value in cells.items())
            else:
                yield from ((table, row, col, value) for col, value in zip(T3 if table == "t3" else T4, cells))


@pytest.fixture(scope="module", params=[(name, reader) for name in sorted(EXPECTED) for reader in READERS], ids=str)
def pdf_report(request, tmp_path_factory):
    name, reader = request.param
    if reader == "pdf":
        return name, parse_file(PDF / name).report
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = tmp_path_factory.mktemp("pdf") / (Path(name).stem + ".txt")
    subprocess.run(["pdftotext", "-layout", str(PDF / name), str(text)], check=True, timeout=120)
    return name, parse_file(text).report


def test_every_cell_is_the_hand_checked_figure(pdf_report):
    name, rep = pdf_report
    right, unknown, wrong = [], [], []
    for table, row, col, value in _cells(EXPECTED[name]):
        cell = rep.tables[table].cell(row, col)
        if cell is None or not cell.known:
            unknown.append((table, row, col))
        elif cell.value == value:
            right.append((table, row, col))
        else:
            wrong.append((table, row, col, cell.value, value, cell.line))
    assert not wrong
    assert not unknown


def test_template_is_2021(pdf_report):
    _, rep = pdf_report
    assert rep.layout in LAYOUT.values()
    assert rep.metadata.template == "2021"


def test_no_deviation_made_by_the_pdf_extraction(pdf_report):
    name, rep = pdf_report
    printed = [(d.table, d.key, d.printed) for d in rep.deviations]
    # hongze prints "2.其他法律行政止公开" (a typo of the report itself, per the README)
    assert printed == ([("t3", "denied_2", "2.其他法律行政止公开")] if name.startswith("hongze") else [])

"""Compare PDF readers on the real PDFs: table cells right against the hand-checked figures
(tests/test_real_tables_pdf.py) and speed (pages/s). Run from the repository root:

    python scripts/compare_pdf_readers.py ../shared/real/pdf

Readers: the tool's reader (auditor/ingest/pdf/read.py: PDFium's characters and ruling lines,
pdfplumber's table finder); the same reading from pdfminer's objects (pdfplumber alone);
pdfplumber plain text (pdfminer);
pypdfium2 text; poppler's `pdftotext -layout` — the three text ones fed to the tool's
PDF-text layout. A cell counts right only when read and equal; unknown and wrong are counted apart.
"""

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from test_real_tables_pdf import EXPECTED, _cells  # noqa: E402

from auditor.pipeline import parse_file, parse_source  # noqa: E402
from auditor.ingest import Source  # noqa: E402


def geometry(path: Path):
    return parse_file(path).report


class _MinerPage:
    """A pdfplumber (pdfminer) page in the shape auditor/ingest/pdf/page.py gives the tool's reader."""

    def __init__(self, page):
        self.width, self.height, self.bbox = page.width, page.height, (0, 0, page.width, page.height)
        self.edges = page.edges
        self.chars = [
            dict(c, baseline=c["bottom"] - 0.2 * (c["bottom"] - c["top"]), size=c["bottom"] - c["top"])
            for c in page.chars if c["text"].strip()
        ]


def miner_geometry(path: Path):
    """The same reading from pdfminer's objects (pdfplumber alone): how much PDFium saves."""
    import pdfplumber

    from auditor.ingest.pdf.read import _Reader

    reader = _Reader()
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            reader.read_page(_MinerPage(page), number)
    return _as_text(path, "\n".join(reader.lines))


def _as_text(path: Path, text: str):
    return parse_source(Source(str(path), text, "utf-8", "text", len(text))).report


def plumber_text(path: Path):
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return _as_text(path, "\n".join(page.extract_text(layout=True) or "" for page in pdf.pages))


def pdfium_text(path: Path):
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(path))
    text = "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    return _as_text(path, text)


def poppler_text(path: Path):
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return _as_text(path, done.stdout.decode("utf-8", "replace"))


READERS = {"pdfium + pdfplumber tables": geometry, "pdfminer + pdfplumber tables": miner_geometry, "pdfplumber (text)": plumber_text, "pypdfium2 (text)": pdfium_text}
if shutil.which("pdftotext"):
    READERS["pdftotext -layout"] = poppler_text


def main(folder: Path, repeat: int = 3) -> None:
    import pypdfium2

    print(f"{'reader':30} {'right':>6} {'unknown':>8} {'wrong':>6} {'pages/s':>8}")
    for name, read in READERS.items():
        right = unknown = wrong = pages = 0
        started = time.perf_counter()
        for _ in range(repeat):
            for pdf_name, expected in EXPECTED.items():
                report = read(folder / pdf_name)
                pages += len(pypdfium2.PdfDocument(str(folder / pdf_name)))
                for table, row, col, value in _cells(expected):
                    cell = report.tables[table].cell(row, col)
                    if cell is None or not cell.known:
                        unknown += 1
                    elif cell.value == value:
                        right += 1
                    else:
                        wrong += 1
        seconds = time.perf_counter() - started
        print(f"{name:30} {right // repeat:>6} {unknown // repeat:>8} {wrong // repeat:>6} {pages / seconds:>8.1f}")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory():
        main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/real/pdf"))

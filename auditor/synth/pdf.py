"""Generated reports as PDF, rendered by a real office suite: the HTML layout through
LibreOffice Writer (`soffice --headless`), so the accuracy harness covers PDF reading
(ruled tables, rows and labels cut by page breaks, wrapped cells) on text we know.

Each report's .expected.yaml then names the PDF; its findings keep their places but not
their lines (the PDF's text is laid out anew, so line numbers differ from the HTML's).
"""

import subprocess
import tempfile
from pathlib import Path

import yaml

from ..ingest.office import soffice

_BATCH = 100  # files per LibreOffice run (one start-up per batch)
# Defects a rendered page cannot show (reports holding one stay HTML): a row printed with a
# cell too few is, on paper, a row with a blank cell (RECON-009), not the short row the HTML holds.
UNRENDERED = ("short_row",)


class NoOffice(RuntimeError):
    pass


def render_pdfs(folder: str | Path) -> int:
    """Turn the generated HTML reports in `folder` into PDF (the HTML removed); returns how many."""
    program = soffice()
    if program is None:
        raise NoOffice("LibreOffice (soffice) is not installed: it renders the generated reports to PDF")
    folder = Path(folder)
    expectations = sorted(folder.glob("*.expected.yaml"))
    pages = [(path, yaml.safe_load(path.read_text(encoding="utf-8"))) for path in expectations]
    html = [(path, data) for path, data in pages
            if data["report"].endswith((".html", ".htm")) and not set(data.get("defects") or ()) & set(UNRENDERED)]
    with tempfile.TemporaryDirectory(prefix="gkaudit-synth-pdf-") as work:
        profile = (Path(work) / "profile").as_uri()
        for start in range(0, len(html), _BATCH):
            sources = [str(folder / data["report"]) for _, data in html[start:start + _BATCH]]
            subprocess.run(
                [program, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                 "--infilter=HTML (StarWriter)", "--convert-to", "pdf", "--outdir", str(folder), *sources],
                capture_output=True, check=True, timeout=60 + 10 * len(sources),
            )
    for path, data in html:
        source = folder / data["report"]
        pdf = source.with_suffix(".pdf")
        if not pdf.is_file():
            raise RuntimeError(f"LibreOffice wrote no PDF for {source.name}")
        source.unlink()
        data["report"] = pdf.name
        data["layout"] = "pdf"
        for finding in data.get("findings") or []:
            finding.pop("line", None)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return len(html)


def available() -> bool:
    return soffice() is not None

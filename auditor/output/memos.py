"""Write the audit memo of one report to a folder, as Markdown, DOCX and/or PDF.

Every format is rendered in memory first, then each file is written atomically
(output/atomic.py). The DOCX comes from the configured Word template (memo.template, else the
built-in one); the PDF is that DOCX converted by LibreOffice (output/memo_pdf.py). The memo
shows the file as sanitize.display_path gives it, and its own name is made safe on every
platform (sanitize.file_stem): a file name that is not UTF-8, or holds characters Windows
forbids, never stops the batch.
"""

import dataclasses
from pathlib import Path

from .atomic import ensure_folder, write_bytes
from .memo import build_memo, memo_stem
from .memo_docx import docx_bytes
from .memo_md import render_markdown
from .sanitize import display_path, file_stem

FORMATS = {"md": ("md",), "docx": ("docx",), "pdf": ("pdf",), "both": ("md", "docx"), "all": ("md", "docx", "pdf")}


def write_memo(result, conclusion, run, folder, fmt: str = "both", used: set | None = None, stem: str | None = None) -> list[Path]:
    """The memo files written for `result` (names unique within `used`, one set per folder;
    `stem`: the name it was written under before, to write it again)."""
    folder = ensure_folder(folder)
    shown = dataclasses.replace(result, path=display_path(result.path))
    memo = build_memo(shown, conclusion, run)
    stem = stem or memo_stem(f"{file_stem(Path(result.path).stem)}.memo", used if used is not None else set())
    kinds = FORMATS[fmt]
    rendered = {}
    if "md" in kinds:
        rendered["md"] = render_markdown(memo).encode("utf-8")
    if "docx" in kinds or "pdf" in kinds:
        document = docx_bytes(memo, getattr(run.config, "memo_template", None))
        if "docx" in kinds:
            rendered["docx"] = document
        if "pdf" in kinds:
            from .memo_pdf import pdf_bytes

            rendered["pdf"] = pdf_bytes(document)
    return [write_bytes(folder / f"{stem}.{kind}", data) for kind, data in rendered.items()]

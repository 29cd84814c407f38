"""Write the audit memo of one report to a folder, as Markdown and/or DOCX."""

from pathlib import Path

from .memo import build_memo, memo_stem
from .memo_docx import render_docx
from .memo_md import render_markdown

FORMATS = {"md": ("md",), "docx": ("docx",), "both": ("md", "docx")}


def write_memo(result, conclusion, run, folder, fmt: str = "both", used: set | None = None) -> list[Path]:
    """The memo files written for `result` (names unique within `used`, one set per folder)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    memo = build_memo(result, conclusion, run)
    stem = memo_stem(result.path, used if used is not None else set())
    written = []
    for kind in FORMATS[fmt]:
        path = folder / f"{stem}.{kind}"
        if kind == "md":
            path.write_text(render_markdown(memo), encoding="utf-8")
        else:
            render_docx(memo, path)
        written.append(path)
    return written

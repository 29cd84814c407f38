"""The Word template of the DOCX memo: the built-in one or an office's own (`memo.template`).

The built-in template (auditor/data/memo-template.docx) is built by
scripts/build_memo_template.py. A template is a Word document with docxtpl (Jinja) tags that
may use one variable, `memo` (output/memo.Memo; see docs/memo-template.md). An office's
template is checked when the configuration is read (template_problem), so a broken one stops
the run with exit code 2 before anything is audited, never half way through a batch.
"""

import zipfile
from functools import cache
from pathlib import Path

DEFAULT_TEMPLATE = Path(__file__).resolve().parent.parent / "data" / "memo-template.docx"
VARIABLES = {"memo"}


@cache
def template_bytes(path: Path | None = None) -> bytes:
    """The template's bytes (read once per process)."""
    return Path(path or DEFAULT_TEMPLATE).read_bytes()


def template_problem(path: Path) -> str:
    """What makes `path` unusable as a memo template ("" when nothing does), in Chinese."""
    from docxtpl import DocxTemplate
    from jinja2 import TemplateSyntaxError

    if not zipfile.is_zipfile(path):
        return "不是 Word 文档（.docx）"
    try:
        unknown = DocxTemplate(str(path)).get_undeclared_template_variables() - VARIABLES
    except TemplateSyntaxError as error:
        return f"模板标记有语法错误（{error.message}）"
    except Exception as error:  # python-docx: not a word-processing document, a damaged part
        return f"无法作为 Word 文档打开（{type(error).__name__}）"
    if unknown:
        return f"模板中使用了未知的变量 {'、'.join(sorted(unknown))}；可用的变量只有 memo（见 docs/memo-template.md）"
    return ""

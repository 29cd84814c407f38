"""An audit memo (output.memo.Memo) as a Word document, rendered from a Word template (docxtpl).

The layout — fonts, margins, headings, tables, the footer "第 X 页 共 Y 页" with real PAGE and
NUMPAGES fields — is the template's (output/memo_template.py): the built-in one, or an
office's own named by `memo.template`. This module fills it in and sets real document
properties: title, subject, author and last editor = the issuing unit, created and modified =
the audit date, the generator named in the comments. Zip entries carry the audit date too, so
the same memo renders to the same bytes.

Word's XML admits no control characters and no lone surrogates: every text passes through
sanitize.visible first (a visible placeholder ␁, a file name that is not UTF-8 with backslash
escapes); Jinja escapes &, < and > (autoescape); a tab becomes a space (docxtpl would make it
a tab stop), a line break stays a line break.
"""

import datetime
import io
import zipfile

from .atomic import write_bytes
from .memo import Memo
from .memo_template import template_bytes
from .sanitize import map_text, visible


def render_docx(memo: Memo, path, template=None) -> None:
    """Write the memo to `path` as DOCX (atomically)."""
    write_bytes(path, docx_bytes(memo, template))


def _text(value) -> str:
    return visible(value).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")


def docx_bytes(memo: Memo, template=None) -> bytes:
    """The memo as the bytes of a DOCX file, from `template` (a path; None: the built-in one)."""
    from docxtpl import DocxTemplate

    memo = map_text(memo, _text)
    document = DocxTemplate(io.BytesIO(template_bytes(template)))
    document.render({"memo": memo}, autoescape=True)
    _properties(document.docx.core_properties, memo)
    buffer = io.BytesIO()
    document.save(buffer)
    return _stamped(buffer.getvalue(), memo.audit_date)


def _day(iso: str) -> datetime.datetime:
    try:
        return datetime.datetime.combine(datetime.date.fromisoformat(iso), datetime.time())
    except ValueError:
        return datetime.datetime(2000, 1, 1)


def _properties(props, memo: Memo) -> None:
    """Document properties Word shows under File > Info (never python-docx's 2013 defaults)."""
    props.title, props.subject = memo.title, memo.subject
    props.author = props.last_modified_by = memo.author
    props.comments = memo.generator
    props.keywords, props.category, props.language = memo.report_name, memo.subject, "zh-CN"
    props.created = props.modified = _day(memo.audit_date)
    props.revision = 1


def _stamped(data: bytes, iso: str) -> bytes:
    """The same zip with every entry dated the audit date (the same memo, the same bytes)."""
    day = _day(iso)
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(zipfile.ZipInfo(item.filename, stamp), source.read(item.filename), zipfile.ZIP_DEFLATED)
    return out.getvalue()

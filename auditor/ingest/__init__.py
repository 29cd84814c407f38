"""Read a report file: bytes in, decoded text out, or a coded InputError.

UTF-8 (with or without BOM), UTF-16 with BOM and GB18030/GBK are decoded; DOCX is turned
into tab-separated table rows and paragraphs (Word 97-2003 .doc and WPS files first become
DOCX through LibreOffice, auditor/ingest/office.py); a PDF is read from its geometry into the same
shape, each line with its page (auditor/ingest/pdf/read.py); HTML is passed on as text for the HTML
layout.
Empty, binary, undecodable and unsupported files raise InputError with a Chinese message;
a text file with only a few stray bytes is decoded with U+FFFD in their place and the lines
kept (audit reports them as INPUT-009).
"""

import re
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from ..chars import source_lines
from ..errors import InputError
from ..limits import MB, check_lines, current, read_limited

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f]")  # control characters no text file holds
_CONTROL_BYTES = bytes(range(0, 9)) + bytes(range(14, 32)) + b"\x7f"  # the same, as bytes
# Files that are certainly not text, by their first bytes.
_BINARY = (b"\x89PNG", b"GIF87a", b"GIF89a", b"\xff\xd8\xff", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf", b"\x7fELF", b"RIFF")
# Stray undecodable bytes tolerated in a text file: this many, or this share of its characters.
_MAX_GAPS, _MAX_GAP_SHARE = 3, 0.002
_GAP = re.compile("\ufffd+")  # one bad spot, however many bytes it spans
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 .doc, .xls, .wps


@dataclass
class Source:
    path: str
    text: str
    encoding: str
    format: str  # "text" | "html" | "docx" | "pdf"
    size: int
    undecodable_lines: tuple[int, ...] = ()  # lines where stray bytes were shown as U+FFFD
    pages: tuple[int, ...] = ()  # a paged source's page of each line (1-based); () for others
    image_pages: tuple[int, ...] = ()  # a PDF's pages that are pictures with no text to read


def read_source(path: str | Path) -> Source:
    return decode_source(read_limited(str(path)), str(path))


def decode_source(data: bytes, path: str = "<bytes>") -> Source:
    if not data.strip(b" \t\r\n\x00") or data in {bom for bom, _ in _BOMS}:
        raise InputError("INPUT-001", "文件长度为 0 字节或只有空白")
    if data[:1024].lstrip(b"\x00\t\r\n ").startswith(b"%PDF"):
        from .pdf import read_pdf

        pdf = read_pdf(data)
        check_lines(pdf.text)
        return Source(path, pdf.text, "pdf", "pdf", len(data), pages=pdf.pages, image_pages=pdf.image_pages)
    if data.startswith(_OLE):
        from .office import doc_to_docx

        text = _docx_text(doc_to_docx(data))
        check_lines(text)
        return Source(path, text, "doc", "doc", len(data))
    if data.startswith(_BINARY):
        raise InputError("INPUT-002", "文件头是图片、压缩包或程序等二进制格式")
    if data.startswith(b"PK\x03\x04"):
        text = _docx_text(data)
        check_lines(text)
        return Source(path, text, "docx", "docx", len(data))
    text, encoding, undecodable = _decode_text(data)
    check_lines(text)
    fmt = "html" if _looks_like_html(text) else "text"
    return Source(path, text, encoding, fmt, len(data), undecodable)


def _decode_text(data: bytes) -> tuple[str, str, tuple[int, ...]]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding.replace("-sig", ""), ()
            except UnicodeDecodeError as error:
                raise _undecodable(data, error, encoding) from None
    head = data[:8192]
    if b"\x00" in head:
        raise InputError("INPUT-002", "文件中含有空字节（NUL），不是文本文件")
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            text, encoding = data.decode("gb18030"), "gb18030"
        except UnicodeDecodeError as gb_error:
            if _control_share(head) > 0.01:
                raise InputError("INPUT-002", "文件中含有大量控制字节，不是文本文件") from None
            lenient = _decode_with_gaps(data)
            if lenient is None:
                # The encoding that decodes further is the file's: cite where it fails.
                error, tried = (utf8_error, "UTF-8") if utf8_error.start >= gb_error.start else (gb_error, "GB18030")
                raise _undecodable(data, error, tried) from None
            return lenient
    sample = text[:8192]
    if len(_CONTROL.findall(sample)) > max(8, len(sample) // 100):
        raise InputError("INPUT-002", "文件中含有大量控制字符，不是文本文件")
    return text, encoding, ()


def _decode_with_gaps(data: bytes) -> tuple[str, str, tuple[int, ...]] | None:
    """A text file with a few stray bytes (a damaged download, a character cut in half) is
    still audited: the encoding with the fewest bad spots decodes it, each shown as U+FFFD,
    and the lines are reported. None when the bad spots are too many to trust the text."""
    decoded = [(data.decode(name, errors="replace"), name) for name in ("utf-8", "gb18030")]
    counted = [(len(_GAP.findall(text)), text, name) for text, name in decoded]
    gaps, text, encoding = min(counted, key=lambda c: c[0])  # the first, UTF-8, wins a tie
    if gaps > max(_MAX_GAPS, len(text) * _MAX_GAP_SHARE):
        return None
    lines = tuple(number for number, line in enumerate(source_lines(text), 1) if "\ufffd" in line)
    return text, encoding, lines


def _control_share(head: bytes) -> float:
    return sum(head.count(byte) for byte in _CONTROL_BYTES) / max(1, len(head))


def _undecodable(data: bytes, error: UnicodeDecodeError, tried: str) -> InputError:
    line = data.count(b"\n", 0, error.start) + 1
    return InputError("INPUT-003", f"第 {line} 行有无法按 {tried} 解码的字节", line)


def _looks_like_html(text: str) -> bool:
    head = text[:4096].lower()
    return "<table" in text.lower() or "<html" in head or "<!doctype html" in head


def _docx_text(data: bytes) -> str:
    """Body paragraphs as lines; each table row as one tab-separated line."""
    _check_inflated_size(data)
    try:
        import docx  # python-docx

        document = docx.Document(BytesIO(data))
    except Exception as error:  # a damaged or foreign package can fail anywhere in python-docx
        raise InputError("INPUT-006", f"压缩包不是有效的 DOCX 文档（{type(error).__name__}）") from None
    try:
        return _docx_body(document)
    except Exception as error:
        raise InputError("INPUT-002", f"DOCX 文档已损坏，无法读出正文（{type(error).__name__}）") from None


def _check_inflated_size(data: bytes) -> None:
    """Refuse a DOCX whose parts inflate past the limit (a zip bomb) before reading any."""
    import zipfile

    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise InputError("INPUT-006", f"压缩包不是有效的 DOCX 文档（{type(error).__name__}）") from None
    if inflated > current().docx_mb * MB:
        raise InputError("INPUT-014", f"DOCX 解压后 {inflated / MB:.0f} MB，超过限制 {current().docx_mb:g} MB")


def _docx_body(document) -> str:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(block, document).text)
        elif tag == "tbl":
            for row in Table(block, document).rows:
                lines.append("\t" + "\t".join(_row_cells(row)))
                lines.append("")
    return "\n".join(lines)


def _row_cells(row) -> list[str]:
    """A table row's cells as Word shows them: a cell merged across columns once, a cell
    merged down from the row above as an empty placeholder (python-docx repeats both)."""
    own = list(row._tr.tc_lst)  # the row's own <w:tc> elements (kept alive for `is`)
    cells: list[str] = []
    previous = None
    for cell in row.cells:
        if cell._tc is previous:
            continue  # the same cell again: it spans several grid columns
        previous = cell._tc
        below = not any(cell._tc is tc for tc in own)  # continues a cell from a row above
        cells.append("" if below else " ".join(cell.text.split()))
    return cells

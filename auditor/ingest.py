"""Read a report file: bytes in, decoded text out, or a coded InputError.

UTF-8 (with or without BOM), UTF-16 with BOM and GB18030/GBK are decoded; DOCX is turned
into tab-separated table rows and paragraphs; HTML is passed on as text for the HTML layout.
Empty, binary, undecodable and unsupported files raise InputError with a Chinese message.
"""

import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from .errors import InputError

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_CONTROL = {chr(c) for c in range(32)} - {"\t", "\n", "\r", "\f", "\v"}


@dataclass
class Source:
    path: str
    text: str
    encoding: str
    format: str  # "text" | "html" | "docx"
    size: int


def read_source(path: str | Path) -> Source:
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise InputError("INPUT-005", f"{error.strerror or error}") from None
    return decode_source(data, str(path))


def decode_source(data: bytes, path: str = "<bytes>") -> Source:
    if not data.strip(b" \t\r\n\x00") or data in {bom for bom, _ in _BOMS}:
        raise InputError("INPUT-001", "文件长度为 0 字节或只有空白")
    if data.startswith(b"%PDF"):
        raise InputError("INPUT-006", "PDF 文件需先提取文字（如 pdftotext -layout）再审核")
    if data.startswith(b"PK\x03\x04"):
        return Source(path, _docx_text(data), "docx", "docx", len(data))
    text, encoding = _decode_text(data)
    fmt = "html" if _looks_like_html(text) else "text"
    return Source(path, text, encoding, fmt, len(data))


def _decode_text(data: bytes) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding.replace("-sig", "")
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
        except UnicodeDecodeError:
            raise _undecodable(data, utf8_error, "UTF-8/GB18030") from None
    sample = text[:8192]
    if sum(ch in _CONTROL for ch in sample) > max(8, len(sample) // 100):
        raise InputError("INPUT-002", "文件中含有大量控制字符，不是文本文件")
    return text, encoding


def _undecodable(data: bytes, error: UnicodeDecodeError, tried: str) -> InputError:
    line = data.count(b"\n", 0, error.start) + 1
    return InputError("INPUT-003", f"第 {line} 行有无法按 {tried} 解码的字节", line)


def _looks_like_html(text: str) -> bool:
    head = text[:4096].lower()
    return "<table" in text.lower() or "<html" in head or "<!doctype html" in head


def _docx_text(data: bytes) -> str:
    """Body paragraphs as lines; each table row as one tab-separated line."""
    try:
        import docx  # python-docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise InputError("INPUT-006", f"压缩包不是有效的 DOCX 文档（{error}）") from None
    lines: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(block, document).text)
        elif tag == "tbl":
            for row in Table(block, document).rows:
                cells = [" ".join(cell.text.split()) for cell in row.cells]
                lines.append("\t" + "\t".join(cells))
                lines.append("")
    return "\n".join(lines)

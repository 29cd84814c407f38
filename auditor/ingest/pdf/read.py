"""Read a PDF report from its geometry: ruled tables as rows of cells, prose as paragraphs.

Characters and ruling lines come from PDFium (auditor/ingest/pdf/page.py), tables from the ruling
lines (auditor/ingest/pdf/tables.py), never by re-parsing flattened text: a label wrapped over two or
three lines inside its cell is one label, a vertical merged cell ("三、本年度办理结果") does not
interleave with the rows beside it. The tables become tab-separated rows (the DOCX reader's
shape); the rest of the page, lines of prose (auditor/ingest/pdf/text.py), in reading order.

Across pages: a paragraph wrapped at the right margin goes on over a page break; a table row
cut by the page break is put together again; page numbers in the top or bottom band of a
page are dropped, and so are running headers and footers (a line in that band on three or
more pages, kept where it first stands). A paragraph ends where a line stops short of the right margin, a right-
aligned line (a signature, a date) stands alone, and an indented or numbered line starts
anew. Every output line remembers its page, so findings cite 第N页.

A PDF without a text layer (a scan) gets INPUT-017; an encrypted or damaged one INPUT-006;
one with more pages than the limit INPUT-014. Pages that are pictures in a PDF that has text
elsewhere (a table pasted as an image) are listed (`image_pages`): audit reports them as a
reading limit (INPUT-018), and nothing is called missing in such a report.
"""

import re
from dataclasses import dataclass
from functools import cache

from ...chars import ROW_NUMBERING
from ...errors import InputError
from ...limits import current
from ...resources import load_yaml
from .page import PdfPage
from .tables import Grid, Row, continuations, page_grids
from .text import cjk_edge, text_lines

_MIN_TEXT_CHARS = 20  # fewer characters than this (in the file, on a page): no text layer
_PICTURE_SHARE = 0.3  # a page this much covered by images, with no text layer, is a picture
_CHROME_BAND = 0.1  # the top and bottom tenth of a page, where page numbers stand
_MARGIN_LINES = 3  # lines that must reach an edge for it to be the text block's margin
_RUNNING_PAGES = 3  # a line in the top or bottom band of this many pages is a running header
_INDENT = 2.5  # characters of a paragraph's first-line indent, at most


@dataclass
class PdfText:
    text: str
    pages: tuple[int, ...]  # the page (1-based) of each line of text
    page_count: int
    image_pages: tuple[int, ...] = ()  # pages that are pictures, with no text to read


@dataclass
class _Laid:
    """One page read: its prose lines (page numbers left out), its tables, its height, its
    number of characters, and whether it is a picture without text."""
    lines: list[dict]
    grids: list[Grid]
    height: float
    chars: int
    picture: bool


@dataclass
class _Paragraph:
    """The last prose line read, while its paragraph may go on."""
    line: dict
    left: float  # left edge of its page's text block
    right: float  # right edge of its page's text block
    char: float  # typical character size on its page


def read_pdf(data: bytes) -> PdfText:
    """The report's text with its tables as tab-separated rows; raises InputError."""
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        if getattr(error, "err_code", None) == pypdfium2.raw.FPDF_ERR_PASSWORD:
            raise InputError("INPUT-006", "PDF 文件已加密，需先解除密码保护") from None
        cut = b"%%EOF" not in data[-2048:]
        raise InputError("INPUT-006", "PDF 文件不完整（没有文件尾，可能下载中断），无法打开" if cut else "PDF 文件已损坏，无法打开") from None
    try:
        count = len(pdf)
        if count > current().pdf_pages:
            raise InputError("INPUT-014", f"PDF 共 {count} 页，超过限制 {current().pdf_pages} 页")
        laid_out = []  # each page's lines and tables: running headers are known only once all are read
        for number in range(1, count + 1):
            try:
                page = pdf[number - 1]
            except pypdfium2.PdfiumError:
                raise InputError("INPUT-006", f"PDF 第 {number} 页已损坏，无法读取") from None
            try:
                laid_out.append(_lay_out(PdfPage(page)))
            finally:
                page.close()
    finally:
        pdf.close()
    reader = _Reader()
    running = _running_lines(laid_out)
    for number, page in enumerate(laid_out, 1):
        kept = [line for line in page.lines if not (number > running.get(line["text"], number) and _in_band(line, page.height))]
        reader.read_page(kept, page.grids, number, page.chars)
    if reader.chars < _MIN_TEXT_CHARS:
        raise InputError("INPUT-017", f"PDF 共 {count} 页，没有可提取的文字层（疑似扫描件或图片）")
    pictures = tuple(number for number, page in enumerate(laid_out, 1) if page.picture)
    return PdfText("\n".join(reader.lines), tuple(reader.pages), count, pictures)


class _Reader:
    """Lines of text and their pages, page after page."""

    def __init__(self):
        self.lines: list[str] = []
        self.pages: list[int] = []
        self.chars = 0
        self.paragraph: _Paragraph | None = None  # prose that may go on
        self.last_row: Row | None = None  # the last table row, while nothing else came after it
        self.last_row_at = -1
        self.left, self.right, self.char = float("inf"), float("-inf"), 10.0  # see _margins

    def read_page(self, lines: list[dict], grids: list[Grid], number: int, chars: int) -> None:
        self.chars += chars
        items: list[tuple[float, int, dict | Grid]] = [(line["top"], 0, line) for line in lines]
        items += [(grid.box[1], 1 + order, grid) for order, grid in enumerate(grids)]
        items.sort(key=lambda item: (item[0], item[1]))
        left, right, char = self._margins(lines)
        for _, _, item in items:
            if isinstance(item, Grid):
                self._table(item, number)
            else:
                self._prose(item, number, left, right, char)

    def _margins(self, lines: list[dict]) -> tuple[float, float, float]:
        """Left and right edges of the text block, and the typical character size. An edge
        is where three lines reach (a long title or two lines are no margin), kept from page
        to page: a page of a heading and a short line has the same margins as the pages
        before it; with no margin known, no line runs on into the next."""
        if lines:
            heights = sorted(line["bottom"] - line["top"] for line in lines)
            self.char = heights[len(heights) // 2] or self.char
        if len(lines) >= _MARGIN_LINES:
            self.left = min(self.left, sorted(line["x0"] for line in lines)[_MARGIN_LINES - 1])
            self.right = max(self.right, sorted((line["x1"] for line in lines), reverse=True)[_MARGIN_LINES - 1])
        return self.left, self.right, self.char

    def _prose(self, line: dict, page: int, left: float, right: float, char: float) -> None:
        text = line["text"].strip()
        if not text:
            return
        before = self.paragraph
        # a paragraph's line runs to the right margin from the left one or a first-line indent
        # (a right-aligned signature or date reaches the margin too, from far right)
        full = before is not None and before.right > before.left \
            and before.line["x1"] >= before.right - 1.5 * before.char \
            and before.line["x0"] <= before.left + _INDENT * before.char  # (no margin known: not full)
        flush = line["x0"] <= left + 0.8 * char and not ROW_NUMBERING.match(text)  # a numbered heading starts anew
        turned = before is not None and before.line.get("page") != page  # the paragraph went on over a page break
        below = turned or (before is not None and 0 <= line["top"] - before.line["bottom"] <= 1.5 * char)
        if full and flush and below:
            self.lines[-1] += ("" if cjk_edge(self.lines[-1], text) else " ") + text
        else:
            self._add(text, page)
        self.paragraph = _Paragraph(dict(line, page=page), left, right, char)
        self.last_row = None

    def _table(self, grid: Grid, page: int) -> None:
        self.paragraph = None
        rows = list(grid.rows)
        if rows and self.last_row is not None:  # a table going on from the page before
            pairs = continuations(self.last_row, rows[0])
            for above, below in pairs:
                self.last_row.cells[above] += rows[0].cells[below]
                rows[0].cells[below] = ""
            if pairs:
                self.lines[self.last_row_at] = _row_line(self.last_row)
                if not any(rows[0].cells):
                    rows.pop(0)
        for row in rows:
            self._add(_row_line(row), page)
            self.last_row, self.last_row_at = row, len(self.lines) - 1
            self._add("", page)

    def _add(self, text: str, page: int) -> None:
        self.lines.append(text)
        self.pages.append(page)


def _lay_out(page: PdfPage) -> _Laid:
    """A page's lines and tables; a picture is a page mostly covered by images with no text
    layer (a scan, a table pasted as an image)."""
    grids = page_grids(page)
    prose = [char for char in page.chars if not _within(char, [grid.box for grid in grids])]
    lines = [line for line in text_lines(prose) if not _page_number(line, page.height)]
    picture = page.image_share >= _PICTURE_SHARE and len(page.chars) < _MIN_TEXT_CHARS
    return _Laid(lines, grids, page.height, len(page.chars), picture)


def _running_lines(pages: list[_Laid]) -> dict[str, int]:
    """Running headers and footers: a line printed in the top or bottom band of at least
    three pages (and of half of them) -> the first page it stands on, where it is kept (a
    title repeated as a running header stays once)."""
    seen: dict[str, list[int]] = {}
    for number, page in enumerate(pages, 1):
        for text in {line["text"] for line in page.lines if _in_band(line, page.height)}:
            seen.setdefault(text, []).append(number)
    least = max(_RUNNING_PAGES, (len(pages) + 1) // 2)
    return {text: numbers[0] for text, numbers in seen.items() if len(numbers) >= least}


def _in_band(line: dict, height: float) -> bool:
    return line["top"] > height * (1 - _CHROME_BAND) or line["bottom"] < height * _CHROME_BAND


def _row_line(row: Row) -> str:
    return "\t" + "\t".join(row.cells)


def _within(obj, boxes) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


@cache
def _page_number_pattern() -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in load_yaml("vocabulary.yaml")["page_numbers"]))


def _page_number(line: dict, height: float) -> bool:
    return _in_band(line, height) and _page_number_pattern().search(line["text"].strip()) is not None

"""An audit memo (output.memo.Memo) as a Word document (python-docx).

Real Word tables (Table Grid style, header row repeated on each page), real heading styles
(Title, Heading 1, Heading 2), A4 pages with the findings table on landscape pages,
Chinese fonts set for East Asian text (宋体 body, 黑体 headings). Word's XML admits no
control characters and no lone surrogates: every text passes through sanitize.visible first
(a visible placeholder ␁ instead, a file name that is not UTF-8 with backslash escapes).
"""

import io

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from .atomic import write_bytes
from .memo import Memo
from .memo_md import FINDING_HEADERS, REVIEW_HEADERS, SETTLED_HEADERS, finding_cells, review_cells, settled_cells
from .sanitize import map_text, visible

BODY_FONT, HEADING_FONT, LATIN_FONT = "宋体", "黑体", "Times New Roman"
A4 = (Cm(21.0), Cm(29.7))
# Relative column widths of the findings table (landscape A4, about 25.7 cm of text width).
FINDING_WIDTHS = (0.9, 2.3, 1.1, 3.4, 3.5, 1.2, 1.2, 5.1, 3.3, 3.4)
SETTLED_WIDTHS = (0.9, 2.3, 1.1, 3.6, 4.0, 6.8, 1.3, 5.6)
REVIEW_WIDTHS = (0.9, 2.3, 3.6, 5.0, 8.2, 5.6)


def _fonts(element_rpr_owner, east_asian: str) -> None:
    rpr = element_rpr_owner.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asian)


def _styles(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.size = Pt(10.5)
    _fonts(normal.element, BODY_FONT)
    for name, size in (("Title", 18), ("Heading 1", 14), ("Heading 2", 12)):
        style = doc.styles[name]
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = RGBColor(0, 0, 0)
        _fonts(style.element, HEADING_FONT)


def _page(section, landscape: bool) -> None:
    width, height = A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin = section.bottom_margin = Cm(2.2)


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _shade(cell, fill: str = "D9D9D9") -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _table(doc, headers, rows, widths=None, size: float = 9):
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for index, text in enumerate(headers):
        cell = table.rows[0].cells[index]
        cell.text = ""
        run = cell.paragraphs[0].add_run(str(text))
        run.bold = True
        run.font.size = Pt(size)
        _shade(cell)
    _repeat_header(table.rows[0])
    for values in rows:
        cells = table.add_row().cells
        for index, value in enumerate(values):
            text = "—" if value in (None, "") else str(value)
            cells[index].text = ""
            cells[index].paragraphs[0].add_run(text).font.size = Pt(size)
    if widths:
        table.autofit = False
        total = sum(widths)
        usable = doc.sections[-1].page_width - doc.sections[-1].left_margin - doc.sections[-1].right_margin
        sizes = [int(usable * w / total) for w in widths]
        for index, column in enumerate(table.columns):  # Word reads cell widths, LibreOffice the grid
            column.width = sizes[index]
        for row in table.rows:
            for index, cell in enumerate(row.cells):
                cell.width = sizes[index]
    return table


def render_docx(memo: Memo, path) -> None:
    """Write the memo to `path` as DOCX (atomically)."""
    write_bytes(path, docx_bytes(memo))


def docx_bytes(memo: Memo) -> bytes:
    """The memo as the bytes of a DOCX file."""
    memo = map_text(memo, visible)
    doc = Document()
    _styles(doc)
    _page(doc.sections[0], landscape=False)
    doc.core_properties.title = memo.title
    doc.core_properties.author = "gkaudit"
    doc.core_properties.subject = "政府信息公开工作年度报告审核意见"

    title = doc.add_heading(memo.title, level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER

    doc.add_heading("一、基本情况", level=1)
    _table(doc, ("项目", "内容"), memo.facts, widths=(1, 4), size=10.5)

    c = memo.conclusion
    doc.add_heading("二、审核结论", level=1)
    paragraph = doc.add_paragraph()
    paragraph.add_run(c.label).bold = True
    paragraph.add_run(f"。{c.reason_text()}。")
    doc.add_paragraph(f"问题统计：{c.counts_text()}。")
    doc.add_paragraph(f"判定标准：{memo.criteria}")

    _page(doc.add_section(WD_SECTION.NEW_PAGE), landscape=True)
    doc.add_heading("三、发现的问题", level=1)
    if memo.findings:
        _table(doc, FINDING_HEADERS, [finding_cells(r) for r in memo.findings], FINDING_WIDTHS)
    else:
        doc.add_paragraph("未发现计入结论的问题。")
    if memo.review:
        doc.add_heading("需人工复核（工具未能读出的部分，不计入结论）", level=2)
        _table(doc, REVIEW_HEADERS, [review_cells(r) for r in memo.review], REVIEW_WIDTHS)
    if memo.settled:
        doc.add_heading("已在基线中接受或排除的问题（不计入结论）", level=2)
        _table(doc, SETTLED_HEADERS, [settled_cells(r) for r in memo.settled], SETTLED_WIDTHS)

    _page(doc.add_section(WD_SECTION.NEW_PAGE), landscape=False)
    doc.add_heading("四、整改建议", level=1)
    if memo.fixes:
        for group in memo.fixes:
            doc.add_heading(group.label, level=2)
            for number, item in enumerate(group.items, 1):
                doc.add_paragraph(f"{number}. {item.text()}")
    else:
        doc.add_paragraph("无需整改。")
    doc.add_heading("说明", level=1)
    for note in memo.notes:
        doc.add_paragraph(f"· {note}")

    doc.add_heading("附录：适用的规则包", level=1)
    _table(
        doc, ("规则包", "名称", "版本", "适用规则数", "停用规则数", "规则文件"),
        [(p.pack, p.title, p.version, p.rules, p.disabled, p.source) for p in memo.packs], widths=(1.2, 2, 1, 1.3, 1.3, 5),
    )
    doc.add_paragraph(f"规则集版本：{memo.ruleset_text}。")
    if memo.changes_text:
        doc.add_paragraph(f"按配置调整：{memo.changes_text}。")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()

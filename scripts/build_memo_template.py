"""Build the default Word template of the audit memo: auditor/data/memo-template.docx.

    .venv/bin/python scripts/build_memo_template.py [OUT.docx]

The template is an ordinary Word document with docxtpl (Jinja) tags; an office may copy it,
change fonts, margins, the wording around the tags or its letterhead in Word, and name its
copy in the configuration (`memo.template`). The variables a template can use are listed in
docs/memo-template.md. Layout: A4 portrait throughout (one orientation, no empty pages),
宋体 body, 黑体 headings, tables with a repeated header row, and a footer
"第 X 页 共 Y 页" made of real PAGE / NUMPAGES fields.
"""

import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "auditor" / "data" / "memo-template.docx"
BODY_FONT, HEADING_FONT, KAI_FONT, LATIN_FONT = "宋体", "黑体", "楷体", "Times New Roman"
TEXT_WIDTH = Cm(21.0 - 2.8 - 2.6)
STAMP = (2026, 1, 1, 0, 0, 0)  # zip entry times: the same bytes on every build


def fonts(style_or_run, east_asian: str) -> None:
    rpr = style_or_run.element.get_or_add_rPr() if hasattr(style_or_run, "element") else style_or_run._r.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    for key in ("w:ascii", "w:hAnsi"):
        rfonts.set(qn(key), LATIN_FONT)
    rfonts.set(qn("w:eastAsia"), east_asian)
    for key in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(key), None)


def styles(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.size = Pt(12)
    fonts(normal, BODY_FONT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.25

    body = doc.styles.add_style("Memo Body", WD_STYLE_TYPE.PARAGRAPH)
    body.base_style = normal
    body.paragraph_format.first_line_indent = Pt(24)  # two characters
    body.paragraph_format.space_after = Pt(3)
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT  # justified lines gape before long runs of digits

    cell = doc.styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = normal
    cell.font.size = Pt(9)
    cell.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    cell.paragraph_format.first_line_indent = Pt(0)

    for name, size, font, before, after in (("Title", 18, HEADING_FONT, 0, 12), ("Heading 1", 14, HEADING_FONT, 9, 4), ("Heading 2", 12, KAI_FONT, 6, 3)):
        style = doc.styles[name]
        style.font.size = Pt(size)
        style.font.bold = name != "Heading 1"
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        fonts(style, font)
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after, fmt.keep_with_next = Pt(before), Pt(after), True
        fmt.line_spacing = 1.15
        ppr = style.element.get_or_add_pPr()
        for border in ppr.findall(qn("w:pBdr")):  # the default Title has a coloured rule under it
            ppr.remove(border)
    doc.styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


def field(paragraph, code: str) -> None:
    """A real Word field (PAGE, NUMPAGES): begin, instruction, separate, a cached result, end."""
    def run_with(child):
        run = paragraph.add_run()
        run._r.append(child)
        return run

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = f" {code} "
    run_with(instruction)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    paragraph.add_run("1")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def page(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    section.footer_distance = Cm(1.3)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.style = doc.styles["Table Text"]
    footer.add_run("第 ")
    field(footer, "PAGE")
    footer.add_run(" 页 共 ")
    field(footer, "NUMPAGES")
    footer.add_run(" 页")


def para(doc, text: str = "", style: str = "Memo Body", bold: str = "", align=None, indent=None):
    paragraph = doc.add_paragraph(style=style)
    if bold:
        paragraph.add_run(bold).bold = True
    if text:
        paragraph.add_run(text)
    if align is not None:
        paragraph.alignment = align
    if indent is not None:
        paragraph.paragraph_format.right_indent = indent
    return paragraph


def tag(doc, text: str) -> None:
    """A paragraph holding only a docxtpl block tag ({%p …%}); it disappears when rendered."""
    doc.add_paragraph(text, style="Normal")


def shade(cell, fill: str = "D9D9D9") -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def cell_text(cell, lines) -> None:
    """A cell's paragraphs: each item of `lines` one paragraph (a {%p …%} tag or text)."""
    cell.text = ""
    first = cell.paragraphs[0]
    for index, line in enumerate(lines):
        paragraph = first if index == 0 else cell.add_paragraph()
        paragraph.style = "Table Text"
        paragraph.add_run(line)


def table(doc, headers, cells, widths, loop: str):
    """Header row (repeated on every page), then a docxtpl row loop over `loop`."""
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    total = sum(widths)
    sizes = [int(TEXT_WIDTH * w / total) for w in widths]
    for index, column in enumerate(table.columns):
        column.width = sizes[index]
    for row in table.rows:
        for index, cell in enumerate(row.cells):
            cell.width = sizes[index]
    for index, text in enumerate(headers):
        cell = table.rows[0].cells[index]
        cell_text(cell, [text])
        cell.paragraphs[0].runs[0].bold = True
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        shade(cell)
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(header)
    cell_text(table.rows[1].cells[0], [f"{{%tr for r in {loop} %}}"])
    for index, lines in enumerate(cells):
        cell_text(table.rows[2].cells[index], lines)
    table.rows[2]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a finding never breaks across pages
    cell_text(table.rows[3].cells[0], ["{%tr endfor %}"])
    return table


WHERE = ["{{ r.where }}", "{%p if r.line %}", "{{ r.source }}", "{%p endif %}"]
MESSAGE = ["{{ r.message }}", "{%p if r.basis %}", "依据：{{ r.basis }}", "{%p endif %}"]
RULE = ["{{ r.rule_id }}", "{{ r.severity }}"]


def build() -> bytes:
    doc = Document()
    styles(doc)
    page(doc)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by, props.comments = "", "", "", ""
    props.subject, props.keywords, props.category, props.revision = "", "", "", 1
    import datetime

    props.created = props.modified = datetime.datetime(2026, 1, 1)

    doc.add_paragraph("{{ memo.title }}", style="Title")
    para(doc, "{{ memo.recipient }}：", style="Normal")
    para(doc, "{{ memo.opening }}")

    doc.add_heading("一、基本情况", level=1)
    table(doc, ("项目", "内容"), [["{{ r[0] }}"], ["{{ r[1] }}"]], (1, 4), "memo.facts")

    doc.add_heading("二、审核结论", level=1)
    para(doc, "。{{ memo.conclusion.reason_text() }}。", bold="{{ memo.conclusion.label }}")
    para(doc, "问题统计：{{ memo.conclusion.counts_text() }}。")
    para(doc, "判定标准：{{ memo.criteria }}")

    doc.add_heading("三、发现的问题", level=1)
    tag(doc, "{%p if memo.findings %}")
    tag(doc, "{%p if memo.has_values %}")
    table(
        doc, ("序号", "规则/级别", "位置及原文", "应为", "实际", "问题说明及依据", "整改建议"),
        [["{{ r.index }}"], RULE, WHERE, ["{{ r.expected or '—' }}"], ["{{ r.actual or '—' }}"], MESSAGE, ["{{ r.fix }}"]],
        (1.1, 2.1, 3.3, 1.2, 1.2, 4.4, 2.6), "memo.findings",
    )
    tag(doc, "{%p else %}")
    table(
        doc, ("序号", "规则/级别", "位置及原文", "问题说明及依据", "整改建议"),
        [["{{ r.index }}"], RULE, WHERE, MESSAGE, ["{{ r.fix }}"]], (1.1, 2.1, 4.0, 5.2, 3.4), "memo.findings",
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p elif not memo.cross %}")
    para(doc, "未发现计入结论的问题。")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if memo.cross %}")
    doc.add_heading("跨年度核对与雷同检查（与上一年度报告、同批次其他报告比较）", level=2)
    table(
        doc, ("序号", "规则/级别", "位置及原文", "对照报告", "问题说明及依据", "整改建议"),
        [["{{ r.index }}"], RULE, WHERE, ["{{ r.other or '—' }}"], MESSAGE, ["{{ r.fix }}"]], (1.1, 2.1, 3.2, 2.8, 4.4, 2.4), "memo.cross",
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if memo.review %}")
    doc.add_heading("需人工复核（审核工具未能读出的部分，不计入结论）", level=2)
    table(
        doc, ("序号", "规则", "位置及原文", "说明", "如何核对"),
        [["{{ r.index }}"], ["{{ r.rule_id }}"], WHERE, ["{{ r.message }}"], ["{{ r.fix }}"]], (1.1, 2.1, 3.4, 6.0, 3.4), "memo.review",
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if memo.settled %}")
    doc.add_heading("已在基线中接受或排除的问题（不计入结论）", level=2)
    table(
        doc, ("序号", "规则/级别", "位置及原文", "问题说明", "处理及理由"),
        [["{{ r.index }}"], RULE, WHERE, ["{{ r.message }}"], ["{{ r.status }}", "{{ r.note }}"]], (1.1, 2.1, 4.0, 4.8, 3.8), "memo.settled",
    )
    tag(doc, "{%p endif %}")

    doc.add_heading("四、整改要求", level=1)
    para(doc, "{{ memo.requirement }}")
    tag(doc, "{%p for g in memo.fixes %}")
    doc.add_heading("{{ g.label }}", level=2)
    tag(doc, "{%p for item in g.items %}")
    para(doc, "{{ loop.index }}. {{ item.text() }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")

    doc.add_heading("五、有关说明", level=1)
    tag(doc, "{%p for note in memo.notes %}")
    para(doc, "{{ loop.index }}. {{ note }}")
    tag(doc, "{%p endfor %}")

    para(doc, "附件：{{ memo.attachment }}").paragraph_format.space_before = Pt(12)
    signature = para(doc, "{{ memo.issuer }}", style="Normal", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=Pt(24))
    signature.paragraph_format.space_before = Pt(30)
    signature.paragraph_format.keep_with_next = True
    para(doc, "{{ memo.date }}", style="Normal", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=Pt(24))

    attachment = para(doc, "附件", style="Normal")
    attachment.runs[0].font.name = LATIN_FONT
    fonts(attachment.runs[0], HEADING_FONT)
    attachment.paragraph_format.space_before = Pt(30)
    attachment.paragraph_format.keep_with_next = True
    title = para(doc, "", style="Normal", bold="{{ memo.attachment }}", align=WD_ALIGN_PARAGRAPH.CENTER)
    title.paragraph_format.space_after = Pt(6)
    title.paragraph_format.keep_with_next = True
    table(
        doc, ("规则包", "名称", "版本", "适用规则数", "停用规则数", "规则文件"),
        [["{{ r.pack }}"], ["{{ r.title }}"], ["{{ r.version }}"], ["{{ r.rules }}"], ["{{ r.disabled }}"], ["{{ r.source }}"]],
        (1.2, 2.2, 1, 1.3, 1.3, 4.6), "memo.packs",
    )
    tag(doc, "{%p if memo.changes_text %}")
    para(doc, "按配置调整：{{ memo.changes_text }}。", style="Table Text").paragraph_format.space_before = Pt(4)
    tag(doc, "{%p endif %}")

    buffer = io.BytesIO()
    doc.save(buffer)
    return restamp(buffer.getvalue())


def restamp(data: bytes) -> bytes:
    """The same zip with fixed entry times, so the template builds to the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(zipfile.ZipInfo(item.filename, STAMP), source.read(item.filename), zipfile.ZIP_DEFLATED)
    return out.getvalue()


if __name__ == "__main__":
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    path.write_bytes(build())
    print(path)

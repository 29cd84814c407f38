"""Raw HTML: paragraphs, headings in <strong> or <h2>, tables with rowspan/colspan, blank
cells as empty <td> or &nbsp;, the article sometimes laid out inside a page-layout table,
site navigation before and a footer after."""

import html

from .base import Renderer, wrap


class Html(Renderer):
    name = "html"
    ext = "html"

    def begin(self):
        self.layout_table = self.rng.random() < 0.4
        self.cell_lines = self.rng.random() < 0.3  # each <td> on its own source line
        self.th = self.rng.random() < 0.3  # header cells as <th>
        self.br = self.rng.random() < 0.3  # long header labels broken with <br>
        self.wrap = self.rng.random() < 0.3  # long paragraphs wrapped in the HTML source
        self.sink.add("<!DOCTYPE html>")
        self.sink.add('<html lang="zh-CN">')
        self.sink.add(f"<head><meta charset=\"utf-8\"><title>{html.escape(self.spec.title or self.spec.body)}</title></head>")
        self.sink.add("<body>")
        self.in_article = False

    def _open_article(self):
        if self.in_article:
            return
        self.in_article = True
        if self.layout_table:
            self.sink.add('<table width="100%" class="layout"><tr>')
            self.sink.add('<td class="content">')
        else:
            self.sink.add('<div class="article">')

    def _close_article(self):
        if not self.in_article:
            return
        self.in_article = False
        if self.layout_table:
            self.sink.add("</td>")
            self.sink.add("</tr></table>")
        else:
            self.sink.add("</div>")

    def end(self):
        self._close_article()
        self.sink.add("</body>")
        self.sink.add("</html>")

    def chrome(self, text):
        if self.in_article:
            self._close_article()
        self.sink.add(f'<div class="nav">{html.escape(text)}</div>')

    def title(self, text):
        self._open_article()
        self.sink.add(f"<h1>{html.escape(self.noise.text(text))}</h1>", (("title",),))

    def heading(self, section):
        self._open_article()
        text = html.escape(f"{section.numeral}{self.spec.numbering}{self.noise.text(section.heading)}")
        form = self.rng.choice(("<p><strong>{}</strong></p>", "<h2>{}</h2>", "<p class=\"title\">{}</p>"))
        self.sink.add(form.format(text), (("section", section.key or section.numeral),))

    def para(self, para):
        if para.text:
            self._open_article()
            indent = "&nbsp;&nbsp;" if self.rng.random() < 0.3 else ""
            if self.wrap and len(para.text) > 60:
                pieces = wrap(para.text, 50, 50, para.keep)
                offset = 0
                for index, piece in enumerate(pieces):
                    anchors = [a for a, at in para.anchors.items() if offset <= at < offset + len(piece)]
                    text = html.escape(self.noise.text(piece))
                    start = f"<p>{indent}" if index == 0 else ""
                    end = "</p>" if index == len(pieces) - 1 else ""
                    self.sink.add(start + text + end, anchors)
                    offset += len(piece)
                return
            self.sink.add(f"<p>{indent}{html.escape(self.noise.text(para.text))}</p>", tuple(para.anchors))

    def closing(self, text, anchors=()):
        self._open_article()
        self.sink.add(f'<p style="text-align:right">{html.escape(text)}</p>', anchors)

    def table(self, key, grids):
        self._open_article()
        self.sink.add('<table border="1" cellspacing="0" cellpadding="0">')
        self.sink.add("<tbody>")
        for grid in grids:
            for row in grid.rows:
                cells = []
                for cell in row:
                    attributes = ""
                    if cell.colspan > 1:
                        attributes += f' colspan="{cell.colspan}"'
                    if cell.rowspan > 1:
                        attributes += f' rowspan="{cell.rowspan}"'
                    if cell.blank:
                        body = self.rng.choice(("", "&nbsp;"))
                    elif cell.kind == "value":
                        body = html.escape(self.noise.value(cell.text))
                    else:
                        text = html.escape(self.noise.text(cell.text))
                        if self.br and cell.kind == "head" and 4 <= len(cell.text) <= 8 and grid.table != "t4":
                            text = text[:2] + "<br>" + text[2:]
                        body = f"<p>{text}</p>"
                    tag = "th" if self.th and cell.kind in ("head", "caption", "corner") else "td"
                    cells.append((f"<{tag}{attributes}>{body}</{tag}>", cell.anchors))
                if self.cell_lines:
                    self.sink.add("<tr>")
                    for text, anchors in cells:
                        self.sink.add(text, anchors)
                    self.sink.add("</tr>")
                else:
                    anchors = [a for _, group in cells for a in group]
                    self.sink.add("<tr>" + "".join(text for text, _ in cells) + "</tr>", anchors)
        self.sink.add("</tbody>")
        self.sink.add("</table>")

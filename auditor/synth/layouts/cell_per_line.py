"""One cell per line, a blank line after every line (a web page copied as text).

Spans are lost: cells print in reading order. Long header labels break over two lines
("本年新" / "制作数量"), as web pages copied from Word do; a blank value cannot be printed
(a blank line is just a gap), so blank cells print as dashes.
"""

from .base import Renderer

# Header labels broken over two lines, as the page copy does.
BROKEN = {"本年新制作数量": ("本年新", "制作数量"), "本年新公开数量": ("本年新", "公开数量"),
          "本年制发件数": ("本年制发", "件数"), "本年废止件数": ("本年废止", "件数"),
          "社会公益组织": ("社会公益", "组织"), "法律服务机构": ("法律服务", "机构")}


class CellPerLine(Renderer):
    name = "cell-per-line"
    paragraph_gap = True

    def begin(self):
        self.break_heads = self.rng.random() < 0.5

    def table(self, key, grids):
        for grid in grids:
            for row in grid.rows:
                for cell in row:
                    text = cell.text
                    if cell.kind == "corner":
                        continue
                    if cell.kind == "head" and self.break_heads and text in BROKEN and grid.table in ("t2", "t3"):
                        first, second = BROKEN[text]
                        self.line(self.noise.text(first), cell.anchors)
                        self.line(self.noise.text(second))
                        continue
                    self.line(self.cell_text(cell), cell.anchors)

"""Tab-indented cells, one per line, a blank line between table rows (a Word copy).

Cells keep their positions: spanned positions print as bare tabs (placeholders), padding
after a one-value row as bare tabs, and a blank cell is a bare tab. Header cells may break
inside the cell ("本年制发" / "件数": the second line has no tab).
"""

from .base import Renderer, expand
from .cell_per_line import BROKEN


class Tab(Renderer):
    name = "tab"

    def begin(self):
        self.break_heads = self.rng.random() < 0.5
        self.nbsp = self.rng.random() < 0.3  # values padded with no-break spaces

    def table(self, key, grids):
        for grid in grids:
            for full in expand(grid):
                # a merged label or header cell is one cell (no placeholder after it); rows
                # spanned from above and padding after a one-value row print bare tabs
                row_cells = [c for c in full if not (isinstance(c, tuple) and c[0] == "colspan" and c[1].kind != "value")]
                while row_cells and isinstance(row_cells[-1], tuple) and row_cells[-1][0] == "rowspan":
                    row_cells.pop()
                for cell in row_cells:
                    if isinstance(cell, tuple):
                        self.sink.add("\t")
                        continue
                    if cell.kind == "head" and self.break_heads and cell.text in BROKEN and grid.table == "t2":
                        first, second = BROKEN[cell.text]
                        self.sink.add("\t" + self.noise.text(first), cell.anchors)
                        self.sink.add(self.noise.text(second))
                        continue
                    text = self.cell_text(cell)
                    if self.nbsp and cell.kind == "value":
                        text = self.rng.choice(("\xa0", "")) + text + "\xa0 "
                    self.sink.add("\t" + text, cell.anchors)
                self.sink.add("")

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

    def table(self, key, grids):
        for grid in grids:
            for full in expand(grid):
                row_cells = [c for c in full]
                # a row's trailing placeholders after its last real cell are dropped (Word does)
                while row_cells and row_cells[-1] is None:
                    row_cells.pop()
                for cell in row_cells:
                    if cell is None or (isinstance(cell, tuple)):
                        self.sink.add("\t")
                        continue
                    if cell.kind == "head" and self.break_heads and cell.text in BROKEN and grid.table == "t2":
                        first, second = BROKEN[cell.text]
                        self.sink.add("\t" + self.noise.text(first), cell.anchors)
                        self.sink.add(self.noise.text(second))
                        continue
                    self.sink.add("\t" + self.cell_text(cell), cell.anchors)
                self.sink.add("")

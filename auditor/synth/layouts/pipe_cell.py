"""One cell per line ending in " |", rows opened by a "|" line and closed by a line of
pipes (an HTML table converted to text, seed 002). Spans are lost; blank cells print as
dashes (a lone " |" would read as a row end).
"""

from .base import Renderer


class PipeCell(Renderer):
    name = "pipe-cell"

    def table(self, key, grids):
        for grid in grids:
            for row in grid.rows:
                self.sink.add("|")
                for cell in row:
                    if cell.kind == "corner":
                        continue
                    self.sink.add(f"{self.cell_text(cell)} |", cell.anchors)
                self.sink.add("|" * self.rng.choice((2, 3, 9)))

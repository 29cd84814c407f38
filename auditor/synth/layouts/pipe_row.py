"""Whole table rows on one line, cells split by "|" (`a | b | c |`), with placeholders for
spanned positions and padding cells after short rows; blank cells are empty."""

from .base import Renderer, expand


class PipeRow(Renderer):
    name = "pipe-row"

    def table(self, key, grids):
        for grid in grids:
            for full in expand(grid):
                texts, anchors = [], []
                for cell in full:
                    if isinstance(cell, tuple):
                        texts.append("")
                        continue
                    texts.append(self.cell_text(cell))
                    anchors.extend(cell.anchors)
                self.sink.add(" | ".join(texts) + " |", anchors)

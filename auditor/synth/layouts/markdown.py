"""Markdown from a PDF converter: "#" headings, `| a | b |` rows, a `|---|` rule under each
table's first row, merged cells repeated in every position they span."""

from .base import Renderer, expand


class Markdown(Renderer):
    name = "markdown"
    ext = "md"
    paragraph_gap = True

    def title(self, text):
        self.line("# " + self.noise.text(text), (("title",),))

    def heading(self, section):
        self.line(f"## {section.numeral}、{self.noise.text(section.heading)}", (("section", section.key or section.numeral),))

    def table(self, key, grids):
        for grid in grids:
            for index, full in enumerate(expand(grid, repeat=True)):
                texts, anchors = [], []
                for cell in full:
                    if cell is None:
                        texts.append("")
                    elif isinstance(cell, tuple):
                        texts.append(self.cell_text(cell[1]) if cell[1].kind == "group" else "")
                    else:
                        texts.append(self.cell_text(cell))
                        anchors.extend(cell.anchors)
                self.sink.add("| " + " | ".join(texts) + " |", anchors)
                if index == 0:
                    self.sink.add("|" + "---|" * len(texts))
            self.sink.add("")

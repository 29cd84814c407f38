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
        mark = self.rng.choice(("## ", "## ", "**", "")) if not hasattr(self, "heading_mark") else self.heading_mark
        self.heading_mark = mark
        text = f"{section.numeral}{self.spec.numbering}{self.noise.text(section.heading)}"
        self.line(f"**{text}**" if mark == "**" else mark + text, (("section", section.key or section.numeral),))

    def table(self, key, grids):
        for grid in grids:
            for index, full in enumerate(expand(grid)):
                texts, anchors = [], []
                for cell in full:
                    if isinstance(cell, tuple):
                        # merged cells repeated where they span rows (the converter's way)
                        texts.append(self.cell_text(cell[1]) if cell[0] == "rowspan" and cell[1].kind == "group" else "")
                    else:
                        texts.append(self.cell_text(cell))
                        anchors.extend(cell.anchors)
                self.sink.add("| " + " | ".join(texts) + " |", anchors)
                if index == 0:
                    self.sink.add("|" + "---|" * len(texts))
            self.sink.add("")

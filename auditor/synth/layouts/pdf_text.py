"""PDF text as `pdftotext -layout` prints it.

Prose hard-wrapped mid-sentence (first line indented); table rows on one line each, the
label then the values a few spaces apart; header rows split at column gaps, table 三's
自然人/总计 sometimes one character per line and table 四's labels broken over two lines
("结果" over "维持"); long row labels wrapped before or after their values; a two-character
label spread over its cell ("规    章"); page breaks inside tables (page number, form feed,
the title repeated as a running header); the signature right-aligned at the end.
"""

from ..grids import Grid
from ..noise import space_inside
from .base import Renderer, wrap

_LABEL = 36  # characters before the first value


class PdfText(Renderer):
    name = "pdf-text"

    def begin(self):
        self.width = self.rng.randint(34, 42)
        self.page = 1
        self.vertical = self.rng.random() < 0.5  # 自然人 / 总计 one character per line
        self.commas = self.rng.random() < 0.5

    def chrome(self, text):
        pass  # a PDF has no web page around it

    def title(self, text):
        self.sink.add(self.noise.text(text), (("title",),))
        self.sink.add("")

    def heading(self, section):
        self.sink.add(self.noise.text(f"{section.numeral}{self.spec.numbering}{section.heading}"), (("section", section.key or section.numeral),))

    def para(self, para):
        text = para.text
        if not text:
            return
        if len(text) <= 16:  # a sub-heading
            self.sink.add(self.noise.text(text), tuple(para.anchors))
            return
        lines = self._wrap(text, para.keep)
        offset = 0
        for index, piece in enumerate(lines):
            anchors = [a for a, at in para.anchors.items() if offset <= at < offset + len(piece)]
            self.sink.add(("    " if index == 0 else "") + self.noise.text(piece), anchors)
            offset += len(piece)

    def _wrap(self, text: str, keep) -> list[str]:
        return wrap(text, self.width - 2, self.width, keep)

    def closing(self, text, anchors=()):
        self.sink.add(" " * 54 + text, anchors)

    # -- tables ------------------------------------------------------------------------
    def _break_page(self):
        self.page += 1
        self.sink.add("")
        self.sink.add(" " * 36 + f"— {self.page} —")
        self.sink.add("")
        if self.rng.random() < 0.6:
            self.sink.add("\f" + " " * 15 + self.spec.title)

    def _value(self, text: str) -> str:
        if self.commas and text.isdigit() and len(text) > 3:
            text = f"{int(text):,}"
        return self.noise.value(text)

    def _row_line(self, labels: list[str], values: list[str], gap: str = "  ") -> str:
        head = "  " + gap.join(labels)
        head = head + " " * max(2, _LABEL - len(head))
        return head + "".join(v + " " * max(1, self.rng.choice((4, 5, 6)) - len(v)) for v in values).rstrip()

    def table(self, key, grids):
        for grid in grids:
            if grid.table == "t2":
                self._t2(grid)
            elif grid.table == "t3":
                self._t3(grid)
            elif grid.table == "t4":
                self._t4(grid)
            else:
                self._fee(grid)

    def _t2(self, grid: Grid):
        caption = grid.rows[0][0]
        self.sink.add(" " * 26 + caption.text, caption.anchors)
        heads = grid.rows[1]
        self.sink.add("  " + "      ".join(self.noise.text(c.text) for c in heads), [a for c in heads for a in c.anchors])
        for row in grid.rows[2:]:
            label, values = row[0], row[1:]
            text = label.text
            if len(text) == 2 and self.rng.random() < 0.6:
                text = space_inside(text, self.rng, wide=True)  # 规    章
            else:
                text = self.noise.text(text)
            line = self._row_line([text], [self._value(v.text) for v in values])
            self.sink.add(line, [a for c in row for a in c.anchors])

    def _t3(self, grid: Grid):
        note = grid.rows[0][0]
        self.sink.add(note.text)
        self.sink.add(" " * 41 + "申请人情况")
        labels = {c.text: c for row in grid.rows[1:3] for c in row}
        names = [c.text for c in grid.rows[2]]
        natural, total = grid.rows[1][0], grid.rows[1][2]
        anchors = [a for row in grid.rows[1:3] for c in row for a in c.anchors]
        if self.vertical and natural.text == "自然人" and total.text == "总计":
            self.sink.add(" " * 33 + "自")
            self.sink.add(" " * 33 + "然" + " " * 17 + "法人或其他组织" + " " * 23 + "总")
            self.sink.add(" " * 33 + "人")
            self.sink.add(" " * 39 + "  ".join(names) + "  计", anchors)
        else:
            self.sink.add(" " * 33 + natural.text + " " * 10 + "法人或其他组织" + " " * 12 + total.text, anchors)
            self.sink.add(" " * 39 + "  ".join(self.noise.text(n) for n in names))
        del labels
        breaks = {self.rng.randint(4, len(grid.rows) - 2)} if self.rng.random() < 0.6 else set()
        for index, row in enumerate(grid.rows[3:], 3):
            if index in breaks:
                self._break_page()
            texts = [c.text for c in row if c.kind in ("group", "label")]
            values = [self._value(c.text) for c in row if c.kind == "value"]
            anchors = [a for c in row for a in c.anchors]
            label = texts[-1]
            groups = texts[:-1]
            if groups and groups[-1].startswith("（") and self.rng.random() < 0.3:
                # the group label alone on a line above its first row
                self.sink.add("  " + self.noise.text(groups[-1]))
                groups = groups[:-1]
            indent = "" if label.startswith(("一、", "二、", "四、")) or groups else ("  " if label.startswith("（") else "      ")
            if len(label) > 18:
                cut = 17 if self.rng.random() < 0.5 else len(label) // 2
                if label.startswith("（二）") or self.rng.random() < 0.5:
                    # wrapped after the values: the end of the label on the next line
                    line = self._row_line([indent + g for g in groups] + [label[:cut]] if groups else [indent + label[:cut]], values)
                    self.sink.add(line.replace("    ", "  ", 1) if not groups else line, anchors)
                    self.sink.add("  " + label[cut:])
                    continue
                for group in groups:  # the group label on a line of its own above
                    self.sink.add("  " + self.noise.text(group))
                # a label wrapped above its values is cited where it starts
                self.sink.add(indent + "  " + label[:cut], [a for a in anchors if a[0] == "label"])
                line = self._row_line([indent + label[cut:]], values)
                self.sink.add(line, [a for a in anchors if a[0] != "label"])
                continue
            parts = [self.noise.text(g) for g in groups] + [self.noise.text(label)]
            gap = " " if groups and groups[-1].startswith("（") and self.rng.random() < 0.3 else "  "
            line = self._row_line([indent + parts[0]] + parts[1:] if len(parts) > 1 else [indent + parts[0]], values, gap)
            self.sink.add(line, anchors)

    def _t4(self, grid: Grid):
        if grid.width == 6:  # one labelled row per group
            heads = [c for c in grid.rows[0] if c.kind == "head"]
            self.sink.add(" " * 24 + "    ".join(self.noise.text(c.text) for c in heads), [a for c in heads for a in c.anchors])
            for row in grid.rows[1:]:
                label, values = row[0], row[1:]
                line = self._row_line([self.noise.text(label.text)], [self._value(v.text) if not v.blank else "-" for v in values])
                self.sink.add(line, [a for c in row for a in c.anchors])
            return
        self.sink.add(" " * 14 + "行政复议" + " " * 37 + "行政诉讼")
        self.sink.add(" " * 44 + "未经复议直接起诉" + " " * 16 + "复议后起诉")
        labels = [c for c in grid.rows[2]][:5]
        starts = [1, 7, 13, 19, 25, 40, 46, 52, 58, 64, 71, 77, 83, 89, 95]
        upper = [" "] * 100
        lower = [" "] * 100
        anchors = [a for row in grid.rows[1:3] for c in row for a in c.anchors]
        for index, start in enumerate(starts):
            text = labels[index % 5].text
            half = (len(text) + 1) // 2
            top, bottom = text[:half], text[half:]
            upper[start:start + len(top)] = list(top)
            lower[start:start + len(bottom)] = list(bottom)
        self.sink.add("".join(upper).rstrip(), anchors)
        self.sink.add("".join(lower).rstrip())
        values = [c for c in grid.rows[3]]
        line = [" "] * 104
        for index, cell in enumerate(values):
            start = starts[index] + 1 if index < len(starts) else 100 + index
            text = self._value(cell.text) if not cell.blank else "-"
            if start + len(text) > len(line):
                line.extend([" "] * (start + len(text) - len(line)))
            line[start:start + len(text)] = list(text)
        self.sink.add("".join(line).rstrip(), [a for c in values for a in c.anchors])

    def _fee(self, grid: Grid):
        self.sink.add("  " + "    ".join(c.text for c in grid.rows[0]))
        self.sink.add("  " + "".join(c.text + " " * max(2, 14 - len(c.text)) for c in grid.rows[1]).rstrip(), [a for c in grid.rows[1] for a in c.anchors])

"""Page text with every table cell run together (an archived page, ../shared/real/pingtan).

An archive header (标题/发布时间/…) before "==== 正文 ====", then either the whole report on
one line ("page") or the same text broken at sections and table rows ("lines"). Labels run
straight into their digits, and a row's digits are glued with only some spaces kept, planned
by synth.runs so that each row splits one way only (or, for a defect, several ways or none).
"""

from ..grids import Grid
from ..runs import plan
from .base import Renderer


class RunTogether(Renderer):
    name = "run-together"

    def begin(self):
        self.page = self.spec.style != "lines"
        self.parts: list[tuple[str, tuple]] = []  # the page line being built: (text, anchors)
        spec = self.spec
        self.sink.add(f"标题: {spec.title or spec.body}")
        if spec.published:
            self.sink.add(f"发布时间: {spec.published} {self.rng.randint(8, 17):02d}:{self.rng.randint(0, 59):02d}")
        self.sink.add("文号: ")
        self.sink.add(f"发布机构: {spec.noise.get('office', '')}")
        self.sink.add("栏目: 政府信息公开年报")
        self.sink.add(f"原文链接: https://www.example.gov.cn/zwgk/ndbg/{spec.year + 1}01/t{spec.year + 1}0120_{spec.index}.htm")
        self.sink.add("==================== 正文 ====================")

    def chrome(self, text):
        pass  # the archive keeps the article text only

    def flush(self):
        if self.parts:
            self.sink.add("".join(text for text, _ in self.parts), [a for _, anchors in self.parts for a in anchors])
            self.parts = []

    def emit(self, text: str, anchors=(), new_line: bool = False, space: bool = False):
        if new_line and not self.page:
            self.flush()
        if space and self.parts:
            text = " " + text
        self.parts.append((text, tuple(anchors)))

    def end(self):
        self.flush()
        if self.rng.random() < 0.5:
            self.sink.add("附件下载")

    def title(self, text):
        self.emit(self.noise.text(text), (("title",),), new_line=True)
        if self.page:
            self.parts.append((" ", ()))

    def heading(self, section):
        self.emit(self.noise.text(f"{section.numeral}、{section.heading}"), (("section", section.key or section.numeral),),
                  new_line=True, space=self.page and self.rng.random() < 0.3)
        self.after_heading = True

    def para(self, para):
        if para.text:
            self.emit(self.noise.text(para.text), tuple(para.anchors), new_line=not getattr(self, "after_heading", False))
            self.after_heading = False

    def closing(self, text, anchors=()):
        self.emit(text, anchors, new_line=True)

    def table(self, key, grids: list[Grid]):
        for grid in grids:
            if grid.table in ("t2", "t4", "fee"):
                self.emit("", new_line=True)
            for index, row in enumerate(grid.rows):
                values = [c for c in row if c.kind == "value"]
                labels = [c for c in row if c.kind != "value"]
                if grid.table == "t3" and index >= grid.header_rows and labels:
                    first = labels[0].text
                    if index == grid.header_rows or first.startswith(("（", "四、", "二、")):
                        self.emit("", new_line=True)  # rows, result groups, totals start a line
                for cell in labels:
                    if cell.text:
                        self.emit(self.noise.text(cell.text), cell.anchors)
                if values:
                    self._values(grid, values)
        self.after_heading = False

    def _values(self, grid: Grid, values) -> None:
        anchors = [a for c in values for a in c.anchors]
        texts = [c.text for c in values]
        if grid.table == "t4" and grid.width == 15:
            groups = self.spec.tables["t4"].rows
            want = next((g.split for g in groups if g.split), "") or "unique"
            run, how = plan(texts, self.rng, want=want)
            for group in groups:
                group.split = how if how != "unique" else ""
        else:
            prow = self._prow(values)
            want = (prow.split if prow is not None else "") or "unique"
            run, how = plan(texts, self.rng, want=want)
            if prow is not None:
                prow.split = how if how != "unique" else ""
                prow.run = run
        self.emit(self.noise.value(run), anchors)

    def _prow(self, values):
        for cell in values:
            for anchor in cell.anchors:
                if anchor[0] == "cell":
                    return self.spec.tables[anchor[1]].row(anchor[2]) if anchor[1] in self.spec.tables else None
        return None

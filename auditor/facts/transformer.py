"""The Lark Transformer: parse tree -> a plain document of sections, paragraphs and tables.

Token positions are stream lines; the transformer maps them back to source lines, so
every paragraph, header cell, label and value knows where it was printed.
"""

from dataclasses import dataclass, field

from lark import Token, Transformer

from ..normalize import Stream

_DASHES = frozenset("-—–/\\") | {"无"}  # a cell printed as a dash: nothing to report


@dataclass
class Para:
    text: str
    line: int


@dataclass
class Title:
    text: str
    line: int


@dataclass
class Head:
    text: str
    line: int


@dataclass
class Value:
    kind: str  # number | dash | blank | run
    text: str
    line: int


@dataclass
class RawRow:
    label: str  # "" for a row of values printed without a label
    line: int
    values: list[Value]


@dataclass
class RawTable:
    caption: str
    line: int
    parts: list = field(default_factory=list)  # Head | RawRow, in order

    @property
    def rows(self) -> list[RawRow]:
        return [p for p in self.parts if isinstance(p, RawRow)]

    @property
    def heads(self) -> list[Head]:
        return [p for p in self.parts if isinstance(p, Head)]


@dataclass
class RawSection:
    heading: str
    line: int
    blocks: list = field(default_factory=list)  # Para | RawTable


@dataclass
class Document:
    front: list = field(default_factory=list)  # Title | Para | RawTable
    sections: list[RawSection] = field(default_factory=list)
    layout: str = ""  # the normalizer's layout of the text (pdf-text: header words may be reflowed)

    def tables(self):
        """(section or None, table) for every table, in document order."""
        for block in self.front:
            if isinstance(block, RawTable):
                yield None, block
        for section in self.sections:
            for block in section.blocks:
                if isinstance(block, RawTable):
                    yield section, block


class ReportTransformer(Transformer):
    """One method per grammar rule; tokens become (text, source line) pairs.

    Used inside the LALR parser (auditor.parse), so no tree is built: `stream` is set to
    the stream being parsed, to map token lines back to source lines."""

    def __init__(self, stream: Stream | None = None):
        super().__init__()
        self.stream = stream

    def _line(self, token: Token) -> int:
        return self.stream.src_line(token.line)

    @staticmethod
    def _text(token: Token) -> str:
        return token.value.strip("\n").lstrip("\t")

    def start(self, items):
        document = Document(layout=self.stream.layout if self.stream is not None else "")
        for item in items:
            if isinstance(item, RawSection):
                document.sections.append(item)
            else:
                document.front.append(item)
        return document

    def title(self, items):
        return Title(self._text(items[0]), self._line(items[0]))

    def section(self, items):
        heading = items[0]
        # A title line inside a section (a running page header) is a paragraph there.
        blocks = [Para(b.text, b.line) if isinstance(b, Title) else b for b in items[1:]]
        return RawSection(self._text(heading), self._line(heading), blocks)

    def para(self, items):
        return Para(self._text(items[0]), self._line(items[0]))

    def table(self, items):
        caption = items[0] if items and isinstance(items[0], tuple) else None
        parts = [p for p in items if not isinstance(p, tuple)]
        if caption:
            return RawTable(caption[0], caption[1], parts)
        line = parts[0].line if parts else 0
        return RawTable("", line, parts)

    def caption(self, items):
        return (self._text(items[0]), self._line(items[0]))

    def head(self, items):
        return Head(self._text(items[0]), self._line(items[0]))

    def labelled_row(self, items):
        label, values = items
        return RawRow(self._text(label), self._line(label), self._values(values))

    def bare_row(self, items):
        values = self._values(items[0])
        return RawRow("", values[0].line, values)

    def _values(self, token: Token) -> list[Value]:
        """The VALUES token split back into one value per line."""
        first = token.line
        values = []
        for offset, line in enumerate(token.value[:-1].split("\n")):
            text = line[1:]  # drop the cell's tab
            if not text:
                kind = "blank"
            elif text[0] == "~":
                kind, text = "run", text[1:]  # drop the run marker
            else:
                kind = "dash" if text in _DASHES else "number"
            values.append(Value(kind, text, self.stream.src_line(first + offset)))
        return values

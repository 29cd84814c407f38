"""Raw HTML reports: paragraphs become prose lines, table cells become cells, </tr> a row end.

Cells keep their positions (an empty <td> or one holding only &nbsp; is a blank cell), so a
blank value is reported as blank rather than lost. Line numbers are the HTML source lines.

Many sites lay the whole article out in a table. A cell that holds a table, or several
paragraphs of running text, is such a layout cell: its paragraphs are prose lines, and the
tables inside it are the report's tables.
"""

import re
from html.parser import HTMLParser

from ..chars import clean
from .lines import RawLines

_LAYOUT_CELL_CHARS = 80  # a cell with several paragraphs and more text than this is page layout
_BLOCK = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "title", "section", "article"}
_SKIP = {"script", "style", "head"}
# A markup construct the stdlib parser can finish: a closed comment, CDATA, or a tag whose ">"
# comes before the next "<". Any other "<" is text: the stdlib parser waits for the rest of an
# unclosed "<!--" or "<a href=…" and rescans it on every step (quadratic: 400 KB of them took
# 70 s), and an "<![ ]>" section makes it raise.
_MARKUP = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<(?!!--|!\[)[A-Za-z/!?][^<>]*>|<", re.DOTALL)


def _escape_unclosed(text: str) -> str:
    """The text with every "<" that starts no complete construct written as "&lt;" (linear:
    openers after the last "-->" / "]]>" can never close, and are escaped before the scan,
    so the lazy matches never search to the end of the text)."""
    for opener, closer in (("<!--", "-->"), ("<![CDATA[", "]]>")):
        end = text.rfind(closer) + 1
        if text.find(opener, end) >= 0:
            text = text[:end] + text[end:].replace(opener, "&lt;" + opener[1:])
    return _MARKUP.sub(lambda m: "&lt;" if m.group(0) == "<" else m.group(0), text)


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = RawLines(layout="html")
        self._cell: list[list] | None = None  # the open cell's paragraphs: [text parts, line]
        self._cell_line = 0
        self._text: list[str] = []
        self._text_line = 0
        self._skip = 0
        self._depth = 0  # table nesting

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self._skip += 1
        elif tag == "table":
            if self._cell is not None:  # a table inside a cell: the cell is page layout
                self._cell_as_text()
            self._flush_text()
            self._depth += 1
        elif tag in ("td", "th") and self._depth:
            self._close_cell()
            self._cell, self._cell_line = [[[], 0]], self.getpos()[0]
        elif tag in _BLOCK and self._cell is None:
            self._flush_text()
        elif tag in _BLOCK and self._cell[-1][0]:
            self._cell.append([[], 0])

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in ("td", "th"):
            self._close_cell()
        elif tag == "tr":
            self._close_cell()
            self.out.add("rowsep", "", self.getpos()[0])
        elif tag == "table":
            self._close_cell()
            self._depth = max(0, self._depth - 1)
            self.out.add("rowsep", "", self.getpos()[0])
        elif tag in _BLOCK and self._cell is None:
            self._flush_text()

    def handle_data(self, data):
        if self._skip:
            return
        if self._cell is not None:
            paragraph = self._cell[-1]
            if not paragraph[0]:
                paragraph[1] = self.getpos()[0]  # the line this data starts on; its "\n"s count on
            paragraph[0].append(data)
        elif data.strip():
            if not self._text:
                self._text_line = self.getpos()[0]
            self._text.append(data)

    def _close_cell(self):
        if self._cell is None:
            return
        paragraphs = [" ".join("".join(parts).split()) for parts, _ in self._cell]
        if sum(1 for text in paragraphs if text) > 1 and sum(map(len, paragraphs)) > _LAYOUT_CELL_CHARS:
            self._cell_as_text()
            return
        self.out.add("cell", clean(" ".join(paragraphs)), self._cell_line)
        self._cell = None

    def _cell_as_text(self):
        """The open cell is page layout: its paragraphs so far are prose lines."""
        for parts, line in self._cell:
            for offset, part in enumerate("".join(parts).split("\n")):
                text = clean(part)
                if text:
                    self.out.add("text", text, (line or self._cell_line) + offset)
        self._cell = None

    def _flush_text(self):
        if self._text:
            for offset, part in enumerate("".join(self._text).split("\n")):
                text = clean(part)
                if text:
                    self.out.add("text", text, self._text_line + offset)
            self._text = []

    def close(self):
        super().close()
        self._close_cell()
        self._flush_text()


def html_lines(text: str) -> RawLines:
    collector = _Collector()
    collector.feed(_escape_unclosed(text))
    collector.close()
    return collector.out

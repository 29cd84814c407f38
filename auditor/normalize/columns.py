"""Column gaps in PDF layout text ("pdftotext -layout"): a header row printed on one line.

A line such as "信息内容        本年新制作数量   本年新公开数量" holds several cells separated by
runs of spaces; the character cleaner would glue them into one word. Here a run of two or
more spaces is a column gap, except inside a word spread over its cell ("规    章": single
characters a short gap apart). Only lines of short text pieces qualify (no sentence
punctuation, no values: a label followed by numbers is read by the line classifier).

A cell broken over two lines ("结果" over "维持") prints as two such rows whose pieces start
at the same columns; `stack` joins them piece by piece.
"""

import re

_GAP = re.compile(r"[ \u3000\xa0]{2,}")
_HAN_CHAR = re.compile(r"[\u3400-\u9fff]")
_SENTENCE = re.compile(r"[。;；!！?？]")
_MAX_PIECE = 30
_WORD_GAP = 8  # widest gap inside a word spread over its cell
_ALIGN = 1  # columns two stacked pieces may be apart


def split(rawline: str) -> list[tuple[int, str]] | None:
    """(start column, text) of each cell of a layout row, or None for any other line."""
    line = rawline.rstrip()
    pieces: list[tuple[int, int, str]] = []  # start, end, text
    position = len(line) - len(line.lstrip(" \u3000\xa0"))
    for gap in list(_GAP.finditer(line, position)) + [None]:
        end = gap.start() if gap else len(line)
        if end > position:
            pieces.append((position, end, line[position:end]))
        if gap:
            position = gap.end()
    pieces = _join_spread_words(pieces)
    if len(pieces) < 2:
        return None
    if any(len(text) > _MAX_PIECE or _SENTENCE.search(text) for _, _, text in pieces):
        return None
    return [(start, text) for start, _, text in pieces]


def _join_spread_words(pieces):
    """Single characters a short gap apart are one word spread over its cell."""
    out: list[tuple[int, int, str]] = []
    spread = False  # the last piece was built from single characters
    for start, end, text in pieces:
        single = len(text) == 1 and bool(_HAN_CHAR.fullmatch(text))
        if out and single and (spread or len(out[-1][2]) == 1) and start - out[-1][1] <= _WORD_GAP \
                and _HAN_CHAR.fullmatch(out[-1][2][-1]):
            out[-1] = (out[-1][0], end, out[-1][2] + text)
            spread = True
            continue
        out.append((start, end, text))
        spread = False
    return out


def stack(upper: list[tuple[int, str]], lower: list[tuple[int, str]]) -> list[str] | None:
    """The cells of two rows that are one row of cells broken over two lines, or None."""
    if len(upper) != len(lower):
        return None
    if any(abs(a - b) > _ALIGN for (a, _), (b, _) in zip(upper, lower)):
        return None
    return [a + b for (_, a), (_, b) in zip(upper, lower)]

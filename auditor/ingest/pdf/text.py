"""Characters into lines of text: one baseline, left to right, spaces only where Latin words
are apart (never beside a Chinese character: Chinese text has no spaces, and a justified
line's stretched gaps are not words)."""

import re

_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’"
_CJK_CHAR = re.compile(f"[{_CJK}]")
# whitespace the PDF put beside a CJK character (letter spacing, a wrap inside a cell)
_CJK_GAP = re.compile(f"(?<=[{_CJK}])\\s+|\\s+(?=[{_CJK}])")
_SPACE = 0.12  # a gap wider than this share of the character size is a space
_COLUMN_GAP = 1.0  # a gap wider than a character: columns apart, not words
_SAME_LINE = 0.3  # baselines closer than this share of the character size are one line


def text_lines(chars: list[dict], left: float | None = None) -> list[dict]:
    """Lines of text: dicts of text, x0, x1, top, bottom. A line with a gap wider than a
    character (columns of a table drawn without lines, a date set apart) is laid out on a
    grid of half-character columns from `left`, as `pdftotext -layout` lays out a page, so
    its columns stay apart and line up with the lines above and below."""
    if left is None:
        left = min((c["x0"] for c in chars), default=0.0)
    lines = []
    for group in _baselines(chars):
        group.sort(key=lambda char: char["x0"])
        columns = any(char["x0"] - before["x1"] > _COLUMN_GAP * before["size"] for before, char in zip(group, group[1:]))
        text = _grid(group, left) if columns else _compact(group)
        lines.append({
            "text": text, "x0": group[0]["x0"], "x1": max(c["x1"] for c in group),
            "top": min(c["top"] for c in group), "bottom": max(c["bottom"] for c in group),
        })
    return lines


def _compact(group: list[dict]) -> str:
    text = group[0]["text"]
    for before, char in zip(group, group[1:]):
        gap = char["x0"] - before["x1"] > _SPACE * before["size"]
        text += (" " if gap and not cjk_edge(before["text"], char["text"]) else "") + char["text"]
    return text


def _grid(group: list[dict], left: float) -> str:
    sizes = sorted(char["size"] for char in group)
    half = sizes[len(sizes) // 2] / 2 or 1.0
    text = ""
    for before, char in zip([None] + group, group):
        column = round((char["x0"] - left) / half)
        if before is not None and char["x0"] - before["x1"] > _COLUMN_GAP * before["size"]:
            column = max(column, len(text) + 2)  # columns stay at least two spaces apart
        elif before is not None and char["x0"] - before["x1"] > _SPACE * before["size"] and not cjk_edge(before["text"], char["text"]):
            column = max(column, len(text) + 1)
        else:
            column = len(text) if before is not None else column
        text += " " * max(0, column - len(text)) + char["text"]
    return text


def block_text(chars: list[dict]) -> str:
    """The text of a block (a table cell): its lines joined, no space beside Chinese."""
    return _CJK_GAP.sub("", " ".join(line["text"] for line in text_lines(chars)))


def cjk_edge(before: str, after: str) -> bool:
    """Whether two pieces of text meet at a Chinese character (then no space between them)."""
    return bool(_CJK_CHAR.match(before[-1:]) or _CJK_CHAR.match(after[:1]))


def _baselines(chars: list[dict]) -> list[list[dict]]:
    """Characters grouped by baseline (top to bottom), within a fraction of their size."""
    groups: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: c["baseline"]):
        if groups and char["baseline"] - groups[-1][0]["baseline"] <= _SAME_LINE * char["size"]:
            groups[-1].append(char)
        else:
            groups.append([char])
    return groups

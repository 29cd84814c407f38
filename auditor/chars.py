"""Character-level clean-up of one line: NFKC, conversion artefacts, spaces inside Chinese words."""

import re
import unicodedata
from functools import lru_cache

_HAN = r"\u3400-\u9fff"
_CJK_PUNCT = r"、。，；：？！“”‘’《》〈〉【】（）\(\)"
# Conversion artefacts seen in real reports (Word bookmarks, zero-width characters).
_ARTEFACTS = re.compile(r"\[bookmark: [^\]]*\]|[\u200b-\u200f\u2060\ufeff]")
# Spaces PDF extraction and Word justification put inside words: "主 动公开", "规    章".
_INNER_SPACE = re.compile(rf"(?<=[{_HAN}{_CJK_PUNCT}])[ \t\u3000\xa0]+(?=[{_HAN}{_CJK_PUNCT}])")
_PAREN_NUMERAL = re.compile(r"\(\s*([一二三四五六七八九十]{1,3}|\d{1,2})\s*\)")
_SPACES = re.compile(r"[ \u3000\xa0]+")
# A label or paragraph that starts a row or paragraph of its own: "三、…", "(五)…", "2.…" — in
# text as printed (full-width brackets and stops) and as normalized; "96171.6" is no numbering.
ROW_NUMBERING = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,2}\s*[、.．]|[（(][一二三四五六七八九十]{1,2}[）)]|\d{1,2}\s*[.、．](?!\d))")


@lru_cache(maxsize=16384)
def clean(text: str) -> str:
    """Return the line normalised for parsing (no leading/trailing whitespace).

    Cached: table cells repeat ("0", "\t0") far more often than they differ."""
    text = unicodedata.normalize("NFKC", _ARTEFACTS.sub("", text))
    text = _SPACES.sub(" ", text).strip()
    text = _INNER_SPACE.sub("", text)
    return _PAREN_NUMERAL.sub(r"(\1)", text)


@lru_cache(maxsize=16384)
def compact(text: str) -> str:
    """A label reduced for comparison: no spaces, quotes or brackets of any kind."""
    return re.sub(r"[\s\"'“”‘’「」『』《》]", "", text)


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_OTHER_BREAKS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def source_lines(text: str) -> list[str]:
    """The lines of a file as an editor numbers them: split at \\n, \\r\\n or \\r only.

    (str.splitlines also splits at form feeds, which PDF text has at every page break, and
    at other control characters: every line number after one would be off.)"""
    if not _OTHER_BREAKS.search(text):
        return text.splitlines()  # the same split, faster
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines

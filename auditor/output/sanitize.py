"""Text made safe at the boundary where it enters each writer.

Report text, file names and rule messages reach CSV, XLSX, JSON, Markdown, HTML and DOCX.
Each format breaks on something different, so each writer passes its text through one of
these functions:

  visible(s)       any writer: lone surrogates (file names that are not UTF-8, as os.fsdecode
                   gives them) become backslash escapes (\\xc0), XML-illegal control characters
                   a visible placeholder (the Unicode control picture: \\x01 -> ␁)
  display_path(s)  a file name: as visible(), and CR, LF, tab and other controls as \\r, \\n, \\t, \\xNN
  cell(v)          a CSV/XLSX cell: visible(), CR/LF made \\n (quoted, never a row break), and a
                   leading = + - @ tab CR neutralised with an apostrophe (numbers stay numbers)
  md(s), md_cell(s), html_text(s)  Markdown / HTML with the markup characters escaped
  file_stem(s)     a name safe as a file name on every platform (memo names)
  map_text(v, f)   a copy of a dataclass / list / dict with f applied to every string inside
"""

import copy
import dataclasses
import html
import re

_SURROGATE = re.compile("[\ud800-\udfff]")
_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_CONTROL = re.compile("[\x00-\x1f\x7f]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_MD_SPECIAL = re.compile(r"([\\`\[\]|])")
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
PLACEHOLDER = "\ufffd"


def _surrogate(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def escape_surrogates(text: str) -> str:
    """Lone surrogates as backslash escapes: the bytes of a name that is not UTF-8 (\\xc0)."""
    return _SURROGATE.sub(_surrogate, text) if _SURROGATE.search(text) else text


def _picture(match: re.Match) -> str:
    char = match.group()
    if "\ud800" <= char <= "\udfff":
        return _surrogate(match)
    if char == "\x7f":
        return "\u2421"
    if char in "\ufffe\uffff":
        return PLACEHOLDER
    return chr(0x2400 + ord(char))


def visible(text) -> str:
    """Text every writer accepts: surrogates escaped, XML-illegal controls shown as ␀…␟ / ␡.
    Tab, LF and CR are kept (each writer decides what a line break becomes)."""
    text = "" if text is None else str(text)
    return _BAD.sub(_picture, text) if _BAD.search(text) else text


_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def display_path(path) -> str:
    """A file name as shown in outputs: every byte that is not printable UTF-8 as an escape."""
    text = escape_surrogates("" if path is None else str(path))
    if _CONTROL.search(text):
        text = _CONTROL.sub(lambda m: _ESCAPES.get(m.group(), f"\\x{ord(m.group()):02x}"), text)
    return text.replace("\ufffe", PLACEHOLDER).replace("\uffff", PLACEHOLDER)


def cell(value):
    """A CSV/XLSX cell: text cleaned and never a formula; numbers and empty cells unchanged."""
    if not isinstance(value, str):
        return value
    text = visible(value)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith(_FORMULA_START) and not _NUMBER.match(text):
        text = "'" + text
    return text


XLSX_CELL_CHARS = 32767  # Excel's limit: a longer cell makes it "repair" (drop) the sheet


def clean_frame(frame, limit: int | None = None):
    """A copy of a DataFrame with every text cell passed through cell(), cut to `limit`."""

    def clean(value):
        value = cell(value)
        if limit and isinstance(value, str) and len(value) > limit:
            value = value[: limit - 1] + "…"
        return value

    out = frame.copy()
    for column in out.columns:
        if out[column].dtype.kind == "O":  # object and string columns
            out[column] = out[column].map(clean, na_action="ignore")
    return out


def md(text) -> str:
    """Text inside a Markdown paragraph or heading: no raw HTML, links or code spans, one line."""
    text = visible(text)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")


def md_cell(text) -> str:
    """Text inside a Markdown table cell: as md(), line breaks as <br>."""
    text = visible(text).replace("\r\n", "\n").replace("\r", "\n")
    return "<br>".join(md(part) for part in text.split("\n"))


def html_text(text) -> str:
    """Text inside HTML (element content or a quoted attribute)."""
    return html.escape(visible(text))


def file_stem(text: str, limit: int = 200) -> str:
    """A file name stem safe on every platform: escapes for bytes that are not UTF-8, no path
    separators or reserved characters, no leading dot, at most `limit` bytes of UTF-8 (file
    names are limited to 255 bytes, and a suffix is still to come)."""
    text = _UNSAFE_NAME.sub("_", display_path(text)).strip(" .")
    text = text.encode("utf-8")[:limit].decode("utf-8", "ignore")
    return text or "_"


def map_text(value, fn):
    """A copy of `value` with `fn` applied to every string inside it (dataclasses, lists,
    tuples and dict values; dict keys are the program's own and stay)."""
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, list):
        return [map_text(v, fn) for v in value]
    if isinstance(value, tuple):
        return tuple(map_text(v, fn) for v in value)
    if isinstance(value, dict):
        return {k: map_text(v, fn) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = copy.copy(value)
        for item in dataclasses.fields(value):
            object.__setattr__(out, item.name, map_text(getattr(value, item.name), fn))
        return out
    return value

"""Split page text whose table cells run together with no separators.

Some archived pages hold the whole report on one line: "规章007规范性文件7777166第二十条…",
"2.重复申请30000033.要求提供公开出版物…". Others break the same text at sections,
paragraphs or rows, so a line is read this way when it holds the whole page (several
section headings) or table rows whose labels run straight into their digits; once a file
has such lines, a section heading run into its text is split off wherever it appears.
Section headings are found by the templates' heading patterns; inside the table sections
(or a line of glued rows) every known label (captions, header words, row and column labels
with their numbering) is located, and the text between two labels becomes one digit run.
Splitting a run into cells needs the row's template, so it is done later (facts.digits);
here a run keeps its digits and spaces exactly as printed.
"""

import re
from functools import cache

from ..templates import all_templates

_TABLE_SECTIONS = {"proactive", "requests", "appeals"}
_RUN = re.compile(r"[\d\s.,+\-]+(?:元|万元)?")
_CAPTION = r"第[二三]十条第\([一二三四五六七八九十]+\)项"
_NOTE = r"\(?本列数据的勾稽关系为[^)]*\)?"
_TITLE = re.compile(r"^([^。;:]{4,60}?(?:年度报告|年报))\s+")
_HAN_DIGIT = re.compile(r"[\u4e00-\u9fff)”\"][+-]?\d")  # cheap test before the label search
_UNIT_AFTER = re.compile(r"[件条个项宗次人年月日%]")  # "行政许可1280件" is prose, not a row
# "通知收取金额300元," is prose too: cells never run into sentence punctuation
_PUNCT_AFTER = re.compile(r"\s*[,;:。、，；：]")
_SENTENCE_PUNCT = re.compile(r"[,;。，；](?!\d{3})")
_QUOTES = re.compile(r"[“”\"]")
_DIGIT_START = re.compile(r"[+-]?\d")


def applies(line: str) -> bool:
    """A run-together page on one line, or a line of table rows whose cells run together."""
    if len(line) > 200 and len({m.group("key") for m in _heading_re().finditer(line)}) >= 2:
        return True
    return _glued(line)


def has_heading(line: str) -> bool:
    """A line holding a section heading (in a file of run-together text: split it off)."""
    return next(_heading_re().finditer(line), None) is not None


def _glued(text: str) -> bool:
    """Table text whose labels run straight into their digits ("行政许可45-31280")."""
    if "。" in text or not _HAN_DIGIT.search(text):
        return False
    text = _QUOTES.sub("", text)
    glued = False
    for match in _vocabulary_re().finditer(text):
        run = _RUN.match(text, match.end())
        if run and _DIGIT_START.match(run.group(0)):
            if _PUNCT_AFTER.match(text, run.end()):
                return False  # a figure in a sentence: the line is prose
            glued = glued or not _UNIT_AFTER.match(text, run.end())
    # punctuation outside the labels (some labels hold commas): a hard-wrapped sentence
    return glued and not _SENTENCE_PUNCT.search(_vocabulary_re().sub(" ", text))


def _has_values(text: str) -> bool:
    """A table section whose text has digits run into a label: its table is there (a
    sentence such as "本年度未发生行政复议、行政诉讼" in its place is prose)."""
    text = _QUOTES.sub("", text)
    for match in _vocabulary_re().finditer(text):
        run = _RUN.match(text, match.end())
        if run and any(ch.isdigit() for ch in run.group(0)):
            return True
    return False


def _all_labels(text: str) -> bool:
    """Text made of table labels only (a header run into its section heading)."""
    rest = _vocabulary_re().sub("", _QUOTES.sub("", text))
    return bool(text.strip()) and not re.sub(r"[\s()（）:：,，、]", "", rest)


def split(line: str, src: int, out) -> None:
    title = _TITLE.match(line)
    if title:
        out.add("text", title.group(1), src)
        line = line[title.end():]
    headings = list(_heading_re().finditer(line))
    if not headings or headings[0].start() > 0:
        before = line[: headings[0].start() if headings else len(line)]
        if _glued(before):
            _table_zone(before, src, out)
        else:
            _prose(before, src, out)
    for index, heading in enumerate(headings):
        end = headings[index + 1].start() if index + 1 < len(headings) else len(line)
        out.add("text", heading.group(0).strip(), src)
        body = line[heading.end():end]
        if heading.group("key") in _TABLE_SECTIONS and (_has_values(body) or _all_labels(body)):
            _table_zone(body, src, out)
        else:
            _prose(body, src, out)


def _prose(text: str, src: int, out) -> None:
    text = text.strip()
    if text:
        out.add("text", text, src)


def _table_zone(text: str, src: int, out) -> None:
    text = re.sub(r"[“”\"]", "", text)  # quoted labels: 危及“三安全一稳定”
    position = 0
    for match in _vocabulary_re().finditer(text):
        start = match.start()
        _between(text[position:start], src, out)
        out.add("cell", match.group(0).strip(), src)
        position = match.end()
    _between(text[position:], src, out)


def _between(text: str, src: int, out) -> None:
    text = text.strip()
    if not text:
        return
    run = _RUN.fullmatch(text)
    if run and any(ch.isdigit() for ch in text):
        out.add("run", text, src)
        return
    lead = _RUN.match(text)
    if lead and any(ch.isdigit() for ch in lead.group(0)) and _DIGIT_START.match(text):
        # a row's digits run into text that is no label: the digits, then that text
        # (a heading the templates do not know, and its paragraph, after the last table)
        out.add("run", lead.group(0).strip(), src)
        rest = text[lead.end():].strip()
        out.add("text" if len(rest) > 40 or _SENTENCE_PUNCT.search(rest) else "cell", rest, src)
        return
    out.add("cell", text, src)


@cache
def _heading_re() -> re.Pattern:
    patterns = {}
    for template in all_templates():
        for section in template.sections:
            options = [section.pattern or re.escape(section.label)]
            options += [re.escape(alias) for alias in section.aliases]
            patterns.setdefault(section.key, set()).update(options)
    alternatives = "|".join(
        f"(?P<{key}>{'|'.join(sorted(options, key=len, reverse=True))})" for key, options in patterns.items()
    )
    regex = re.compile(rf"[一二三四五六七八九十]{{1,2}}\s*、\s*(?:{alternatives})")

    class _Keyed:
        """finditer whose matches expose the section key as group('key')."""

        def finditer(self, text):
            for match in regex.finditer(text):
                yield _KeyedMatch(match)

    return _Keyed()


class _KeyedMatch:
    def __init__(self, match: re.Match):
        self._match = match

    def group(self, name=0):
        if name == "key":
            return next(k for k, v in self._match.groupdict().items() if v is not None)
        return self._match.group(name)

    def start(self):
        return self._match.start()

    def end(self):
        return self._match.end()


@cache
def _vocabulary_re() -> re.Pattern:
    """Every label a statistical table can print, longest first, with its numbering."""
    labels: dict[str, int] = {}  # regex -> length of the plain label it matches
    for template in all_templates():
        for table in template.tables.values():
            labels.update((re.escape(word), len(word)) for word in table.header_words)
            for item in table.columns + tuple(c for b in table.blocks for c in b.columns) + table.all_rows():
                for text in (item.label,) + item.aliases:
                    labels[_numbered(item, text)] = len(text)
        labels.update((re.escape(item.label), len(item.label)) for item in template.fee_columns)
    # Python takes the first alternative that matches, so longer labels must come first
    # ("其他对外管理服务事项" before "其他").
    ordered = sorted(labels, key=lambda regex: -labels[regex])
    return re.compile("|".join([_CAPTION, _NOTE] + ordered))


def _numbered(item, text: str) -> str:
    label = re.escape(text).replace(r"\(", r"\(?").replace(r"\)", r"\)?")
    number = item.number
    if not number:
        return label
    if number.isdigit():
        return rf"(?:{number}\s*[.、])?{label}"
    if number.startswith("("):
        return rf"(?:{re.escape(number)})?{label}"
    return rf"(?:{number}\s*、)?{label}"

"""Report metadata: title, issuing body, report year, publication date, administrative level.

The title is the first title line (joined with the line above when a layout broke it:
"永平镇" / "2022年政府信息公开工作年度报告"). When there is no title, body and year come from
the text: the body name the report uses most, the year it speaks of most.
"""

import re
from collections import Counter
from functools import cache

from ..chars import clean
from ..model import Metadata
from ..resources import load_yaml
from ..templates import template_for_year
from .sections import is_chrome
from .transformer import Document, Head, Para, RawTable, Title

_YEAR = re.compile(r"(20[0-4]\d)\s*年")
_TITLE_FIELD = re.compile(r"^标题\s*:\s*(.+)$")
_TITLE_HEAD = re.compile(r"^(?:\d{4}|年度|政府信息|信息公开|政府)")
_BODY_BEFORE_YEAR = re.compile(r"^(?:关于)?(.+?)\s*(?:20[0-4]\d\s*年)")
_BODY_BEFORE_KEYWORD = re.compile(r"^(?:关于)?(.+?)(?:年度)?政府信息公开")


@cache
def _vocabulary() -> dict:
    return load_yaml("vocabulary.yaml")


@cache
def _body_re() -> re.Pattern:
    return re.compile(_vocabulary()["body_name"])


def extract_metadata(document: Document, source_lines: list[str]) -> Metadata:
    meta = Metadata()
    front = [b for b in document.front if not isinstance(b, RawTable)] + _front_heads(document)
    front.sort(key=lambda b: b.line)
    _title(front, meta)
    texts = list(_all_text(document))
    _body(meta, texts)
    _year(meta, texts)
    meta.level = level_of(meta.body)
    _published(meta, texts, source_lines)
    if meta.year:
        template = template_for_year(meta.year)
        meta.expected_template = template.id if template else ""
    return meta


def _front_heads(document: Document) -> list:
    heads = []
    for block in document.front:
        if isinstance(block, RawTable):
            heads.extend(Para(h.text, h.line) for h in block.heads)
            heads.extend(Para(r.label, r.line) for r in block.rows if r.label)
    return heads


def _title(front: list, meta: Metadata) -> None:
    for index, block in enumerate(front):
        text = block.text
        field = _TITLE_FIELD.match(text)
        if field:
            meta.title, meta.title_line = field.group(1).strip(), block.line
            return
        if isinstance(block, Title):
            previous = front[index - 1] if index else None
            if (
                previous is not None
                and _TITLE_HEAD.match(text)
                and block.line - previous.line <= 2
                and len(previous.text) <= 30
                and not re.search(r"[。,;:>]", previous.text)
            ):
                meta.title, meta.title_line = previous.text + text, previous.line
            else:
                meta.title, meta.title_line = text, block.line
            return


def _all_text(document: Document):
    """(text, line) of every paragraph, heading and cell label, in document order."""
    for block in document.front:
        yield from _block_text(block)
    for section in document.sections:
        yield section.heading, section.line
        for block in section.blocks:
            yield from _block_text(block)


def _block_text(block):
    if isinstance(block, (Para, Title, Head)):
        yield block.text, block.line
    elif isinstance(block, RawTable):
        for part in block.parts:
            text = getattr(part, "text", None) or getattr(part, "label", "")
            if text:
                yield text, part.line


def _body(meta: Metadata, texts: list[tuple[str, int]]) -> None:
    if meta.title:
        found = _BODY_BEFORE_YEAR.match(meta.title) or _BODY_BEFORE_KEYWORD.match(meta.title)
        if found and len(found.group(1)) >= 2:
            meta.body, meta.body_line = found.group(1).strip(), meta.title_line
            return
    counts: Counter = Counter()
    first_line: dict[str, int] = {}
    for text, line in texts:
        if is_chrome(text):
            continue
        for name in _body_re().findall(text):
            name = _trim_name(name)
            if len(name) >= 3:
                counts[name] += 1
                first_line.setdefault(name, line)
    if counts:
        # Prefer the full name of a body (…人民政府) whose short form is used most.
        def score(name: str) -> tuple:
            core = name.removesuffix("人民政府")
            mentions = sum(n for other, n in counts.items() if core in other)
            return (mentions, name.endswith(("人民政府", "办事处", "委员会", "局")), len(name))

        best = max(counts, key=score)
        meta.body, meta.body_line = best, first_line[best]


def _trim_name(name: str) -> str:
    """Drop leading words that are not part of a name ("通过易门县政府信息公开十街彝族乡…")."""
    for marker in ("信息公开", "我", "由", "在", "是", "通过", "对", "经"):
        if marker in name[:-2]:
            name = name[name.rindex(marker, 0, len(name) - 2) + len(marker):]
    return name


def _year(meta: Metadata, texts: list[tuple[str, int]]) -> None:
    if meta.title:
        found = _YEAR.search(meta.title)
        if found:
            meta.year, meta.year_line = int(found.group(1)), meta.title_line
            return
    counts: Counter = Counter()
    first_line: dict[int, int] = {}
    for text, line in texts[:200]:
        for year in _YEAR.findall(text):
            counts[int(year)] += 1
            first_line.setdefault(int(year), line)
    if counts:
        year = max(counts, key=lambda y: (counts[y], -first_line[y]))
        meta.year, meta.year_line = year, first_line[year]


def level_of(body: str) -> str:
    if not body:
        return "unknown"
    name = body.removesuffix("人民政府").removesuffix("政府")
    for rule in _vocabulary()["levels"]:
        if re.search(rule["name"], name):
            return rule["level"]
    return "unknown"


def _published(meta: Metadata, texts: list[tuple[str, int]], source_lines: list[str]) -> None:
    patterns = _vocabulary()["published"]
    labelled = re.compile(patterns["labelled"])
    for text, line in texts:
        found = labelled.search(text)
        if found:
            _set_date(meta, found, line)
            return
    closing = re.compile(patterns["closing"])
    for line_no in range(len(source_lines), 0, -1):
        text = clean(source_lines[line_no - 1]).replace(" ", "")
        found = closing.match(text)
        if found and (not meta.year or int(found.group(1)) > meta.year):
            _set_date(meta, found, line_no)
            return


def _set_date(meta: Metadata, found: re.Match, line: int) -> None:
    year, month, day = (int(g) for g in found.groups())
    if 1 <= month <= 12 and 1 <= day <= 31:
        meta.published, meta.published_line = f"{year:04d}-{month:02d}-{day:02d}", line

"""Report metadata: title, issuing body, report year, publication date, administrative level.

Read from the page as printed, line by line (table cells on one line joined with " | "):
the title is the head line, or two or three head lines joined, that reads as "<body><year>年
政府信息公开工作年度报告" (body and year may be missing or swapped; a breadcrumb or a stray
year may stand before it; the first sentence may run on after it). Without a title the body
comes from the text (issuer.py) and the year is the one the text speaks of most. The
publication date is a labelled date (发布日期, 发布时间, 成文日期, 时间, 更新时间 …), else a date
line near the title, else the date under the signature. Patterns: rules/metadata.yaml.
"""

import re
from collections import Counter
from functools import cache

from ..model import Metadata
from ..templates import template_for_year
from .issuer import data, is_name, level_of, read_body, read_level
from .sections import is_chrome
from .transformer import Document, Head, Para, RawTable, Title

__all__ = ["extract_metadata", "level_of", "CN_DATE"]

_YEAR = re.compile(r"(20[0-4]\d)\s*年")
_TITLE_YEAR = re.compile(r"(20[0-4]\d)")
_SECTION_HEADING = re.compile(r"[一二三四五六七八九十]{1,2}\s*[、.]")
_HEAD_LINES = 40  # a page's head: where titles and metadata lines are printed


def extract_metadata(document: Document, source_lines: list[str]) -> Metadata:
    meta = Metadata()
    lines = page_lines(document)
    head = _head(document, lines)
    _title(head, meta)
    title_body = _title_body(meta.title)
    meta.body, meta.body_line = read_body(lines, title_body, meta.title_line)
    meta.level = read_level(meta.body, lines)
    _year(meta, lines)
    _published(meta, lines, head)
    if meta.year:
        template = template_for_year(meta.year)
        meta.expected_template = template.id if template else ""
    return meta


# ---- the page as lines --------------------------------------------------------------------

def page_lines(document: Document) -> list[tuple[int, str]]:
    """(source line, text) of every printed line, in page order; cells of a line joined."""
    parts: dict[int, list[str]] = {}
    for text, line in _all_text(document):
        if text and text.strip():
            parts.setdefault(line, []).append(text.strip())
    return [(line, " | ".join(texts)) for line, texts in sorted(parts.items())]


def _all_text(document: Document):
    """(text, line) of every paragraph, heading, cell label and value, in document order."""
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
            for value in getattr(part, "values", ()):
                if value.text:
                    yield value.text, value.line


def _head(document: Document, lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The lines before the first section heading (at most the page's first lines)."""
    first = document.sections[0].line if document.sections else None
    head = [(n, t) for n, t in lines if first is None or n < first]
    return head[:_HEAD_LINES] or lines[:3]


# ---- title --------------------------------------------------------------------------------

@cache
def _title_re() -> re.Pattern:
    tail = data()["title"]["tail"]
    return re.compile(rf"^(?:关于)?(?:(?P<y1>\d{{4}})\s*年度?)?\s*(?P<body>.*?)\s*(?:(?P<y2>\d{{4}})\s*(?:年度?)?)?\s*(?P<tail>{tail})(?P<rest>.*)$")


def _title(head: list[tuple[int, str]], meta: Metadata) -> None:
    """The head line, or two or three lines joined, that reads as a title: one line before
    two, one that names a body before one that does not (2024年…年度报告 / 云溪市南湖区
    人民政府 / 2024年…年度报告 is three lines)."""
    field = re.compile(data()["title"]["field"])
    for line, text in head:
        found = field.match(text)
        if found and _parse_title(found.group(1)):
            meta.title, meta.title_line = found.group(1).strip(), line
            return
    bare = None
    for size in (1, 2, 3):
        for index in range(len(head) - size + 1):
            window = head[index: index + size]
            if is_chrome(window[0][1]) or any(b[0] - a[0] > 6 for a, b in zip(window, window[1:])):
                continue
            joined = "".join(text for _, text in window)
            parsed = _parse_title(joined, crumbs=size == 1)
            if parsed and parsed["body"]:
                meta.title, meta.title_line = parsed["title"], window[0][0]
                return
            if parsed and bare is None:
                bare = (parsed["title"], window[0][0])
    if bare:
        meta.title, meta.title_line = bare


def _parse_title(text: str, crumbs: bool = True) -> dict | None:
    found = _title_re().match(text.strip())
    if not found:
        return None
    rest = found.group("rest").strip()
    if rest and not re.match(data()["title"]["run_in"], rest):
        return None
    body = re.sub(data()["title"]["stray_year"], "", found.group("body").strip())
    if body.endswith("人民") and found.group("tail").startswith("政府"):
        body += "政府"  # 青山县人民 | 政府信息公开… is 青山县人民政府 | 信息公开…
    if crumbs and body:  # a breadcrumb that ends in the title: the last name in it
        body = re.split(r"\s|>|\|", body)[-1]
        cuts = [junk.end() for junk in re.finditer(data()["name_junk"], body)]
        body = next((body[cut:] for cut in cuts if is_name(body[cut:])), body)
    if body and not is_name(body):
        return None
    title = text.strip()[: found.start("rest")].strip()  # without a sentence run into it
    return {"title": title, "body": body, "year": found.group("y1") or found.group("y2") or _tail_year(found.group("tail"))}


def _tail_year(tail: str) -> str | None:
    found = _TITLE_YEAR.search(tail)
    return found.group(1) if found else None


def _title_body(title: str) -> str:
    parsed = _parse_title(title) if title else None
    if parsed is None and title:
        parsed = _parse_title(re.sub(data()["title"]["field"], r"\1", title))
    return parsed["body"] if parsed else ""


# ---- year ---------------------------------------------------------------------------------

def _year(meta: Metadata, lines: list[tuple[int, str]]) -> None:
    parsed = _parse_title(meta.title) if meta.title else None
    if parsed and parsed["year"]:
        meta.year, meta.year_line = int(parsed["year"]), meta.title_line
        return
    counts: Counter = Counter()
    first_line: dict[int, int] = {}
    for line, text in lines[:200]:
        for year in _YEAR.findall(text):
            counts[int(year)] += 1
            first_line.setdefault(int(year), line)
    if counts:
        year = max(counts, key=lambda y: (counts[y], -first_line[y]))
        meta.year, meta.year_line = year, first_line[year]


# ---- publication date -----------------------------------------------------------------------

def _published(meta: Metadata, lines: list[tuple[int, str]], head: list[tuple[int, str]]) -> None:
    patterns = data()["published"]
    date, gap = patterns["date"], patterns["gap"]
    for scope in (head, lines):
        for label in (item["label"] for item in patterns["labels"] if scope is head or not item.get("head_only")):
            labelled = re.compile(f"(?:{label}){gap}{date}")
            alone = re.compile(f"^[-•|\\s]*(?:{label})[\\s:|]*$")
            for index, (line, text) in enumerate(scope):
                found = labelled.search(text)
                if found and _set_date(meta, found, line):
                    return
                if alone.match(text) and index + 1 < len(scope):  # "- 发布日期" / "- 2022-01-28"
                    found = re.match(f"^[-•|\\s]*{date}", scope[index + 1][1])
                    if found and _set_date(meta, found, scope[index + 1][0]):
                        return
    bare = re.compile(patterns["bare"])
    for line, text in head:
        found = bare.match(text)
        if found and _set_date(meta, found, line):
            return
    closing = re.compile(patterns["closing"])
    # the date under the signature, as the document reads it (after the last section heading)
    for line, text in reversed(lines):
        if _SECTION_HEADING.match(text):
            break
        found = closing.match(_digit_date(text.replace(" ", "")))
        if found and (not meta.year or int(found.group(1)) > meta.year) and _set_date(meta, found, line):
            return


CN_DATE = re.compile(r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")
_CN_DIGIT = {ch: i for i, ch in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0}


def _digit_date(text: str) -> str:
    """二〇二三年一月十八日 -> 2023年1月18日 (signatures often write the date in Chinese numerals)."""
    found = CN_DATE.fullmatch(text)
    if not found:
        return text
    year = "".join(str(_CN_DIGIT[ch]) for ch in found.group(1))
    return f"{year}年{_cn_number(found.group(2))}月{_cn_number(found.group(3))}日"


def _cn_number(text: str) -> int:
    """一 … 三十一 (month and day numbers)."""
    if "十" not in text:
        return _CN_DIGIT.get(text, 0)
    tens, _, ones = text.partition("十")
    return (_CN_DIGIT.get(tens, 0) if tens else 1) * 10 + (_CN_DIGIT.get(ones, 0) if ones else 0)


def _set_date(meta: Metadata, found: re.Match, line: int) -> bool:
    year, month, day = (int(g) for g in found.groups()[:3])
    if 2000 <= year <= 2099 and 1 <= month <= 12 and 1 <= day <= 31:
        meta.published, meta.published_line = f"{year:04d}-{month:02d}-{day:02d}", line
        return True
    return False

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
_YEAR_FIRST = re.compile(r"^(?:关于)?\s*20[0-4]\d\s*年度?")
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
        if isinstance(block, Title) and not _balanced(text):
            continue  # a hard-wrapped line that happens to end in 年度报告 ("…关于印发〈…年度报告")
        if isinstance(block, Title):
            previous = front[index - 1] if index else None
            if (
                previous is not None
                and _TITLE_HEAD.match(text)
                and block.line - previous.line <= 2
                and len(previous.text) <= 30
                and not re.search(r"[。,;:>]", previous.text)
                and not is_chrome(previous.text)  # "【打印】【关闭】" above a title is page chrome
            ):
                meta.title, meta.title_line = previous.text + text, previous.line
            else:
                meta.title, meta.title_line = text, block.line
            return


_OPENING, _CLOSING = "《〈(「【", "》〉)」】"


def _balanced(text: str) -> bool:
    """Brackets in `text` close as they open (a title's do; a line cut from a sentence's may not)."""
    depth = 0
    for ch in text:
        if ch in _OPENING:
            depth += 1
        elif ch in _CLOSING:
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


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
        title = _YEAR_FIRST.sub("", meta.title)  # "2022年青山县人民政府政府信息公开工作年度报告"
        found = _BODY_BEFORE_YEAR.match(title) or _BODY_BEFORE_KEYWORD.match(title)
        if found and len(found.group(1)) >= 2:
            meta.body, meta.body_line = found.group(1).strip(), meta.title_line
            return
    counts: Counter = Counter()
    first_line: dict[str, int] = {}
    for text, line in texts:
        if is_chrome(text):
            continue
        for name in _names_in(text):
            name = _trim_name(name)
            if len(name) >= 3:
                counts[name] += 1
                first_line.setdefault(name, line)
    if counts:
        # Prefer a name printed on a line of its own (the signature), then a full official
        # name (…人民政府, …办事处, …局) to a short form, then the one used most: a name's
        # mentions count the longer names holding it and the short forms it holds
        # ("宜丰县龙泉镇人民政府" also counts "龙泉镇").
        standalone = {text.strip() for text, _ in texts} & set(counts)

        def score(name: str) -> tuple:
            core = name.removesuffix("人民政府")
            mentions = sum(n for other, n in counts.items() if core in other or (other != name and other in name))
            official = name.endswith(("人民政府", "办事处", "委员会", "局")) and len(core) >= 2
            return (name in standalone, official, mentions, len(name))

        best = max(counts, key=score)
        meta.body, meta.body_line = best, first_line[best]


def _names_in(text: str) -> list[str]:
    """Body names in `text`. The pattern stops at the first place or office word, so a
    name like 滇中省住房和城乡建设厅 matches in pieces (滇中省 / 住房和城乡 / 建设厅): pieces
    that follow one another make one name."""
    names: list[str] = []
    end = -1
    for found in _body_re().finditer(text):
        if names and found.start() == end:
            names[-1] += found.group(0)
        else:
            names.append(found.group(0))
        end = found.end()
    return names


def _trim_name(name: str) -> str:
    """Drop leading words that are not part of a name ("通过易门县政府信息公开十街彝族乡…")."""
    for marker in ("信息公开", "我", "由", "在", "是", "通过", "对", "经", "现将", "关于", "根据"):
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
    for word in _vocabulary().get("level_masks", ()):
        name = name.replace(word, "某" * len(word))  # 县市场监督管理局 is a county body
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
    # the date under the signature, as the document reads it (after the last section heading)
    for text, line in reversed(texts):
        if _SECTION_HEADING.match(text):
            break
        found = closing.match(_digit_date(text.replace(" ", "")))
        if found and (not meta.year or int(found.group(1)) > meta.year):
            _set_date(meta, found, line)
            return
    for line_no in range(len(source_lines), 0, -1):
        text = clean(source_lines[line_no - 1]).replace(" ", "")
        found = closing.match(text)
        if found and (not meta.year or int(found.group(1)) > meta.year):
            _set_date(meta, found, line_no)
            return


CN_DATE = re.compile(r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")
_SECTION_HEADING = re.compile(r"[一二三四五六七八九十]{1,2}\s*[、.]")
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


def _set_date(meta: Metadata, found: re.Match, line: int) -> None:
    year, month, day = (int(g) for g in found.groups())
    if 1 <= month <= 12 and 1 <= day <= 31:
        meta.published, meta.published_line = f"{year:04d}-{month:02d}-{day:02d}", line

"""The issuing body of a report and its administrative level.

The body is read from the title when the title names one; otherwise, in order of trust, from
the sentences in which the report names itself (现公布X2023年…报告, 由X编制, X编制完成本报告),
the subject of its dated sentences (2021年,X主动公开…), the contact line (请与X联系) and names
printed in the prose. A name read from the contact line or the prose must fit how the report
speaks of itself (我镇, 我街, 我局 …); no name is better than a fragment. The name is then
completed to the fullest form the page prints for the same body (清河镇 -> 青山县清河镇人民政府).

The level comes from the name (rules/metadata.yaml `levels`), or, for a page that never
names its body or a name without a place, from how the report speaks of itself and of the
governments above it. Every pattern and word list lives in rules/metadata.yaml.
"""

import re
from collections import Counter
from functools import cache

from ..resources import load_yaml

_QUOTED = re.compile(r"“[^”]{0,40}”")
_AREA = re.compile(r"(?:省|自治区|市|州|盟|地区|县|区|旗)$")


@cache
def data() -> dict:
    return load_yaml("metadata.yaml")


@cache
def _re(key: str) -> re.Pattern:
    return re.compile(data()[key])


@cache
def _self_naming() -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p) for p in data()["self_naming"])


@cache
def _piece() -> re.Pattern:
    return re.compile(data()["body_name"])


@cache
def _starts() -> re.Pattern:
    """Where a name in running prose may begin."""
    return re.compile(f"(?:{data()['name_follows']}|^|[^\u4e00-\u9fff\\d])")


@cache
def _ends_word() -> re.Pattern:
    """Text a name may directly follow."""
    return re.compile(f"(?:[^\u4e00-\u9fff]|{data()['name_follows']})$")


@cache
def _places() -> re.Pattern:
    return re.compile(f"(?:{data()['place']})+")


# ---- names -------------------------------------------------------------------------------

def name_at(text: str, start: int = 0) -> str:
    """The name printed from `start` on: body-name pieces one after another, up to the first
    piece that begins with a word no name continues with (坚持, 综合 …) or holds a sentence
    word (城东街道|政府信息公开工作在区…). "" when the
    name runs on into a word that shows it was none (在县|委: a party committee)."""
    name, pos = "", start
    while True:
        found = _piece().match(text, pos)
        if not found or (name and (_re("name_stops").match(found.group(0)) or _re("name_junk").search(found.group(0)))):
            return "" if _re("name_runs_on").match(text, pos) else name
        name, pos = name + found.group(0), found.end()


def is_name(text: str) -> bool:
    """`text` is a whole body name: pieces only, no sentence words, neither a generic office
    nor one that starts with one (市政府办公室代表市政府)."""
    if not text or name_at(text) != text or _re("name_junk").search(text) or _re("name_starts_not").match(text):
        return False
    first = _piece().match(text).group(0)
    return not _re("generic_names").match(text) and not _re("generic_names").match(first)


def is_place_name(text: str) -> bool:
    """A name fit to be read from running prose: it starts with a proper place (青山县, not
    接入省 or 全区), not with a word that ends names."""
    if not is_name(text) or _re("name_stops").match(text):
        return False
    first = re.match(data()["place"], text)
    return bool(first) and not _re("generic_names").match(first.group(0))


def strip_office(name: str) -> str:
    """The body a compiling or contact office belongs to (…镇人民政府党政办公室 -> …镇人民政府)."""
    for pattern in data()["internal_offices"]:
        shorter = re.sub(pattern, "", name)
        if shorter != name and is_name(shorter):
            return shorter
    return name


def _expand(name: str) -> str:
    for short, full in data()["abbreviations"].items():
        name = name.replace(short, full)
    return name


def _completes(full: str, short: str, sentence: bool) -> bool:
    """`full` is `short` printed more fully: places before it, 人民政府/办事处 after it, an
    abbreviation written out. An area (南湖区) gains 人民政府 only from a sentence in which
    the report names itself: elsewhere 南湖区人民政府 may be another body than the area's."""
    full, short = _expand(full), _expand(short)
    if full == short:
        return True
    suffixes = [""]
    if re.search(r"(?:镇|乡|苏木)$", short) or (sentence and _AREA.search(short)):
        suffixes.append("人民政府")
    if short.endswith("街道"):
        suffixes.append("办事处")
    for suffix in suffixes:
        if full.endswith(short + suffix):
            prefix = full[: len(full) - len(short + suffix)]
            if (prefix or suffix) and (not prefix or _places().fullmatch(prefix)):
                return True
    # 十街乡 printed in full as 十街彝族乡人民政府
    base = re.fullmatch(r"(.+?)([乡镇县])", short)
    return bool(base) and bool(re.fullmatch(
        f"(?:{data()['place']})*{re.escape(base.group(1))}(?:[\u4e00-\u9fff]{{1,4}}族)+{base.group(2)}(?:人民政府)?", full))


# ---- where the page names its body --------------------------------------------------------

def _self_named(lines: list[tuple[int, str]]) -> list[tuple[str, int]]:
    """Names from the sentences in which the report names itself, in page order."""
    out = []
    for line, text in lines:
        for pattern in _self_naming():
            for start in _overlapping(pattern, text):
                printed = name_at(text, start)
                name = strip_office(printed)
                if is_name(name) and not _re("compiled_from").match(text, start + len(printed)):
                    out.append((name, line))
    return sorted(out, key=lambda item: item[1])


def _overlapping(pattern: re.Pattern, text: str):
    """Where `name` starts in every match of `pattern`, overlapping matches included (the
    verb of "我局编制并向社会公开X2023年度…" that comes first is not the one before X)."""
    pos = 0
    while (found := pattern.search(text, pos)) is not None:
        yield found.start("name")
        pos = found.start() + 1


def _subjects(lines: list[tuple[int, str]]) -> list[tuple[str, int]]:
    out = []
    for line, text in lines:
        for found in _re("subjects").finditer(text):
            name = name_at(text, found.end())
            if is_name(name):
                out.append((name, line))
    return out


def _contacts(lines: list[tuple[int, str]]) -> list[tuple[str, int]]:
    out = []
    for line, text in lines:
        for found in _re("contacts").finditer(text):
            name = strip_office(found.group("name"))
            if is_name(name):
                out.append((name, line))
    return out


def _field_names(lines: list[tuple[int, str]]) -> list[tuple[str, int]]:
    """Names a page prints as such: metadata fields (发布机构, 来源), lines that hold a name
    and nothing else (the site header, the signature)."""
    out = []
    for line, text in lines:
        for found in _re("fields").finditer(text):
            if is_name(found.group("name")):
                out.append((found.group("name"), line))
        if is_name(text.strip()):
            out.append((text.strip(), line))
    return out


def _short_forms(lines: list[tuple[int, str]]) -> list[tuple[str, str, int]]:
    out = []
    for line, text in lines:
        for found in _re("defines_short").finditer(text):
            full = found.group("full")
            for start in range(len(full)):  # the name ends the text before the bracket
                if is_name(full[start:]):
                    out.append((full[start:], found.group("short"), line))
                    break
    return out


def _prose_names(lines: list[tuple[int, str]]) -> Counter:
    """Names printed in running prose, where a name may start; a bare place in a document
    title (《云溪市行政决策公众参与办法》) names a jurisdiction, not an issuer."""
    counts: Counter = Counter()
    for _, text in lines:
        text = _re("address").sub(" ", text)
        for found in _starts().finditer(text):
            name = name_at(text, found.end())
            if not is_place_name(name):
                continue
            in_title = text[: found.end()].count("《") > text[: found.end()].count("》")
            if in_title and _AREA.search(name):
                continue
            if name.endswith("政府") and not name.endswith("人民政府"):
                continue  # 具体包括镇政府…, 充分发挥县政府…: a generic reference, not a name
            counts[name] += 1
    return _supported(counts)


def _supported(counts: Counter) -> Counter:
    """Names counted with the longer names that end in them; the common ending of two names
    a sentence runs into ("成立清河镇", "二是清河镇") is a name of its own (清河镇)."""
    names = set(counts)
    for one in counts:
        for other in counts:
            common = _common_end(one, other)
            if one != other and len(common) >= 3 and is_place_name(common):
                names.add(common)
    return Counter({name: sum(n for other, n in counts.items() if other.endswith(name)) for name in names})


def _common_end(one: str, other: str) -> str:
    size = 0
    while size < min(len(one), len(other)) and one[-1 - size] == other[-1 - size]:
        size += 1
    return one[len(one) - size:]


def _occurrences(lines: list[tuple[int, str]], short: str) -> list[tuple[str, int]]:
    """Fuller forms of `short` in running text (白石乡人民政府, 青山县清河镇人民政府): places
    just before it, 人民政府/办事处 just after it; not in quotes (an account name) nor in
    an address."""
    out = []
    ethnic = re.fullmatch(r"(.+?)([乡镇县])", short)  # 十街乡 is printed 十街彝族乡 too
    pattern = f"{re.escape(ethnic.group(1))}(?:[\u4e00-\u9fff]{{1,4}}族)*{ethnic.group(2)}" if ethnic else re.escape(short)
    for line, text in lines:
        text = _re("address").sub(" ", _QUOTED.sub(" ", text))
        for found in re.finditer(pattern, text):
            start, end = found.start(), found.end()
            suffix = next((s for s in ("人民政府", "办事处") if text.startswith(s, end)), "")
            prefix = ""
            for begin in range(max(0, start - 16), start):
                before = text[:begin]
                if _places().fullmatch(text[begin:start]) and is_name(text[begin:end]) and (
                        not before or _ends_word().search(before)):
                    prefix = text[begin:start]
                    break
            fuller = prefix + found.group(0) + suffix
            if fuller != short and is_name(fuller):
                out.append((fuller, line))
    return out


# ---- the body ------------------------------------------------------------------------------

def read_body(lines: list[tuple[int, str]], title_body: str, title_line: int) -> tuple[str, int]:
    """(body, line) as the page prints it, ("", 0) when it never names its body clearly."""
    named = _self_named(lines)
    subjects = _subjects(lines)
    contacts = _contacts(lines)
    fits = _fits(lines)
    if title_body:
        body, line = title_body, title_line
    elif named:
        body, line = named[0]
    elif subjects:
        counts = Counter(name for name, _ in subjects)
        body, line = max(subjects, key=lambda item: (counts[item[0]], -item[1]))
    else:
        fitting = [c for c in contacts if fits(c[0], strict=True)]
        prose = Counter({n: c for n, c in _prose_names(lines).items() if fits(n)})
        if fitting:
            body, line = fitting[0]
        elif prose:
            body = max(prose, key=lambda n: (prose[n], len(n)))
            line = next(number for number, text in lines if body in text)
        else:
            return "", 0
    return _complete(body, line, lines, named, subjects, contacts)


def _complete(body: str, line: int, lines, named, subjects, contacts) -> tuple[str, int]:
    """The fullest form the page prints of `body`: a full name it defines the short form by
    (X(以下简称Y)), else the longest of its other prints that completes it."""
    for full, short, at in _short_forms(lines):
        if _expand(short) == _expand(body):
            return full, at
    others = list(contacts)
    if re.search(r"(?:镇|乡|苏木|街道)$", body):
        others += _occurrences(lines, body)
    best = (body, line)
    for pool, sentence in ((named + subjects + _field_names(lines), True), (others, False)):
        for name, at in pool:
            if len(name) > len(best[0]) and _completes(name, body, sentence):
                best = (name, at)
    return best


def _self_reference(lines: list[tuple[int, str]]) -> dict | None:
    """The self_reference rule whose words the page prints most (我镇, 我局 …), or None."""
    text = "\n".join(t for _, t in lines)
    counts = [(len(re.findall(rule["words"], text)), index) for index, rule in enumerate(data()["self_reference"])]
    count, index = max(counts)
    return data()["self_reference"][index] if count else None


def _fits(lines: list[tuple[int, str]]):
    """Whether a name fits how the page speaks of itself; `strict`: only when it says (a
    contact office names the body only when the report speaks as that kind of body)."""
    rule = _self_reference(lines)
    return lambda name, strict=False: (rule is None and not strict) or (rule is not None and bool(re.search(rule["names"], name)))


# ---- the level -------------------------------------------------------------------------

def _level_by_name(body: str) -> str | None:
    name = body
    for word in data()["level_masks"]:
        name = name.replace(word, "某" * len(word))  # 县市场监督管理局 is a county body
    for word, rank in data()["level_aliases"].items():
        name = name.replace(word, rank)
    for rule in data()["levels"]:
        if re.search(rule["name"], name):
            return rule["level"]
    return None


def level_of(body: str) -> str:
    """The administrative level a body's name shows; "unknown" when it shows none."""
    return (_level_by_name(body) if body else None) or "unknown"


def read_level(body: str, lines: list[tuple[int, str]]) -> str:
    """The level from the name, else from how the page speaks of itself and its superiors."""
    text = "\n".join(t for _, t in lines)
    level = _level_by_name(body) if body else None
    if level in ("市级政府", "市级部门") and _county_level_city(body, text):
        return "县级政府" if level == "市级政府" else "县级部门"
    if level:
        return level
    rule = _self_reference(lines)
    if body or (rule and rule["level"] == "department"):
        return next((r["level"] for r in data()["department_level"] if re.search(r["words"], text)), "unknown")
    return rule["level"] if rule else "unknown"


def _county_level_city(body: str, text: str) -> bool:
    city = re.match(r"(?:.*?(?:省|自治区))?(.+?)市", body)
    for found in _re("county_level_city").finditer(text):
        other = found.groupdict().get("city")
        if other is None or (city and other not in city.group(1) and not _re("name_stops").match(other)):
            return True
    return False

"""Build the Spec of one report: body, year, tables, sections, prose, fee, date, chrome.

Two stages, so that defects can act in between: `base` (body, year, tables) and `document`
(sections, prose quoting the tables as printed, fee statement, dates, site chrome).
"""

from datetime import date
from random import Random

from ..templates import template_for_year
from . import bodies, figures, tables
from .model import Para, Section, Spec
from .prose import fill, pick, prose_data

SECTION_TITLES = {
    "overview": "总体情况",
    "proactive": "主动公开政府信息情况",
    "requests": "收到和处理政府信息公开申请情况",
    "appeals": "政府信息公开行政复议、行政诉讼情况",
    "problems": "存在的主要问题及改进情况",
    "other": "其他需要报告的事项",
}
SECTION_ORDER = tuple(SECTION_TITLES)
NUMERALS = "一二三四五六七八九十"


def expected_template(year: int) -> str:
    return template_for_year(year).id


def base(rng: Random, index: int, seed: int, layout: str, style: str, year: int, level: str,
         template: str | None = None, variant_rate: float = 0.0, zero: bool | None = None, chain: dict | None = None) -> Spec:
    """Body, year and the three tables (in `template`'s form; default: the year's). `chain`: a
    report of a series (synth.series): its body, and last year's 结转 and 表二 values."""
    chain = chain or {}
    body = chain.get("body") or bodies.make_body(rng, level)
    expected = expected_template(year)
    template = template or expected
    spec = Spec(
        index=index, seed=seed, layout=layout, style=style, year=year, template=template,
        expected_template=expected, body=body.name, short_body=body.short, level=body.level,
        title=bodies.title_of(body, year, rng),
    )
    spec.noise["office"] = body.office
    spec.noise["province"] = body.province
    t2 = figures.t2_values(rng, body.level, template, chain.get("t2"))
    t3 = figures.t3_values(rng, body.level, template, zero=zero, carried_in=chain.get("carried_in"))
    t4 = figures.t4_values(rng, body.level) if not (zero and rng.random() < 0.9) else [0] * 15
    aliases_only = layout == "run-together"  # see tables.variants
    spec.tables["t2"] = tables.t2_table(template, t2, rng, variant_rate, aliases_only)
    spec.tables["t3"] = tables.t3_table(template, t3, rng, variant_rate, aliases_only)
    spec.tables["t4"] = tables.t4_table(template, t4, rng, variant_rate, aliases_only)
    spec.tables["t4"].transposed = rng.random() < 0.2
    if chain:
        spec.series.update(chain.get("series", {}), t2=t2, t3=t3, t4=t4)
    spec.encoding = rng.choices(("utf-8", "utf-8-sig", "gb18030"), weights=(75, 10, 15))[0]
    spec.newline = "\r\n" if rng.random() < 0.2 else "\n"
    spec.numbering = "." if layout != "run-together" and rng.random() < 0.1 else "、"
    spec.cn_date = rng.random() < 0.1
    return spec


def total(spec: Spec, row: str, table: str = "t3") -> int:
    found = spec.tables[table].row(row)
    if found is None or len(found.cells) < 7 or found.cells[6].value is None:
        return 0
    return int(found.cells[6].value)


def document(spec: Spec, rng: Random, heading_alias_rate: float = 0.0, chrome: bool = True, intros: bool = True,
             own_words: bool = True) -> None:
    """Sections, prose, fee statement, publication date, chrome and signature."""
    values = _values(spec, rng)
    spec.preamble = [fill(pick(rng, "preamble", "2021" if spec.year >= 2021 else "2019"), values)]
    if rng.random() < 0.6:
        spec.preamble.append(fill(pick(rng, "contact"), values))
    spec.sections = []
    headings = tables.label_data()["headings"]
    for number, key in enumerate(SECTION_ORDER, 1):
        heading, variant = SECTION_TITLES[key], ""
        aliases = headings["alias"].get(key, []) + (headings["own_words"].get(key, []) if own_words else [])
        if aliases and rng.random() < heading_alias_rate:
            heading, variant = rng.choice(aliases), "alias"
        spec.sections.append(Section(key, NUMERALS[number - 1], heading, variant))
    spec.section("overview").blocks = _overview(spec, rng, values)
    for key, table in (("proactive", "t2"), ("requests", "t3"), ("appeals", "t4")):
        intro = pick(rng, "table_intro", key) if intros else ""
        spec.section(key).blocks = ([Para(intro)] if intro else []) + [table]
    spec.section("problems").blocks = [fill(pick(rng, "problems"), values)]
    spec.section("other").blocks = _other(spec, rng, values)
    _dates(spec, rng, chrome)
    if chrome:
        _chrome(spec, rng, values)


def _values(spec: Spec, rng: Random) -> dict:
    received, carried_in = total(spec, "received"), total(spec, "carried_in")
    t3 = spec.tables["t3"]
    natural = t3.row("received").cells[0].value if t3.row("received") else 0
    t4 = spec.tables["t4"]
    t4_totals = [(r.cells[-1].value or 0) if r.cells else 0 for r in t4.rows] if t4.rows else [0, 0, 0]
    problems = rng.sample(prose_data()["problem_pool"], 2)
    fixes = rng.sample(prose_data()["fix_pool"], 2)
    out = {
        "year": spec.year, "short": spec.short_body, "body": spec.body, "office": spec.noise["office"],
        "phone": f"0{rng.randint(500, 999)}-{rng.randint(2000000, 8999999)}",
        "site": f"{spec.short_body}门户网站", "platform": rng.choice(("政府门户网站", "政务新媒体", "政府信息公开专栏")),
        "info": rng.randint(5, 600 if spec.level in ("乡镇", "街道") else 6000), "docs": rng.randint(0, 30),
        "interpret": rng.randint(0, 40), "respond": rng.randint(0, 20), "media": rng.randint(10, 900),
        "training": rng.randint(1, 6),
        "received": received, "carried_in": carried_in, "accepted": received + carried_in,
        "handled": total(spec, "results_total"), "carried_out": total(spec, "carried_out"),
        "natural": natural or 0, "organisations": received - (natural or 0),
        "review": t4_totals[0], "suits": t4_totals[1] + t4_totals[2],
        "problem1": problems[0], "problem2": problems[1], "fix1": fixes[0], "fix2": fixes[1],
        "letters": rng.randint(0, 300), "proposals": rng.randint(0, 40), "motions": rng.randint(0, 40),
        "hotline": rng.randint(0, 2000), "next_year": spec.year + 1,
    }
    online = rng.randint(0, received + carried_in)
    in_person = rng.randint(0, received + carried_in - online)
    out.update(online=online, in_person=in_person, by_mail=received + carried_in - online - in_person)
    return out


def figure_values(values: dict) -> dict:
    return {k: values[k] for k in ("received", "accepted", "handled", "carried_out")} | {"no_requests": 0}


def _overview(spec: Spec, rng: Random, values: dict) -> list:
    blocks = [fill(pick(rng, "overview_intro"), values)]
    subheadings = prose_data()["subheadings"]
    use_subheadings = rng.random() < 0.7
    parts = [("proactive", pick(rng, "proactive")), ("requests", None), ("management", pick(rng, "management")),
             ("platform", pick(rng, "platform")), ("supervision", pick(rng, "supervision"))]
    for key, template in parts:
        if key in ("management", "platform", "supervision") and rng.random() < 0.35:
            continue
        if use_subheadings:
            blocks.append(Para(rng.choice(subheadings[key])))
        if key == "requests":
            kind = "some" if values["received"] or values["carried_in"] else "none"
            wrong = spec.noise.get("contradict")
            if wrong == "no_requests":
                kind = "none"
            options = prose_data()["requests"][kind]
            if kind == "some" and values["received"] == 0:
                options = [o for o in options if "[[received|" not in o]  # "共收到…0件" reads oddly
            quoted = figure_values(values)
            if wrong and wrong != "no_requests":
                options = [o for o in options if f"[[{wrong}|" in o]
                values = dict(values, **{wrong: _wrong(values, wrong, rng)})
                quoted = figure_values(values)
            blocks.append(fill(rng.choice(options), values, spec.figures, quoted))
            appeals = "some" if values["review"] or values["suits"] else "zero"
            if rng.random() < 0.7:
                blocks.append(fill(pick(rng, "appeals", appeals), values))
            continue
        blocks.append(fill(template, values))
    return blocks


def _wrong(values: dict, measure: str, rng: Random) -> int:
    """A figure for `measure` that matches no reading of the tables (PLAUS-002 … PLAUS-005)."""
    right = {
        "received": {values["received"], values["received"] + values["carried_in"]},
        "accepted": {values["received"], values["received"] + values["carried_in"]},
        "handled": {values["handled"], values["handled"] + values["carried_out"], values["received"]},
        "carried_out": {values["carried_out"]},
    }[measure]
    value = values[measure] + rng.randint(1, 5)
    while value in right:
        value += 1
    return value


def _other(spec: Spec, rng: Random, values: dict) -> list:
    blocks: list = []
    fee = spec.fee
    if spec.year >= 2021:
        other_2 = total(spec, "other_2")
        style = rng.choice(("none", "none", "zeros", "values", "table"))
        if other_2 and style in ("none", "zeros"):
            style = "values"
        fee.style = style
        if style == "zeros":
            fee.notices, fee.notified, fee.collected = 0, 0, 0
        elif style in ("values", "table"):
            fee.notices = max(other_2, rng.randint(0 if style == "table" and not other_2 else 1, 4))
            fee.notified = rng.choice((0, 50, 100, 120, 200, 300, 480)) * max(fee.notices, 1) if fee.notices else 0
            fee.collected = fee.notified if rng.random() < 0.6 or not fee.notified else fee.notified - rng.choice((50, 100)) * (1 if fee.notified > 100 else 0)
            fee.collected = max(0, fee.collected)
    elif rng.random() < 0.15:
        fee.style = "none"
    blocks.extend(fee_blocks(spec, rng))
    tail = pick(rng, "other", "tail") if blocks else pick(rng, "other", "plain")
    if tail:
        blocks.append(fill(tail, values))
    return blocks


def fee_blocks(spec: Spec, rng: Random) -> list:
    fee = spec.fee
    values = {"year": spec.year, "short": spec.short_body, "notices": fee.notices, "notified": fee.notified, "collected": fee.collected}
    if fee.style == "none":
        return [fill(pick(rng, "other", "fee_none"), values)]
    if fee.style == "zeros":
        return [fill(pick(rng, "other", "fee_zeros"), values)]
    if fee.style == "values":
        return [fill(pick(rng, "other", "fee_values"), values)]
    if fee.style == "table":
        return [Para(pick(rng, "other", "fee_table_intro")), "fee"]
    return []


def _dates(spec: Spec, rng: Random, chrome: bool) -> None:
    when = bodies.on_time(rng, spec.level, spec.year)
    spec.published = when.isoformat()
    spec.published_style = rng.choice(("labelled", "closing", "both", "both") if chrome else ("closing", "closing", ""))
    spec.signature = [spec.body]
    if spec.published_style in ("closing", "both"):
        spec.signature.append(cn_date(when, spec.cn_date))
    if not spec.published_style:
        spec.published = ""


def set_published(spec: Spec, when: date) -> None:
    """Change the publication date wherever the report prints it."""
    spec.published = when.isoformat()
    if spec.published_style in ("closing", "both"):
        spec.signature = [spec.body, cn_date(when, spec.cn_date)]
    if spec.published_style in ("labelled", "both"):
        dated = [i for i, line in enumerate(spec.chrome_before) if any(k in line for k in ("发布日期", "发布时间", "成文日期"))]
        for i in dated:
            spec.chrome_before[i] = f"发布日期：{spec.published}"
        if not dated:
            spec.chrome_before.append(f"发布日期：{spec.published}")


_CN_DIGITS = "〇一二三四五六七八九"


def cn_date(when: date, numerals: bool = False) -> str:
    """A date as a signature prints it: 2023年1月18日, or in Chinese numerals 二〇二三年一月十八日."""
    if not numerals:
        return f"{when.year}年{when.month}月{when.day}日"
    year = "".join(_CN_DIGITS[int(d)] for d in str(when.year))
    return f"{year}年{_cn_number(when.month)}月{_cn_number(when.day)}日"


def _cn_number(value: int) -> str:
    tens, ones = divmod(value, 10)
    return (("" if tens == 1 else _CN_DIGITS[tens]) + "十" if tens else "") + (_CN_DIGITS[ones] if ones else "")


def _date_form(iso: str, form: str) -> str:
    if not iso:
        return ""
    y, m, d = (int(part) for part in iso.split("-"))
    return form.format(y=y, m=m, d=d)


def _chrome(spec: Spec, rng: Random, values: dict) -> None:
    data = prose_data()
    site_name = f"{spec.short_body}门户网站"
    fields = {
        "site_name": site_name, "office": spec.noise["office"], "views": rng.randint(20, 3000),
        "date": spec.published or f"{spec.year + 1}-01-{rng.randint(10, 28)}",
        "date_cn": _date_form(spec.published, "{y}年{m:02d}月{d:02d}日"), "date_slash": _date_form(spec.published, "{y}/{m}/{d}"), "time": f"{rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}",
        "other_title": f"{spec.body}{spec.year - 1}年政府信息公开工作年度报告", "body": spec.body,
        "code": rng.randint(1000000000, 9999999999), "province": spec.noise["province"][0], "icp": rng.randint(10000000, 99999999),
    }
    before = [rng.choice(data["chrome_before"]).format(**fields)]
    if spec.published_style in ("labelled", "both"):
        before.append(rng.choice(data["chrome_meta"]).format(**fields))
    if rng.random() < 0.5:
        before.append(rng.choice(data["chrome_tools"]))
    spec.chrome_before = before
    after = [line.format(**fields) for line in rng.choice(data["chrome_after"])]
    after += [line.format(**fields) for line in rng.choice(data["chrome_footer"])]
    spec.chrome_after = after

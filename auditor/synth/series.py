"""Reports as series of consecutive years of one body (`python -m auditor.synth --series K`).

Reports i = s·K … s·K+K−1 are series s: one body (a name no other series of the run uses),
one level, years y, y+1, … Each year is built from last year's printed report: its 上年结转
is last year's 结转下年度 in every applicant column, and 表二 rolls forward (现行有效件数 =
last year's + 本年制发 − 本年废止; 2019 template: 上一年项目数量 = last year's + 本年增/减), so
the YEAR relations hold unless a labelled cross defect breaks them (synth.crossdefects); its
statistics tables never repeat last year's (COPY-003); part of its text is in its own words
(data/series.yaml), so that unrelated reports stay under the COPY threshold. Series s is
planned from its own random stream (seed and s): body, years, which year carries a cross
defect; each report of it keeps its own stream (seed and i).
"""

import math
from dataclasses import dataclass, field
from functools import cache
from random import Random

import yaml

from . import data_path
from .bodies import Body, make_body, pick_level
from .defects import DEFECTS, YEARS, Defect, applicable
from .model import Para, Spec

CROSS_KINDS = ("carry_break", "rollforward_break", "copied_report", "missing_year")
CROSS_RULES = {"carry_break": "YEAR-001", "rollforward_break": "YEAR-002…004", "copied_report": "COPY-001", "missing_year": "YEAR-005"}
# per-report defects left out of series: they change the template of the tables, or print a
# fraction where last year's stock must roll forward
NOT_IN_SERIES = ("wrong_template", "mixed_template", "recon_008")
MAX_LENGTH = len(YEARS)


@cache
def series_data() -> dict:
    with open(data_path("series.yaml"), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@dataclass
class Plan:
    """One series: its body and level, and per position the year, layout, defects."""

    number: int
    body: Body
    years: list[int]
    cross: str | None  # the cross defect kind, or None
    position: int  # the year (position) that carries it
    layouts: list[str] = field(default_factory=list)
    defects: list = field(default_factory=list)  # Defect | None per position


def cross_kind(number: int, rate: float, kinds) -> str | None:
    """The cross defect of series `number` (kinds taking turns, as synth.writer.schedule)."""
    options = [k for k in CROSS_KINDS if kinds is None or k in kinds]
    if not options or math.floor((number + 1) * rate) <= math.floor(number * rate):
        return None
    return options[math.floor(number * rate) % len(options)]


def _feasible(kind: str | None, years: list[int], position: int) -> bool:
    if kind is None:
        return True
    gap = years[position] - years[position - 1]
    if kind == "missing_year":
        return gap == 2
    if kind == "rollforward_break":  # 2021 tables both years (2022 on), or 2019 tables both (2020)
        return gap == 1 and (years[position] >= 2022 or years[position] == 2020)
    return gap == 1


def _years(first: int, length: int, kind: str | None, position: int) -> list[int]:
    skip = kind == "missing_year"
    return [first + i + (1 if skip and i >= position else 0) for i in range(length)]


def bodies_before(number: int, seed: int) -> set[str]:
    """The names series 0 … number−1 took (so that a corpus extended with --start pairs alike)."""
    used: set[str] = set()
    for earlier in range(number):
        used.add(_body(earlier, seed, used)[0].name)
    return used


def _body(number: int, seed: int, used: set[str]) -> tuple[Body, Random]:
    rng = Random(f"gkaudit-synth:{seed}:series:{number}")
    for _ in range(10000):
        body = make_body(rng, pick_level(rng))
        if body.name not in used:
            return body, rng
    raise ValueError("too many series for the name pools of data/names.yaml")


def plan(number: int, length: int, seed: int, layouts: tuple[str, ...], defect_rate: float, kinds, used: set[str],
         schedule) -> Plan:
    """Series `number` (reports number·length …): body, years, cross defect and per-report defects."""
    body, rng = _body(number, seed, used)
    used.add(body.name)
    kind = cross_kind(number, defect_rate, kinds)
    options = []
    while True:
        span = length + (kind == "missing_year")
        options = [(first, position) for first in YEARS if first + span - 1 <= YEARS[-1]
                   for position in range(1, length) if _feasible(kind, _years(first, length, kind, position), position)]
        if options or kind is None:
            break
        kind = None  # the series is too long for this kind
    first, position = rng.choice(options) if kind else (rng.choice([y for y in YEARS if y + length - 1 <= YEARS[-1]]), 0)
    out = Plan(number, body, _years(first, length, kind, position), kind, position)
    single = tuple(k for k in kinds if k in DEFECTS) if kinds is not None else None
    for offset in range(length):
        index = number * length + offset
        layout, defect = schedule(index, layouts, defect_rate, single)
        if kind and offset in (position - 1, position):
            defect = None  # the cross defect alone, on a plain predecessor
        elif defect is not None and not fits(defect, out.years[offset], body.level):
            defect = _another(defect, layout, out.years[offset], body.level, single)
        if kind == "copied_report" and offset == position:
            layout = out.layouts[-1]  # a copy is published the way last year's report was
        out.layouts.append(layout)
        out.defects.append(defect)
    return out


def fits(defect: Defect, year: int, level: str) -> bool:
    return defect.name not in NOT_IN_SERIES and year in defect.years and (not defect.levels or level in defect.levels)


def _another(defect: Defect, layout: str, year: int, level: str, kinds) -> Defect | None:
    """The next kind after `defect` (in turn) that fits this year and level, or None."""
    options = [d for d in applicable(layout) if kinds is None or d.name in kinds]
    start = options.index(defect) if defect in options else 0
    return next((d for d in options[start:] + options[:start] if fits(d, year, level)), None)


# --- chaining: this year from last year's printed report -------------------------------------------


def _printed(spec: Spec, table: str, key: str, columns: tuple[str, ...]) -> dict:
    """Values of a printed row (before defects where the row cannot be read as printed)."""
    row = spec.tables[table].row(key)
    drawn = spec.series.get(table, {}).get(key)
    if row is None or row.short or row.long or row.split in ("ambiguous", "impossible"):
        if isinstance(drawn, dict):
            return dict(drawn)
        return {c: (drawn[i] if drawn else 0) for i, c in enumerate(columns)}
    return {c: int(row.cells[row.columns.index(c)].value or 0) for c in columns if c in row.columns}


def chain_of(previous: Spec | None, body: Body, number: int, position: int) -> dict:
    chain = {"body": body, "series": {"id": number, "position": position}}
    if previous is not None:
        from .tables import APPLICANTS, T3_COLUMNS

        carried = _printed(previous, "t3", "carried_out", T3_COLUMNS)
        chain["carried_in"] = [max(0, carried.get(c, 0)) for c in APPLICANTS]
        chain["t2"] = {row.key: _printed(previous, "t2", row.key, row.columns) for row in previous.tables["t2"].all_rows()}
    return chain


def roll_forward(values: dict, previous: dict, rng: Random, level: str) -> dict:
    """Table 二 values drawn for this year, with the stocks carried from last year's."""
    for key in ("regulations", "normative_docs"):
        last = previous.get(key, {})
        stock = max(0, last.get("in_force", last.get("total_published", 0)) or 0)
        row = values[key]
        if "in_force" in row:
            row["repealed"] = min(row["repealed"], stock + row["issued"])
            row["in_force"] = stock + row["issued"] - row["repealed"]
        else:
            row["total_published"] = stock + row["new_published"]
        if level in ("乡镇", "街道", "县级部门", "县级政府") and key == "regulations":
            row.update({k: 0 for k in row})
    for key in ("licensing", "other_services", "penalty", "enforcement", "admin_fees"):
        last, row = previous.get(key, {}), values.get(key, {})
        if "prev_count" in row and "prev_count" in last:
            row["prev_count"] = max(0, (last.get("prev_count") or 0) + (last.get("change") or 0))
            row["change"] = rng.randint(-min(row["prev_count"], 6), 6) if rng.random() < 0.6 else 0
    return values


# --- own words ---------------------------------------------------------------------------------


def own_words(spec: Spec, rng: Random) -> None:
    """Paragraphs in the body's own words (data/series.yaml): added to the overview and the
    problems section."""
    data = series_data()["own_words"]
    for key, paragraphs in data["paragraphs"].items():
        section = spec.section(key)
        for _ in range(paragraphs):
            text = "".join(_sentence(data, rng) for _ in range(data["sentences"]))
            if section is not None:
                section.blocks.append(Para(text))


def _sentence(data: dict, rng: Random) -> str:
    pick = {slot: rng.choice(data[slot]) for slot in ("lead", "area", "theme", "verb", "object", "means", "channel", "close")}
    return "{lead}{area}{theme}，{verb}{object}，{means}{channel}{close}。".format(**pick)

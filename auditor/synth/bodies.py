"""Issuing bodies: a name at a known administrative level, the title, publication dates.

Levels are those of rules/deadlines.yaml (乡镇, 街道, 县级部门, 县级政府, 市级部门, 市级政府,
省级部门, 省级政府). The generator decides the level first (市级/省级, then government or
department) and builds a name that has it; the level is part of the truth (the deadline and
whether the body may issue 规章 follow from it).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from random import Random

import yaml

from . import data_path

LEVELS = ("乡镇", "街道", "县级部门", "县级政府", "市级部门", "市级政府", "省级部门", "省级政府")
# The generator picks one of these first; make_body settles 市级/省级 as government or department.
_PICKS = ("乡镇", "街道", "县级部门", "县级政府", "市级", "省级")
_PICK_WEIGHTS = (30, 10, 25, 15, 15, 5)
# Publication deadline (month, day of the next year) by level, as rules/deadlines.yaml says.
DEADLINES = {
    "乡镇": (1, 31), "街道": (1, 31), "县级部门": (1, 31), "县级政府": (3, 31),
    "市级部门": (1, 31), "市级政府": (3, 31), "省级部门": (1, 31), "省级政府": (3, 31),
}


@dataclass
class Body:
    name: str  # full name, as the title prints it
    short: str  # how the prose refers to it
    level: str
    office: str  # the office that publishes the report
    province: str


@cache
def names() -> dict:
    with open(data_path("names.yaml"), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def pick_level(rng: Random, allowed: tuple[str, ...] | None = None) -> str:
    if allowed:
        return rng.choice(allowed)
    return rng.choices(_PICKS, weights=_PICK_WEIGHTS)[0]


def make_body(rng: Random, level: str) -> Body:
    """A body at `level` (one of pick_level's: 市级 and 省级 become a government or a department)."""
    pool = names()
    province = rng.choice(pool["provinces"])
    city = rng.choice(pool["cities"])
    county = rng.choice(pool["counties"])
    if level == "乡镇":
        town = rng.choice(pool["towns"])
        kind = rng.choice(("镇", "镇", "镇", "乡"))
        if kind == "乡" and rng.random() < 0.3:
            town += rng.choice(pool["minorities"])
        place = f"{county}县" if rng.random() < 0.5 else ""
        short = f"{town}{kind}"
        return Body(f"{place}{short}人民政府", short, level, f"{short}党政综合办公室", province)
    if level == "街道":
        district = rng.choice(pool["districts"])
        short = f"{rng.choice(pool['streets'])}街道"
        prefix = f"{city}市{district}区" if rng.random() < 0.4 else ""
        return Body(f"{prefix}{short}办事处", f"{short}办事处", level, f"{short}党政办公室", province)
    if level == "县级部门":
        department = rng.choice(pool["county_departments"])
        place = rng.choice((f"{county}县", f"{rng.choice(pool['districts'])}区"))
        if rng.random() < 0.3:
            place = f"{city}市" + place
        short = "本局" if department.endswith("局") else "本机关"
        office = f"{place}{department}" + ("" if department.endswith("办公室") else "办公室")
        return Body(f"{place}{department}", short, level, office, province)
    if level == "县级政府":
        place = rng.choice((f"{county}县", f"{city}市{rng.choice(pool['districts'])}区"))
        return Body(f"{place}人民政府", place, level, f"{place}人民政府办公室", province)
    if level == "市级":
        if rng.random() < 0.5:
            return Body(f"{city}市人民政府", f"{city}市", "市级政府", f"{city}市人民政府办公室", province)
        department = rng.choice(pool["city_departments"])
        return Body(f"{city}市{department}", "本机关", "市级部门", f"{city}市{department}办公室", province)
    if rng.random() < 0.4:
        return Body(f"{province}省人民政府", f"{province}省", "省级政府", f"{province}省人民政府办公厅", province)
    department = rng.choice(pool["provincial_departments"])
    return Body(f"{province}省{department}", "本机关", "省级部门", f"{province}省{department}办公室", province)


def title_of(body: Body, year: int, rng: Random) -> str:
    middle = rng.choice(("年", "年", "年", "年度"))
    if rng.random() < 0.1:
        return f"{year}{middle}{body.name}政府信息公开工作年度报告"
    return f"{body.name}{year}{middle}政府信息公开工作年度报告"


def deadline(level: str, year: int) -> date:
    month, day = DEADLINES[level]
    return date(year + 1, month, day)


def on_time(rng: Random, level: str, year: int) -> date:
    """A publication date between early January and the deadline."""
    last = deadline(level, year)
    first = date(year + 1, 1, 5)
    return first + timedelta(days=rng.randint(0, (last - first).days))


def late(rng: Random, level: str, year: int) -> date:
    return deadline(level, year) + timedelta(days=rng.randint(1, 75))


def early(rng: Random, year: int) -> date:
    """A date inside the report year (the report cannot have been published then)."""
    return date(year, rng.randint(3, 12), rng.randint(1, 28))

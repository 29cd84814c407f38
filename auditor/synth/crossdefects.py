"""Labelled defects across the years of a series, and the hooks a series report is built with.

`SeriesReport` is what synth.writer.make_report is given for a report of a series: its year,
level, body, last year's printed report (chained from), and the cross defect of this year.
Its `tables` hook runs after the tables are built (no table repeats last year's; then
carry_break or rollforward_break), its `document` hook after the document (the body's own
words; copied_report: last year's text with this year's years and figures). missing_year needs
no edit: the series plan leaves the year out (synth.series).

    carry_break        one applicant column's 上年结转 raised, with 办理结果 (予以公开) and the
                       totals, so the report balances and only the relation to last year's
                       结转下年度 breaks (YEAR-001 on that column and on 总计)
    rollforward_break  表二 现行有效件数 raised (2021 template: YEAR-002 规章 / YEAR-003 行政规范性
                       文件), or 上一年项目数量 (2019 template: YEAR-004)
    copied_report      the preamble and the overview, problems and other sections (but the fee
                       statement) are last year's paragraphs, refilled with this year's years and
                       figures, in last year's layout (COPY-001)
    missing_year       the year before is not in the series (YEAR-005, info)
"""

from dataclasses import dataclass
from random import Random

from . import build
from .defects import Defect, _add
from .model import Para, Spec
from .prose import fill, prose_data
from .series import fits, own_words

LOW = ("乡镇", "街道", "县级部门", "县级政府")


@dataclass
class SeriesReport:
    year: int
    level: str
    chain: dict  # build.base's chain: body, series id and position, last year's 结转 and 表二
    previous: Spec | None  # last year's report as printed (None: the first of the series)
    cross: str | None = None  # the cross defect of this year

    def fits(self, defect: Defect) -> bool:
        return fits(defect, self.year, self.level)

    @property
    def zero(self) -> bool | None:
        """A copied report speaks of applications as last year's did (some or none)."""
        if self.cross != "copied_report" or self.previous is None:
            return None
        t3 = self.previous.series.get("t3", {})
        return not (t3.get("received", [0] * 7)[6] or t3.get("carried_in", [0] * 7)[6])

    def tables(self, spec: Spec, rng: Random) -> None:
        if self.previous is not None:
            _not_repeated(spec, self.previous)
        if self.cross == "carry_break":
            carry_break(spec, rng)
        elif self.cross == "rollforward_break":
            rollforward_break(spec, rng)
        if self.cross:
            spec.defects.append(self.cross)

    def document(self, spec: Spec, rng: Random) -> None:
        own_words(spec, rng)
        if self.cross == "copied_report":
            copied_report(spec, self.previous, rng)
        elif self.cross == "missing_year":
            spec.notes.append(f"系列中缺少 {spec.year - 1} 年度报告")


def _values(spec: Spec, table: str) -> list:
    return [[c.value for c in row.cells] for row in spec.tables[table].all_rows()]


def _not_repeated(spec: Spec, previous: Spec) -> None:
    """A statistics table with the same figures as last year's would be COPY-003: change one."""
    for table in ("t2", "t3", "t4"):
        if _values(spec, table) != _values(previous, table) or not any(v for row in _values(spec, table) for v in row):
            continue
        if table == "t2":  # one more document issued, and in the stock it adds to
            row = spec.tables["t2"].row("normative_docs")
            for index in (0, 2) if "in_force" in row.columns else (0, 1, 2):
                _add(row, index, 1)
        elif table == "t3":
            for key in ("received", "granted", "results_total"):
                _add(spec.tables["t3"].row(key), 0, 1)
                _add(spec.tables["t3"].row(key), 6, 1)
        else:
            row = spec.tables["t4"].rows[0]
            _add(row, 0, 1)
            _add(row, 4, 1)


def carry_break(spec: Spec, rng: Random) -> None:
    col, delta = rng.randrange(6), rng.randint(1, 3)
    for key in ("carried_in", "granted", "results_total"):
        row = spec.tables["t3"].row(key)
        _add(row, col, delta)
        _add(row, 6, delta)
    spec.notes.append(f"表三 上年结转第{col + 1}列与总计各加 {delta}（予以公开、办理结果总计同加）：与上年度结转下年度不符")


def rollforward_break(spec: Spec, rng: Random) -> None:
    t2, delta = spec.tables["t2"], rng.randint(1, 5)
    if spec.template == "2021":
        key = "normative_docs" if spec.level in LOW or rng.random() < 0.6 else "regulations"
        _add(t2.row(key), 2, delta)
        spec.notes.append(f"表二 {key} 现行有效件数多 {delta}：未按上年度现行有效件数滚动")
        return
    key = rng.choice([k for k in ("licensing", "other_services", "penalty", "enforcement", "admin_fees") if t2.row(k)])
    row = t2.row(key)
    _add(row, 0, delta)
    spec.notes.append(f"表二 {key} 上一年项目数量多 {delta}：不等于上年度的上一年项目数量加本年增/减")


def copied_report(spec: Spec, previous: Spec, rng: Random) -> None:
    """Last year's preamble, overview and problems, refilled with this year's years and figures."""
    values = build._values(spec, rng)
    quoted = build.figure_values(values)
    spec.figures = []
    spec.preamble = [_refill(p, values, spec, quoted) for p in previous.preamble]
    for key in ("overview", "problems", "other"):
        mine, theirs = spec.section(key), previous.section(key)
        if mine is None or theirs is None:
            continue
        fee = [b for b in mine.blocks if _fee(b)] if key == "other" else []  # this year's fee statement stays
        mine.blocks = fee + [_refill(b, values, spec, quoted) for b in theirs.blocks if not _fee(b)]
    spec.notes.append(f"前言、总体情况、存在的问题和其他事项照搬 {previous.year} 年度报告，只改了年份和数字")


def _fee(block) -> bool:
    intros = prose_data()["other"]["fee_table_intro"]
    return block == "fee" or (isinstance(block, Para) and ("处理费" in block.text or "收费通知" in block.text or block.text in intros))


def _refill(block, values: dict, spec: Spec, quoted: dict):
    if not isinstance(block, Para) or not block.source:
        return block
    template, last, figures = block.source
    mixed = {k: (values[k] if isinstance(v, int) and k in values else v) for k, v in last.items()}
    if "year" in last and "year" not in values:
        mixed["year"] = spec.year
    return fill(template, mixed, spec.figures if figures else None, quoted if figures else None)

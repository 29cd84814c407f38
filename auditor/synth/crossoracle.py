"""Expected findings over two reports of a series (packs YEAR and COPY), from the Specs.

Read from what both years printed, as synth.oracle reads one report — never from the
auditor. A report is paired with the one before it in its series (the auditor pairs it with
the latest earlier year of the same body: the series' bodies are unique in a run):
- a gap of more than one year: YEAR-005 (info), and nothing else is compared;
- YEAR-001: 上年结转 = last year's 结转下年度 in every column of 表三, 总计 included;
- YEAR-002 / YEAR-003 (2021 template both years, report year 2022 on): 现行有效件数 = last
  year's + 本年制发 − 本年废止 for 规章 / 行政规范性文件;
- YEAR-004 (2019 template both years): 上一年项目数量 = last year's 上一年项目数量 + 本年增/减;
- COPY-001: the report is labelled copied_report (text similarity is not computed here: the
  generator keeps unrelated text well under the threshold and a copy well over it).
A relation over a cell the auditor cannot read (unknown, missing) is "cannot verify", which
the cross pass does not report; so no finding is expected for it. No statistics table
repeats last year's (synth.crossdefects) and no two bodies share their text, so COPY-003 and
COPY-004 are never expected.
"""

from .model import Spec
from .oracle import row_cells
from .tables import T3_COLUMNS

WITH_CHANGE = ("licensing", "other_services", "penalty", "enforcement", "admin_fees")
SEVERITY = {"YEAR-001": "warning", "YEAR-002": "warning", "YEAR-003": "warning", "YEAR-004": "warning",
            "YEAR-005": "info", "COPY-001": "warning"}


def expected_cross(spec: Spec, previous: Spec | None, anchors: dict) -> list[dict]:
    if previous is None:
        return []
    out: list[dict] = []

    def add(rule: str, where: str, anchor=None, note: str = "") -> None:
        item = {"rule": rule, "severity": SEVERITY[rule], "where": where}
        if anchor and anchors.get(anchor):
            item["line"] = anchors[anchor]
        if note:
            item["note"] = note
        out.append(item)

    gap = spec.year - previous.year
    if gap > 1:
        add("YEAR-005", "pair", note=f"上一份为 {previous.year} 年度")
        return out
    this_t3 = row_cells(spec.tables["t3"].row("carried_in"), T3_COLUMNS)
    last_t3 = row_cells(previous.tables["t3"].row("carried_out"), T3_COLUMNS)
    for col in T3_COLUMNS:
        mine, theirs = this_t3[col], last_t3[col]
        if mine.known and theirs.known and mine.value != theirs.value:
            add("YEAR-001", f"t3.carried_in.{col}", ("cell", "t3", "carried_in", col), f"{mine.value} ≠ {theirs.value}")
    if spec.template == previous.template == "2021" and spec.year >= 2022:
        for rule, key in (("YEAR-002", "regulations"), ("YEAR-003", "normative_docs")):
            cols = ("issued", "repealed", "in_force")
            mine = row_cells(spec.tables["t2"].row(key), cols)
            theirs = row_cells(previous.tables["t2"].row(key), cols)
            if all(c.known for c in mine.values()) and theirs["in_force"].known:
                expected = theirs["in_force"].value + mine["issued"].value - mine["repealed"].value
                if mine["in_force"].value != expected:
                    add(rule, f"t2.{key}.in_force", ("cell", "t2", key, "in_force"), f"{mine['in_force'].value} ≠ {expected}")
    if spec.template == previous.template == "2019":
        for key in WITH_CHANGE:
            mine = row_cells(spec.tables["t2"].row(key), ("prev_count",))["prev_count"]
            theirs = row_cells(previous.tables["t2"].row(key), ("prev_count", "change"))
            if mine.known and all(c.known for c in theirs.values()):
                expected = theirs["prev_count"].value + theirs["change"].value
                if mine.value != expected:
                    add("YEAR-004", f"t2.{key}.prev_count", ("cell", "t2", key, "prev_count"), f"{mine.value} ≠ {expected}")
    if "copied_report" in spec.defects:
        add("COPY-001", "copy:prev:whole")
    return out

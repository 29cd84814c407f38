"""Score findings against expectations: matching, misses, false alarms, precision and recall.

The matching unit is one finding. Per report, an expected finding (from
<name>.expected.yaml) and a reported one match when they have
- the same rule;
- the same kind of outcome: "cannot verify" (无法核验, one merged warning per rule and
  report, no place) or a definite finding;
- the same place, when the expectation names one (`where`): equal to the reported place or
  a coarser form of it ("t3.granted" matches "t3.granted.total");
- the same cited source line, when the expectation gives one (`line`).
Each expected finding matches at most one reported finding and vice versa. An expected one
left over is a miss; a reported one left over is a false alarm (a finding in the wrong place
is both). Info-level findings (RECON-012 "split by the row total", SECT-006 "heading
worded differently") are informational and left out of the score on both sides; error and
warning findings all count, and so do input errors (INPUT-*), which no expectation predicts.

A reported place is the finding's location key, reduced to what an inspector points at:
  t3.results_total.natural@col=natural -> t3.results_total.natural   (a cell)
  row:t3.granted                       -> t3.granted                 (a row)
  report@s=problems                    -> section:problems           (a missing section)
  section:other / section:5            -> section:other / section:5  (a printed heading)
  deviation:column:t3:total:合计        -> label:t3.total             (a printed label)
  figure:received:12:0                 -> figure:received            (a figure in the prose)
  fee.fee.collected / fee              -> fee
  table:t4@t=t4                        -> table:t4
  copy:prev:whole:2021                 -> copy:prev:whole             (COPY: kind and part compared)
  pair                                 -> pair                        (YEAR-005: the pair of reports)
  report                               -> ""                          (the report as a whole)
"""

from collections import defaultdict
from dataclasses import dataclass, field

SCORED = ("error", "warning")


def family_of(rule_id: str) -> str:
    return rule_id.split("-", 1)[0]


def place(location_key: str, outcome: str = "") -> str:
    """The place a reported finding points at (see the module docstring)."""
    if outcome == "unverifiable":
        return ""
    base, _, bound = (location_key or "").partition("@")
    bindings = dict(item.split("=", 1) for item in bound.split(",") if "=" in item)
    if base == "report":
        return f"section:{bindings['s']}" if "s" in bindings else ""
    if base.startswith("row:"):
        return base[4:]
    if base.startswith("deviation:"):
        parts = base.split(":")
        table = parts[2] or "section"
        return f"label:{table}.{parts[3]}" if len(parts) > 3 else base
    if base.startswith("figure:"):
        return "figure:" + base.split(":")[1]
    if base == "fee" or base.startswith("fee."):
        return "fee"
    if base.startswith("copy:"):
        return ":".join(base.split(":")[:3])
    return base


def _covers(expected: str, reported: str) -> bool:
    return not expected or expected == reported or reported.startswith(expected + ".")


@dataclass
class Reported:
    rule: str
    severity: str
    outcome: str
    where: str
    line: int
    message: str = ""

    @property
    def unverifiable(self) -> bool:
        return self.outcome == "unverifiable"


@dataclass
class Result:
    report: str
    layout: str
    defects: list
    matched: list = field(default_factory=list)  # (expected, reported)
    missed: list = field(default_factory=list)  # expected dicts
    false_alarms: list = field(default_factory=list)  # Reported
    metadata: dict = field(default_factory=dict)  # name -> (expected, read by the auditor)

    @property
    def clean(self) -> bool:
        return not self.defects


def reported_from(finding) -> Reported:
    """A Finding (or its JSON dict) as the scorer reads it."""
    get = finding.get if isinstance(finding, dict) else lambda key, default="": getattr(finding, key, default)
    return Reported(
        get("rule_id", ""), get("severity", ""), get("outcome", ""), place(get("location_key", ""), get("outcome", "")),
        int(get("line", 0) or 0), get("message", ""),
    )


def score_report(expectation: dict, reported: list[Reported]) -> Result:
    result = Result(expectation.get("report", ""), expectation.get("layout", ""), list(expectation.get("defects") or ()))
    wanted = [e for e in expectation.get("findings") or () if e.get("severity") in SCORED]
    got = [r for r in reported if r.severity in SCORED or r.rule.startswith("INPUT")]
    free = list(got)
    # exact places and lines first, then coarser ones, so a precise expectation gets its own finding
    for item in sorted(wanted, key=lambda e: (-len(e.get("where", "")), "line" not in e)):
        unverifiable = item.get("outcome") == "unverifiable"
        match = next(
            (
                r for r in free
                if r.rule == item["rule"] and r.unverifiable == unverifiable and _covers(item.get("where", ""), r.where)
                and ("line" not in item or item["line"] == r.line)
            ),
            None,
        )
        if match is None:
            result.missed.append(item)
        else:
            free.remove(match)
            result.matched.append((item, match))
    result.false_alarms = free
    return result


@dataclass
class Tally:
    matched: int = 0
    missed: int = 0
    false_alarms: int = 0

    @property
    def expected(self) -> int:
        return self.matched + self.missed

    @property
    def reported(self) -> int:
        return self.matched + self.false_alarms

    @property
    def precision(self) -> float:
        return self.matched / self.reported if self.reported else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0


def tallies(results: list[Result], key) -> dict[str, Tally]:
    """Tallies grouped by `key(result, rule)` (e.g. the family of the rule, or the layout)."""
    out: dict[str, Tally] = defaultdict(Tally)
    for result in results:
        for expected, _ in result.matched:
            out[key(result, expected["rule"])].matched += 1
        for expected in result.missed:
            out[key(result, expected["rule"])].missed += 1
        for reported in result.false_alarms:
            out[key(result, reported.rule)].false_alarms += 1
    return dict(out)


def by_family(results):
    return tallies(results, lambda result, rule: family_of(rule))


def by_layout(results):
    return tallies(results, lambda result, rule: result.layout)


def by_rule(results):
    return tallies(results, lambda result, rule: rule)


def by_defect(results):
    """Tallies by the report's defect kinds ("a+b" for a report with two, "clean")."""
    return tallies(results, lambda result, rule: "+".join(result.defects) or "clean")


def by_defect_kind(results) -> dict[str, Tally]:
    """Tallies per defect kind over the reports that carry it (a report with two defects
    counts under both), and "clean"."""
    out: dict[str, Tally] = defaultdict(Tally)
    for result in results:
        for kind in result.defects or ["clean"]:
            tally = out[kind]
            tally.matched += len(result.matched)
            tally.missed += len(result.missed)
            tally.false_alarms += len(result.false_alarms)
    return dict(out)


def total(results) -> Tally:
    out = Tally()
    for tally in tallies(results, lambda result, rule: "all").values():
        out = tally
    return out


def clean_errors(results) -> list[tuple[Result, Reported]]:
    """Error-severity findings on reports that carry no defect."""
    return [(r, f) for r in results if r.clean for f in r.false_alarms + [m for _, m in r.matched] if f.severity == "error"]

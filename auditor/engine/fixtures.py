"""Rule fixtures: cases where each rule must fire and must not, kept as data.

rules/fixtures/<PACK>.yaml:

    pack: RECON
    cases:
      - rule: RECON-001
        name: 新收加结转与办理总计加结转不等
        base: clean-2020                   # a report in rules/fixtures/base/ (or `text:` inline)
        replace: [["| 10 | 2 | 0 | 0 | 1 | 0 | 13 |", "| 11 | 2 | 0 | 0 | 1 | 0 | 14 |"]]
        set: {t3.received.natural: 11}     # or patch the parsed report directly
        fires: 1                           # findings of this rule expected (0: must not fire)
        outcome: violated                  # optional: fires | violated | impossible | unverifiable

Patches to the parsed report: set (cell values), blank / unknown (cell lists), rows
(row attributes, e.g. {t3.granted: {printed: 5}}), drop_rows, drop_sections,
empty_sections, metadata, fee, figures. Text edits (`replace`) run before parsing, so a
case can exercise the whole pipeline.
"""

import copy
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..ingest import decode_source
from ..model import BLANK, OK, UNKNOWN, Cell, Figure, Report
from ..pipeline import parse_source
from ..resources import rules_dir
from .render import findings_for
from .rulefile import RuleFileError, read_yaml
from .session import Engine

CASE_KEYS = {
    "rule", "name", "base", "text", "replace", "set", "blank", "unknown", "rows", "drop_rows",
    "drop_sections", "empty_sections", "metadata", "report", "fee", "figures", "fires", "outcome",
    "prev", "peer",
}
# Rules over two reports (packs YEAR, COPY): `prev:` is last year's report of the same body,
# `peer:` a report of another body in the same batch, each written like a case (base or
# text, replace, set, metadata, …); the case's own report is this year's.
PARTNERS = ("prev", "peer")


@dataclass
class Case:
    rule: str
    name: str
    source: str
    line: int
    data: dict = field(default_factory=dict)

    @property
    def expected(self) -> int:
        return int(self.data.get("fires", 0))


@dataclass
class CaseResult:
    case: Case
    ok: bool
    detail: str
    messages: list = field(default_factory=list)  # the messages of the rule's findings


def fixture_dirs(extra: list[Path] | None = None) -> list[Path]:
    return [rules_dir() / "fixtures"] + [Path(p) / "fixtures" for p in (extra or [])]


def load_cases(directories: list[Path]) -> list[Case]:
    cases = []
    for directory in directories:
        for path in sorted(directory.glob("*.yaml")):
            data = read_yaml(path)
            if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
                raise RuleFileError(path, 1, "规则用例文件应有 cases 列表")
            for item in data["cases"]:
                unknown = set(item) - CASE_KEYS - {"__line__", "__lines__"}
                if unknown:
                    raise RuleFileError(path, item["__line__"], f"用例中有未知的键：{', '.join(sorted(unknown))}；可用：{', '.join(sorted(CASE_KEYS))}")
                if "rule" not in item or "fires" not in item:
                    raise RuleFileError(path, item["__line__"], "每个用例需要 rule 和 fires 两个键")
                cases.append(Case(str(item["rule"]), str(item.get("name", "")), str(path), item["__line__"], item))
    return cases


def run_cases(engine: Engine, cases: list[Case], bases: list[Path]) -> list[CaseResult]:
    results = []
    cross = None
    for case in cases:
        try:
            report = build_case_report(case, bases)
            if any(key in case.data for key in PARTNERS) or _cross_rule(engine, case.rule):
                from ..crossyear.engine import CrossEngine

                cross = cross or CrossEngine(engine.rules)
                findings = [f for f in _cross_findings(cross, case, report, bases) if f.rule_id == case.rule]
            else:
                result = engine.run(report)
                findings = [f for f in findings_for(report, result, "<fixture>") if f.rule_id == case.rule]
            wanted = case.data.get("outcome")
            matching = [f for f in findings if not wanted or f.outcome == wanted]
            ok = len(matching) == case.expected and (case.expected > 0 or not findings)
            detail = "; ".join(f"{f.outcome}: {f.message}" for f in findings) or "未触发"
            results.append(CaseResult(case, ok, detail, [f.message for f in findings]))
        except (ValueError, KeyError) as error:
            results.append(CaseResult(case, False, f"用例无法运行：{error}"))
    return results


def _cross_rule(engine: Engine, rule_id: str) -> bool:
    from .packs import cross_report

    return any(cross_report(r) for r in engine.rules if r.id == rule_id)


def _cross_findings(cross, case: Case, report: Report, bases: list[Path]) -> list:
    """Findings of a rule over two reports: this year's report against `prev` and `peer`."""
    from ..crossyear import fingerprint
    from ..crossyear.summary import WHOLE, summarize

    def partner(key: str, path: str):
        data = case.data.get(key)
        if data is None:
            return None
        if not isinstance(data, dict):
            raise KeyError(f"{key} 应是一个报告（base/text、replace、set、metadata 等）")
        sub = Case(case.rule, f"{case.name}（{key}）", case.source, case.line, {**data, "fires": 0})
        return summarize(build_case_report(sub, bases), path)

    current = summarize(report, "<fixture>")
    previous, peer = partner("prev", "<prev>"), partner("peer", "<peer>")
    peers = [(peer, fingerprint.similarity(current.sections[WHOLE][3], peer.sections[WHOLE][3]))] if peer else []
    return cross.findings(current, previous, peers)


def base_dirs(extra: list[Path] | None = None) -> list[Path]:
    return [d / "base" for d in fixture_dirs(extra)]


def build_case_report(case: Case, bases: list[Path]) -> Report:
    data = case.data
    if "text" in data:
        text = str(data["text"])
    else:
        path = next((d / f"{data['base']}.txt" for d in bases if (d / f"{data['base']}.txt").is_file()), None)
        if path is None:
            raise KeyError(f"找不到基础报告 {data.get('base')}")
        text = path.read_text(encoding="utf-8")
    for old, new in data.get("replace") or ():
        if old not in text:
            raise KeyError(f"基础报告中找不到要替换的文字“{old}”")
        text = text.replace(old, new)
    report = parse_source(decode_source(text.encode("utf-8"), f"<{case.rule}>")).report
    _patch(report, data)
    return report


def _cell(report: Report, ref: str) -> Cell:
    table, row, col = ref.split(".")
    if table == "fee":
        cell = getattr(report.fee, col) or Cell("fee", "fee", col)
        setattr(report.fee, col, cell)
        return cell
    return report.tables[table].rows[row].cells[col]


def _patch(report: Report, data: dict) -> None:
    for ref, value in (data.get("set") or {}).items():
        if ref.startswith("__"):
            continue
        cell = _cell(report, ref)
        cell.value = Decimal(str(value)) if isinstance(value, float) else value
        cell.status, cell.raw = OK, str(value)
    for ref in data.get("blank") or ():
        cell = _cell(report, ref)
        cell.value, cell.status = 0, BLANK
    for ref in data.get("unknown") or ():
        cell = _cell(report, ref)
        cell.value, cell.status = None, UNKNOWN
    for ref, changes in (data.get("rows") or {}).items():
        if ref.startswith("__"):
            continue
        table, row = ref.split(".")
        for name, value in changes.items():
            if not name.startswith("__"):
                setattr(report.tables[table].rows[row], name, value)
    for ref in data.get("drop_rows") or ():
        table, row = ref.split(".")
        target = report.tables[table].rows[row]
        target.match, target.label, target.printed = "missing", "", 0
        for cell in target.cells.values():
            cell.value, cell.status, cell.raw = None, "missing", ""
    keys = set(data.get("drop_sections") or ())
    report.sections = [s for s in report.sections if s.key not in keys]
    for section in report.sections:
        if section.key in (data.get("empty_sections") or ()):
            section.content_lines = 0
    for name, value in (data.get("report") or {}).items():
        if not name.startswith("__"):
            setattr(report, name, value)
    for name, value in (data.get("metadata") or {}).items():
        if not name.startswith("__"):
            setattr(report.metadata, name, value)
    fee = data.get("fee")
    if fee is not None:
        for name in ("notices", "notified", "collected"):
            setattr(report.fee, name, None)
        report.fee.none_stated = bool(fee.get("none_stated", False))
        for name in ("notices", "notified", "collected"):
            if name in fee:
                setattr(report.fee, name, Cell("fee", "fee", name, fee[name], str(fee[name]), 1, OK))
    for figure in data.get("figures") or ():
        report.figures.append(Figure(figure["measure"], figure["value"], 1, copy.copy(figure.get("text", ""))))

"""Accuracy harness: audit a folder of generated reports and score the findings.

    python -m auditor.synth --out corpus/synthetic --count 2000 --seed 1
    python -m auditor.eval corpus/synthetic [--jobs N]
    python -m auditor.eval --real ../shared/real      (real reports: auditor.realeval)

Every <name>.expected.yaml in the folder names its report; the report is audited through the
real audit path (auditor.audit.audit_file with an Engine of the default rule packs) and its
findings are matched against the expectation (auditor.scoring: per finding — rule, outcome
kind, place, cited line). Reports generated as series (`--series K`: expectations with
`series:`) are one batch, as `auditor audit` runs a folder: their carry summaries go through
the cross pass (crossyear.batch.CrossPass, packs YEAR and COPY) and its findings join their
report's before scoring. Reports generated alone are not paired: their random bodies repeat
across years by chance, which would measure the generator, not the auditor. Printed: precision and recall per rule family, per layout and per
defect kind; error findings on clean reports; every miss and every false alarm (file, rule,
expected vs got). Exit code 1 when a target is missed: recall 100% and precision ≥ 99% in
every family and every layout, and no error finding on a clean report; 2 on a usage error.
"""

import argparse
import os
import sys
import time
from pathlib import Path

import yaml
from tabulate import tabulate

from . import scoring
from .probe import METADATA, audit_carry, audit_one, finding_dict

TARGET_RECALL = 1.0
TARGET_PRECISION = 0.99

try:
    _Loader = yaml.CSafeLoader
except AttributeError:
    _Loader = yaml.SafeLoader


EXPECTATIONS = Path("tests") / "real" / "expectations"


def _audit_chunk(paths: list[str]) -> list[tuple[list[dict], dict]]:
    return [audit_one(path) for path in paths]


def _audit_chunk_carry(paths: list[str]) -> list[tuple[list[dict], dict, object]]:
    return [audit_carry(path) for path in paths]


def expectations(folder: Path) -> list[tuple[Path, dict]]:
    out = []
    for path in sorted(folder.rglob("*.expected.yaml")):
        with open(path, encoding="utf-8") as handle:
            data = yaml.load(handle, Loader=_Loader)
        out.append((path.parent / data["report"], data))
    return out


def run(folder: Path, jobs: int = 1) -> list[scoring.Result]:
    cases = expectations(folder)
    paths = [str(path) for path, _ in cases]
    series = any(data.get("series") for _, data in cases)
    one, chunk = (audit_carry, _audit_chunk_carry) if series else (audit_one, _audit_chunk)
    if jobs > 1 and len(paths) > 1:  # the batch's own worker pool (spawned workers, order kept)
        from .parallel import ordered_map

        size = max(1, min(50, len(paths) // (jobs * 4)))
        lost = _lost_carry if series else _lost
        found = list(ordered_map(chunk, paths, jobs, {}, chunk=size, lost=lost))
    else:
        found = [one(path) for path in paths]
    cross = _cross(cases, found) if series else {}
    results = []
    for (path, expected), (findings, metadata, *_) in zip(cases, found):
        findings = findings + cross.get(str(path), [])
        result = scoring.score_report(expected, [scoring.reported_from(f) for f in findings])
        result.metadata = {name: (expected.get(name), metadata.get(name)) for name in METADATA}
        results.append(result)
    return results


def _lost(path):
    return [], {}


def _lost_carry(path):
    return [], {}, None


def _cross(cases: list, found: list) -> dict[str, list[dict]]:
    """Findings over two reports (packs YEAR, COPY) of the series reports, as one batch, by file."""
    from .config import Config
    from .crossyear.batch import CrossPass
    from .probe import rules

    cross = CrossPass(rules(), Config().copy_threshold)
    try:
        for (_, expected), (_, _, carry) in zip(cases, found):
            cross.add(carry if expected.get("series") else None)
        findings = cross.findings()
    finally:
        cross.close()
    out: dict[str, list[dict]] = {}
    for finding in findings:
        out.setdefault(finding.file, []).append(finding_dict(finding))
    return out


def _rows(tallies: dict, order=None) -> list[list]:
    keys = order or sorted(tallies)
    rows = []
    for key in keys:
        tally = tallies.get(key)
        if tally is None:
            continue
        rows.append([key, tally.expected, tally.reported, tally.matched, tally.missed, tally.false_alarms,
                     f"{tally.precision:.2%}", f"{tally.recall:.2%}"])
    return rows


_HEADERS = ["", "应报", "实报", "命中", "漏报", "误报", "精确率", "召回率"]


def _expected_text(item: dict) -> str:
    where = item.get("where") or ("无法核验" if item.get("outcome") == "unverifiable" else "全文")
    line = f" 第{item['line']}行" if item.get("line") else ""
    return f"{item['rule']} @ {where}{line}"


def _reported_text(found: scoring.Reported) -> str:
    where = found.where or ("无法核验" if found.unverifiable else "全文")
    return f"{found.rule} @ {where} 第{found.line}行"


def report(results: list[scoring.Result], folder: Path, out=None, show: int | None = None) -> bool:
    """Print the tables and the lists; True when every target is met."""
    out = out or sys.stdout
    total = scoring.total(results)
    families = scoring.by_family(results)
    layouts = scoring.by_layout(results)
    clean = [r for r in results if r.clean]
    clean_errors = scoring.clean_errors(results)
    print(f"报告 {len(results)} 份（无缺陷 {len(clean)} 份，有缺陷 {len(results) - len(clean)} 份），目录 {folder}", file=out)
    print(f"计分：错误和警告级别的发现（提示级别不计）；目标：每个类别、每种版式召回率 {TARGET_RECALL:.0%}、精确率不低于 {TARGET_PRECISION:.0%}，无缺陷报告零错误。", file=out)
    print(file=out)
    print("按规则类别", file=out)
    print(tabulate(_rows(families) + [["合计", total.expected, total.reported, total.matched, total.missed, total.false_alarms,
                                       f"{total.precision:.2%}", f"{total.recall:.2%}"]], headers=_HEADERS, tablefmt="simple"), file=out)
    print(file=out)
    print("按版式", file=out)
    print(tabulate(_rows(layouts), headers=_HEADERS, tablefmt="simple"), file=out)
    print(file=out)
    kinds = scoring.by_defect_kind(results)
    reports = {kind: sum(1 for r in results if kind in (r.defects or ["clean"])) for kind in kinds}
    rows = [[kind, reports[kind]] + row[1:] for kind, row in zip(sorted(kinds), _rows(kinds))]
    combined = sum(1 for r in results if len(r.defects) > 1)
    print(f"按缺陷类型（含该缺陷的报告的全部发现；{combined} 份报告有两种缺陷，两行都计）", file=out)
    print(tabulate(rows, headers=["", "报告"] + _HEADERS[1:], tablefmt="simple"), file=out)
    print(file=out)
    clean_by_layout: dict[str, list] = {}
    for result in clean:
        clean_by_layout.setdefault(result.layout, []).append(result)
    rows = [[layout, len(items), sum(1 for r, _ in clean_errors if r.layout == layout)] for layout, items in sorted(clean_by_layout.items())]
    print("无缺陷报告上的错误级别发现", file=out)
    print(tabulate(rows, headers=["版式", "无缺陷报告", "错误"], tablefmt="simple"), file=out)
    print(file=out)
    wrong = [(r, name, want, got) for r in results for name, (want, got) in r.metadata.items() if want != got]
    rows = [[name, sum(1 for r in results if r.metadata[name][0] == r.metadata[name][1]),
             sum(1 for _, n, _, _ in wrong if n == name)] for name in METADATA]
    print("报告元数据（参考，不计分）", file=out)
    print(tabulate(rows, headers=["项目", "一致", "不一致"], tablefmt="simple"), file=out)
    for result, name, want, got in wrong[:show]:
        print(f"  {result.report}: {name} 应为 {want!r}，读出 {got!r}", file=out)
    print(file=out)
    misses = [(r, item) for r in results for item in r.missed]
    alarms = [(r, found) for r in results for found in r.false_alarms]
    print(f"漏报 {len(misses)} 条", file=out)
    for result, item in misses[:show]:
        got = [f for f in _same_rule(result, item["rule"])]
        got_text = "；".join(_reported_text(f) for f in got) or "未报告"
        print(f"  {result.report}: 应报 {_expected_text(item)}；实报 {got_text}", file=out)
    print(f"误报 {len(alarms)} 条", file=out)
    for result, found in alarms[:show]:
        wanted = [e for e in result.missed if e["rule"] == found.rule]
        wanted_text = "；".join(_expected_text(e) for e in wanted) or "不应报告"
        print(f"  {result.report}: 实报 {_reported_text(found)}（{found.message[:80]}）；应报 {wanted_text}", file=out)
    met = not clean_errors and all(
        t.recall >= TARGET_RECALL and t.precision >= TARGET_PRECISION for t in list(families.values()) + list(layouts.values())
    )
    print(file=out)
    print("结论：" + ("全部达到目标。" if met else "未达到目标。"), file=out)
    return met


def _same_rule(result: scoring.Result, rule: str):
    return [f for f in result.false_alarms if f.rule == rule]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m auditor.eval", description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", help="a folder written by python -m auditor.synth")
    parser.add_argument("--real", metavar="DIR", help="score real reports instead: a folder with excerpts/, pingtan/, pdf/ (../shared/real)")
    parser.add_argument("--expectations", metavar="DIR", default=str(EXPECTATIONS),
                        help=f"hand-written expectations of whole real reports (default {EXPECTATIONS})")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (default 1; 0 = one per CPU)")
    parser.add_argument("--show", type=int, default=None, help="list at most this many misses and false alarms (default: all)")
    args = parser.parse_args(argv)
    if args.real:
        from . import realeval

        real = Path(args.real)
        if not real.is_dir():
            parser.error(f"not a folder: {real}")
        excerpts, wholes = realeval.run(real, Path(args.expectations), Path.cwd() / "corpus")
        return 0 if realeval.report(excerpts, wholes, sys.stdout) else 1
    if not args.folder:
        parser.error("give a folder of generated reports, or --real DIR")
    folder = Path(args.folder)
    if not folder.is_dir():
        parser.error(f"not a folder: {folder}")
    jobs = args.jobs or os.cpu_count() or 1
    started = time.perf_counter()
    results = run(folder, jobs)
    if not results:
        print(f"{folder} 中没有 *.expected.yaml", file=sys.stderr)
        return 2
    met = report(results, folder, show=args.show)
    print(f"用时 {time.perf_counter() - started:.1f} 秒（{jobs} 个进程）", file=sys.stderr)
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())

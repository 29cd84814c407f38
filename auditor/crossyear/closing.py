"""The closing section of `auditor audit`: findings over two reports, after the stream.

Per-report output streams as before (byte for byte: a report without a partner is shown
exactly as without this pass); then, when any report has a partner, one more section — a
table per report in the terminal, more lines in JSON Lines, parsable or CSV output — and the same
findings join their report's results for --out (findings.csv/xlsx/jsonl, reports.csv and the
summaries), its conclusion recomputed. Baseline decisions apply to them as to any finding.
"""

import dataclasses
import sys

from ..usage import UsageError
from .batch import CrossPass

TITLE = "跨年度核对与雷同检查"


def open_cross(run, args) -> CrossPass | None:
    """The cross pass of this run, or None when the YEAR and COPY packs are all disabled."""
    from ..engine.packs import cross_report
    from ..engine.rulefile import RuleFileError
    from .history import HistoryError

    if not any(cross_report(r) for r in run.rules):
        return None
    config = run.config
    history = getattr(args, "history", None) or (str(config.history_file) if config.history_file else None)
    aliases = getattr(args, "history_aliases", None) or (str(config.history_aliases) if config.history_aliases else None)
    try:
        return CrossPass(run.rules, config.copy_threshold, history, aliases)
    except HistoryError as error:
        raise UsageError(f"历史库错误：{error}") from None
    except RuleFileError as error:
        raise UsageError(f"单位名称对照表错误：{error}") from None


def finish(cross: CrossPass, run, args, tally, results: list, conclusions: list, errored: set) -> set:
    """Pair, check, print the closing section, and add the findings to the kept results
    (for --out and the memos). `errored`: the reports that already count as having an error
    (for the run summary). Returns the files that got findings here."""
    try:
        findings = cross.findings()
    finally:
        cross.close()
    if not findings:
        return set()
    run.baseline.apply(findings)
    counted = [f for f in findings if f.counts]
    tally.severities.update(f.severity for f in counted)
    tally.settled += len(findings) - len(counted)
    tally.with_errors += len({f.file for f in counted if f.severity == "error"} - errored)
    _print(findings, args)
    by_path: dict[str, list] = {}
    for finding in findings:
        by_path.setdefault(finding.file, []).append(finding)
    rows = []
    for index, result in enumerate(results):
        extra = by_path.get(result.path)
        if extra:
            result.findings = result.findings + extra
            conclusions[index] = run.conclude(result)
            rows.append((dataclasses.replace(result, findings=extra), conclusions[index]))
    if args.format == "csv":  # the rows of these findings, each with its report's conclusion now
        from ..output import csvout

        text = "".join(csvout.report_rows(result, conclusion) for result, conclusion in rows)
        sys.stdout.write(text)
        sys.stdout.flush()
    return set(by_path)


def _print(findings: list, args) -> None:
    from ..output.jsonl import finding_json
    from ..output.parsable import finding_line
    from ..output.terminal import report_table

    if args.format == "json":
        print("\n".join(finding_json(f) for f in findings))
    elif args.format == "parsable":
        print("\n".join(finding_line(f) for f in findings))
    elif args.format == "table" and not args.quiet:
        print(f"==== {TITLE}（与同一单位上一年度报告、同批次其他单位报告比较；共 {len(findings)} 条）")
        groups: dict[str, list] = {}
        for finding in findings:
            groups.setdefault(finding.file, []).append(finding)
        for path, items in groups.items():
            meta = f"{items[0].body} {items[0].year or ''}年度 · {TITLE}"
            print(report_table(path, items, meta) + "\n")
    sys.stdout.flush()

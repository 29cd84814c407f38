"""Command-line interface.

  auditor audit PATH...          audit files and folders (recursive); --out DIR writes the
                                 batch tables and summary page, --memo DIR one memo per report
  auditor memo FILE              write the audit memo (Markdown and/or DOCX) of one report
  auditor baseline ...           record findings as accepted/dismissed (accept, dismiss,
                                 remove, list, from)
  auditor parse FILE             print a report's facts (JSON) or its Lark tree
  auditor rules list|show|test   inspect and test the rule packs

Exit codes: 0 no error-severity finding, 1 some, 2 usage or rule-file error.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

from .errors import InputError
from .facts.flatten import flat_facts, json_value

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def main(argv=None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.run(args)
    except BrokenPipeError:
        return EXIT_OK
    except _UsageError as error:
        print(f"auditor: {error}", file=sys.stderr)
        return EXIT_USAGE


class _UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="auditor", description="政府信息公开工作年度报告审核工具")
    commands = parser.add_subparsers(metavar="命令")

    audit = commands.add_parser("audit", help="审核报告文件或文件夹")
    audit.add_argument("paths", nargs="+", metavar="PATH")
    audit.add_argument("--format", choices=("table", "json"), default="table", help="table：终端表格；json：每行一条问题（JSON Lines）")
    audit.add_argument("--rules", action="append", default=[], metavar="DIR", help="额外的规则目录（可重复）；同编号的规则覆盖默认规则")
    _run_options(audit)
    audit.add_argument("--out", metavar="DIR", help="写出全部问题和汇总：findings.csv/.xlsx/.jsonl、reports.csv、summary.md、summary.html")
    audit.add_argument("--memo", metavar="DIR", help="为每份报告写出审核意见")
    audit.add_argument("--memo-format", choices=("md", "docx", "both"), default="both", help="审核意见的格式（默认两种都写）")
    audit.add_argument("--no-progress", action="store_true", help="不显示进度条（默认仅在终端中显示）")
    audit.set_defaults(run=_cmd_audit)

    memo = commands.add_parser("memo", help="为一份报告写出审核意见（Markdown / DOCX）")
    memo.add_argument("file")
    memo.add_argument("--out", metavar="DIR", default=".", help="输出目录（默认当前目录）")
    memo.add_argument("--format", choices=("md", "docx", "both"), default="both")
    memo.add_argument("--rules", action="append", default=[], metavar="DIR", help="额外的规则目录（可重复）")
    _run_options(memo)
    memo.set_defaults(run=_cmd_memo)

    baseline = commands.add_parser("baseline", help="记录审核人员对问题的处理决定（接受 / 排除）")
    baseline_commands = baseline.add_subparsers(metavar="子命令")
    for status, verb in (("accepted", "accept"), ("dismissed", "dismiss")):
        helptext = "接受问题（问题属实，同意保留），不再计入结论" if verb == "accept" else "排除问题（误报或不适用），不再计入结论"
        decide = baseline_commands.add_parser(verb, help=helptext)
        decide.add_argument("fingerprints", nargs="+", metavar="FINGERPRINT", help="问题指纹（JSON Lines 的 fingerprint，findings.csv 的“指纹”列）")
        decide.add_argument("--reason", required=True, help="理由（必填）")
        decide.add_argument("--findings", metavar="JSONL", help="本次审核的 findings.jsonl：核对指纹并记下规则、位置等信息")
        _baseline_options(decide)
        decide.set_defaults(run=_cmd_baseline_decide, status=status)
    remove = baseline_commands.add_parser("remove", help="删除处理决定（问题重新计入结论）")
    remove.add_argument("fingerprints", nargs="+", metavar="FINGERPRINT")
    _baseline_options(remove)
    remove.set_defaults(run=_cmd_baseline_remove)
    listing_b = baseline_commands.add_parser("list", help="列出基线中的处理决定")
    _baseline_options(listing_b)
    listing_b.set_defaults(run=_cmd_baseline_list)
    bulk = baseline_commands.add_parser("from", help="把 JSON Lines 中的问题一并记入基线（例如接受存量问题）")
    bulk.add_argument("jsonl", metavar="JSONL")
    bulk.add_argument("--status", choices=("accepted", "dismissed"), required=True)
    bulk.add_argument("--reason", required=True)
    bulk.add_argument("--rule", action="append", default=[], metavar="ID", help="只记入这些规则的问题（可重复）")
    _baseline_options(bulk)
    bulk.set_defaults(run=_cmd_baseline_from)
    baseline.set_defaults(run=lambda args: (baseline.print_help(), EXIT_USAGE)[1])

    parse = commands.add_parser("parse", help="解析一份报告，输出事实（JSON）或语法树")
    parse.add_argument("file")
    parse.add_argument("--format", choices=("json", "tree"), default="json")
    parse.set_defaults(run=_cmd_parse)

    rules = commands.add_parser("rules", help="查看和测试规则包")
    rules_commands = rules.add_subparsers(metavar="子命令")
    listing = rules_commands.add_parser("list", help="列出全部规则")
    listing.add_argument("--rules", action="append", default=[], metavar="DIR")
    listing.set_defaults(run=_cmd_rules_list)
    show = rules_commands.add_parser("show", help="显示一条规则")
    show.add_argument("rule_id")
    show.add_argument("--rules", action="append", default=[], metavar="DIR")
    show.set_defaults(run=_cmd_rules_show)
    test = rules_commands.add_parser("test", help="运行全部规则用例（每条规则应有触发和不触发的用例）")
    test.add_argument("--rules", action="append", default=[], metavar="DIR")
    test.set_defaults(run=_cmd_rules_test)
    rules.set_defaults(run=lambda args: (rules.print_help(), EXIT_USAGE)[1])
    return parser


def _run_options(parser) -> None:
    parser.add_argument("--config", metavar="FILE", help="配置文件（默认：工作目录中的 auditor.toml 或 .auditor.yaml）")
    parser.add_argument("--baseline", metavar="FILE", help="基线文件（默认：工作目录中的 .auditor-baseline.yaml）")
    parser.add_argument("--date", metavar="YYYY-MM-DD", type=_iso_date, help="审核意见中的审核日期（默认今天）")


def _baseline_options(parser) -> None:
    parser.add_argument("--baseline", metavar="FILE", help="基线文件（默认：配置中的 baseline.file，或工作目录中的 .auditor-baseline.yaml）")
    parser.add_argument("--config", metavar="FILE", help="配置文件")
    parser.add_argument("--by", default="", metavar="NAME", help="处理人（可选）")


def _iso_date(text: str) -> str:
    import datetime

    try:
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应写成 YYYY-MM-DD：{text}") from None


def _build_run(args, require_baseline: bool = True):
    from .baseline import BaselineError
    from .config import ConfigError
    from .engine.rulefile import RuleFileError
    from .runtime import build_run

    try:
        return build_run(
            getattr(args, "config", None), getattr(args, "rules", ()), getattr(args, "baseline", None),
            folder=Path.cwd(), audit_date=getattr(args, "date", None), require_baseline=require_baseline,
        )
    except ConfigError as error:
        raise _UsageError(f"配置文件错误：{error}") from None
    except BaselineError as error:
        raise _UsageError(f"基线文件错误：{error}") from None
    except RuleFileError as error:
        raise _UsageError(f"规则文件错误：{error}") from None


def _load_engine(extra_dirs):
    from .engine.packs import load_rules
    from .engine.rulefile import RuleFileError
    from .engine.session import Engine

    try:
        rules = load_rules(extra_dirs)
        return rules, Engine(rules)
    except RuleFileError as error:
        raise _UsageError(f"规则文件错误：{error}") from None


def _cmd_audit(args) -> int:
    from .audit import expand
    from .output.jsonl import finding_json
    from .output.terminal import report_table, summary

    run = _build_run(args)
    files = _without_outputs(expand(args.paths), args.out, args.memo)
    if not files:
        raise _UsageError("没有找到要审核的文件")
    started = time.monotonic()
    results, conclusions, memo_links, used = [], [], {}, set()
    bar = _progress(files, args.no_progress)
    for path in bar:
        result = run.audit(path)
        conclusion = run.conclude(result)
        if args.memo:
            from .output.memos import write_memo

            written = write_memo(result, conclusion, run, args.memo, args.memo_format, used)
            if args.out:
                memo_links[path] = os.path.relpath(written[0], args.out).replace(os.sep, "/")
        if result.report is not None:
            result.report.source_lines = []  # quotes are in the findings; keep batches light
        results.append(result)
        conclusions.append(conclusion)
        if args.format == "json":
            _emit(bar, "\n".join(finding_json(f) for f in result.findings), skip_empty=True)
        else:
            meta = result.report.metadata if result.report else None
            header = f"{meta.body} {meta.year or ''}年度" if meta else ""
            _emit(bar, report_table(path, result.findings, header) + "\n")
    bar.close()
    if args.out:
        from .output.corpus import write_corpus

        write_corpus(results, conclusions, run, args.out, memo_links)
    if args.format == "table":
        print(summary(results, time.monotonic() - started))
    else:
        print(summary(results, time.monotonic() - started), file=sys.stderr)
    _report_outputs(args, run)
    failed = any(f.severity == "error" and f.counts for r in results for f in r.findings)
    return EXIT_FINDINGS if failed else EXIT_OK


def _without_outputs(files: list[str], *folders) -> list[str]:
    """Leave out files inside the output folders (a later run must not audit its own memos)."""
    skip = [Path(f).resolve() for f in folders if f]
    return [f for f in files if not any(Path(f).resolve().is_relative_to(folder) for folder in skip)]


def _progress(files, disabled: bool):
    """A progress bar on stderr for batches, only when stderr is a terminal and not in CI."""
    from tqdm import tqdm

    show = len(files) > 1 and not disabled and sys.stderr.isatty() and not os.environ.get("CI")
    return tqdm(files, desc="审核", unit="份", file=sys.stderr, disable=not show, leave=False, dynamic_ncols=True)


def _emit(bar, text: str, skip_empty: bool = False) -> None:
    if skip_empty and not text:
        return
    if bar.disable:
        print(text)
    else:
        bar.write(text, file=sys.stdout)


def _report_outputs(args, run) -> None:
    notes = []
    if args.out:
        notes.append(f"汇总已写入 {args.out}（findings.csv、findings.xlsx、findings.jsonl、reports.csv、summary.md、summary.html）")
    if args.memo:
        notes.append(f"审核意见已写入 {args.memo}")
    stale = run.baseline.unmatched()
    if stale:
        notes.append(f"基线 {run.baseline.path}：{len(stale)} 条处理决定在本次审核中没有对应的问题（报告可能已修改，或不在本次审核范围内）")
    for note in notes:
        print(note, file=sys.stderr)


def _cmd_memo(args) -> int:
    from .output.memos import write_memo

    run = _build_run(args)
    if not Path(args.file).is_file():
        raise _UsageError(f"文件不存在：{args.file}")
    result = run.audit(args.file)
    conclusion = run.conclude(result)
    for path in write_memo(result, conclusion, run, args.out, args.format):
        print(path)
    print(f"审核结论：{conclusion.label}（{conclusion.counts_text()}）", file=sys.stderr)
    failed = any(f.severity == "error" and f.counts for f in result.findings)
    return EXIT_FINDINGS if failed else EXIT_OK


def _open_baseline(args):
    from .baseline import DEFAULT_NAME, BaselineError, load_baseline
    from .config import ConfigError, load_config

    try:
        path = args.baseline
        if path is None:
            config = load_config(args.config, Path.cwd())
            path = config.baseline or Path(DEFAULT_NAME)
        return load_baseline(path)
    except ConfigError as error:
        raise _UsageError(f"配置文件错误：{error}") from None
    except BaselineError as error:
        raise _UsageError(f"基线文件错误：{error}") from None


def _read_jsonl(path) -> list[dict]:
    records = []
    try:
        with open(path, encoding="utf-8-sig") as handle:
            for number, line in enumerate(handle, 1):
                if line.strip():
                    try:
                        records.append(json.loads(line))
                    except json.JSONDecodeError as error:
                        raise _UsageError(f"{path}:{number}: 不是 JSON（{error.msg}）") from None
    except OSError as error:
        raise _UsageError(f"无法读取 {path}：{error.strerror}") from None
    return records


def _today() -> str:
    import datetime

    return datetime.date.today().isoformat()


def _cmd_baseline_decide(args) -> int:
    baseline = _open_baseline(args)
    known = {}
    if args.findings:
        known = {r.get("fingerprint"): r for r in _read_jsonl(args.findings)}
        missing = [fp for fp in args.fingerprints if fp not in known]
        if missing:
            raise _UsageError(f"{args.findings} 中没有这些指纹的问题：{'、'.join(missing)}")
    try:
        for fingerprint in args.fingerprints:
            baseline.decide(fingerprint, args.status, args.reason, _today(), args.by, known.get(fingerprint))
    except ValueError as error:
        raise _UsageError(str(error)) from None
    path = baseline.save()
    label = "已接受" if args.status == "accepted" else "已排除"
    print(f"{len(args.fingerprints)} 个问题记为{label}，已写入 {path}")
    return EXIT_OK


def _cmd_baseline_remove(args) -> int:
    baseline = _open_baseline(args)
    missing = [fp for fp in args.fingerprints if not baseline.remove(fp)]
    if missing:
        raise _UsageError(f"基线中没有这些指纹：{'、'.join(missing)}")
    path = baseline.save()
    print(f"已从 {path} 删除 {len(args.fingerprints)} 条处理决定")
    return EXIT_OK


def _cmd_baseline_list(args) -> int:
    from tabulate import tabulate

    from .labels import status

    baseline = _open_baseline(args)
    if not baseline.decisions:
        print(f"基线 {baseline.path or '（未找到）'} 中没有处理决定。")
        return EXIT_OK
    rows = [
        [d.fingerprint, status(d.status), d.reason, d.context.get("rule_id", ""), d.context.get("file", ""), d.context.get("where", ""), d.date, d.by]
        for d in baseline.decisions.values()
    ]
    print(f"基线 {baseline.path}：{len(rows)} 条处理决定")
    print(tabulate(rows, headers=["指纹", "处理", "理由", "规则", "文件", "位置", "日期", "处理人"], tablefmt="simple"))
    return EXIT_OK


def _cmd_baseline_from(args) -> int:
    baseline = _open_baseline(args)
    records = [r for r in _read_jsonl(args.jsonl) if not args.rule or r.get("rule_id") in args.rule]
    try:
        for record in records:
            baseline.decide(str(record.get("fingerprint", "")), args.status, args.reason, _today(), args.by, record)
    except ValueError as error:
        raise _UsageError(f"{args.jsonl}: {error}") from None
    path = baseline.save()
    print(f"{len(records)} 个问题记入 {path}")
    return EXIT_OK


def _cmd_parse(args) -> int:
    from .pipeline import parse_file

    try:
        parsed = parse_file(args.file)
    except InputError as error:
        print(f"{args.file}:{error.line}: {error.code} {error.message}", file=sys.stderr)
        return EXIT_FINDINGS
    if args.format == "tree":
        print(parsed.tree.pretty())
        return EXIT_OK
    out = {"file": args.file, "facts": flat_facts(parsed.report)}
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1, default=json_value)
    sys.stdout.write("\n")
    return EXIT_OK


def _cmd_rules_list(args) -> int:
    from tabulate import tabulate

    rules, _ = _load_engine(args.rules)
    rows = [[r.id, r.severity, r.title, ",".join(r.templates) or "全部", _years(r)] for r in rules]
    print(tabulate(rows, headers=["编号", "级别", "标题", "适用模板", "适用年度"], tablefmt="simple"))
    return EXIT_OK


def _years(rule) -> str:
    first, last = rule.years.get("from"), rule.years.get("to")
    if not first and not last:
        return "全部"
    return f"{first or ''}–{last or ''}"


def _cmd_rules_show(args) -> int:
    rules, engine = _load_engine(args.rules)
    rule = next((r for r in rules if r.id == args.rule_id), None)
    if rule is None:
        raise _UsageError(f"没有编号为 {args.rule_id} 的规则")
    count = sum(1 for c in engine.compiled if c.instance.rule.id == rule.id)
    lines = [
        f"{rule.id}  {rule.title}",
        f"级别：{rule.severity}    规则包：{rule.pack}    文件：{rule.source}:{rule.line}",
        f"依据：{rule.basis}",
        f"适用模板：{','.join(rule.templates) or '全部'}    适用年度：{_years(rule)}",
    ]
    if rule.for_each:
        lines.append("逐一检查：" + "，".join(f"{k} ∈ {v}" for k, v in rule.for_each.items()))
    if rule.when:
        lines.append(f"条件（when）：{rule.when}")
    if rule.expect:
        lines.append(f"应成立（expect）：{rule.expect}")
    lines += [f"提示：{rule.message}", f"整改建议：{rule.fix}", f"编译为 durable_rules 规则 {count} 条"]
    print("\n".join(lines))
    return EXIT_OK


def _cmd_rules_test(args) -> int:
    from .engine.fixtures import base_dirs, fixture_dirs, load_cases, run_cases
    from .engine.rulefile import RuleFileError

    rules, engine = _load_engine(args.rules)
    try:
        cases = load_cases([d for d in fixture_dirs(args.rules) if d.is_dir()])
    except RuleFileError as error:
        raise _UsageError(f"规则用例文件错误：{error}") from None
    results = run_cases(engine, cases, [d for d in base_dirs(args.rules) if d.is_dir()])
    failed = [r for r in results if not r.ok]
    for result in failed:
        case = result.case
        print(f"{case.source}:{case.line}: {case.rule} “{case.name}”：应触发 {case.expected} 次；实际：{result.detail}")
    covered = _coverage(rules, results)
    for rule_id, problem in covered:
        print(f"{rule_id}: {problem}")
    print(f"{len(results)} 个用例，{len(results) - len(failed)} 个通过，{len(failed)} 个失败；{len(covered)} 条规则缺少用例")
    return EXIT_FINDINGS if failed or covered else EXIT_OK


def _coverage(rules, results) -> list[tuple[str, str]]:
    """Rules lacking a case where they fire or a case where they do not."""
    problems = []
    for rule in rules:
        mine = [r.case for r in results if r.case.rule == rule.id]
        if not any(c.expected > 0 for c in mine):
            problems.append((rule.id, "没有“应触发”的用例"))
        if not any(c.expected == 0 for c in mine):
            problems.append((rule.id, "没有“不应触发”的用例"))
    return problems

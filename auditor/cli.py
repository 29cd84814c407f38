"""Command-line interface.

  auditor audit PATH...          audit files and folders (recursive)
  auditor parse FILE             print a report's facts (JSON) or its Lark tree
  auditor rules list|show|test   inspect and test the rule packs

Exit codes: 0 no error-severity finding, 1 some, 2 usage or rule-file error.
"""

import argparse
import json
import sys
import time

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
    audit.set_defaults(run=_cmd_audit)

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
    from .audit import audit_file, expand
    from .output.jsonl import finding_json
    from .output.terminal import report_table, summary

    _, engine = _load_engine(args.rules)
    files = expand(args.paths)
    if not files:
        raise _UsageError("没有找到要审核的文件")
    started = time.monotonic()
    results = []
    for path in files:
        result = audit_file(path, engine)
        results.append(result)
        if args.format == "json":
            for finding in result.findings:
                print(finding_json(finding))
        else:
            meta = result.report.metadata if result.report else None
            header = f"{meta.body} {meta.year or ''}年度" if meta else ""
            print(report_table(path, result.findings, header) + "\n")
    if args.format == "table":
        print(summary(results, time.monotonic() - started))
    else:
        print(summary(results, time.monotonic() - started), file=sys.stderr)
    failed = any(f.severity == "error" and f.counts for r in results for f in r.findings)
    return EXIT_FINDINGS if failed else EXIT_OK


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

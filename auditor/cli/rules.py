"""`auditor rules list|show|test` and `auditor parse`: inspect rule packs and parse results."""

import json
import sys
from pathlib import Path

from ..output.sanitize import display_path
from .common import EXIT_FINDINGS, EXIT_OK, UsageError, load_engine, usage_errors


def cmd_parse(args) -> int:
    from ..errors import InputError
    from ..facts.flatten import flat_facts, json_value
    from ..pipeline import parse_file

    try:
        parsed = parse_file(args.file)
    except InputError as error:
        print(f"{display_path(args.file)}:{error.line}: {error.code} {error.message}", file=sys.stderr)
        return EXIT_FINDINGS
    if args.format == "tree":
        print(parsed.tree.pretty())
        return EXIT_OK
    out = {"file": display_path(args.file), "facts": flat_facts(parsed.report)}
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1, default=json_value)
    sys.stdout.write("\n")
    return EXIT_OK


def cmd_rules_list(args) -> int:
    from tabulate import tabulate

    rules, disabled, overridden = _configured_rules(args)
    rows = [
        [r.id, _severity(r, overridden), r.title, _templates(r), _years(r), "停用（配置）" if r.id in disabled else "启用"]
        for r in rules
    ]
    print(tabulate(rows, headers=["编号", "级别", "标题", "适用模板", "适用年度", "状态"], tablefmt="simple"))
    return EXIT_OK


def _configured_rules(args) -> tuple[list, set[str], dict]:
    """Every rule (default packs, configured folders, --rules) in pack order, as the
    configuration leaves it: severities overridden, plus the ids it disables."""
    from ..config import load_config
    from ..runtime import configured_rules

    with usage_errors():
        settings = configured_rules(load_config(args.config, Path.cwd()), args.rules)
    by_id = {r.id: r for r in settings.rules + settings.disabled}
    return [by_id[r.id] for r in settings.loaded], {r.id for r in settings.disabled}, settings.overridden


def _severity(rule, overridden: dict) -> str:
    """The severity as users read it (错误 / 警告 / 提示 / 需人工复核), and what the
    configuration changed."""
    from ..labels import severity

    if rule.id in overridden:
        return f"{severity(rule.severity)}（配置；原为 {severity(overridden[rule.id][0])}）"
    return severity(rule.severity)


def _templates(rule) -> str:
    return "、".join(f"{t}年版" for t in rule.templates) or "全部"


def _years(rule) -> str:
    first, last = rule.years.get("from"), rule.years.get("to")
    if not first and not last:
        return "全部"
    return f"{first or ''}–{last or ''}"


def cmd_rules_show(args) -> int:
    from ..engine.compile import compile_rules
    from ..labels import family
    from ..ruledocs import condition_lines

    rules, disabled, overridden = _configured_rules(args)
    rule = next((r for r in rules if r.id == args.rule_id), None)
    if rule is None:
        raise UsageError(f"没有编号为 {args.rule_id} 的规则")
    if rule.id in disabled:
        compiled = "已在配置中停用，不参与审核"
    else:
        count = len(compile_rules([rule]))
        compiled = f"编译为 durable_rules 规则 {count} 条"
    lines = [
        f"{rule.id}  {rule.title}",
        f"级别：{_severity(rule, overridden)}    规则包：{rule.pack}（{family(rule.pack.lower())}）    文件：{rule.source}:{rule.line}",
        f"依据：{rule.basis}",
        f"适用模板：{_templates(rule)}    适用年度：{_years(rule)}",
    ]
    lines += condition_lines(rule)
    lines += [f"问题说明：{rule.message}", f"整改建议：{rule.fix}", compiled]
    print("\n".join(lines))
    return EXIT_OK


def cmd_rules_test(args) -> int:
    from ..engine.fixtures import base_dirs, fixture_dirs, load_cases, run_cases
    from ..engine.rulefile import RuleFileError

    rules, engine = load_engine(args.rules)
    try:
        cases = load_cases([d for d in fixture_dirs(args.rules) if d.is_dir()])
    except RuleFileError as error:
        raise UsageError(f"规则用例文件错误：{error}") from None
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


def cmd_rules_doc(args) -> int:
    from ..ruledocs import build_pages, write_pages

    with usage_errors():
        content = build_pages(args.rules)
    written = write_pages(Path(args.out), content)
    print(f"已写出 {len(written)} 页到 {args.out}")
    return EXIT_OK


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


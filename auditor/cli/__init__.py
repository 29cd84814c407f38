"""Command-line interface.

  auditor audit PATH...          audit files and folders (recursive); --out DIR writes the
                                 batch tables and summary page, --memo DIR one memo per report;
                                 --format table|json|parsable|csv, --quiet, --color
  auditor memo FILE              write the audit memo (Markdown, DOCX and/or PDF) of one report
  auditor baseline ...           record findings as accepted/dismissed (accept, dismiss,
                                 remove, list, from, import: findings.xlsx 处理意见)
  auditor parse FILE             print a report's facts (JSON) or its Lark tree
  auditor rules list|show|test|doc  inspect, test and document the rule packs

Exit codes: 0 no error-severity finding, 1 some, 2 usage or rule-file error (a path that does
not exist, a mistyped command: argparse's own messages are Chinese, see argparse_zh), 3 an
internal error of the tool (a message, never a traceback; every file audited before it was
reported). `auditor --version` prints `gkaudit <version>`.
"""

import argparse
import sys

from .. import __version__
from .argparse_zh import ChineseParser
from .audit import cmd_audit, cmd_memo
from .baseline import cmd_baseline_decide, cmd_baseline_from, cmd_baseline_import, cmd_baseline_list, cmd_baseline_remove
from .common import EXIT_OK, EXIT_USAGE, UsageError, baseline_options, run_options
from .rules import cmd_parse, cmd_rules_doc, cmd_rules_list, cmd_rules_show, cmd_rules_test

EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为整数：{text}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"不能为负数：{value}（0 表示按 CPU 核数）")
    return value


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
    except UsageError as error:
        print(f"auditor: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("auditor: 已中断", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as error:  # a bug of the tool: say so plainly, with an exit code of its own
        print(f"auditor: 内部错误（{type(error).__name__}: {error}）。请将命令和输入反馈给工具维护者。", file=sys.stderr)
        return EXIT_INTERNAL


def _parser() -> argparse.ArgumentParser:
    parser = ChineseParser(prog="auditor", description="政府信息公开工作年度报告审核工具")
    parser.add_argument("--version", action="version", version=f"gkaudit {__version__}", help="显示版本号并退出")
    commands = parser.add_subparsers(metavar="命令")

    audit = commands.add_parser("audit", help="审核报告文件或文件夹")
    audit.add_argument("paths", nargs="+", metavar="PATH")
    audit.add_argument(
        "--format", choices=("table", "json", "parsable", "csv"), default="table",
        help="table：终端表格；json：每行一条问题（JSON Lines）；parsable：每行一条“文件:行: [级别] 说明 (规则)”；csv：带表头的 CSV（列同 findings.csv，无 BOM）",
    )
    audit.add_argument("-q", "--quiet", action="store_true", help="不输出每份报告的表格，只输出运行汇总（json / parsable / csv：只输出问题，不输出汇总）")
    audit.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="表格中按级别着色：auto（默认，仅在终端中且未设置 NO_COLOR 时）、always、never")
    audit.add_argument("--rules", action="append", default=[], metavar="DIR", help="额外的规则目录（可重复）；同编号的规则覆盖默认规则")
    run_options(audit)
    audit.add_argument("--out", metavar="DIR", help="写出全部问题和汇总：findings.csv/.xlsx/.jsonl、reports.csv、summary.md、summary.html")
    audit.add_argument("--memo", metavar="DIR", help="为每份报告写出审核意见")
    audit.add_argument(
        "--memo-format", choices=("md", "docx", "pdf", "both", "all"), default="both",
        help="审核意见的格式：md、docx、pdf（需 LibreOffice）、both（md 和 docx，默认）、all（三种都写）",
    )
    audit.add_argument("--no-progress", action="store_true", help="不显示进度条（默认仅在终端中显示）")
    audit.add_argument("--history", metavar="PATH", help="历史库（SQLite）：保存本次审核的报告摘要，并与其中同一单位上一年度的报告做跨年度核对和雷同检查（默认：配置中的 history.file；未设置则只在本批次内配对）")
    audit.add_argument("--history-aliases", metavar="FILE", help="单位名称对照表（YAML，“印出的名称: 统一的单位标识”），用于更名、合并的单位跨年度配对（默认：配置中的 history.aliases）")
    audit.add_argument("--jobs", type=_jobs, default=1, metavar="N", help="并行的工作进程数上限（0：按 CPU 核数）；每个工作进程至少分到约 100 份报告，小批次在本进程内审核；输出与 N 无关")
    audit.add_argument("--dask", metavar="ADDRESS", help="在 Dask 集群上审核（调度器地址，如 tcp://10.0.0.5:8786；local：在本机启动，进程数同 --jobs，默认按 CPU 核数）；输出与 --jobs 1 逐字节相同")
    audit.set_defaults(run=cmd_audit)

    memo = commands.add_parser("memo", help="为一份报告写出审核意见（Markdown / DOCX）")
    memo.add_argument("file")
    memo.add_argument("--out", metavar="DIR", default=".", help="输出目录（默认当前目录）")
    memo.add_argument("--format", choices=("md", "docx", "pdf", "both", "all"), default="both", help="md、docx、pdf（需 LibreOffice）、both（md 和 docx，默认）、all")
    memo.add_argument("--rules", action="append", default=[], metavar="DIR", help="额外的规则目录（可重复）")
    run_options(memo)
    memo.set_defaults(run=cmd_memo)

    baseline = commands.add_parser("baseline", help="记录审核人员对问题的处理决定（接受 / 排除）")
    baseline_commands = baseline.add_subparsers(metavar="子命令")
    for status, verb in (("accepted", "accept"), ("dismissed", "dismiss")):
        helptext = "接受问题（问题属实，同意保留），不再计入结论" if verb == "accept" else "排除问题（误报或不适用），不再计入结论"
        decide = baseline_commands.add_parser(verb, help=helptext)
        decide.add_argument("fingerprints", nargs="+", metavar="FINGERPRINT", help="问题指纹（JSON Lines 的 fingerprint，findings.csv 的“指纹”列）")
        decide.add_argument("--reason", required=True, help="理由（必填）")
        decide.add_argument("--findings", metavar="JSONL", help="本次审核的 findings.jsonl：核对指纹并记下规则、位置等信息")
        baseline_options(decide)
        decide.set_defaults(run=cmd_baseline_decide, status=status)
    remove = baseline_commands.add_parser("remove", help="删除处理决定（问题重新计入结论）")
    remove.add_argument("fingerprints", nargs="+", metavar="FINGERPRINT")
    baseline_options(remove)
    remove.set_defaults(run=cmd_baseline_remove)
    listing_b = baseline_commands.add_parser("list", help="列出基线中的处理决定")
    baseline_options(listing_b)
    listing_b.set_defaults(run=cmd_baseline_list)
    bulk = baseline_commands.add_parser("from", help="把 JSON Lines 中的问题一并记入基线（例如接受存量问题）")
    bulk.add_argument("jsonl", metavar="JSONL")
    bulk.add_argument("--status", choices=("accepted", "dismissed"), required=True)
    bulk.add_argument("--reason", required=True)
    bulk.add_argument("--rule", action="append", default=[], metavar="ID", help="只记入这些规则的问题（可重复）")
    baseline_options(bulk)
    bulk.set_defaults(run=cmd_baseline_from)
    imported = baseline_commands.add_parser("import", help="读回 findings.xlsx“问题清单”中填写的处理意见（接受 / 排除）和理由")
    imported.add_argument("xlsx", metavar="XLSX", help="auditor audit --out 写出的 findings.xlsx")
    imported.add_argument("--findings", metavar="JSONL", help="核对指纹所用的 findings.jsonl（默认：与 XLSX 同一目录中的 findings.jsonl）")
    baseline_options(imported)
    imported.set_defaults(run=cmd_baseline_import)
    baseline.set_defaults(run=lambda args: (baseline.print_help(), EXIT_USAGE)[1])

    parse = commands.add_parser("parse", help="解析一份报告，输出事实（JSON）或语法树")
    parse.add_argument("file")
    parse.add_argument("--format", choices=("json", "tree"), default="json")
    parse.set_defaults(run=cmd_parse)

    rules = commands.add_parser("rules", help="查看和测试规则包")
    rules_commands = rules.add_subparsers(metavar="子命令")
    listing = rules_commands.add_parser("list", help="列出全部规则")
    listing.add_argument("--rules", action="append", default=[], metavar="DIR")
    listing.add_argument("--config", metavar="FILE", help="配置文件（默认：工作目录中的 auditor.toml 或 .auditor.yaml）")
    listing.set_defaults(run=cmd_rules_list)
    show = rules_commands.add_parser("show", help="显示一条规则")
    show.add_argument("rule_id")
    show.add_argument("--rules", action="append", default=[], metavar="DIR")
    show.add_argument("--config", metavar="FILE", help="配置文件（默认：工作目录中的 auditor.toml 或 .auditor.yaml）")
    show.set_defaults(run=cmd_rules_show)
    test = rules_commands.add_parser("test", help="运行全部规则用例（每条规则应有触发和不触发的用例）")
    test.add_argument("--rules", action="append", default=[], metavar="DIR")
    test.set_defaults(run=cmd_rules_test)
    doc = rules_commands.add_parser("doc", help="为每条规则生成说明页（Markdown）")
    doc.add_argument("--out", metavar="DIR", default="docs/rules", help="输出目录（默认 docs/rules）")
    doc.add_argument("--rules", action="append", default=[], metavar="DIR")
    doc.set_defaults(run=cmd_rules_doc)
    rules.set_defaults(run=lambda args: (rules.print_help(), EXIT_USAGE)[1])
    return parser

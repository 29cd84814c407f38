"""Command-line interface: `auditor parse`, `auditor audit`, `auditor rules ...`."""

import argparse
import json
import sys

from .errors import InputError
from .facts.flatten import flat_facts, json_value

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def main(argv=None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return EXIT_USAGE
    return args.run(args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="auditor", description="政府信息公开工作年度报告审核工具")
    commands = parser.add_subparsers()
    parse = commands.add_parser("parse", help="解析一份报告，输出事实（JSON）或语法树")
    parse.add_argument("file")
    parse.add_argument("--format", choices=("json", "tree"), default="json")
    parse.set_defaults(run=_cmd_parse)
    return parser


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

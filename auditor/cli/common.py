"""Shared pieces of the command-line interface: exit codes, errors, common options."""

import argparse
from contextlib import contextmanager
from pathlib import Path

from ..usage import UsageError  # noqa: F401  (re-exported: the CLI's one error class, exit code 2)

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def run_options(parser) -> None:
    parser.add_argument("--config", metavar="FILE", help="配置文件（默认：工作目录中的 auditor.toml 或 .auditor.yaml）")
    parser.add_argument("--baseline", metavar="FILE", help="基线文件（默认：工作目录中的 .auditor-baseline.yaml）")
    parser.add_argument("--date", metavar="YYYY-MM-DD", type=_iso_date, help="审核意见中的审核日期（默认今天）")


def baseline_options(parser) -> None:
    parser.add_argument("--baseline", metavar="FILE", help="基线文件（默认：配置中的 baseline.file，或工作目录中的 .auditor-baseline.yaml）")
    parser.add_argument("--config", metavar="FILE", help="配置文件")
    parser.add_argument("--by", default="", metavar="NAME", help="处理人（可选）")


def _iso_date(text: str) -> str:
    import datetime

    try:
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应写成 YYYY-MM-DD：{text}") from None


def build_run(args, require_baseline: bool = True):
    from ..runtime import build_run

    with usage_errors():
        return build_run(
            getattr(args, "config", None), getattr(args, "rules", ()), getattr(args, "baseline", None),
            folder=Path.cwd(), audit_date=getattr(args, "date", None), require_baseline=require_baseline,
        )


@contextmanager
def usage_errors():
    """Configuration, baseline and rule-file errors become UsageError (printed, exit code 2)."""
    from ..baseline import BaselineError
    from ..config import ConfigError
    from ..engine.rulefile import RuleFileError

    try:
        yield
    except ConfigError as error:
        raise UsageError(f"配置文件错误：{error}") from None
    except BaselineError as error:
        raise UsageError(f"基线文件错误：{error}") from None
    except RuleFileError as error:
        raise UsageError(f"规则文件错误：{error}") from None


def open_outputs(args, run, inputs: int):
    """Lock the --out / --memo folders of `auditor audit` and start its manifest (before the
    batch); call .finish() on the result after the last output is written. A folder in use by
    another run is a UsageError (exit code 2). Without --out and --memo it does nothing."""
    from ..output.outdir import OutputSession

    return OutputSession.open(getattr(args, "out", None), getattr(args, "memo", None), inputs, run)


def load_engine(extra_dirs):
    from ..engine.packs import load_rules
    from ..engine.session import Engine

    with usage_errors():
        rules = load_rules(extra_dirs)
        return rules, Engine(rules)

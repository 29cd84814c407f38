"""Findings as text tables (tabulate) and the run summary, for the terminal."""

import re
import unicodedata
from collections import Counter

from tabulate import tabulate
from wcwidth import wcwidth

from ..findings import SEVERITY_LABEL, Finding
from .sanitize import display_path

SKIPPED = "INPUT-016"

_WIDTH = 60  # display columns (a CJK character is two)
# Units never split across lines: a `第N行` reference, a number (with its separators and %),
# a run of Latin letters, digits and hyphens (rule ids, file names); anything else is one character.
# Closing punctuation stays with what it closes: no line starts with "）" or "，".
_UNIT = re.compile(r"(?:第\d+行|\d+(?:[.,，]\d+)*%?|[A-Za-z0-9_\-]+|\s+|.)[）)」』”’，。、；：！？]*", re.S)


def _where(finding: Finding) -> str:
    parts = [p for p in (finding.table, finding.row, finding.column) if p]
    where = "·".join(parts) or finding.section or ""
    return f"{where}（第{finding.line}行）" if finding.line else where


def _columns(text: str) -> int:
    """Display width: CJK and other wide characters take two columns, control characters one."""
    return sum(max(wcwidth(ch), 0 if unicodedata.combining(ch) else 1) for ch in text)


def _wrap(text: str, width: int = _WIDTH) -> str:
    """Lines of at most `width` display columns, broken between units (_UNIT), never inside a
    number or a `第N行` reference (a unit wider than the line stands alone on its line)."""
    lines: list[str] = []
    for paragraph in (text or "").split("\n"):
        line, used = "", 0
        for unit in _UNIT.findall(paragraph):
            size = _columns(unit)
            if line and used + size > width:
                lines.append(line.rstrip())
                line, used = "", 0
                if unit.isspace():
                    continue
            line, used = line + unit, used + size
        lines.append(line.rstrip())
    return "\n".join(lines)


def report_table(path: str, findings: list[Finding], header: str = "") -> str:
    """The report's defects, then (apart) what the tool could not read: 需人工复核."""
    title = f"== {display_path(path)}" + (f"  {header}" if header else "")
    if not findings:
        return f"{title}\n未发现问题。"
    defects = [f for f in findings if f.kind != "limit"]
    limits = [f for f in findings if f.kind == "limit"]
    parts = [title, _table(defects) if defects else "未发现报告本身的问题。"]
    if limits:
        parts += ["-- 需人工复核（工具未能读出的部分，不计入结论）：", _table(limits)]
    return "\n".join(parts)


def _table(findings: list[Finding]) -> str:
    rows = [
        [
            f.rule_id,
            SEVERITY_LABEL.get(f.severity, f.severity) + ("（已接受）" if f.status == "accepted" else "（已排除）" if f.status == "dismissed" else ""),
            _wrap(_where(f), 36),
            _wrap(f.expected, 16),
            _wrap(f.actual, 16),
            _wrap(f.message),
        ]
        for f in findings
    ]
    return tabulate(rows, headers=["规则", "级别", "位置", "应为", "实际", "说明"], tablefmt="simple")


class Tally:
    """Running counts for the run summary (kept instead of every result: memory stays flat)."""

    def __init__(self):
        self.files = self.parsed = self.with_errors = self.settled = 0
        self.passed = 0  # hidden files, folder documentation and output folders, not audited
        self.skipped = 0  # files of a type that is not a report (INPUT-016)
        self.severities: Counter = Counter()

    def add(self, result) -> None:
        self.files += 1
        self.parsed += result.parsed
        self.skipped += bool(result.error and result.error.code == SKIPPED)
        counted = [f for f in result.findings if f.counts]
        self.severities.update(f.severity for f in counted)
        self.with_errors += any(f.severity == "error" for f in counted)
        self.settled += sum(1 for f in result.findings if not f.counts)


def summary(tally: Tally, elapsed: float | None = None) -> str:
    rows = [
        ["文件", tally.files],
        ["成功解析", tally.parsed],
        ["无法审核（输入错误）", tally.files - tally.parsed - tally.skipped],
        ["跳过（不是报告文件类型）", tally.skipped],
        ["有错误的报告", tally.with_errors],
        ["错误", tally.severities["error"]],
        ["警告", tally.severities["warning"]],
        ["提示", tally.severities["info"]],
        ["需人工复核（工具未能读出）", tally.severities["review"]],
    ]
    if tally.settled:
        rows.append(["基线中已接受/排除", tally.settled])
    if tally.passed:
        rows.append(["未列入（隐藏文件、说明文件、输出文件夹）", tally.passed])
    if elapsed is not None:
        rows.append(["用时（秒）", f"{elapsed:.1f}"])
    return "运行汇总\n" + tabulate(rows, tablefmt="simple")

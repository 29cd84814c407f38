"""Findings as text tables (tabulate) and the run summary, for the terminal.

Without a Style (or with one that knows no width) a table has the fixed column widths it
always had, so piped output stays the same bytes. A Style made for the terminal
(Style.detect) fits the table to its width (COLUMNS, or the terminal's size) and colours
the severity when stdout is a terminal and NO_COLOR is not set (--color, FORCE_COLOR).
"""

import os
import re
import shutil
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass

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
# Fitted to a width, a unit also keeps opening punctuation with what follows (no line ends
# with "（" or "“"), `第 22 行` with its spaces, and a number with its measure word (3 处).
_FITTED_UNIT = re.compile(
    r"[（(「『“‘《【]*(?:第\s?\d+(?:\s?(?:行|部分|项|条|款|页|处|次))?|\d+(?:[.,，]\d+)*%?(?:\s?[行处份条项件个页次])?"
    r"|[A-Za-z0-9_\-]+|\s+|.)"
    r"[）)」』”’》】，。、；：！？]*",
    re.S,
)
_HEADERS = ["规则", "级别", "位置", "应为", "实际", "说明"]
_LEGACY = (36, 16, 16, _WIDTH)  # 位置, 应为, 实际, 说明 without a known width
_SMALLEST = (12, 6, 6, 16)
_PADDED = 6  # tabulate makes a column at least its header (2 CJK characters) plus 2  # narrowest each wrapped column gets when fitting a width
_COLOURS = {"error": "\x1b[1;31m", "warning": "\x1b[33m", "info": "\x1b[34m", "review": "\x1b[36m"}
_RESET = "\x1b[0m"


@dataclass(frozen=True)
class Style:
    """How tables are drawn: fitted to `width` display columns (None: the fixed widths), in colour."""

    width: int | None = None
    color: bool = False

    @classmethod
    def detect(cls, color: str = "auto", stream=None) -> "Style":
        """The style for `stream` (stdout): its width from COLUMNS or the terminal, colour by
        --color (always / never), else off under NO_COLOR, on under FORCE_COLOR, else on a terminal."""
        stream = stream or sys.stdout
        tty = _isatty(stream)
        width = _env_width()
        if width is None and tty:
            width = shutil.get_terminal_size().columns
        if color == "auto":
            if os.environ.get("NO_COLOR"):
                on = False
            elif os.environ.get("FORCE_COLOR", "") not in ("", "0"):
                on = True
            else:
                on = tty
        else:
            on = color == "always"
        return cls(width, on)


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _env_width() -> int | None:
    try:
        width = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        return None
    return width if width > 0 else None


def _where(finding: Finding) -> str:
    parts = [p for p in (finding.table, finding.row, finding.column) if p]
    where = "·".join(parts) or finding.section or ""
    if not finding.line:
        return where
    page = f"第{finding.page}页" if finding.page else ""  # a PDF's page, then the line of its text
    return f"{where}（{page}第{finding.line}行）"


def _columns(text: str) -> int:
    """Display width: CJK and other wide characters take two columns, control characters one."""
    return sum(max(wcwidth(ch), 0 if unicodedata.combining(ch) else 1) for ch in text)


def _wrap(text: str, width: int = _WIDTH, units: re.Pattern = _UNIT) -> str:
    """Lines of at most `width` display columns, broken between units (_UNIT), never inside a
    number or a `第N行` reference (a unit wider than the line stands alone on its line)."""
    lines: list[str] = []
    for paragraph in (text or "").split("\n"):
        line, used = "", 0
        for unit in units.findall(paragraph):
            size = _columns(unit)
            if line and used + size > width:
                lines.append(line.rstrip())
                line, used = "", 0
                if unit.isspace():
                    continue
            line, used = line + unit, used + size
        lines.append(line.rstrip())
    return "\n".join(lines)


def report_table(path: str, findings: list[Finding], header: str = "", style: Style | None = None) -> str:
    """The report's defects, then (apart) what the tool could not read: 需人工复核."""
    style = style or Style()
    title = f"== {display_path(path)}" + (f"  {header}" if header else "")
    if style.width is not None and header and _columns(title) > style.width:
        title = f"== {display_path(path)}\n   {header}"  # the body and year on a line of their own
    if not findings:
        return f"{title}\n未发现问题。"
    defects = [f for f in findings if f.kind != "limit"]
    limits = [f for f in findings if f.kind == "limit"]
    parts = [title, _table(defects, style) if defects else "未发现报告本身的问题。"]
    if limits:
        parts += ["-- 需人工复核（工具未能读出的部分，不计入结论）：", _table(limits, style)]
    return "\n".join(parts)


def _severity(finding: Finding, style: Style) -> str:
    status = "（已接受）" if finding.status == "accepted" else "（已排除）" if finding.status == "dismissed" else ""
    text = SEVERITY_LABEL.get(finding.severity, finding.severity) + status
    colour = _COLOURS.get(finding.severity) if style.color else None
    return f"{colour}{text}{_RESET}" if colour else text


def _table(findings: list[Finding], style: Style) -> str:
    texts = [(_where(f), f.expected, f.actual, f.message) for f in findings]
    if style.width is None:
        widths, units = _LEGACY, _UNIT
    else:
        severities = max(_columns(SEVERITY_LABEL.get(f.severity, f.severity)) + (10 if f.status in ("accepted", "dismissed") else 0) for f in findings)
        fixed = max(_PADDED, *(len(f.rule_id) for f in findings)) + max(_PADDED, severities) + 2 * (len(_HEADERS) - 1)
        widths, units = _fit(texts, style.width - fixed), _FITTED_UNIT
    rows = [
        [f.rule_id, _severity(f, style), *(_wrap(text, width, units) for text, width in zip(row, widths))]
        for f, row in zip(findings, texts)
    ]
    return tabulate(rows, headers=_HEADERS, tablefmt="simple")


def _fit(texts: list[tuple], budget: int) -> list[int]:
    """Widths of the wrapped columns that fill `budget` display columns: a column that needs
    less than its share keeps its natural width, the others share what is left."""
    natural = [max(_PADDED, *(max((_columns(x) for x in (row[i] or "").split("\n")), default=0) for row in texts)) for i in range(4)]
    widths = [0] * 4
    left, open_ = budget, sorted(range(4), key=lambda i: natural[i])
    while open_:
        share = left // len(open_)
        i = open_.pop(0)
        widths[i] = max(min(natural[i], share), min(natural[i], _SMALLEST[i]))
        left -= widths[i]
    return widths


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

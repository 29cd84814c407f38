"""Findings as text tables (tabulate) and the run summary, for the terminal."""

from collections import Counter

from tabulate import tabulate

from ..findings import SEVERITY_LABEL, Finding

_WIDTH = 60


def _where(finding: Finding) -> str:
    parts = [p for p in (finding.table, finding.row, finding.column) if p]
    where = "·".join(parts) or finding.section or ""
    return f"{where}（第{finding.line}行）" if finding.line else where


def _wrap(text: str, width: int = _WIDTH) -> str:
    return "\n".join(text[i : i + width] for i in range(0, len(text), width)) or ""


def report_table(path: str, findings: list[Finding], header: str = "") -> str:
    title = f"== {path}" + (f"  {header}" if header else "")
    if not findings:
        return f"{title}\n未发现问题。"
    rows = [
        [
            f.rule_id,
            SEVERITY_LABEL.get(f.severity, f.severity) + ("（已接受）" if f.status == "accepted" else "（已排除）" if f.status == "dismissed" else ""),
            _wrap(_where(f), 24),
            _wrap(f.expected, 10),
            _wrap(f.actual, 10),
            _wrap(f.message),
        ]
        for f in findings
    ]
    table = tabulate(rows, headers=["规则", "级别", "位置", "应为", "实际", "说明"], tablefmt="simple")
    return f"{title}\n{table}"


def summary(results, elapsed: float | None = None) -> str:
    files = len(results)
    parsed = sum(1 for r in results if r.parsed)
    severities: Counter = Counter()
    with_errors = 0
    for result in results:
        counted = [f for f in result.findings if f.counts]
        severities.update(f.severity for f in counted)
        with_errors += any(f.severity == "error" for f in counted)
    input_errors = files - parsed
    rows = [
        ["文件", files],
        ["成功解析", parsed],
        ["无法审核（输入错误）", input_errors],
        ["有错误的报告", with_errors],
        ["错误", severities["error"]],
        ["警告", severities["warning"]],
        ["提示", severities["info"]],
    ]
    dismissed = sum(1 for r in results for f in r.findings if not f.counts)
    if dismissed:
        rows.append(["基线中已接受/排除", dismissed])
    if elapsed is not None:
        rows.append(["用时（秒）", f"{elapsed:.1f}"])
    return "运行汇总\n" + tabulate(rows, tablefmt="simple")

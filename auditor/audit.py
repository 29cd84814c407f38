"""Audit a batch: expand paths, parse each file, run the rules, yield one result per file.

A file that cannot be read or parsed yields an input finding (family "input") with its
code, never an exception: a batch always goes on with the next file.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path

from .engine.render import findings_for
from .engine.session import Engine
from .errors import InputError
from .findings import Finding
from .model import Report
from .pipeline import parse_file

REPORT_SUFFIXES = {".txt", ".text", ".htm", ".html", ".docx", ".doc", ".md", ".pdf", ".wps"}
# A folder's own documentation, skipped when walking a folder (still audited if named).
FOLDER_DOCS = {"readme", "license", "changelog"}


@dataclass
class FileResult:
    path: str
    report: Report | None
    findings: list[Finding] = field(default_factory=list)
    error: InputError | None = None

    @property
    def parsed(self) -> bool:
        return self.report is not None


def expand(paths) -> list[str]:
    """Files to audit, in a stable order: given files as is, folders walked recursively."""
    files: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    if name.startswith(".") or Path(name).stem.lower() in FOLDER_DOCS:
                        continue
                    if Path(name).suffix.lower() in REPORT_SUFFIXES:
                        files.append(str(Path(root) / name))
        else:
            files.append(str(path))
    return files


def audit_file(path: str, engine: Engine) -> FileResult:
    try:
        report = parse_file(path).report
    except InputError as error:
        return FileResult(path, None, [input_finding(path, error)], error)
    except Exception as error:  # a parser bug must not stop the batch
        coded = InputError("INPUT-008", f"解析时发生内部错误（{type(error).__name__}: {error}）")
        return FileResult(path, None, [input_finding(path, coded)], coded)
    try:
        result = engine.run(report)
        findings = findings_for(report, result, path)
        error = result.error
    except Exception as exc:  # a rule-side bug must not stop the batch either
        findings, error = [], f"{type(exc).__name__}: {exc}"
    if error:
        coded = InputError("INPUT-008", f"规则引擎出错（{error}）")
        findings.append(input_finding(path, coded, report))
    if report.truncated_at:
        line = report.truncated_at
        coded = InputError("INPUT-007", f"文字在第 {line} 行中断，其后缺少“其他需要报告的事项”等内容", line)
        findings.append(input_finding(path, coded, report))
    if report.undecodable_lines:
        lines = report.undecodable_lines
        shown = "、".join(map(str, lines[:8])) + (" 等" if len(lines) > 8 else "")
        message = f"第 {shown} 行有无法解码的字节，已显示为“\ufffd”；这些行上的文字和数字可能不准确"
        findings.append(input_finding(path, InputError("INPUT-009", message, lines[0]), report))
    return FileResult(path, report, sorted(findings, key=Finding.sort_key))


def input_finding(path: str, error: InputError, report: Report | None = None) -> Finding:
    meta = report.metadata if report else None
    return Finding(
        file=path, rule_id=error.code, family="input", severity=error.severity, title=error.title,
        message=error.message, basis="", fix=error.fix, outcome="input", line=error.line,
        quote=report.quote(error.line) if report else "", body=meta.body if meta else "",
        year=meta.year if meta else None, location_key=error.code,
    )

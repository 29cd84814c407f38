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
from .limits import FileTimeout, time_limit
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
    carry: object | None = None  # crossyear.summary.Summary: what rules over two reports need

    @property
    def parsed(self) -> bool:
        return self.report is not None


@dataclass
class Expansion:
    """The files of a batch: those to audit (in a stable order) and those left out of it."""

    files: list[str] = field(default_factory=list)  # given files, and report files in folders
    unsupported: list[str] = field(default_factory=list)  # other files in folders: INPUT-016
    passed: int = 0  # hidden files and a folder's own README/LICENSE/CHANGELOG


def expand_all(paths) -> Expansion:
    """Given files as is (whatever they are: each gets findings or a coded outcome); folders
    walked recursively without following links, report files audited, other files listed as
    unsupported (each gets INPUT-016), hidden files and folder documentation passed over."""
    out = Expansion()
    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            out.files.append(str(path))
            continue
        for root, dirs, names in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(names):
                if name.startswith(".") or Path(name).stem.lower() in FOLDER_DOCS:
                    out.passed += 1
                elif Path(name).suffix.lower() in REPORT_SUFFIXES:
                    out.files.append(str(Path(root) / name))
                else:
                    out.unsupported.append(str(Path(root) / name))
    return out


def expand(paths) -> list[str]:
    """Files to audit, in a stable order (see expand_all)."""
    return expand_all(paths).files


def unsupported_result(path: str) -> FileResult:
    coded = InputError("INPUT-016", f"文件类型“{Path(path).suffix or '（无扩展名）'}”")
    return FileResult(path, None, [input_finding(path, coded)], coded)


def audit_file(path: str, engine: Engine, data: bytes | None = None) -> FileResult:
    """One file's findings, or its coded outcome; never an exception, never unbounded time.
    `data`: the file's bytes when they were read elsewhere (a Dask worker gets them sent)."""
    try:
        with time_limit():
            return _audit(path, engine, data)
    except (FileTimeout, MemoryError) as error:
        what = "超过时间限制" if isinstance(error, FileTimeout) else "超过内存限制"
        coded = InputError("INPUT-013", f"审核该文件{what}，已停止")
        return FileResult(path, None, [input_finding(path, coded)], coded)


def _audit(path: str, engine: Engine, data: bytes | None = None) -> FileResult:
    try:
        report = parse_file(path, data).report
    except InputError as error:
        return FileResult(path, None, [input_finding(path, error)], error)
    except (FileTimeout, MemoryError):
        raise
    except Exception as error:  # a parser bug must not stop the batch
        coded = InputError("INPUT-010", f"{type(error).__name__}: {error}")
        return FileResult(path, None, [input_finding(path, coded)], coded)
    try:
        result = engine.run(report)
        findings = findings_for(report, result, path)
        error = result.error
    except (FileTimeout, MemoryError):
        raise
    except Exception as exc:  # a rule-side bug must not stop the batch either
        findings, error = [], f"{type(exc).__name__}: {exc}"
    if error:
        coded = InputError("INPUT-011", f"{error}")
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
    if report.image_pages:
        shown = "、".join(map(str, report.image_pages))
        message = f"PDF 第 {shown} 页是图片，没有文字层：这些页上的文字和表格未能读出，未经审核；报告中找不到的内容可能就在这些页上"
        findings.append(input_finding(path, InputError("INPUT-018", message), report))
    if report.pages:
        for finding in findings:
            finding.page = report.page_of(finding.line) or (report.image_pages[0] if finding.rule_id == "INPUT-018" else 0)
    return FileResult(path, report, sorted(findings, key=Finding.sort_key), carry=_carry(report, path))


def _carry(report: Report, path: str):
    """The report's carry summary (crossyear/summary.py), or None when it cannot be made."""
    from .crossyear.summary import summarize

    try:
        return summarize(report, path)
    except (FileTimeout, MemoryError):
        raise
    except Exception:  # a summary bug must not stop the batch; the report is just not paired
        return None


def input_finding(path: str, error: InputError, report: Report | None = None) -> Finding:
    meta = report.metadata if report else None
    return Finding(
        file=path, rule_id=error.code, family="input", severity=error.severity, title=error.title,
        message=error.message, basis="", fix=error.fix, outcome="input", line=error.line,
        quote=report.quote(error.line) if report else "", body=meta.body if meta else "",
        year=meta.year if meta else None, location_key=error.code,
    )

"""Decisions made in findings.xlsx (处理意见 接受 / 排除 and 理由) read back into the baseline.

read_rows() takes the decided rows of the 问题清单 sheet; classify() checks each against the
findings of a run (findings.jsonl, by default the one written beside the workbook):

  taken      接受 → accepted, 排除 → dismissed, with the reason (a row already so in the
             baseline, same decision and reason, is counted as unchanged)
  problems   a row without a reason, a value other than 接受 / 排除, a reason without a
             decision, a fingerprint that is not one (unknown), a fingerprint no finding of the
             run has (unknown) or one that no longer matches its row (changed: the row's rule
             or file is another finding's, or the run has the row's finding under a new
             fingerprint because the report changed), two rows deciding one finding differently

Problems are reported, never silently taken. Column names and words: auditor/data/sheets.yaml.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from .baseline import FINGERPRINT, Baseline
from .output.sanitize import display_path
from .output.xlsx import FINDINGS, settings

# sheet header -> JSON Lines key, for the context recorded beside a decision
CONTEXT = {"文件": "file", "规则": "rule_id", "单位": "body", "年度": "year", "章节": "section", "表": "table", "行": "row", "列": "column", "行号": "line", "问题说明": "message"}
LOCATION = ("section", "table", "row", "column")


class WorkbookError(ValueError):
    """The workbook cannot be read as a findings.xlsx (a Chinese message)."""


@dataclass
class Row:
    number: int  # the row in the sheet (header = 1)
    fingerprint: str
    decision: str  # the word in 处理意见 (stripped)
    reason: str
    status_label: str  # 处理状态 when the workbook was written
    record: dict  # the row's cells under JSON Lines keys

    def where(self) -> str:
        rule, file = self.record.get("rule_id") or "", str(self.record.get("file") or "").rsplit("/", 1)[-1]
        return f"第{self.number}行" + (f"（{'，'.join(x for x in (rule, file) if x)}）" if rule or file else "")


@dataclass
class Outcome:
    accepted: int = 0
    dismissed: int = 0
    unchanged: int = 0
    problems: dict = field(default_factory=dict)  # kind -> [(row, message)]
    cleared: list = field(default_factory=list)  # rows decided in the baseline, emptied in the sheet

    def report(self, kind: str, row: Row, message: str) -> None:
        self.problems.setdefault(kind, []).append((row, message))

    @property
    def refused(self) -> int:
        return sum(len(items) for items in self.problems.values())


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def read_rows(path: Path) -> list[Row]:
    """The rows of 问题清单 with something in 处理意见 or 理由, or a baseline status."""
    import zipfile

    from openpyxl import load_workbook

    words = settings()["decision"]
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise WorkbookError(f"无法作为 Excel 工作簿（.xlsx）读取：{path}（{type(error).__name__}）") from None
    try:
        if FINDINGS not in book.sheetnames:
            raise WorkbookError(f"{path} 中没有“{FINDINGS}”工作表（请使用 auditor audit --out 写出的 findings.xlsx）")
        rows = book[FINDINGS].iter_rows(values_only=True)
        header = [_text(v) for v in next(rows, ())]
        missing = [name for name in ("指纹", words["column"], words["reason"]) if name not in header]
        if missing:
            raise WorkbookError(f"{path} 的“{FINDINGS}”工作表缺少列：{'、'.join(missing)}（请使用本版本 auditor audit --out 写出的 findings.xlsx）")
        at = {name: header.index(name) for name in header if name}
        found = []
        for number, values in enumerate(rows, 2):
            cell = lambda name: values[at[name]] if name in at and at[name] < len(values) else None  # noqa: E731
            decision, reason, status = _text(cell(words["column"])), _text(cell(words["reason"])), _text(cell("处理状态"))
            if not (decision or reason or status in _decided_labels()):
                continue
            record = {key: cell(name) for name, key in CONTEXT.items() if name in at}
            found.append(Row(number, _text(cell("指纹")).lstrip("'"), decision, reason, status, record))
        return found
    finally:
        book.close()


def _decided_labels() -> set:
    from .labels import status

    return {status(s) for s in settings()["decision"]["values"].values()}


def read_reference(path: Path) -> list[dict]:
    """The finding records of a findings.jsonl (bad lines are an WorkbookError)."""
    records = []
    try:
        with open(path, encoding="utf-8-sig") as handle:
            for number, line in enumerate(handle, 1):
                if line.strip():
                    try:
                        record = json.loads(line)
                    except ValueError:
                        raise WorkbookError(f"{path}:{number}: 不是 JSON Lines 记录") from None
                    if isinstance(record, dict):
                        records.append(record)
    except UnicodeDecodeError:
        raise WorkbookError(f"{path}: 不是 UTF-8 编码的 JSON Lines 文件") from None
    except OSError as error:
        raise WorkbookError(f"无法读取 {path}：{error.strerror or error}") from None
    return records


def _identity(record: dict) -> tuple:
    """What a row shows of its finding: rule, file name, location, then the line (which moves
    when a report is edited)."""
    location = tuple(_text(record.get(key)).lstrip("'") for key in LOCATION)
    return (_text(record.get("rule_id")), _file(record.get("file")), *location, _text(record.get("line") or 0))


def _file(value) -> str:
    return display_path(_text(value)).replace("\\", "/").rsplit("/", 1)[-1]


def classify(rows: list[Row], baseline: Baseline, reference: list[dict] | None, date: str, by: str) -> Outcome:
    """Record the decided rows in `baseline`; what cannot be taken is reported in the Outcome."""
    words = settings()["decision"]
    statuses = words["values"]
    outcome = Outcome()
    by_fingerprint = {str(r.get("fingerprint")): r for r in reference or ()}
    seen: dict = {}
    for row in rows:
        if not row.decision and not row.reason:
            if row.fingerprint in baseline.decisions:
                outcome.cleared.append(row)
            continue
        if not row.decision:
            outcome.report("no_decision", row, f"写了理由但没有选择{words['column']}（{'或'.join(statuses)}）")
            continue
        status = statuses.get(row.decision)
        if status is None:
            outcome.report("bad_value", row, f"{words['column']}“{row.decision}”无效，应为{'或'.join(f'“{w}”' for w in statuses)}")
            continue
        if not row.reason:
            outcome.report("no_reason", row, f"{words['column']}为“{row.decision}”，但“{words['reason']}”为空；理由必填")
            continue
        if not FINGERPRINT.match(row.fingerprint):
            outcome.report("unknown", row, f"“{row.fingerprint or '（空）'}”不是问题指纹")
            continue
        record = by_fingerprint.get(row.fingerprint)
        if reference is not None:
            problem = _check(row, record, reference)
            if problem:
                outcome.report(*problem)
                continue
        if row.fingerprint in seen and seen[row.fingerprint] != (status, row.reason):
            outcome.report("conflict", row, f"指纹 {row.fingerprint} 在第{seen[row.fingerprint][2]}行已有不同的处理意见")
            continue
        seen[row.fingerprint] = (status, row.reason, row.number)
        old = baseline.decisions.get(row.fingerprint)
        if old is not None and (old.status, old.reason) == (status, row.reason):
            outcome.unchanged += 1
            continue
        baseline.decide(row.fingerprint, status, row.reason, date, by, record or {**row.record, "fingerprint": row.fingerprint})
        setattr(outcome, status, getattr(outcome, status) + 1)
    return outcome


def _check(row: Row, record: dict | None, reference: list[dict]):
    """("unknown" | "changed", row, message) when the fingerprint does not stand for this row."""
    if record is not None:
        if _identity(record) == _identity(row.record):
            return None
        return ("changed", row, f"指纹 {row.fingerprint} 属于另一个问题（{record.get('rule_id')}，{_file(record.get('file'))}），与该行不符；表格可能被改动过")
    for other in reference:  # the same finding under another fingerprint: the report changed
        if _identity(other)[:-1] == _identity(row.record)[:-1]:
            return ("changed", row, f"审核结果中该行的问题指纹为 {other.get('fingerprint')}，与表中的 {row.fingerprint} 不符（报告修改后重新审核过，或表格被改动过）；请在新的 findings.xlsx 中重新处理")
    return ("unknown", row, f"本次审核结果中没有指纹为 {row.fingerprint} 的问题")

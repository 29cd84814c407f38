"""Baseline: decisions inspectors made about findings, kept in a YAML file across runs.

A decision names a finding by its fingerprint (rule + report identity + location, stable
across runs) and records it as accepted (the problem is real but allowed to stand) or
dismissed (a false alarm or not applicable), with the reason. A later run marks matching
findings with that status and the reason as their note; such findings are shown but no
longer count toward conclusions or the exit code (Finding.counts).

File format (default `.auditor-baseline.yaml` in the working folder):

    version: 1
    decisions:
      - fingerprint: 7afea2a45947eff5   # the only key used for matching
        status: dismissed               # accepted | dismissed
        reason: 原件表格完整，转载时丢失了两列
        date: '2025-03-02'
        by: 张三                        # optional
        rule_id: RECON-010              # rule_id, file, body, year, where, message:
        file: 004_823b9c688159316a.txt  #   context for people reading the file
        ...

The schema is closed: unknown keys, a missing reason, a bad status or a fingerprint listed
twice are BaselineErrors reported as `file:line: what is wrong`.

Integrity: the file is saved atomically (output/atomic.py) and ends with a check line,
`# gkaudit-baseline-end sha256=<SHA-256 of everything before it>`. A file the tool wrote
(recognised by its first line) without that line was cut short, one whose digest differs was
damaged: both are refused, never loaded with decisions missing. Whoever edits the file by hand
keeps the line without its digest (`# gkaudit-baseline-end`); a file written by hand from
scratch, or by an older version, needs no check line.
"""

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .engine.rulefile import RuleFileError, read_source, read_yaml
from .findings import Finding, where_of
from .output.atomic import ensure_folder, write_text
from .output.sanitize import escape_surrogates, map_text

DEFAULT_NAME = ".auditor-baseline.yaml"
DECISIONS = ("accepted", "dismissed")
CONTEXT_KEYS = ("rule_id", "file", "body", "year", "where", "message")
DECISION_KEYS = {"fingerprint", "status", "reason", "date", "by", *CONTEXT_KEYS}
FINGERPRINT = re.compile(r"^[0-9a-f]{16}$")
FIRST_LINE = "# gkaudit 基线文件（末行是完整性校验行）：审核人员对具体问题的处理决定。"
_HEADER = FIRST_LINE + """
# status：accepted（已接受：问题属实，但同意保留）或 dismissed（已排除：误报或不适用）；reason 必填。
# 之后的审核中，指纹（fingerprint）相同的问题标为“已接受”或“已排除”，不计入审核结论和退出码。
# 匹配只看 fingerprint；rule_id、file、body、year、where、message 供阅读。
# 用 `auditor baseline accept|dismiss|remove|list|from` 维护本文件；也可以直接编辑，编辑后请把末行
# 改为“# gkaudit-baseline-end”（去掉校验值），否则工具会认为文件已损坏而拒绝读取。
"""
END = "# gkaudit-baseline-end"
_END_LINE = re.compile(r"^# gkaudit-baseline-end(?: sha256=([0-9a-f]{64}))?[ \t]*$")


class BaselineError(RuleFileError):
    """A problem in a baseline file, formatted `file:line: message`."""


@dataclass
class Decision:
    fingerprint: str
    status: str  # accepted | dismissed
    reason: str
    date: str = ""
    by: str = ""
    context: dict = field(default_factory=dict)  # rule_id, file, body, year, where, message

    def as_dict(self) -> dict:
        out = {"fingerprint": self.fingerprint, "status": self.status, "reason": self.reason}
        if self.date:
            out["date"] = self.date
        if self.by:
            out["by"] = self.by
        out.update((k, self.context[k]) for k in CONTEXT_KEYS if self.context.get(k) not in (None, ""))
        return out


@dataclass
class Baseline:
    path: Path | None = None
    decisions: dict[str, Decision] = field(default_factory=dict)
    matched: set = field(default_factory=set)

    def __len__(self) -> int:
        return len(self.decisions)

    def apply(self, findings: list[Finding]) -> int:
        """Mark findings the baseline decided on; returns how many were marked."""
        marked = 0
        for finding in findings:
            decision = self.decisions.get(finding.fingerprint)
            if decision is not None:
                finding.status, finding.note = decision.status, decision.reason
                self.matched.add(decision.fingerprint)
                marked += 1
        return marked

    def unmatched(self) -> list[Decision]:
        """Decisions no finding of this run matched (the report changed, or was not audited)."""
        return [d for fp, d in self.decisions.items() if fp not in self.matched]

    def decide(self, fingerprint: str, status: str, reason: str, date: str = "", by: str = "", finding: dict | None = None) -> Decision:
        if not FINGERPRINT.match(fingerprint):
            raise ValueError(f"“{fingerprint}” 不是问题指纹（16 位十六进制数字，见 JSON Lines 输出或 findings.csv 的“指纹”列）")
        if status not in DECISIONS:
            raise ValueError(f"处理决定应为 {' / '.join(DECISIONS)} 之一")
        if not reason.strip():
            raise ValueError("请用 --reason 写明接受或排除的理由")
        context = context_of(finding) if finding else dict(getattr(self.decisions.get(fingerprint), "context", {}))
        decision = Decision(fingerprint, status, reason.strip(), date, by, context)
        self.decisions[fingerprint] = decision
        return decision

    def remove(self, fingerprint: str) -> bool:
        return self.decisions.pop(fingerprint, None) is not None

    def save(self, path: Path | None = None) -> Path:
        path = Path(path or self.path or DEFAULT_NAME)
        ordered = sorted(self.decisions.values(), key=lambda d: (str(d.context.get("file", "")), str(d.context.get("rule_id", "")), d.fingerprint))
        decisions = [map_text(d.as_dict(), escape_surrogates) for d in ordered]
        body = _HEADER + yaml.safe_dump({"version": 1, "decisions": decisions}, allow_unicode=True, sort_keys=False, width=100)
        digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
        ensure_folder(path.parent)
        write_text(path, f"{body}{END} sha256={digest}\n")
        self.path = path
        return path


def context_of(finding: dict | Finding) -> dict:
    """The readable context recorded beside a decision, from a Finding or its JSON record."""
    if isinstance(finding, Finding):
        data = finding.as_dict()
    else:  # a JSON record: any value may be of any type
        data = {k: v if v is None or isinstance(v, (str, int, float)) else str(v) for k, v in finding.items()}
    where = where_of({k: "" if v is None else str(v) for k, v in data.items() if k in ("section", "table", "row", "column")})
    if data.get("line"):
        where = f"{where}（第{data['line']}行）" if where else f"第{data['line']}行"
    return {
        "rule_id": data.get("rule_id", ""), "file": str(data.get("file", "")).replace("\\", "/").rsplit("/", 1)[-1],
        "body": data.get("body", ""), "year": data.get("year"), "where": where, "message": data.get("message", ""),
    }


def load_baseline(path: Path | str | None) -> Baseline:
    """The decisions in `path`; a missing file is an empty baseline that will be written there."""
    if path is None:
        return Baseline()
    path = Path(path)
    if not path.exists():
        return Baseline(path)
    try:
        text = read_source(path)
        check_integrity(path, text)
        data = read_yaml(path, text)
    except BaselineError:
        raise
    except RuleFileError as error:
        raise BaselineError(error.path, error.line, error.message) from None
    baseline = Baseline(path)
    if data is None:
        return baseline
    if not isinstance(data, dict):
        raise BaselineError(path, 1, "基线文件应是一个映射，包含 version 和 decisions 两个键")
    for key, line in data["__lines__"].items():
        if key not in ("version", "decisions"):
            raise BaselineError(path, line, f"基线文件中有未知的键 “{key}”；可用的键：version、decisions")
    if data.get("version", 1) != 1:
        raise BaselineError(path, data["__lines__"].get("version", 1), "不支持的基线文件版本（应为 1）")
    items = data.get("decisions") or []
    if not isinstance(items, list):
        raise BaselineError(path, data["__lines__"].get("decisions", 1), "decisions 应是一个列表")
    for item in items:
        baseline_item(baseline, path, item)
    return baseline


def check_integrity(path: Path, text: str) -> None:
    """Refuse a baseline that is empty, cut short or damaged (see the module docstring)."""
    if not text.strip():
        raise BaselineError(path, 1, "基线文件是空的（可能在写入时中断）；若确实没有处理决定，请删除该文件")
    lines = text.rstrip().split("\n")
    found = _END_LINE.match(lines[-1].rstrip("\r"))
    ours = text.startswith(FIRST_LINE) or FIRST_LINE.startswith(text.rstrip())
    if found is None:
        if any(_END_LINE.match(line.rstrip("\r")) for line in lines[:-1]):
            raise BaselineError(path, len(lines), f"完整性校验行“{END}”之后还有内容；校验行应是最后一行")
        if ours:
            raise BaselineError(path, len(lines), f"基线文件不完整：缺少末行的完整性校验行（{END} …），文件可能在写入时被截断，部分处理决定可能已丢失；请从备份恢复")
        return  # written by hand, or by an older version: nothing to check
    if found.group(1):
        body = text[: text.rstrip().rfind("\n") + 1]
        if hashlib.sha256(body.encode("utf-8")).hexdigest() != found.group(1):
            raise BaselineError(
                path, len(lines),
                f"基线文件的校验值与内容不符：文件已损坏，或在工具之外被修改过。若是有意修改，请核对内容后把末行改为“{END}”（去掉校验值）",
            )


def baseline_item(baseline: Baseline, path: Path, item) -> None:
    if not isinstance(item, dict):
        raise BaselineError(path, 0, "decisions 中的每一项应是一个映射（fingerprint、status、reason …）")
    line = item["__line__"]
    for key, key_line in item["__lines__"].items():
        if key not in DECISION_KEYS:
            from difflib import get_close_matches

            hint = get_close_matches(key, sorted(DECISION_KEYS), n=1, cutoff=0.6)
            raise BaselineError(path, key_line, f"处理决定中有未知的键 “{key}”" + (f"，是否应为 “{hint[0]}”？" if hint else ""))
    fingerprint = str(item.get("fingerprint", ""))
    if not FINGERPRINT.match(fingerprint):
        raise BaselineError(path, item["__lines__"].get("fingerprint", line), f"fingerprint “{fingerprint}” 应是 16 位十六进制数字")
    if fingerprint in baseline.decisions:
        raise BaselineError(path, line, f"指纹 {fingerprint} 重复出现，每个问题只能有一条处理决定")
    if item.get("status") not in DECISIONS:
        raise BaselineError(path, item["__lines__"].get("status", line), f"status 应为 {' / '.join(DECISIONS)} 之一")
    reason = item.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise BaselineError(path, item["__lines__"].get("reason", line), "reason 必填：写明接受或排除的理由")
    context = {k: item[k] for k in CONTEXT_KEYS if k in item}
    baseline.decisions[fingerprint] = Decision(
        fingerprint, item["status"], reason.strip(), str(item.get("date", "") or ""), str(item.get("by", "") or ""), context
    )

"""The audit conclusion of one report (合格 / 需整改 / 不合格 / 无法审核) and the counts behind it.

Only findings that count (status "new") are weighed; findings accepted or dismissed in the
baseline are reported beside the counts. The thresholds come from configuration
(config.Thresholds, defaults in auditor/data/defaults.toml).
"""

from collections import Counter
from dataclasses import dataclass, field

from .config import Thresholds
from .findings import Finding

PASS, REVISE, FAIL, UNAUDITABLE = "合格", "需整改", "不合格", "无法审核"


@dataclass
class Conclusion:
    label: str
    reasons: list[str] = field(default_factory=list)
    counts: dict = field(default_factory=dict)  # error / warning / info (counted findings only)
    settled: int = 0  # findings accepted or dismissed in the baseline

    @property
    def passed(self) -> bool:
        return self.label == PASS

    def counts_text(self) -> str:
        text = f"错误 {self.counts.get('error', 0)} 条、警告 {self.counts.get('warning', 0)} 条、提示 {self.counts.get('info', 0)} 条"
        if self.counts.get("review"):
            text += f"；另有 {self.counts['review']} 处需人工复核（工具未能读出，不计入结论）"
        if self.settled:
            text += f"；另有 {self.settled} 条已在基线中接受或排除，不计入"
        return text

    def reason_text(self) -> str:
        return "；".join(self.reasons)


def conclude(findings: list[Finding], parsed: bool, thresholds: Thresholds) -> Conclusion:
    counted = [f for f in findings if f.counts]
    counts = Counter(f.severity for f in counted)
    result = Conclusion("", counts={k: counts.get(k, 0) for k in ("error", "warning", "info", "review")}, settled=len(findings) - len(counted))
    if not parsed:
        codes = [f for f in findings if f.family == "input"]
        result.label = UNAUDITABLE
        result.reasons = [f"{f.rule_id} {f.message}" for f in codes] or ["文件无法解析"]
        return result
    errors, warnings = result.counts["error"], result.counts["warning"]
    failing = sorted({f.rule_id for f in counted if f.rule_id in thresholds.fail_rules})
    if failing:
        result.reasons.append(f"出现一经发现即判定不合格的规则 {'、'.join(failing)}")
    if thresholds.fail_errors and errors >= thresholds.fail_errors:
        result.reasons.append(f"错误 {errors} 条，达到“不合格”标准（错误不少于 {thresholds.fail_errors} 条）")
    if result.reasons:
        result.label = FAIL
        return result
    if thresholds.revise_errors and errors >= thresholds.revise_errors:
        result.reasons.append(f"错误 {errors} 条，达到“需整改”标准（错误不少于 {thresholds.revise_errors} 条）")
    if thresholds.revise_warnings and warnings >= thresholds.revise_warnings:
        result.reasons.append(f"警告 {warnings} 条，达到“需整改”标准（警告不少于 {thresholds.revise_warnings} 条）")
    if result.reasons:
        result.label = REVISE
        return result
    result.label = PASS
    limits = []
    if thresholds.revise_errors:
        limits.append(f"错误不少于 {thresholds.revise_errors} 条")
    if thresholds.revise_warnings:
        limits.append(f"警告不少于 {thresholds.revise_warnings} 条")
    result.reasons.append(f"错误 {errors} 条、警告 {warnings} 条，未达到“需整改”标准（{'或'.join(limits)}）" if limits else "未设置“需整改”标准")
    return result

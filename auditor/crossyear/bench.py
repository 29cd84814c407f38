"""Cost of the cross-report pass (packs YEAR and COPY) alone, on N generated carry summaries.

    python -m auditor.bench --cross 10000 100000

Summaries are made from one real parsed report (its cells and section signatures), given
N/4 bodies × 4 consecutive years: each year keeps about 30% of its body's previous signature
values, every tenth body copies last year's report (95%) tables and all, every 500th body is a
near-duplicate of another body's, and one carry-over cell in fifty is broken. Timed: storing the summaries as they
stream by (CrossPass.add) and the closing pass (pairing through the store, LSH, one engine
session per pair, rendering). Parsing is not included: see the parse/audit phases.
"""

import copy
import resource
import time

import numpy as np

from ..engine.packs import load_rules
from ..pipeline import parse_file
from ..resources import rules_dir
from .batch import CrossPass
from .summary import WHOLE, summarize


def generated(count: int, seed: int = 1):
    template = summarize(parse_file(rules_dir() / "fixtures" / "base" / "prose-2022.txt").report, "x")
    rng = np.random.default_rng(seed)
    perm = len(template.sections[WHOLE][3]) // 4
    bodies = max(1, count // 4)
    signature = {}
    for index in range(count):
        body, year = index % bodies, 2020 + index // bodies
        previous = signature.get(body)
        fresh = rng.integers(0, 2**32, (len(template.sections), perm), dtype=np.uint32)
        copying = body % 10 == 3
        if previous is not None:
            keep = rng.random(fresh.shape) < (0.95 if copying else 0.3)
            fresh[keep] = previous[keep]
        if body % 500 == 1 and year == 2020:
            fresh = signature.get(body - 1, fresh).copy()
        signature[body] = fresh
        summary = copy.copy(template)
        summary.path, summary.body, summary.identity, summary.year = f"r{index}.txt", f"单位{body}", f"单位{body}", year
        summary.sections = {key: (label, line, chars, fresh[i].tobytes()) for i, (key, (label, line, chars, _)) in enumerate(template.sections.items())}
        summary.cells = dict(template.cells)
        summary.tables = {key: (f"{body if copying else index}", nonzero, line) for key, (_, nonzero, line) in template.tables.items()}
        if index % 50 == 7:
            value, status, line = summary.cells["t3.carried_in.natural"]
            summary.cells["t3.carried_in.natural"] = (value + 1, status, line)
        yield summary


def measure(count: int) -> dict:
    rules = load_rules()
    cross = CrossPass(rules)
    started = time.perf_counter()
    for summary in generated(count):
        cross.add(summary)
    stored = time.perf_counter() - started
    started = time.perf_counter()
    findings = cross.findings()
    closing = time.perf_counter() - started
    by_rule: dict = {}
    for finding in findings:
        by_rule[finding.rule_id] = by_rule.get(finding.rule_id, 0) + 1
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"reports": count, "store_s": stored, "closing_s": closing, "findings": by_rule, "rss_mb": peak}


def line(result: dict) -> str:
    total = result["store_s"] + result["closing_s"]
    rules = ", ".join(f"{k} {v}" for k, v in sorted(result["findings"].items()))
    return (f"cross pass (YEAR+COPY) {result['reports']:>7} reports: store {result['store_s']:.1f} s, closing {result['closing_s']:.1f} s, "
            f"{result['reports'] / total:,.0f} reports/s, peak RSS {result['rss_mb']:.0f} MB; findings: {rules}")

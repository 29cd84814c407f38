"""Plausible, self-consistent table figures for one report.

Counts are mostly small and often zero (a township may receive no application in a year),
some bodies are large (a province receives hundreds); every relation of the template holds
by construction: each applicant column balances (新收 + 上年结转 = 办理结果总计 + 结转),
every row total is the sum of the six applicant columns, table 四's totals are the sums of
their outcomes, and 上一年项目数量 + 本年增/减 is never negative.
"""

from decimal import Decimal
from random import Random

APPLICANTS = ("natural", "commercial", "research", "charity", "legal", "other_org")
T4_GROUPS = ("review", "suit_direct", "suit_after")
T4_OUTCOMES = ("upheld", "corrected", "other", "pending")

# Mean yearly applications and the share of bodies receiving none, by level.
_SCALE = {
    "乡镇": (2.5, 0.55), "街道": (4.0, 0.4), "县级部门": (8.0, 0.35), "县级政府": (45.0, 0.05),
    "市级部门": (60.0, 0.05), "市级政府": (60.0, 0.05), "省级部门": (220.0, 0.0), "省级政府": (220.0, 0.0),
}
# Levels of bodies with much to report (cities, provinces and their departments).
_BIG = ("市级部门", "市级政府", "省级部门", "省级政府")
# Result rows and their weights (where handled applications go).
_RESULTS_2019 = {
    "granted": 45, "partial": 8, "denied_1": 1, "denied_2": 1, "denied_3": 1, "denied_4": 2, "denied_5": 2,
    "denied_6": 2, "denied_7": 1, "denied_8": 1, "unable_1": 18, "unable_2": 4, "unable_3": 3,
    "rejected_1": 4, "rejected_2": 3, "rejected_3": 1, "rejected_4": 1, "rejected_5": 1, "other": 4,
}
_RESULTS_2021 = {k: v for k, v in _RESULTS_2019.items() if k != "other"} | {"other_1": 2, "other_2": 1, "other_3": 3}
_APPLICANT_WEIGHTS = (80, 12, 1, 1, 3, 3)
_COLUMNS = range(6)


def result_rows(template: str) -> tuple[str, ...]:
    return tuple(_RESULTS_2021 if template == "2021" else _RESULTS_2019)


def t3_values(rng: Random, level: str, template: str, zero: bool | None = None,
              carried_in: list[int] | None = None) -> dict[str, list[int]]:
    """Table 三 rows -> the seven cells (six applicant columns and 总计). `carried_in`: the six
    上年结转 cells (a report of a series: last year's 结转下年度), instead of drawn ones."""
    mean, zero_share = _SCALE.get(level, (10.0, 0.2))
    if zero is None:
        zero = rng.random() < zero_share
    weights = _RESULTS_2021 if template == "2021" else _RESULTS_2019
    rows = {key: [0] * 6 for key in ("received", "carried_in", "carried_out", *weights)}
    if carried_in is not None:
        rows["carried_in"] = list(carried_in)
    if not zero or any(rows["carried_in"]):
        total = 0 if zero else max(1, int(rng.expovariate(1 / mean)))
        if total and rng.random() < 0.08:
            total += rng.randint(100, 900)  # now and then a large year
        for col in rng.choices(_COLUMNS, weights=_APPLICANT_WEIGHTS, k=total):
            rows["received"][col] += 1
        if carried_in is None and rng.random() < 0.3:
            for col in rng.choices(_COLUMNS, weights=_APPLICANT_WEIGHTS, k=rng.randint(1, max(1, total // 8))):
                rows["carried_in"][col] += 1
        keys = list(weights)
        key_weights = list(weights.values())
        for col in range(6):
            available = rows["received"][col] + rows["carried_in"][col]
            if available and rng.random() < 0.25:
                rows["carried_out"][col] = rng.randint(0, max(1, available // 5))
                rows["carried_out"][col] = min(rows["carried_out"][col], available)
            for key in rng.choices(keys, weights=key_weights, k=available - rows["carried_out"][col]):
                rows[key][col] += 1
    out = {key: cells + [sum(cells)] for key, cells in rows.items()}
    out["results_total"] = [sum(out[key][col] for key in weights) for col in range(7)]
    return out


def subtotal(values: dict[str, list[int]], parts: tuple[str, ...]) -> list[int]:
    return [sum(values[p][col] for p in parts) for col in range(7)]


def t4_values(rng: Random, level: str) -> list[int]:
    """Fifteen cells: three groups of 结果维持, 结果纠正, 其他结果, 尚未审结, 总计."""
    busy = {"乡镇": 0.05, "街道": 0.1, "县级部门": 0.2, "县级政府": 0.45}.get(level, 0.8 if level.startswith("省级") else 0.5 if level in _BIG else 0.2)
    out: list[int] = []
    for group in T4_GROUPS:
        outcomes = [0, 0, 0, 0]
        if rng.random() < busy * (1.0 if group == "review" else 0.6):
            for _ in range(rng.randint(1, 6 if level in _BIG else 3)):
                outcomes[_weighted(rng, (5, 2, 2, 2))] += 1
        out.extend(outcomes + [sum(outcomes)])
    return out


def t2_values(rng: Random, level: str, template: str, previous: dict | None = None) -> dict[str, dict[str, object]]:
    """Table 二 rows -> {column key: value} in the template's columns. `previous`: last year's
    values of a series (chained by synth.series.roll_forward)."""
    if previous is not None:
        from .series import roll_forward

        return roll_forward(t2_values(rng, level, template), previous, rng, level)
    big = level in _BIG
    low = level in ("乡镇", "街道", "县级部门", "县级政府")
    regs_new = 0 if low else rng.choice((0, 0, 1, 2, 3, 5))
    docs_new = rng.choice((0, 0, 1, 2, 3)) if level in ("乡镇", "街道") else rng.randint(0, 25 if big else 10)
    if template == "2021":
        regs_in_force = 0 if low else regs_new + rng.randint(0, 60)
        docs_in_force = docs_new + rng.randint(0, 120 if big else 40)
        return {
            "regulations": {"issued": regs_new, "repealed": 0 if low else rng.choice((0, 0, 1, 2)), "in_force": regs_in_force},
            "normative_docs": {"issued": docs_new, "repealed": rng.choice((0, 0, 0, 1, 2, 3)), "in_force": docs_in_force},
            "licensing": {"decisions": _activity(rng, level)},
            "penalty": {"decisions": _activity(rng, level)},
            "enforcement": {"decisions": _activity(rng, level, small=True)},
            "admin_fees": {"fee_amount": _amount(rng, level)},
        }
    out = {
        "regulations": {"new_made": regs_new, "new_published": regs_new, "total_published": 0 if low else regs_new + rng.randint(0, 60)},
        "normative_docs": {"new_made": docs_new, "new_published": docs_new, "total_published": docs_new + rng.randint(0, 120 if big else 40)},
    }
    for key in ("licensing", "other_services", "penalty", "enforcement"):
        out[key] = _with_change(rng, level) | {"decisions": _activity(rng, level, small=key == "enforcement")}
    out["admin_fees"] = _with_change(rng, level)
    count = 0 if level in ("乡镇", "街道") and rng.random() < 0.6 else rng.randint(0, 40 if big else 12)
    out["procurement"] = {"count": count, "amount": _amount(rng, level) if count else Decimal(0)}
    return out


def _with_change(rng: Random, level: str) -> dict[str, int]:
    previous = 0 if level in ("乡镇", "街道") and rng.random() < 0.5 else rng.randint(0, 60 if level in _BIG else 20)
    change = rng.randint(-min(previous, 6), 6) if rng.random() < 0.6 else 0
    return {"prev_count": previous, "change": change}


def _activity(rng: Random, level: str, small: bool = False) -> int:
    if level in ("乡镇", "街道") and rng.random() < 0.5:
        return 0
    scale = {"乡镇": 20, "街道": 30, "县级部门": 300, "县级政府": 800}.get(level, 3000 if level.startswith("省级") else 1500 if level in _BIG else 100)
    value = int(rng.expovariate(1 / scale))
    return value // 10 if small else value


def _amount(rng: Random, level: str) -> Decimal:
    if level in ("乡镇", "街道") and rng.random() < 0.7:
        return Decimal(0)
    places = rng.choice((1, 2))
    value = Decimal(rng.randint(1, 500000 if level in ("省级", "市级") else 20000)) / 100
    return value.quantize(Decimal(1).scaleb(-places))


def _weighted(rng: Random, weights) -> int:
    return rng.choices(range(len(weights)), weights=weights)[0]

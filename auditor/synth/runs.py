"""Digits run together: how a row's values print with no separators, and how many ways the
printed run splits back into the row's cells.

Real pages glue a row's cells ("3000003") and sometimes keep a space between some of them
("200 000121"). DESIGN.md: a run is split where exactly one split fits. The generator counts
the splits itself (each cell a number with no leading zero unless it is 0, at most nine
digits; spaces and signs cut; decimals stay with their number) and keeps spaces between
cells until the run splits one way only — or, for the defects, makes it split several ways
or none.
"""

import re
from functools import lru_cache
from random import Random

_TOKEN = re.compile(r"[+-]?\d+(?:\.\d+)?")
_MAX = 9


@lru_cache(maxsize=65536)
def _cuts(digits: str, parts: int) -> int:
    """Ways to read a digit string as exactly `parts` valid numbers."""
    if parts == 1:
        return int(bool(digits) and len(digits) <= _MAX and (digits == "0" or digits[0] != "0"))
    if not parts <= len(digits) <= parts * _MAX:
        return 0
    total = 0
    for size in range(1, min(len(digits) - parts + 1, _MAX) + 1):
        head = digits[:size]
        if head != "0" and head[0] == "0":
            break
        total += _cuts(digits[size:], parts - 1)
        if head == "0":
            break
    return total


def count_splits(run: str, cells: int) -> int:
    """Number of ways `run` reads as `cells` numbers."""
    tokens = _TOKEN.findall(run.replace(",", "").replace("元", "").replace("万", ""))
    ways = {0: 1}
    for token in tokens:
        whole = token.lstrip("+-").partition(".")[0]
        options = {k: _cuts(whole, k) for k in range(1, len(whole) + 1)}
        following: dict[int, int] = {}
        for used, count in ways.items():
            for parts, n in options.items():
                if n and used + parts <= cells:
                    following[used + parts] = following.get(used + parts, 0) + count * n
        ways = following
    return ways.get(cells, 0)


def plan(values: list[str], rng: Random, want: str = "unique", glue: float = 0.85) -> tuple[str, str]:
    """(run as printed, how it splits): cells glued at random, spaces kept until the split is
    unique (want="unique"); all glued when the split must be ambiguous; a digit dropped for
    "impossible"."""
    cells = len(values)
    if want == "impossible":
        run = "".join(values)
        index = max(i for i, ch in enumerate(run) if ch.isdigit())
        return run[:index] + run[index + 1:], "impossible"
    if want == "ambiguous":
        run = "".join(values)
        return run, "ambiguous" if count_splits(run, cells) > 1 else "unique"
    gaps = [rng.random() >= glue for _ in range(cells - 1)]
    while True:
        run = values[0] + "".join((" " if gap else "") + value for gap, value in zip(gaps, values[1:]))
        if count_splits(run, cells) == 1:
            return run, "unique"
        closed = [i for i, gap in enumerate(gaps) if not gap]
        if not closed:
            return run, "unique"  # every cell apart: a single split by construction
        # open the gap next to a multi-digit value first (that is where the ambiguity is)
        near = [i for i in closed if len(values[i].lstrip("+-")) > 1 or len(values[i + 1].lstrip("+-")) > 1]
        gaps[rng.choice(near or closed)] = True

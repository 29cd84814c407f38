"""Split a run of digits printed with no separators into a row's cells.

"3000003" under a 7-column row of table 三 is 3/0/0/0/0/0/3: every way of cutting the run
into the row's number of cells is tried (a cell never starts with 0 unless it is 0;
spaces and signs in the run are hard cuts), and a split is accepted only when it is the
single one that fits. Where the row has its own total (table 三: 总计 = the six applicant
columns; table 四: 总计 = the four outcomes of each group) the total is used to choose, and
the result says so, so that check is not later reported as independently passed.
"""

import re
from dataclasses import dataclass

_TOKEN = re.compile(r"[+-]?\d+(?:\.\d+)?")
_MAX_DIGITS = 9  # no single cell of these tables runs past nine digits


@dataclass(frozen=True)
class Split:
    values: tuple[str, ...] | None  # the cells, or None when no single split fits
    how: str  # unique | by_total | ambiguous | impossible
    candidates: int  # splits that fit the row's shape (before totals)


def split_run(run: str, cells: int, total_groups: tuple[tuple[int, ...], ...] = ()) -> Split:
    """Cut `run` into `cells` values.

    `total_groups` lists, for each row total, the cell positions whose last one is the
    sum of the others (e.g. ((0, 1, 2, 3, 4, 5, 6),) for a table 三 row).
    """
    tokens = _TOKEN.findall(run.replace(",", "").replace("元", "").replace("万", ""))
    shapes = list(_compositions(tokens, cells))
    if not shapes:
        return Split(None, "impossible", 0)
    if len(shapes) == 1:
        return Split(shapes[0], "unique", 1)
    fitting = [s for s in shapes if all(_total_holds(s, group) for group in total_groups)] if total_groups else []
    if len(fitting) == 1:
        return Split(fitting[0], "by_total", len(shapes))
    return Split(None, "ambiguous", len(shapes))


def _compositions(tokens: list[str], cells: int):
    """Every way to cut each token into numbers so that there are `cells` numbers in all."""
    if not tokens:
        if cells == 0:
            yield ()
        return
    first, rest = tokens[0], tokens[1:]
    rest_most = sum(_most_parts(token) for token in rest)
    for parts in range(max(1, cells - rest_most), min(_most_parts(first), cells - len(rest)) + 1):
        for head in _cuts(first, parts):
            for tail in _compositions(rest, cells - parts):
                yield head + tail


def _most_parts(token: str) -> int:
    """A token can be read as at most one number per digit before its decimal point."""
    return max(1, len(token.lstrip("+-").partition(".")[0]))


def _cuts(token: str, parts: int):
    """Ways to read one token as exactly `parts` numbers (sign and decimals stay with a number)."""
    sign = ""
    if token[0] in "+-":
        sign, token = token[0], token[1:]
    whole, dot, decimals = token.partition(".")
    for numbers in _digit_cuts(whole, parts):
        numbers = list(numbers)
        numbers[0] = sign + numbers[0]
        if dot:
            numbers[-1] = numbers[-1] + "." + decimals
        yield tuple(numbers)


def _digit_cuts(digits: str, parts: int):
    if parts == 1:
        if digits and _valid(digits):
            yield (digits,)
        return
    if not parts <= len(digits) <= parts * _MAX_DIGITS:
        return
    for size in range(1, min(len(digits) - parts + 1, _MAX_DIGITS) + 1):
        head = digits[:size]
        if not _valid(head):
            break  # a longer head starting with 0 is invalid too
        for tail in _digit_cuts(digits[size:], parts - 1):
            yield (head,) + tail


def _valid(number: str) -> bool:
    return len(number) <= _MAX_DIGITS and (number == "0" or not number.startswith("0"))


def _total_holds(values: tuple[str, ...], group: tuple[int, ...]) -> bool:
    *parts, total = (float(values[i]) for i in group)
    return abs(sum(parts) - total) < 1e-9

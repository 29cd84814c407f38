"""Which template row each of a run of unlabelled rows of values is (facts.fragments).

Each row of values may take one of a few labels made of the text pieces around it (or
none). A placement gives rows keys in template order, between the keys of the rows placed
around the run, uses each piece once, and lets a row's own label cell go only to the row
above whose label ends with it. Of all placements, those naming the most rows count; where
they disagree, the table's arithmetic chooses when it accepts exactly one; rows that still
disagree keep their candidate keys (present, values unknown).

Found by dynamic programming over the rows (the state: the last key's rank and the pieces
after the row that its label used), so that long runs (every label printed apart from its
values) stay cheap.
"""

from dataclasses import dataclass

_LIMIT = 4096  # optimal placements enumerated for the arithmetic


@dataclass(frozen=True)
class Option:
    key: str
    label: str
    pieces: tuple[int, ...]
    match: object  # LabelMatch


def settle(options: list[list[Option]], owns: list, after: list[frozenset], rank: dict, low: int, high: int,
           judge=None, groups: frozenset = frozenset()) -> list:
    """The option (or None) each row takes, or a tuple of candidate keys where it is not
    settled. `judge(keys_by_row, keys)` says whether the arithmetic involving `keys` holds
    with the rows keyed so (True / False / None)."""
    banned: set[tuple[int, str]] = set()
    for _ in range(8):
        paths, complete = _optimal(options, owns, after, rank, low, high, banned)
        if not paths:
            return [None] * len(options)
        newly = set()
        if judge is not None and groups:
            # a subtotal row named only by pieces beside the values (a merged group cell)
            # must add up with its sub-rows; otherwise the values are another row's
            for path in paths:
                keys = [o.key if o else None for o in path]
                for index, key in enumerate(keys):
                    if key in groups and (index, key) not in banned and judge(keys, [key]) is False:
                        newly.add((index, key))
        if not newly:
            break
        banned |= newly
    keysets = {tuple(o.key if o else None for o in path) for path in paths}
    if len(keysets) > 1:
        # subtotal rows are mostly printed as merged cells with no values of their own: a
        # placement naming sub-rows is preferred to one naming their group
        fewest = min(sum(k in groups for k in keys) for keys in keysets)
        keysets = {keys for keys in keysets if sum(k in groups for k in keys) == fewest}
        paths = [p for p in paths if tuple(o.key if o else None for o in p) in keysets]
    if len(keysets) > 1 and complete and judge is not None:
        accepted = {k for k in keysets if judge(list(k), [x for x in k if x]) is True}
        if len(accepted) == 1:
            keysets = accepted  # the only placement the table's arithmetic accepts
            paths = [p for p in paths if tuple(o.key if o else None for o in p) in accepted]
    if len(keysets) == 1:
        return list(paths[0])
    out = []
    for index in range(len(options)):
        keys = {k[index] for k in keysets}
        if len(keys) == 1:
            out.append(paths[0][index])
        else:
            out.append(tuple(sorted((k for k in keys if k), key=rank.get)))
    return out


def _optimal(options, owns, after, rank, low, high, banned):
    """All placements naming the most rows (up to _LIMIT), and whether that is all of them."""
    start = (low, frozenset())
    layers: list[dict] = [{start: (0, [])}]  # state -> (count, [(previous state, option)])
    for index, choices in enumerate(options):
        layer: dict = {}
        for state, (count, _) in layers[-1].items():
            last, carried = state
            for option in choices + [None]:
                if option is None:
                    new, gain = (last, frozenset()), 0
                else:
                    order = rank[option.key]
                    if (index, option.key) in banned or not last < order < high or carried & set(option.pieces):
                        continue
                    own = owns[index]
                    if own is not None and own not in option.pieces and own not in carried:
                        continue  # its own label cell must be its or the label above's
                    new, gain = (order, frozenset(option.pieces) & after[index]), 1
                total = count + gain
                best = layer.get(new)
                if best is None or total > best[0]:
                    layer[new] = (total, [(state, option)])
                elif total == best[0]:
                    best[1].append((state, option))
        layers.append(layer)
    top = max(count for count, _ in layers[-1].values())
    if top == 0:
        return [], True
    paths: list[list] = []
    complete = True

    def back(depth: int, state, suffix: list):
        nonlocal complete
        if len(paths) >= _LIMIT:
            complete = False
            return
        if depth == 0:
            paths.append(list(reversed(suffix)))
            return
        for previous, option in layers[depth][state][1]:
            back(depth - 1, previous, suffix + [option])

    for state, (count, _) in layers[-1].items():
        if count == top:
            back(len(options), state, [])
    return paths, complete

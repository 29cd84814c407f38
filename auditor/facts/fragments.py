"""Rows whose labels are printed apart from their values (PDF text, pages made from PDF).

In PDF layout text a row's label wraps inside its cell while the row's values sit on one
line, vertically centred: "(二)部分公开(区分处理的,只计这一情" / values / "形,不计其他情形)";
"1、申请人无正当理由逾期不补" / "正、行政机关不再处理其政府信 67 3 0 0 1 0 71" / "息公开申请". Merged
cells beside the rows ("(六)其" / "他处理", "三、本年度办理结果" one character per line) are
printed among those pieces.

Each printed row of values is given a template row:
- an anchor is a row whose own label (the text cell just before its values) names a
  template row by itself -- except a group's merged cell on the line above values printed
  apart from their label ("(五)不予处理" / values / "1.信访举报投诉类申请");
- any other row of values takes the pieces of text around it, between the rows before and
  after it, that joined in order name a template row exactly (pieces of other cells in
  between are skipped), using its own label cell where a label can be made with it; the
  keys follow template order between the anchors around (facts.alignment);
- where rows could take more than one key, sub-rows are preferred to their group, and the
  placement that the table's own arithmetic (`check`) accepts is taken when it is the only
  one; otherwise those rows stay unplaced (present, values unknown);
- a row left without a label keeps the untaken pieces around it (`context`) for a fuzzy
  match by the table's mapper (a label in pieces with a typo).
"""

from dataclasses import dataclass, field
from functools import cache

from ..templates import Item, LabelMatch, comparable
from .alignment import Option, settle
from .cells import exact
from .transformer import Head, RawRow

_WINDOW = 8  # pieces of text considered on each side of a row of values


@dataclass
class Placed:
    key: str
    label: str  # the label as printed (its pieces joined)
    found: LabelMatch | None
    row: RawRow
    line: int  # where the label starts
    ambiguous: tuple[str, ...] = ()  # keys this row could take (unplaced rows only)
    label_taken: bool = False  # its own label cell is a piece of another row's label
    pieces: tuple[int, ...] = ()  # the pieces of text its label was made of
    context: tuple[str, ...] = ()  # unplaced rows: the untaken text pieces around them
    context_own: int = -1  # index in `context` of the row's own label cell


@dataclass
class _Piece:
    text: str
    line: int
    position: int  # in the sequence of pieces and value rows


@dataclass
class _Values:
    row: RawRow
    position: int
    own: int | None  # index of the row's own label piece
    choices: list = field(default_factory=list)  # (key, label, piece indexes, found)


def place(parts: list, items: tuple[Item, ...], anchor, check=None) -> list[Placed]:
    """Template rows for the rows of values among `parts` (Head | RawRow, header excluded),
    one Placed per row of values, in order (key "" where none could be given).

    `anchor(label, pieces_before)` returns (LabelMatch, label) for a row's own label when it
    names a row by itself (or with the pieces just before it), else (None, label).
    `check(placements, keys)` (placements: key -> RawRow) says whether the table's
    relations involving `keys` hold: True, False, or None when it cannot tell."""
    pieces: list[_Piece] = []
    rows: list[_Values] = []
    for index, part in enumerate(parts):
        if _label_alone(parts, index):
            part = Head(part.label, part.line)  # its values are on the next row, under no label
        if isinstance(part, Head):
            pieces.append(_Piece(part.text, part.line, len(pieces) + len(rows)))
        elif isinstance(part, RawRow):
            if not part.label and all(v.kind == "blank" for v in part.values):
                continue  # the blank cells a caption or header cell spans
            own = None
            if part.label:
                own = len(pieces)
                pieces.append(_Piece(part.label, part.line, len(pieces) + len(rows)))
            rows.append(_Values(part, len(pieces) + len(rows), own))
    order = {item.key: index for index, item in enumerate(items)}
    headings = {item.key for item in items if item.heading}
    groups = frozenset(item.key for item in items if item.sum_of)
    placed: dict[int, Placed] = {}
    used: set[int] = set()
    for index, values in enumerate(rows):
        if values.own is None:
            continue
        before = [p.text for p in pieces[:values.own] if p.position > (rows[index - 1].position if index else -1)]
        found, label = anchor(pieces[values.own].text, before)
        if found and found.key in groups and values.row.line != values.row.values[0].line:
            # a group's merged cell on the line above a row of values (its sub-row's label
            # printed below them) is no label of theirs by itself: the pieces around decide
            values.own = None
            continue
        if found and found.key not in headings:
            placed[index] = Placed(found.key, label, found, values.row, pieces[values.own].line, pieces=(values.own,))
            used.add(values.own)
    taken = {p.key for p in placed.values()}
    free = [i for i in range(len(rows)) if i not in placed]
    for index in free:
        rows[index].choices = _choices(index, rows, pieces, used, items, taken | headings)
    for gap in _gaps(free):
        _settle(gap, rows, pieces, placed, order, groups, check)
    pieces_used = {p for item in placed.values() for p in item.pieces}
    out = []
    for index, values in enumerate(rows):
        item = placed.get(index) or Placed("", values.row.label, None, values.row, values.row.line)
        item.label_taken = values.own is not None and values.own in pieces_used and values.own not in item.pieces
        if not item.key and not item.ambiguous:
            item.context, item.context_own = _context(index, rows, pieces, pieces_used)
        out.append(item)
    return out


def _label_alone(parts: list, index: int) -> bool:
    """A label whose cells are all blank, right above a row of values with no label (a label
    cell that spans two lines made two table rows: markdown made from PDF)."""
    part = parts[index]
    if not isinstance(part, RawRow) or not part.label or any(v.kind != "blank" for v in part.values):
        return False
    following = parts[index + 1] if index + 1 < len(parts) else None
    return isinstance(following, RawRow) and not following.label and any(v.kind != "blank" for v in following.values)


def _context(index: int, rows: list[_Values], pieces: list[_Piece], used: set[int]) -> tuple[tuple[str, ...], int]:
    """The text pieces no row took, around a row left without a label: its label in pieces
    (with a typo, so that no exact label could be made), to be matched fuzzily."""
    low = rows[index - 1].position if index else -1
    high = rows[index + 1].position if index + 1 < len(rows) else 1 << 30
    nxt = rows[index + 1].own if index + 1 < len(rows) else None
    chosen = [i for i, p in enumerate(pieces) if low < p.position < high and i not in used and i != nxt]
    own = rows[index].own
    return tuple(pieces[i].text for i in chosen), chosen.index(own) if own in chosen else -1


def _choices(index: int, rows: list[_Values], pieces: list[_Piece], used: set[int], items, excluded: set[str]):
    """(key, label, piece indexes, found) for each way the pieces around this row name a row."""
    low = rows[index - 1].position if index else -1
    high = rows[index + 1].position if index + 1 < len(rows) else 1 << 30
    here = rows[index].position
    window = [i for i, p in enumerate(pieces) if low < p.position < high and i not in used]
    before = [i for i in window if pieces[i].position < here][-_WINDOW:]
    after = [i for i in window if pieces[i].position > here][:_WINDOW]
    window = before + after
    prefixes, _ = _vocabulary(items)
    found: list = []

    def walk(start: int, text: str, chosen: tuple[int, ...]):
        for j in range(start, len(window)):
            joined = text + pieces[window[j]].text
            key = comparable(joined)
            if key not in prefixes:
                continue
            taken = chosen + (window[j],)
            match = exact(joined, items)
            if match and match.key not in excluded:
                found.append((match.key, joined, taken, match))
            walk(j + 1, joined, taken)

    walk(0, "", ())
    own = rows[index].own
    if own is not None and any(own in taken for _, _, taken, _ in found):
        # the label cell printed on the values' own line is part of their label (only where
        # no label can be made with it may it be the tail of the row above: facts.alignment)
        found = [choice for choice in found if own in choice[2]]
    return found


def _gaps(free: list[int]) -> list[list[int]]:
    """Runs of consecutive unplaced rows (settled together: they may share pieces)."""
    gaps: list[list[int]] = []
    for index in free:
        if gaps and gaps[-1][-1] == index - 1:
            gaps[-1].append(index)
        else:
            gaps.append([index])
    return gaps


def _settle(gap: list[int], rows: list[_Values], pieces: list[_Piece], placed: dict[int, Placed], order: dict,
            groups: frozenset, check) -> None:
    """Give the rows of a gap their keys (facts.alignment), between the anchors around it."""
    low = next((order[placed[i].key] for i in range(gap[0] - 1, -1, -1) if i in placed and placed[i].key in order), -1)
    high = next((order[placed[i].key] for i in range(gap[-1] + 1, len(rows)) if i in placed and placed[i].key in order), len(order))
    if low >= high:  # anchors out of template order: no order to respect around the gap
        low, high = -1, len(order)
    options = [[Option(*choice) for choice in rows[i].choices] for i in gap]
    after = []
    for i in gap:
        end = rows[i + 1].position if i + 1 < len(rows) else 1 << 30
        after.append(frozenset(j for j, p in enumerate(pieces) if rows[i].position < p.position < end))

    def judge(keys: list, involved: list):
        if check is None:
            return None
        trial = {p.key: p.row for p in placed.values() if p.key}
        trial.update({key: rows[i].row for i, key in zip(gap, keys) if key})
        return check(trial, involved)

    result = settle(options, [rows[i].own for i in gap], after, order, low, high, judge, groups)
    for index, outcome in zip(gap, result):
        if isinstance(outcome, Option):
            first = pieces[outcome.pieces[0]].line
            placed[index] = Placed(outcome.key, outcome.label, outcome.match, rows[index].row, first, pieces=outcome.pieces)
        elif outcome:
            placed[index] = Placed("", "", None, rows[index].row, rows[index].row.line, outcome)


def mark_unread(placed: list[Placed], items: tuple[Item, ...]) -> None:
    """A row of values whose label could not be read (nor matched fuzzily) is one of the
    template rows left between the rows placed around it: those rows are printed with
    unknown values, not absent (when there are at most three of them)."""
    order = [item.key for item in items]
    headings = {item.key for item in items if item.heading}
    taken = {p.key for p in placed if p.key} | {k for p in placed for k in p.ambiguous}
    for index, item in enumerate(placed):
        if item.key or item.ambiguous or sum(1 for v in item.row.values if v.kind != "blank") < 2:
            continue
        low = next((order.index(p.key) for p in reversed(placed[:index]) if p.key in order), -1)
        high = next((order.index(p.key) for p in placed[index + 1:] if p.key in order), len(order))
        between = [k for k in order[low + 1:high] if k not in taken and k not in headings and not _parent(items, k, taken)]
        if 0 < len(between) <= 3:
            item.ambiguous = tuple(between)
            taken.update(between)


def _parent(items, key: str, taken: set[str]) -> bool:
    """A subtotal whose sub-rows are placed: it is derived, not printed."""
    item = next(i for i in items if i.key == key)
    return bool(item.sum_of) and any(k in taken for k in item.sum_of)


@cache
def _vocabulary(items: tuple[Item, ...]) -> tuple[frozenset[str], frozenset[str]]:
    """Every prefix of every label and alias (compared as `comparable`), and the labels."""
    labels = {comparable(text) for item in items for text in (item.label,) + item.aliases}
    prefixes = {label[:n] for label in labels for n in range(1, len(label) + 1)}
    return frozenset(prefixes | {""}), frozenset(labels)

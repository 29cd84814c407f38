"""Header cells: joining words broken over cells, columns a header never names, and which
printed header labels are deviations from the template.

A header word broken over two cells ("本年新" + "制作数量") is joined back. In PDF layout
text a header cell's words are also reflowed across lines and merged with their
neighbours: "结果 / 其他 / 尚未" over "维持 / 结果 / 审结" (each cell's second half printed a
line below, among the others), "商业企" over "业", "自然人总计". Those pieces are the
extraction's, not the report's: a piece is not a deviation when the rest of its label
follows it in the header text, or when it is several header words run together. A header
cut by the end of the text ("科研" + "机" at the end of an excerpt) is no deviation either.
"""

from ..templates import Item, comparable, match_label
from .cells import Mapping, record
from .transformer import Head


def joined_heads(heads: list[Head], columns: tuple[Item, ...], header_words: tuple[str, ...],
                 runs_out: bool = False) -> tuple[list[Head], set[int]]:
    """Header cells with the pieces of broken labels joined ("本年新" + "制作数量"), and the
    indexes (in the result) of pieces cut by the end of the table (when `runs_out`: nothing
    follows the header)."""
    labels = [c.label for c in columns] + [a for c in columns for a in c.aliases]
    out: list[Head] = []
    cut: set[int] = set()
    i = 0
    while i < len(heads):
        head = heads[i]
        if any(word in head.text for word in header_words) or match_label(head.text, columns, fuzzy=False):
            out.append(head)
            i += 1
            continue
        text, j, best = head.text, i, None
        while j + 1 < len(heads) and len(text) < 40:
            j += 1
            text += heads[j].text
            if match_label(text, columns, fuzzy=False):
                best = (text, j)
                break
            if not any(label.startswith(text) for label in labels):
                break
        if best:
            out.append(Head(best[0], head.line))
            i = best[1] + 1
        elif runs_out and j == len(heads) - 1 and any(label.startswith(text) and label != text for label in labels):
            cut.add(len(out))  # "科研" + "机" and then the text ends
            out.append(Head(text, head.line))
            i = j + 1
        else:
            out.append(head)
            i += 1
    return out, cut


def absent_columns(heads: list[Head], columns: tuple[Item, ...], prefix: str = "") -> list[str]:
    """Columns whose label (or an alias) a printed header does not contain even with its
    characters spread apart (PDF text breaks headers one character per line: 自/然/人)."""
    if not heads:
        return []
    text = comparable("".join(h.text for h in heads))
    return [
        prefix + column.label
        for column in columns
        if not any(spread_in(comparable(label), text) for label in (column.label,) + column.aliases)
    ]


def spread_in(label: str, text: str) -> bool:
    """Whether the label's characters occur in the text in order (not necessarily adjacent)."""
    remaining = iter(text)
    return all(char in remaining for char in label)


def record_header(mapping: Mapping, kind: str, table: str, found, head: Head, heads: list[Head],
                  vocabulary: tuple[str, ...]) -> None:
    """Record a header cell's deviation unless PDF extraction made it (see the module doc)."""
    if found and found.kind == "fuzzy" and mapping.pdf_text and reflowed(head, heads, found.expected, vocabulary):
        return
    record(mapping, kind, table, found.key if found else "", head.text, found, head.line)


def reflowed(head: Head, heads: list[Head], expected: str, vocabulary: tuple[str, ...]) -> bool:
    """A piece of a header word (`expected` or another) whose rest is printed around it, or
    header words run together."""
    piece = comparable(head.text)
    words = tuple(dict.fromkeys(comparable(w) for w in (expected,) + vocabulary if w))
    if not piece or _segments(piece, words):
        return bool(piece)
    index = next((i for i, h in enumerate(heads) if h is head), None)
    if index is None:
        return False
    before = comparable("".join(h.text for h in heads[:index]))
    after = comparable("".join(h.text for h in heads[index + 1:]))
    for word in words:
        at = word.find(piece)
        if at >= 0 and word != piece and spread_in(word[:at], before) and spread_in(word[at + len(piece):], after):
            return True
    return False


def _segments(text: str, words: tuple[str, ...]) -> bool:
    """Whether text is two or more whole header words run together ("自然人总计")."""
    def split(rest: str, count: int) -> bool:
        if not rest:
            return count >= 2
        return any(rest.startswith(w) and split(rest[len(w):], count + 1) for w in words if w)
    return split(text, 0)


def header_vocabulary(columns: tuple[Item, ...], header_words: tuple[str, ...], extra: tuple[Item, ...] = ()) -> tuple[str, ...]:
    """Every word a header of this table prints whole: column labels, aliases, header words."""
    words = [c.label for c in columns + extra] + [a for c in columns + extra for a in c.aliases]
    return tuple(dict.fromkeys(words + list(header_words)))

"""How much one report repeats another: copy facts for the COPY rules, and near-duplicate
reports of different bodies in a batch found without comparing every pair.

Same body, last year: each section present in both (masked, at least `min_chars` long) and
the whole are compared by their MinHash signatures; each statistics table by its digest.
Different bodies: locality-sensitive hashing over the whole-report signatures (`bands` bands
of `num_perm / bands` values, rules/copy_masks.yaml). Reports sharing a band are candidates;
within a bucket each report is compared with the bucket's first report of another body only,
so a cluster of n near-identical reports costs n comparisons per band, not n²/2.
"""

import numpy as np

from ..engine.names import TABLE_NAMES
from . import fingerprint
from .summary import WHOLE, Summary


def copy_facts(current: Summary, previous: Summary | None, peers: list, threshold: float) -> list[dict]:
    """Copy fact properties: per section and whole against last year's report (gap of one
    year), per table, and one per near-duplicate report of another body (`peers`: list of
    (Summary, similarity))."""
    limit = fingerprint.settings()["min_chars"]
    percent = round(threshold * 100)
    out = []
    if previous is not None and current.year - previous.year == 1:
        other = {"other_file": previous.path, "other_body": previous.body, "other_year": previous.year, "other_key": str(previous.year)}
        for key, (label, line, chars, sig) in current.sections.items():
            if key not in previous.sections:
                continue
            _, other_line, other_chars, other_sig = previous.sections[key]
            if chars < limit or other_chars < limit:
                continue
            similarity = fingerprint.similarity(sig, other_sig)
            out.append({"kind": "prev", "part": key, "label": label, "similarity": round(similarity * 100), "threshold": percent,
                        "chars": chars, "line": line, "other_line": other_line, **other})
        for table, (digest, nonzero, line) in current.tables.items():
            if table in previous.tables:
                other_digest, _, other_line = previous.tables[table]
                out.append({"kind": "table", "part": table, "label": TABLE_NAMES.get(table, table), "identical": int(bool(digest) and digest == other_digest),
                            "nonzero": int(nonzero), "threshold": percent, "line": line, "other_line": other_line, **other})
    for peer, similarity in peers:
        out.append({"kind": "peer", "part": WHOLE, "label": "全文", "similarity": round(similarity * 100), "threshold": percent,
                    "chars": current.sections[WHOLE][2], "line": current.sections[WHOLE][1], "other_file": peer.path,
                    "other_body": peer.body, "other_year": peer.year, "other_line": peer.sections[WHOLE][1],
                    "other_key": f"{peer.identity}:{peer.year}"})
    return out


class PeerIndex:
    """Whole-report signatures of a batch (num_perm × 4 bytes per report, in memory)."""

    def __init__(self):
        self.seqs: list[int] = []
        self.identities: list[str] = []
        self.signatures: list[bytes] = []

    def add(self, summary: Summary) -> None:
        whole = summary.sections.get(WHOLE)
        if whole is None or not whole[3] or whole[2] < 4 * fingerprint.settings()["min_chars"]:
            return  # a report with little text of its own is not compared with others
        self.seqs.append(summary.seq)
        self.identities.append(summary.identity)
        self.signatures.append(whole[3])

    def near_duplicates(self, threshold: float) -> dict[int, list[tuple[int, float]]]:
        """seq -> [(other seq, similarity)] for reports of other bodies at or over `threshold`,
        best first (ties: the earlier report)."""
        if len(self.seqs) < 2:
            return {}
        matrix = np.frombuffer(b"".join(self.signatures), dtype=np.uint32).reshape(len(self.seqs), -1)
        names = {name: i for i, name in enumerate(sorted(set(self.identities)))}
        ident = np.array([names[n] for n in self.identities])
        count = fingerprint.settings()["bands"]
        rows = matrix.shape[1] // count
        candidates: dict[int, set[int]] = {}
        for band in range(count):
            part = matrix[:, band * rows:(band + 1) * rows].astype(np.uint64)
            keys = np.zeros(len(part), dtype=np.uint64)
            for column in range(rows):  # a 64-bit key per band (wrapping arithmetic)
                keys = keys * np.uint64(1000003) + part[:, column]
            order = np.lexsort((np.arange(len(keys)), keys))
            sorted_keys = keys[order]
            starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
            ends = np.r_[starts[1:], len(order)]
            for start, end in zip(starts, ends):
                if end - start < 2:
                    continue
                members = order[start:end]
                first = members[0]
                other = next((m for m in members if ident[m] != ident[first]), None)
                if other is None:
                    continue
                for member in members:
                    target = first if ident[member] != ident[first] else other
                    candidates.setdefault(int(member), set()).add(int(target))
                candidates.setdefault(int(first), set()).add(int(other))
        out: dict[int, list[tuple[int, float]]] = {}
        for member, targets in candidates.items():
            found = []
            for target in sorted(targets):
                similarity = float(np.mean(matrix[member] == matrix[target]))
                if similarity >= threshold:
                    found.append((self.seqs[target], similarity))
            if found:
                out[self.seqs[member]] = sorted(found, key=lambda item: (-item[1], item[0]))[:1]
        return out

"""The cross-report pass of a batch: keep each report's carry summary as it streams by,
then pair and check them once the batch is done.

Summaries go to the history store (--history PATH) or to a temporary one deleted at the end:
the batch's memory stays flat (only whole-report signatures, num_perm × 4 bytes per report,
stay in memory for the near-duplicate search). Findings come back in batch order (by the
position of the report they are about, then as any report's findings are sorted), so the
closing section is the same bytes whatever --jobs.
"""

import tempfile
from pathlib import Path

from ..findings import Finding
from .copies import PeerIndex
from .engine import CrossEngine
from .history import Store
from .identity import load_aliases
from .summary import Summary


class CrossPass:
    def __init__(self, rules: list, threshold: float = 0.5, history: str | None = None, aliases: str | None = None):
        self.engine = CrossEngine(rules, threshold)
        self.threshold = threshold
        self.aliases = load_aliases(aliases)
        self._temp = None
        if history is None:
            self._temp = tempfile.TemporaryDirectory(prefix="gkaudit-history-")
            history = str(Path(self._temp.name) / "batch.sqlite")
        self.store = Store(history)
        self.peers = PeerIndex()
        self.count = 0

    def add(self, summary: Summary | None) -> None:
        """One report of the batch, in input order (reports without body or year are not paired)."""
        position = self.count
        self.count += 1
        if summary is None or not self.engine.enabled:
            return
        summary.seq = position
        summary.with_identity(self.aliases)
        if not summary.pairable:
            return
        self.store.add(summary)
        self.peers.add(summary)

    def findings(self) -> list[Finding]:
        """Every finding over two reports, in batch order."""
        if not self.engine.enabled:
            return []
        near = self.peers.near_duplicates(self.threshold)
        out: list[tuple[int, Finding]] = []
        for current in self.store.this_run():
            previous = self.store.previous(current)
            peers = [(self.store.at(seq), similarity) for seq, similarity in near.get(current.seq, ())]
            for finding in self.engine.findings(current, previous, peers):
                out.append((current.seq, finding))
        out.sort(key=lambda item: (item[0], item[1].sort_key()))
        return [finding for _, finding in out]

    def close(self) -> None:
        self.store.close()
        if self._temp is not None:
            self._temp.cleanup()

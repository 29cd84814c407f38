"""Run the rules over two reports (packs YEAR and COPY) with durable_rules.

One session per report that has a partner — last year's report of the same body, or a
near-duplicate of another body — over the facts of crossyear/facts.py; the rules are compiled
by the same compiler as every pack (a `prev.` name is last year's table), and what fires
becomes findings in crossyear/render.py.
"""

from ..engine.packs import cross_report
from ..engine.session import Engine
from ..findings import Finding
from .copies import copy_facts
from .facts import pair_facts
from .render import findings_of
from .summary import Summary


class CrossEngine:
    def __init__(self, rules: list, threshold: float = 0.5):
        self.enabled = any(cross_report(r) for r in rules)
        self.engine = Engine(rules, cross=True) if self.enabled else None
        self.threshold = threshold

    def findings(self, current: Summary, previous: Summary | None, peers: list = ()) -> list[Finding]:
        """Findings of `current` against last year's report and near-duplicates (Summary,
        similarity) of other bodies."""
        if not self.enabled or (previous is None and not peers):
            return []
        copies = copy_facts(current, previous, list(peers), self.threshold)
        sid = self.engine.new_sid()
        result = self.engine.run_facts(pair_facts(sid, current, previous, copies), sid)
        if result.error:
            raise RuntimeError(result.error)
        return sorted(findings_of(result, current, previous), key=Finding.sort_key)

"""Run compiled rules over reports with durable_rules: one report = one session.

durable_rules' C engine matches the facts and queues the rules that fire; this module
asserts the facts and drains that queue. Traps handled here (measured; see
../shared/ENGINE-NOTES.md and the README):
- Host() starts polling timer threads: _run is overridden (no timers, no background work).
- A batch holding a fact no rule matches comes back "not handled" (durable's Python
  wrapper raises MessageNotHandledException then, *before* taking the batch's actions);
  the actions stay queued in the session. The end-of-report fact is asserted last and
  always matches the `__end__` rule, so the queue is drained after it — and it anchors
  the "X is missing" ($not) rules.
- delete_state on a session in which no action ever ran crashes the process: the
  `__end__` rule guarantees one action per session.
- At most 1,024 live sessions per ruleset: each is deleted in a `finally`.
- Actions are taken straight from the C queue (start / complete), without durable's
  Python wrapper re-serialising the session state after each one: our actions only
  record what fired, they never change the state.
"""

import copy
from dataclasses import dataclass, field
from itertools import count

import durable_rules_engine
import orjson
from durable.engine import Host

from ..model import Report
from .cache import cached_compile
from .compile import compile_rules
from .instances import Compiled
from .facts import build_facts
from .packs import cross_report
from .rulefile import Rule

RULESET = "gkaudit"
_END = "__end__"


def _encode(facts) -> str:
    """Compact JSON for the C engine (orjson: several times faster than json here)."""
    return orjson.dumps(facts).decode()


@dataclass
class Firing:
    compiled: Compiled
    facts: dict  # alias -> matched fact


@dataclass
class Result:
    firings: list[Firing] = field(default_factory=list)
    facts: list[dict] = field(default_factory=list)
    error: str = ""  # engine failure for this report (reported, never raised)


class _Host(Host):
    def _run(self):  # no timers, no background dispatch
        pass

    def get_action(self, action_name):
        return _never_called


def _never_called(c):  # actions are drained by Engine._drain, not through durable's wrapper
    raise RuntimeError("durable_rules action called through its Python wrapper")


class Engine:
    """Compiled rules loaded into one durable_rules ruleset."""

    def __init__(self, rules: list[Rule], deadlines: dict | None = None, cross: bool = False):
        self.rules = rules
        self.deadlines = dict(deadlines or {})  # publication deadlines by level, from configuration
        # Rules over two reports (packs YEAR, COPY) run after the batch, in an engine of their
        # own (cross=True, auditor/crossyear/); the per-report engine leaves them out.
        self.compiled = cached_compile([r for r in rules if cross_report(r) == cross], compile_rules)
        self.by_name = {c.name: c for c in self.compiled}
        definitions = {c.name: copy.deepcopy(c.definition) for c in self.compiled}
        definitions[_END] = {"all": [{"end": {"type": "end"}}], "run": _END}
        host = _Host()
        name = RULESET + ("-cross" if cross else "")
        host.set_rulesets({name: definitions})
        self._ruleset = host.get_ruleset(name)
        self._handle = self._ruleset._handle
        self._sids = count(1)
        variant_props = {c.variant_key[1] for c in self.compiled if c.variant_key}
        self._used = used_properties(definitions.values()) | {"sid", "id", "type"} | variant_props
        # Column facts of tables no rule reads by column are not asserted at all.
        self._column_tables = {
            dict(selector).get("table") for c in self.compiled for fact, selector in c.aliases.values() if fact == "col"
        }

    def run(self, report: Report) -> Result:
        sid = str(next(self._sids))
        return self.run_facts(build_facts(report, sid, self.deadlines), sid)

    def new_sid(self) -> str:
        return str(next(self._sids))

    def run_facts(self, facts: list[dict], sid: str) -> Result:
        """One session over `facts` (each with this `sid`; the end-of-report fact last)."""
        result = Result(facts=facts)
        # Facts carry only the properties some rule reads: less JSON for the engine to parse.
        used, column_tables = self._used, self._column_tables
        asserted = [
            {k: v for k, v in fact.items() if k in used}
            for fact in facts
            if fact["type"] != "col" or fact["table"] in column_tables
        ]
        fired: list[tuple[str, dict]] = []
        try:
            # Straight to the C engine with compact JSON. Result codes: 1 = some fact matched
            # no rule (its actions stay queued and are drained below), 2 = a duplicate fact.
            code, _ = durable_rules_engine.assert_facts(self._handle, _encode(asserted[:-1]))
            if code == 2:
                raise RuntimeError("duplicate fact in a report session")
            code, state = durable_rules_engine.assert_fact(self._handle, _encode(asserted[-1]))
            if code in (1, 2):
                raise RuntimeError("the end-of-report fact was not handled")
            self._drain(state, fired)
        except (durable_rules_engine.error, Exception) as error:  # never let one report stop a batch
            result.error = f"{type(error).__name__}: {error}"
        finally:
            try:
                self._ruleset.delete_state(sid)
            except durable_rules_engine.error:
                pass
        by_id = {fact["id"]: fact for fact in facts}
        for name, matched in fired:
            if name == _END:
                continue
            compiled = self.by_name[name].variant(matched)
            if compiled is not None:  # a row the rule's template does not have: not checked
                result.firings.append(Firing(compiled, {a: by_id.get(f.get("id"), f) for a, f in matched.items()}))
        return result

    def _drain(self, state: int, fired: list) -> None:
        """Take every queued action of the session: record what fired, mark it done."""
        started = durable_rules_engine.start_action_for_state(self._handle, state)
        if not started:
            return
        message = orjson.loads(started[1])
        while message:
            for name, matched in message.items():
                fired.append((name, matched))
            following = durable_rules_engine.complete_and_start_action(self._handle, state)
            message = orjson.loads(following) if following else None


def used_properties(definitions) -> set[str]:
    """Every fact property named anywhere in the rule conditions."""
    found: set[str] = set()

    def walk(node, alias_level: bool):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("$m",) and isinstance(value, str):
                    found.add(value)
                elif not key.startswith("$") and not alias_level:
                    if isinstance(value, str) and key not in found and _is_alias_ref(node):
                        found.add(value)  # {"alias": "prop"} on the right-hand side
                    found.add(key)
                walk(value, key == "all" or key == "any")
        elif isinstance(node, list):
            for item in node:
                walk(item, alias_level)

    for definition in definitions:
        for alias_condition in definition.get("all", ()):
            for condition in alias_condition.values():
                walk(condition, False)
    return found


def _is_alias_ref(node: dict) -> bool:
    return len(node) == 1

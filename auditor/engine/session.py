"""Run compiled rules over reports with durable_rules: one report = one session.

Traps handled here (measured; see ../shared/ENGINE-NOTES.md and docs in the README):
- Host() starts polling timer threads: _run is overridden, actions then run synchronously
  inside assert calls.
- A batch holding a fact no rule matches raises MessageNotHandledException *before* the
  batch's actions run; they stay queued in the session and run at its next handled assert.
  The end-of-report fact is asserted last and always matches the `__end__` rule, so every
  queued action runs then — and anchors the "X is missing" ($not) rules.
- delete_state on a session in which no action ever ran crashes the process: the
  `__end__` rule guarantees one action per session.
- At most 1,024 live sessions per ruleset: each is deleted in a `finally`.
"""

import copy
from dataclasses import dataclass, field
from itertools import count

from durable.engine import Host, MessageNotHandledException

import durable_rules_engine

from ..model import Report
from .compile import Compiled, compile_rules
from .facts import build_facts
from .rulefile import Rule

RULESET = "gkaudit"
_END = "__end__"


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
    def __init__(self, collector):
        self._collector = collector
        super().__init__()

    def _run(self):  # no timers, no background dispatch: actions run inside assert calls
        pass

    def get_action(self, action_name):
        collect = self._collector

        def action(c):
            collect(action_name, c)

        return action


class Engine:
    """Compiled rules loaded into one durable_rules host."""

    def __init__(self, rules: list[Rule], deadlines: dict | None = None):
        self.rules = rules
        self.deadlines = dict(deadlines or {})  # publication deadlines by level, from configuration
        self.compiled = compile_rules(rules)
        self.by_name = {c.name: c for c in self.compiled}
        self._buffer: list[tuple[str, dict]] = []
        self._host = _Host(self._collect)
        definitions = {c.name: copy.deepcopy(c.definition) for c in self.compiled}
        definitions[_END] = {"all": [{"end": {"type": "end"}}], "run": _END}
        self._host.set_rulesets({RULESET: definitions})
        self._sids = count(1)
        self._used = used_properties(definitions.values()) | {"sid", "id", "type"}
        # Column facts of tables no rule reads by column are not asserted at all.
        self._column_tables = {
            dict(selector).get("table") for c in self.compiled for fact, selector in c.aliases.values() if fact == "col"
        }

    def _collect(self, name: str, closure) -> None:
        if name != _END:
            self._buffer.append((name, {alias: dict(fact) for alias, fact in closure._m.items()}))

    def run(self, report: Report) -> Result:
        sid = str(next(self._sids))
        facts = build_facts(report, sid, self.deadlines)
        result = Result(facts=facts)
        # Facts carry only the properties some rule reads: less JSON for the engine to parse.
        used, column_tables = self._used, self._column_tables
        asserted = [
            {k: v for k, v in fact.items() if k in used}
            for fact in facts
            if fact["type"] != "col" or fact["table"] in column_tables
        ]
        self._buffer = []
        try:
            try:
                self._host.assert_facts(RULESET, asserted[:-1])
            except MessageNotHandledException:
                pass  # some fact matched no rule; its batch's actions run with the end fact
            self._host.assert_fact(RULESET, asserted[-1])
        except (durable_rules_engine.error, Exception) as error:  # never let one report stop a batch
            result.error = f"{type(error).__name__}: {error}"
        finally:
            try:
                self._host.delete_state(RULESET, sid)
            except durable_rules_engine.error:
                pass
        by_id = {fact["id"]: fact for fact in facts}
        result.firings = [
            Firing(self.by_name[name], {alias: by_id.get(fact.get("id"), fact) for alias, fact in matched.items()})
            for name, matched in self._buffer
        ]
        return result


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

"""What compiling produces: a rule instance (one rule, one template, one set of loop
bindings) and the durable_rules rules compiled from it (one per outcome and alternative)."""

from dataclasses import dataclass, field

from .expr import Compare
from .rulefile import Rule
from .terms import Scope, linear, resolve

MAX_JOIN = 14  # durable_rules joins at most 16 facts in one rule; keep a margin


@dataclass
class Instance:
    """One rule applied to one template with one set of loop bindings."""

    rule: Rule
    template: str
    bindings: dict
    scope: Scope
    relation: Compare | None = None  # the `expect` comparison, for messages
    cells: tuple = ()  # every cell the condition reads
    slices: dict = field(default_factory=dict)  # table -> "row" | "col"
    memo: dict = field(default_factory=dict, repr=False)  # rendering: resolved references

    def resolve(self, node):
        """Terms of a reference, remembered (messages resolve the same names every time)."""
        key = ("resolve", node)
        if key not in self.memo:
            self.memo[key] = resolve(node, self.scope)
        return self.memo[key]

    def linear(self, node):
        key = ("linear", node)
        if key not in self.memo:
            self.memo[key] = linear(node, self.scope)
        return self.memo[key]

    @property
    def key(self) -> str:
        binding = ",".join(f"{k}={v}" for k, v in sorted(self.bindings.items()))
        return f"{self.rule.id}[{binding}]" if binding else self.rule.id


@dataclass
class Compiled:
    name: str  # durable_rules rule name
    instance: Instance
    outcome: str  # fires | violated | impossible | unverifiable
    aliases: dict  # alias -> (fact type, selector tuple)
    definition: dict
    # A rule compiled once for every row (or column) of a table: the matched fact's
    # `variant_key` = (alias, property) picks the per-row/column Compiled (for messages).
    variant_key: tuple = ()
    variants: dict = field(default_factory=dict)

    def variant(self, matched: dict):
        """The Compiled this firing stands for (itself unless compiled for a whole table)."""
        if not self.variants:
            return self
        alias, prop = self.variant_key
        return self.variants.get((matched.get(alias) or {}).get(prop))

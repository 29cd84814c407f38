"""Placeholders in rule messages ({t3.received[col]}, {row}, {lhs}): their syntax and the
check, when a rule is compiled, that each names something (auditor/engine/render.py fills them)."""

import re

from .expr import ConditionError, Ref, Truth, parse_condition
from .names import TABLE_KEYS, TABLE_NAMES  # noqa: F401  (re-exported)
from .terms import RuleError, linear, resolve

PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
# TABLE_NAMES / TABLE_KEYS (t3 <-> 表三) live in names.py; imported here by render and onecause.
# Values a finding computes itself rather than reads from a fact.
SPECIAL = {"lhs", "rhs", "expected", "actual", "unknown", "assumed", "difference"}


def check_placeholders(instance) -> None:
    """Raise RuleError for a message placeholder that names nothing (checked when compiling)."""
    for name in PLACEHOLDER.findall(instance.rule.message):
        name = name.strip()
        if name in SPECIAL or name in instance.bindings:
            continue
        try:
            node = parse_condition(name)
        except ConditionError:
            raise RuleError(f"消息中的占位符 {{{name}}} 无法解析") from None
        node = node.ref if isinstance(node, Truth) else node
        if isinstance(node, Ref):
            resolve(node, instance.scope)
        else:
            linear(node, instance.scope)


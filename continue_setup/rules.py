"""The rule layer: what Continue and Langdock enforce beyond the schema, as findings.

Each rule is a small function ``(document, context) -> findings``, kept by theme in
``rules_structure``, ``rules_models`` and ``rules_secrets``; every code is registered, with its
severity and meaning, in ``rules_codes.CODES``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from continue_setup import rules_models, rules_secrets, rules_structure
from continue_setup.findings import Finding
from continue_setup.parsing import Document
from continue_setup.rules_codes import CODES, Code, RuleContext, issue
from continue_setup.rules_secrets import secret_values

Rule = Callable[[Document, RuleContext], Iterable[Finding]]
RULES: tuple[Rule, ...] = rules_structure.RULES + rules_models.RULES + rules_secrets.RULES


def run_rules(doc: Document, ctx: RuleContext) -> list[Finding]:
    """Run every rule on ``doc``; return all findings, without positions."""
    return [finding for rule in RULES for finding in rule(doc, ctx)]


__all__ = ["CODES", "RULES", "Code", "Rule", "RuleContext", "issue", "run_rules", "secret_values"]

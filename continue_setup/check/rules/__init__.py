"""The rule layer: what Continue and Langdock enforce beyond the schema, as findings.

Each rule is a small function ``(document, context) -> findings``, kept by theme in
``structure``, ``models``, ``modelfacts``, ``secrets`` and ``references``; every code is
registered, with its severity and meaning, in ``codes.CODES``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from continue_setup.check.findings import Finding
from continue_setup.check.rules import (
    loaded,
    modelfacts,
    models,
    references,
    secrets,
    spelling,
    structure,
    timeouts,
)
from continue_setup.check.rules.codes import CODES, Code, RuleContext, issue
from continue_setup.check.rules.secrets import secret_values
from continue_setup.config.parsing import Document

Rule = Callable[[Document, RuleContext], Iterable[Finding]]
RULES: tuple[Rule, ...] = (
    structure.RULES + loaded.RULES + models.RULES + modelfacts.RULES + secrets.RULES
    + references.RULES + spelling.RULES + timeouts.RULES
)


def run_rules(doc: Document, ctx: RuleContext) -> list[Finding]:
    """Run every rule on ``doc``; return all findings, without positions."""
    return [finding for rule in RULES for finding in rule(doc, ctx)]


__all__ = ["CODES", "RULES", "Code", "Rule", "RuleContext", "issue", "run_rules", "secret_values"]

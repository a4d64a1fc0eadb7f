"""Misspelt keys in config.json model entries, which Continue passes on and then ignores.

config.json's schema lets a model entry hold any key (Continue hands the entry to the
provider's class), so a lowercase ``apibase`` silently leaves the default apiBase in place.
Only a key that is a case variant or a near miss of a known one is reported: other extra
keys may be provider options the schema does not list.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from continue_setup.check.findings import Finding
from continue_setup.check.rules.codes import RuleContext, child, issue
from continue_setup.check.schema import load_schema
from continue_setup.config.entries import model_entries
from continue_setup.config.parsing import Document


def misspelt_model_keys(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """A model entry key that is a near miss of a known one: say which one was meant."""
    if doc.format != "json":
        return  # config.yaml's schema reports every unknown key, with the same suggestion
    known = _model_keys()
    for entry in model_entries(doc):
        for name in entry.raw:
            if name in known:
                continue  # the common case: a config of known keys costs a set lookup each
            from continue_setup.check.suggest import closest, rename_hint

            meant = closest(name, known)
            if meant is not None and meant not in entry.raw:
                yield issue("unknown-key", child(entry.pointer, name),
                            f"unknown key '{name}': Continue ignores it",
                            hint=rename_hint(name, meant))


@cache
def _model_keys() -> frozenset[str]:
    return frozenset(load_schema("json")["$defs"]["model"]["properties"])


RULES = (misspelt_model_keys,)

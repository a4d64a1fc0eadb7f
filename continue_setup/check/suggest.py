""""Did you mean": the known name a mistyped one most likely stands for."""

from __future__ import annotations

from collections.abc import Iterable

CUTOFF = 0.75  # titel/title 0.8, apiKeys/apiKey 0.92; unrelated keys stay well below


def closest(name: str, known: Iterable[str]) -> str | None:
    """Return the known name ``name`` most likely meant: the same letters in another case,
    else the nearest spelling; None when nothing is close or ``name`` is itself known."""
    by_lower: dict[str, str] = {}
    for key in known:
        by_lower.setdefault(key.lower(), key)
    if name in by_lower.values():
        return None
    if name.lower() in by_lower:
        return by_lower[name.lower()]
    import difflib  # only for a name that is not known as it is: most runs never get here

    near = difflib.get_close_matches(name.lower(), list(by_lower), n=1, cutoff=CUTOFF)
    return by_lower[near[0]] if near else None


def rename_hint(name: str, meant: str) -> str:
    """Return the hint for a key that should be spelt ``meant``."""
    if name.lower() == meant.lower():
        return f"Did you mean `{meant}`? Keys are case-sensitive: write {meant}."
    return f"Did you mean `{meant}`? Rename {name} to {meant}."

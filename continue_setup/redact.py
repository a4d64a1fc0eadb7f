"""One place that knows every secret seen in this process and masks it in any text."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

MASK = "********"
# Values that look like keys but are placeholders or references: masking them would hide the
# very thing a finding is about, and they are not secrets.
# Env-var references are left to the caller, which knows whether a name is one.
_NOT_SECRET = re.compile(r"^(\$\{\{.*\}\}|<[^>]*>|\*+)$")
_MIN_LENGTH = 4  # shorter values would mask ordinary words in every message

_secrets: set[str] = set()
_pattern: re.Pattern[str] | None = None


def register(value: str | None) -> None:
    """Remember ``value`` as a secret, with the escaped forms it takes in JSON and YAML."""
    global _pattern
    if not value or len(value) < _MIN_LENGTH or _NOT_SECRET.match(value):
        return
    forms = {value, json.dumps(value)[1:-1], value.replace("'", "''")}
    if forms <= _secrets:
        return
    _secrets.update(f for f in forms if f)
    _pattern = re.compile("|".join(re.escape(s) for s in sorted(_secrets, key=len, reverse=True)))


def register_all(values: Iterable[str | None]) -> None:
    """Register every value of ``values``."""
    for value in values:
        register(value)


_SENSITIVE_NAME = re.compile(
    r"(api[_-]?key|token|secret|password|passphrase|authorization|credential|private[_-]?key)",
    re.IGNORECASE,
)


def register_from(data: Any, *, references: Iterable[str] = ()) -> None:
    """Register every string held under a secret-sounding key anywhere in ``data``.

    ``references`` are names of config.json ``env`` entries: those values are references to
    a secret, not secrets, and stay readable.
    """
    skip = set(references)
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, str):
                    if isinstance(key, str) and _SENSITIVE_NAME.search(key) and value not in skip:
                        register(value.removeprefix("Bearer ").strip())
                elif isinstance(value, (dict, list)):
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, (dict, list)))


def redact(text: str) -> str:
    """Return ``text`` with every registered secret replaced by a mask."""
    if _pattern is None or not text:
        return text
    return _pattern.sub(MASK, text)


def forget_all() -> None:
    """Forget every secret (tests start each case clean)."""
    global _pattern
    _secrets.clear()
    _pattern = None

"""Resolve a plain YAML scalar as ruamel does under YAML 1.2, without importing ruamel.

ruamel's ``VersionedResolver`` picks a tag from the scalar's first character and a list of
regular expressions; importing it costs ~8 ms (the whole of ``ruamel.yaml`` comes with it),
which a re-run of ``init`` on an unchanged config.yaml or a ``validate`` of one file would
pay only to learn that ``gpt-4.1`` is a string. The table below is ruamel's own (0.19), the
1.2 rows only, in its order; a test compares it with ruamel's, so a new ruamel release that
changes a rule fails the test rather than changing what we read.
"""

from __future__ import annotations

import re
from functools import cache

from continue_setup.config.bounds import MAX_NUMBER_DIGITS

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import Any


class Unsure(Exception):
    """The fast reader cannot vouch for this text; the canonical parser reads it."""


_BOOL = "^(?:true|True|TRUE|false|False|FALSE)$"
_FLOAT = """^(?:
         [-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+]?[0-9]+)?
        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
        |[-+]?\\.[0-9_]+(?:[eE][-+][0-9]+)?
        |[-+]?\\.(?:inf|Inf|INF)
        |\\.(?:nan|NaN|NAN))$"""
_INT = """^(?:[-+]?0b[0-1_]+
        |[-+]?0o?[0-7_]+
        |[-+]?[0-9_]+
        |[-+]?0x[0-9a-fA-F_]+)$"""
_NULL = """^(?: ~
        |null|Null|NULL
        | )$"""
_TIMESTAMP = """^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
        |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?
        (?:[Tt]|[ \\t]+)[0-9][0-9]?
        :[0-9][0-9] :[0-9][0-9] (?:\\.[0-9]*)?
        (?:[ \\t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$"""

# (tag, pattern, flags, first characters), in ruamel's order; "" is the empty scalar.
RULES: tuple[tuple[str, str, int, tuple[str, ...]], ...] = (
    ("bool", _BOOL, re.X, tuple("tTfF")),
    ("float", _FLOAT, re.X, tuple("-+0123456789.")),
    ("int", _INT, re.X, tuple("-+0123456789")),
    ("merge", "^(?:<<)$", 0, ("<",)),
    ("null", _NULL, re.X, ("~", "n", "N", "")),
    ("timestamp", _TIMESTAMP, re.X, tuple("0123456789")),
    ("value", "^(?:=)$", 0, ("=",)),
    ("yaml", "^(?:!|&|\\*)$", 0, tuple("!&*")),
)
_FIRSTS = frozenset(first for *_, firsts in RULES for first in firsts)


@cache
def _rules(first: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Return the compiled rules for scalars starting with ``first`` (compiled on first use:
    a fresh ``init`` writing config.json never needs them)."""
    return tuple((tag, re.compile(pattern, flags))
                 for tag, pattern, flags, firsts in RULES if first in firsts)


# Compiled (and cached by re) on first use, like the rules.
_DECIMAL = r"[-+]?[0-9]+\Z"
_PLAIN_FLOAT = r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z"


def tag_of(value: str) -> str:
    """Return the YAML 1.2 tag (without its prefix) ruamel gives the plain scalar ``value``."""
    if value.count(".") > 1 and value.replace(".", "").isascii() and \
            value.replace(".", "").isdigit():
        # A dotted version (every config.yaml's "version: 1.0.0"): no rule takes two dots
        # and nothing else, so a string, without compiling the number rules (~0.7 ms).
        return "str"
    for tag, pattern in _rules(value[:1]):
        if pattern.match(value):
            return tag
    return "str"


@cache
def plain(value: str) -> Any:
    """Return the Python value of the plain scalar ``value``, as ruamel loads it.

    Raises ``Unsure`` for what only ruamel should read: octal, hex, underscores, ``.inf``,
    timestamps, merge keys, numbers longer than ``MAX_NUMBER_DIGITS`` (ruamel refuses them).
    """
    if value[:1] not in _FIRSTS:
        return value  # no rule starts with this character: a string (most values)
    if value.isdigit() and value.isascii():
        # Digits alone (contextLength: 200000) are an int by the rules (float needs a '.'
        # or an exponent, and int comes before timestamp), read without compiling them.
        if len(value) > MAX_NUMBER_DIGITS:
            raise Unsure("long number")
        return int(value)
    tag = tag_of(value)
    if tag == "str":
        return value
    if tag == "null":
        return None
    if tag == "bool":
        return value in ("true", "True", "TRUE")
    if len(value) > MAX_NUMBER_DIGITS:
        raise Unsure("long number")  # ruamel refuses it, at its place
    if tag == "int" and re.match(_DECIMAL, value):
        return int(value)
    if tag == "float" and re.match(_PLAIN_FLOAT, value):
        return float(value)
    raise Unsure(tag)

"""Tell what a plain YAML scalar means (a string, null, a bool, a number ...) as ruamel does.

``fastyaml`` reads configs through libyaml and resolves each plain scalar by ruamel.yaml's
YAML 1.2 rules, the ones Continue's parser follows. Importing ruamel for its resolver cost
~10 ms and ~2.4 MB in every process that reads YAML (each worker of a large run too), for
eight regular expressions. They are copied here verbatim, in ruamel's order; a test holds
the copy to ruamel's own table, so an upgrade that changes a rule fails the suite.
"""

from __future__ import annotations

import re
from functools import cache

# ruamel.yaml's implicit resolvers for YAML 1.2 (resolver.py): tag, pattern, whether it is
# compiled verbose (re.X), and the first characters of the scalars it may match (null also
# matches the empty scalar). The first pattern that matches names the tag; none: a string.
RULES = (
    ("bool", "^(?:true|True|TRUE|false|False|FALSE)$", True, "tTfF"),
    (
        "float",
        "^(?:"
        "\n         [-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+]?[0-9]+)?"
        "\n        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)"
        "\n        |[-+]?\\.[0-9_]+(?:[eE][-+][0-9]+)?"
        "\n        |[-+]?\\.(?:inf|Inf|INF)"
        "\n        |\\.(?:nan|NaN|NAN))$",
        True,
        "-+0123456789.",
    ),
    (
        "int",
        "^(?:[-+]?0b[0-1_]+"
        "\n        |[-+]?0o?[0-7_]+"
        "\n        |[-+]?[0-9_]+"
        "\n        |[-+]?0x[0-9a-fA-F_]+)$",
        True,
        "-+0123456789",
    ),
    ("merge", "^(?:<<)$", False, "<"),
    (
        "null",
        "^(?: ~"
        "\n        |null|Null|NULL"
        "\n        | )$",
        True,
        "~nN",
    ),
    (
        "timestamp",
        "^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
        "\n        |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?"
        "\n        (?:[Tt]|[ \\t]+)[0-9][0-9]?"
        "\n        :[0-9][0-9] :[0-9][0-9] (?:\\.[0-9]*)?"
        "\n        (?:[ \\t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$",
        True,
        "0123456789",
    ),
    ("value", "^(?:=)$", False, "="),
    ("yaml", "^(?:!|&|\\*)$", False, "!&*"),
)


@cache
def _by_first() -> dict[str, tuple[tuple[str, re.Pattern[str]], ...]]:
    table: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for tag, pattern, verbose, firsts in RULES:
        compiled = re.compile(pattern, re.X if verbose else 0)
        for first in (*firsts, "") if tag == "null" else firsts:
            table.setdefault(first, []).append((tag, compiled))
    return {first: tuple(rules) for first, rules in table.items()}


def plain_tag(value: str) -> str:
    """Return the YAML 1.2 tag (without its ``tag:yaml.org,2002:`` prefix) of a plain scalar."""
    for tag, pattern in _by_first().get(value[:1], ()):
        if pattern.match(value):
            return tag
    return "str"

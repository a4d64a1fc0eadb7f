"""Config data is deep-copied as copy.deepcopy copies it, without loading the copy module."""

from __future__ import annotations

import copy
import datetime
from collections import OrderedDict
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from continue_setup.config.datacopy import deep_copy

DATA = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner,
                                                                max_size=4),
    max_leaves=25,
)


def containers(value: Any) -> list[int]:
    """Return the ids of every dict and list in ``value``."""
    found: list[int] = []
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, (dict, list)):
            found.append(id(node))
            stack.extend(node.values() if isinstance(node, dict) else node)
    return found


@settings(max_examples=200, deadline=None)
@given(DATA)
def test_a_copy_equals_deepcopys_and_shares_nothing(value: Any) -> None:
    """The copy equals deepcopy's, and no dict or list of it is one of the original's."""
    copied = deep_copy(value)
    assert copied == copy.deepcopy(value)
    assert type(copied) is type(value)
    assert not set(containers(copied)) & set(containers(value))


def test_an_alias_stays_one_object() -> None:
    """A list reached twice (a YAML alias) is copied once and shared in the copy, as
    deepcopy does; a change through one path shows through the other."""
    roles = ["chat", "edit"]
    data = {"models": [{"roles": roles}, {"roles": roles}]}
    copied = deep_copy(data)
    first, second = (m["roles"] for m in copied["models"])
    assert first is second and first is not roles
    first.append("apply")
    assert second == ["chat", "edit", "apply"] and roles == ["chat", "edit"]


def test_other_types_are_copied_by_deepcopy() -> None:
    """A date or a dict subclass keeps its type and value, inside plain data too."""
    stamp = datetime.date(2026, 11, 26)
    ordered = OrderedDict(a=[1])
    copied = deep_copy({"when": stamp, "ordered": ordered})
    assert copied == {"when": stamp, "ordered": ordered}
    assert type(copied["ordered"]) is OrderedDict
    assert copied["ordered"]["a"] is not ordered["a"]

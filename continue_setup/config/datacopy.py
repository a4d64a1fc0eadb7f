"""Deep copies of config data without the copy module (which loads weakref): ~3.5 M
instructions that ``doctor`` and ``migrate`` paid on top of ``validate`` (issue 18)."""

from __future__ import annotations

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import Any, TypeVar

    T = TypeVar("T")

_ATOMS = frozenset((str, int, float, bool, type(None)))


def deep_copy(value: T) -> T:
    """Return a copy of ``value`` as ``copy.deepcopy`` makes it: every dict and list new, a
    dict or list reached twice (a YAML alias) copied once and shared as in the original.
    Plain data is copied here; anything else (a date, a subclass) by ``copy.deepcopy``."""
    return _copy(value, {})  # type: ignore[no-any-return]


def _copy(value: Any, memo: dict[int, Any]) -> Any:
    kind = type(value)
    if kind in _ATOMS:
        return value
    if kind is dict or kind is list:
        done = memo.get(id(value))
        if done is not None:
            return done
        if kind is dict:
            mapping: dict[Any, Any] = {}
            memo[id(value)] = mapping
            for key, item in value.items():
                mapping[_copy(key, memo)] = _copy(item, memo)
            return mapping
        items: list[Any] = []
        memo[id(value)] = items
        for item in value:
            items.append(_copy(item, memo))
        return items
    import copy

    return copy.deepcopy(value, memo)

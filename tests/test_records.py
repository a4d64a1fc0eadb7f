"""records.NamedTuple builds classes that behave as collections.namedtuple's do."""

from __future__ import annotations

import collections
import copy
import pickle
from typing import Any

import pytest

from continue_setup.records import NamedTuple


class Point(NamedTuple):
    """A record with required fields, defaults and a method of its own."""

    x: int
    y: str
    z: int = 3
    w: Any = None

    def total(self) -> int:
        return self.x + self.z


class Bare(NamedTuple):
    a: int
    b: int


REFERENCE = collections.namedtuple("Point", "x y z w", defaults=(3, None))
BARE_REFERENCE = collections.namedtuple("Bare", "a b")

CALLS: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
    ((1, "a"), {}), ((1, "a", 5), {}), ((1, "a", 5, [2]), {}), ((1,), {"y": "b"}),
    ((), {"x": 1, "y": "b", "w": 9}), ((), {"y": "b", "x": 1}), ((1, "a"), {"z": 7}),
    # refused: too few, too many, twice, unknown
    ((), {}), ((1,), {}), ((1, "a", 5, 6, 7), {}), ((1,), {"x": 2}), ((1, "a"), {"q": 1}),
    ((), {"z": 1}), ((), {"w": 1, "q": 2}),
]


def outcome(record: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """Return what a call makes (as a plain tuple, with its repr), or the error it raises."""
    try:
        made = record(*args, **kwargs)
    except TypeError as e:
        return ("TypeError", str(e))
    return (tuple(made), repr(made))


@pytest.mark.parametrize(("args", "kwargs"), CALLS)
def test_calls_bind_and_fail_as_namedtuple_calls_do(args: tuple[Any, ...],
                                                    kwargs: dict[str, Any]) -> None:
    """Positional, keyword and default values land where namedtuple puts them, and a bad
    call raises the same TypeError with the same words."""
    assert outcome(Point, args, kwargs) == outcome(REFERENCE, args, kwargs)


def test_a_record_without_defaults_refuses_extra_values_in_the_same_words() -> None:
    """'takes 3 positional arguments' (no defaults) as Python says it."""
    assert outcome(Bare, (1, 2, 3), {}) == outcome(BARE_REFERENCE, (1, 2, 3), {})
    assert outcome(Bare, (), {}) == outcome(BARE_REFERENCE, (), {})


def test_a_record_is_a_tuple_with_named_fields() -> None:
    """Fields, indexing, unpacking, equality, hashing, ordering and the class's own method."""
    point = Point(1, "a")
    assert (point.x, point.y, point.z, point.w) == (1, "a", 3, None)
    assert point[1] == "a" and tuple(point) == (1, "a", 3, None)
    x, y, z, w = point
    assert (x, y, z, w) == (1, "a", 3, None)
    assert point == REFERENCE(1, "a") == (1, "a", 3, None)
    assert hash(point) == hash((1, "a", 3, None))
    assert sorted([Point(2, "b"), Point(1, "c")])[0].x == 1
    assert point.total() == 4
    assert Point.__doc__ == "A record with required fields, defaults and a method of its own."
    with pytest.raises(AttributeError):
        point.x = 5  # type: ignore[misc]
    with pytest.raises(AttributeError):
        point.extra = 1  # type: ignore[attr-defined]


def test_the_namedtuple_api_matches() -> None:
    """_fields, _field_defaults, _make, _replace, _asdict, __match_args__ and their errors."""
    point = Point(1, "a")
    assert Point._fields == REFERENCE._fields
    assert Point._field_defaults == REFERENCE._field_defaults
    assert Point.__match_args__ == REFERENCE.__match_args__  # type: ignore[attr-defined]
    assert Point._make([1, "a", 3, None]) == point
    with pytest.raises(TypeError, match="Expected 4 arguments, got 2"):
        Point._make([1, 2])
    assert point._replace(z=9) == (1, "a", 9, None)
    with pytest.raises(ValueError, match="Got unexpected field names: \\['q'\\]"):
        point._replace(q=1)  # type: ignore[call-arg]
    assert point._asdict() == REFERENCE(1, "a")._asdict()
    match point:
        case Point(1, y):
            assert y == "a"
        case _:
            pytest.fail("positional match")
    assert Point.x.__doc__ == "Alias for field number 0"
    assert Point.__new__.__doc__ == "Create new instance of Point(x, y, z, w)"


def test_records_copy_and_pickle() -> None:
    """copy, deepcopy and pickle round trips give equal records of the same class."""
    point = Point(1, "a", 5, [1, 2])
    for again in (copy.copy(point), copy.deepcopy(point),
                  pickle.loads(pickle.dumps(point))):  # noqa: S301  # our own bytes
        assert again == point and type(again) is Point
    assert copy.deepcopy(point).w is not point.w


def test_a_class_body_may_not_redefine_what_namedtuple_sets() -> None:
    """As typing.NamedTuple refuses it: __new__, _make and the like stay the record's own."""
    with pytest.raises(AttributeError, match="_make"):
        class Broken(NamedTuple):
            a: int

            def _make(self) -> None:  # type: ignore[override]
                pass

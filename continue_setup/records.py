"""Typed records for the start-up path, without importing ``typing`` at run time.

``validate`` of one file is mostly the interpreter starting and modules loading, and
``typing`` alone was ~7% of it (``dataclasses``, which loads ``inspect``, ``ast`` and
``dis``, another ~20%). Modules that ``validate`` loads therefore write their records as
``class X(NamedTuple)`` with ``NamedTuple`` from here: to mypy it is ``typing.NamedTuple``;
at run time it builds the same ``collections.namedtuple`` class that typing would, from the
class body's annotations (names only: they are strings under ``from __future__ import
annotations``), defaults, methods and docstring. Other records subclass ``Record``
(equality and a safe repr from ``__slots__``) or ``Frozen`` (read-only, hashable, with
``replace``), which give what ``@dataclass`` generates without compiling it at import.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeVar
    from typing import NamedTuple as NamedTuple

    F = TypeVar("F", bound="Frozen")
else:
    import collections

    # What a class body may not define, as typing.NamedTuple refuses or sets them itself.
    _RESERVED = frozenset(("__new__", "__init__", "__slots__", "__getnewargs__", "_fields",
                           "_field_defaults", "_make", "_replace", "_asdict", "_source"))

    class _Meta(type):
        def __new__(cls, name, bases, namespace):
            if bases:  # a record's class body, not _Base itself
                return _build(name, namespace)
            return super().__new__(cls, name, bases, namespace)

    class _Base(metaclass=_Meta):
        pass

    def _build(name, namespace):
        fields = tuple(namespace.get("__annotations__", {}))
        defaults = [namespace[f] for f in fields if f in namespace]
        bad = sorted(_RESERVED & set(namespace))
        if bad:
            raise AttributeError(f"cannot overwrite NamedTuple attribute {bad[0]}")
        record = collections.namedtuple(name, fields, defaults=defaults,
                                        module=namespace.get("__module__"))
        record.__annotations__ = dict(namespace.get("__annotations__", {}))
        for key, value in namespace.items():
            if key not in fields and key not in ("__module__", "__annotations__"):
                setattr(record, key, value)
        return record

    def NamedTuple(typename, fields=None, /):
        """The functional form, ``NamedTuple("Name", [("field", type), ...])``."""
        return collections.namedtuple(typename, [name for name, _ in fields or ()])

    NamedTuple.__mro_entries__ = lambda bases: (_Base,)


class Record:
    """A plain class whose ``__slots__`` are its fields: equality and a repr.

    What ``@dataclass`` generates, without generating it: each dataclass cost ~0.8 ms at
    import (it compiles its methods from source), most of a fresh ``init``'s own time.
    Subclasses write their ``__init__``; ``_REPR`` names the fields a repr may show (none
    that can hold a secret).
    """

    __slots__: tuple[str, ...] = ()
    _REPR: tuple[str, ...] = ()

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()

    __hash__ = None  # type: ignore[assignment]  # mutable, as a dataclass with eq=True

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._REPR)
        return f"{type(self).__name__}({shown})"


class Frozen(Record):
    """A ``Record`` that cannot change after ``__init__`` (``frozen=True``); ``replace``
    returns a changed copy (``dataclasses.replace``)."""

    __slots__: tuple[str, ...] = ()

    def __hash__(self) -> int:  # type: ignore[override]  # read-only, so hashable
        return hash(self._values())

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only: use replace()")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def _set(self, **values: object) -> None:
        """Set fields from ``__init__`` (the only writer)."""
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def __setstate__(self, state: object) -> None:  # copy and pickle restore through here
        slots: Any = state[1] if isinstance(state, tuple) else state
        for name, value in dict(slots or {}).items():
            object.__setattr__(self, name, value)

    def replace(self: F, **changes: object) -> F:
        """Return a copy with ``changes`` made."""
        copy = object.__new__(type(self))
        for name in self.__slots__:
            object.__setattr__(copy, name, changes.pop(name, getattr(self, name)))
        if changes:
            raise TypeError(f"{type(self).__name__} has no field {sorted(changes)[0]!r}")
        return copy

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
        record = _namedtuple(name, fields, tuple(defaults), namespace.get("__module__"))
        record.__annotations__ = dict(namespace.get("__annotations__", {}))
        for key, value in namespace.items():
            if key not in fields and key not in ("__module__", "__annotations__"):
                setattr(record, key, value)
        return record

    def NamedTuple(typename, fields=None, /):
        """The functional form, ``NamedTuple("Name", [("field", type), ...])``."""
        return collections.namedtuple(typename, [name for name, _ in fields or ()])

    try:
        from _collections import _tuplegetter  # the field accessor collections uses
    except ImportError:  # another Python: collections' own fallback
        from operator import itemgetter

        def _tuplegetter(index, doc):
            return property(itemgetter(index), doc=doc)

    def _namedtuple(typename, fields, defaults, module):
        """Build what ``collections.namedtuple(typename, fields, defaults=defaults)`` builds,
        without compiling a ``__new__`` from source for each class (``eval``: ~0.23 M
        instructions a record, ten records on a one-file validate's path). ``__new__`` takes
        positional calls straight through; keywords are bound as Python binds them."""
        count, first_default = len(fields), len(fields) - len(defaults)
        tuple_new = tuple.__new__
        arg_list = ", ".join(fields)

        def __new__(_cls, *args, **kwargs):
            if not kwargs and first_default <= len(args) <= count:
                return tuple_new(_cls, args + defaults[len(args) - first_default:])
            return tuple_new(_cls, _bind(typename, fields, defaults, args, kwargs))

        def _make(cls, iterable):
            result = tuple_new(cls, iterable)
            if len(result) != count:
                raise TypeError(f"Expected {count} arguments, got {len(result)}")
            return result

        def _replace(self, /, **kwds):
            result = self._make(map(kwds.pop, fields, self))
            if kwds:
                raise ValueError(f"Got unexpected field names: {list(kwds)!r}")
            return result

        repr_fmt = "(" + ", ".join(f"{name}=%r" for name in fields) + ")"

        def __repr__(self):
            return self.__class__.__name__ + repr_fmt % self

        def _asdict(self):
            return dict(zip(self._fields, self, strict=True))

        def __getnewargs__(self):
            return tuple(self)

        __new__.__doc__ = f"Create new instance of {typename}({arg_list})"
        for method in (__new__, _make, _replace, __repr__, _asdict, __getnewargs__):
            method.__qualname__ = f"{typename}.{method.__name__}"
        body = {"__doc__": f"{typename}({arg_list})", "__slots__": (), "_fields": fields,
                "_field_defaults": dict(zip(fields[first_default:], defaults, strict=True)),
                "__new__": __new__, "_make": classmethod(_make), "_replace": _replace,
                "__repr__": __repr__, "_asdict": _asdict, "__getnewargs__": __getnewargs__,
                "__match_args__": fields}
        for index, name in enumerate(fields):
            body[name] = _tuplegetter(index, f"Alias for field number {index}")
        record = type(typename, (tuple,), body)
        record.__module__ = module
        return record

    def _bind(typename, fields, defaults, args, kwargs):
        """Return the values of a call with keywords (or a wrong count), or raise the
        TypeError Python raises for the generated ``__new__``."""
        where = f"{typename}.__new__()"
        first_default = len(fields) - len(defaults)
        if len(args) > len(fields):
            takes = (f"from {first_default + 1} to {len(fields) + 1}" if defaults
                     else f"{len(fields) + 1}")
            raise TypeError(f"{where} takes {takes} positional arguments but "
                            f"{len(args) + 1} were given")
        for name in fields[:len(args)]:
            if name in kwargs:
                raise TypeError(f"{where} got multiple values for argument '{name}'")
        unknown = [name for name in kwargs if name not in fields]
        if unknown:
            raise TypeError(f"{where} got an unexpected keyword argument '{unknown[0]}'")
        values, missing = list(args), []
        for index in range(len(args), len(fields)):
            name = fields[index]
            if name in kwargs:
                values.append(kwargs[name])
            elif index >= first_default:
                values.append(defaults[index - first_default])
            else:
                missing.append(name)
        if missing:
            quoted = [repr(name) for name in missing]
            names = (quoted[0] if len(quoted) == 1 else " and ".join(quoted) if len(quoted) == 2
                     else ", ".join(quoted[:-1]) + ", and " + quoted[-1])
            raise TypeError(f"{where} missing {len(missing)} required positional "
                            f"argument{'s' if len(missing) > 1 else ''}: {names}")
        return tuple(values)

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

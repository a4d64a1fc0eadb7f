"""Typed records for the start-up path, without importing ``typing`` at run time.

``validate`` of one file is mostly the interpreter starting and modules loading, and
``typing`` alone was ~7% of it (``dataclasses``, which loads ``inspect``, ``ast`` and
``dis``, another ~20%). Modules that ``validate`` loads therefore write their records as
``class X(NamedTuple)`` with ``NamedTuple`` from here: to mypy it is ``typing.NamedTuple``;
at run time it builds the same ``collections.namedtuple`` class that typing would, from the
class body's annotations (names only: they are strings under ``from __future__ import
annotations``), defaults, methods and docstring. Mutable records are plain classes with
``__slots__``.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NamedTuple as NamedTuple
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

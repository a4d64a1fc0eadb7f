"""Write one JSON document piece by piece, when a list in it is too large to hold as text.

``validate`` of 10,000 files reports 10,000 file objects: built as dicts, encoded to one
string and masked into a second, they were three copies of ~3.5 MB of JSON at once and
most of the run's peak memory. A ``JsonItems`` stands for such a list: its items come in
batches, and each batch is encoded, masked and written before the next is built. The text
is the same as ``json.dumps`` of the whole document on one line would give.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from itertools import chain

from continue_setup.config import redact

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import IO, Any


class JsonItems:
    """A JSON array given as batches of items, made only while the document is written."""

    def __init__(self, batches: Callable[[], Iterable[list[Any]]]) -> None:
        self.batches = batches

    def as_list(self) -> list[Any]:
        """Return every item in one list (for the indented form a terminal gets)."""
        return list(chain.from_iterable(self.batches()))


def has_items(document: dict[str, Any]) -> bool:
    """Tell whether a member of ``document`` is a ``JsonItems``."""
    return any(isinstance(value, JsonItems) for value in document.values())


def materialized(document: dict[str, Any]) -> dict[str, Any]:
    """Return ``document`` with each ``JsonItems`` made into a plain list."""
    return {k: v.as_list() if isinstance(v, JsonItems) else v for k, v in document.items()}


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def write_streamed(stream: IO[str], document: dict[str, Any]) -> None:
    """Write ``document`` as one line of JSON plus a newline, each piece masked.

    Separators are ``json.dumps``'s one-line ones (", " and ": "), so the text is
    byte-for-byte what it would print for the materialized document. Each piece is masked
    on its own: a secret sits inside one string, and a string never spans two pieces.
    """
    separator = "{"
    for key, value in document.items():
        stream.write(separator + redact.redact(_dumps(key)) + ": ")
        separator = ", "
        if not isinstance(value, JsonItems):
            stream.write(redact.redact(_dumps(value)))
            continue
        stream.write("[")
        between = ""
        for batch in value.batches():
            if batch:
                # One encoder call per batch, not per item: the brackets come off its ends.
                stream.write(between + redact.redact(_dumps(batch)[1:-1]))
                between = ", "
        stream.write("]")
    stream.write("{}\n" if separator == "{" else "}\n")

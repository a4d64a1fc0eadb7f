"""A document with a list given in batches prints exactly as json.dumps would, masked."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from continue_setup.config import redact
from continue_setup.report import Output
from continue_setup.report.jsonstream import JsonItems, write_streamed

SECRET = "sk-ld-STREAMED-0123456789abcdef"


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


class Pieces(io.StringIO):
    """A stream that keeps each write apart, to show the document goes out in pieces."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[str] = []

    def write(self, text: str) -> int:
        self.writes.append(text)
        return super().write(text)


def items(batches: list[list[Any]]) -> JsonItems:
    """Return a JsonItems that yields ``batches``."""

    def produce() -> Iterator[list[Any]]:
        yield from batches

    return JsonItems(produce)


def test_streamed_text_is_byte_for_byte_json_dumps() -> None:
    """Empty batches, an empty list, non-ASCII, nested values and a Path (printed as text):
    each document prints as json.dumps of the materialized one would."""
    batches: list[list[Any]] = [[], [{"path": "é/ü.json", "n": [1, {"x": None}]}], [],
                                [{"path": Path("/tmp/a.json"), "ok": True}, 2.5, "tail"]]
    plain: list[Any] = [item for batch in batches for item in batch]
    for document, expected in (
        ({"files": items(batches), "valid": False, "summary": {"files": 3}},
         {"files": plain, "valid": False, "summary": {"files": 3}}),
        ({"head": 1, "files": items([])}, {"head": 1, "files": []}),
        ({"files": items([[], []])}, {"files": []}),
        ({}, {}),
    ):
        stream = io.StringIO()
        write_streamed(stream, document)
        assert stream.getvalue() == json.dumps(expected, ensure_ascii=False, default=str) + "\n"


def test_each_piece_is_masked_and_written_before_the_next_batch_is_made() -> None:
    """A registered key is masked in every batch; the batches are written one at a time, so
    the whole text never exists at once."""
    redact.register(SECRET)
    made: list[int] = []

    def produce() -> Iterator[list[dict[str, str]]]:
        for number in range(3):
            made.append(number)
            yield [{"message": f"key {SECRET} in file {number}"}]

    stream = Pieces()
    Output(json_mode=True, stdout=stream).json({"files": JsonItems(produce)})
    assert SECRET not in stream.getvalue()
    assert json.loads(stream.getvalue())["files"][2] == {"message": f"key {redact.MASK} in file 2"}
    assert made == [0, 1, 2]
    assert sum(1 for piece in stream.writes if "in file" in piece) == 3


def test_a_terminal_gets_the_same_document_indented() -> None:
    """At a terminal the batched list is gathered and indented like any other document."""
    redact.register(SECRET)
    shown = Terminal()
    Output(json_mode=True, stdout=shown).json(
        {"files": items([[{"key": SECRET}], [{"key": "plain"}]])}
    )
    assert json.loads(shown.getvalue())["files"] == [{"key": redact.MASK}, {"key": "plain"}]
    assert '\n  "files": [\n' in shown.getvalue()

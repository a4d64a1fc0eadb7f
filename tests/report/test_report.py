"""The printing layer: one JSON document, shaped for whoever reads it, secrets masked."""

from __future__ import annotations

import io
import json

from continue_setup.config import redact
from continue_setup.report import Output


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_json_is_indented_at_a_terminal_and_one_line_when_piped() -> None:
    """People at a terminal get indented JSON; a pipe gets the same document on one line."""
    document = {"files": [{"path": "a.json", "valid": True}], "summary": {"files": 1}}
    shown, piped = Terminal(), io.StringIO()
    Output(json_mode=True, stdout=shown).json(document)
    Output(json_mode=True, stdout=piped).json(document)
    enveloped = {"schema_version": 1, "command": "", "ok": True, "exit_code": 0, **document}
    assert json.loads(shown.getvalue()) == json.loads(piped.getvalue()) == enveloped
    assert shown.getvalue().count("\n") > 3 and '\n  "files"' in shown.getvalue()
    assert piped.getvalue().count("\n") == 1 and piped.getvalue().endswith("}\n")


def test_json_masks_registered_secrets() -> None:
    """A registered key is masked in the JSON document, whichever shape it takes."""
    redact.register("sk-ld-REPORT-0123456789")
    for stream in (Terminal(), io.StringIO()):
        Output(json_mode=True, stdout=stream).json({"echo": "sk-ld-REPORT-0123456789"})
        assert "sk-ld-REPORT" not in stream.getvalue()
        assert json.loads(stream.getvalue())["echo"] == redact.MASK


def test_a_buffered_document_waits_for_the_final_exit_code() -> None:
    """A command's document is printed by ``finish``, with the code the run really ends with."""
    stream = io.StringIO()
    out = Output(json_mode=True, stdout=stream, command="doctor", buffer=True)
    out.json({"ok": True, "exit_code": 0, "fixes": []})
    assert stream.getvalue() == ""
    out.finish(3)
    assert json.loads(stream.getvalue()) == {"schema_version": 1, "command": "doctor",
                                             "ok": False, "exit_code": 3, "fixes": []}

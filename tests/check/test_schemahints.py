"""Schema and rule hints say what to write, in the file's own syntax, never "change it"."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from continue_setup.check.schema import schema_findings
from continue_setup.check.validate import validate_paths
from continue_setup.config import parsing

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SAY_NOTHING = ("Change the value as the message says.", "Change the value to the expected type.",
               "Add the missing key.", "Give the entry a title.", "Give each entry its own title.",
               "Fix the syntax at the given line and column.")


def hints(data: Any, fmt: str) -> dict[str, str]:
    """Return the schema findings' hints for ``data`` in ``fmt``, by pointer."""
    text = json.dumps(data) if fmt == "json" else _yaml(data)
    doc = parsing.parse_text(text, fmt)  # type: ignore[arg-type]
    return {f.pointer: f.hint for f in schema_findings(doc)}


def _yaml(data: Any) -> str:
    import io

    from ruamel.yaml import YAML

    stream = io.StringIO()
    YAML(typ="safe").dump(data, stream)
    return stream.getvalue()


@pytest.mark.parametrize(("fmt", "required", "wrong_type"), [
    ("json", 'Add "model": "gpt-5.2" to this object.',
     'Write an integer without quotes here, for example "contextLength": 128000.'),
    ("yaml", 'Add model: "gpt-5.2" to this object.',
     "Write a string here, for example provider: \"openai\"."),
])
def test_hints_write_the_member_out(fmt: str, required: str, wrong_type: str) -> None:
    """A missing key is written out with a typical value; a wrong type gets an example."""
    if fmt == "json":
        entry = {"title": "GPT", "provider": "openai", "contextLength": "big"}
        data: dict[str, Any] = {"models": [entry]}
        bad = "/models/0/contextLength"
    else:
        entry = {"name": "GPT", "provider": 5}
        data = {"name": "x", "version": "1.0.0", "models": [entry]}
        bad = "/models/0/provider"
    found = hints(data, fmt)
    assert found["/models/0"] == required
    assert found[bad] == wrong_type


def test_an_enum_hint_lists_the_values_and_writes_one() -> None:
    """A value outside a list names the allowed ones and writes the first out."""
    data = {"models": [{"title": "a", "provider": "openai", "model": "m", "apiType": "x"}]}
    assert hints(data, "json")["/models/0/apiType"] == (
        'Write one of "openai", "azure", for example "apiType": "openai".')


def test_no_example_case_gets_a_hint_that_says_nothing() -> None:
    """Across every example config, no finding's hint is one of the old empty phrases."""
    files = sorted(p for kind in ("valid", "invalid") for p in (EXAMPLES / kind).rglob("*")
                   if p.suffix in (".json", ".yaml") and p.name != "expected.json")
    run = validate_paths(files, environ={}, parallel=False)
    found = [(r.path, f.code, f.hint) for r in run.reports for f in r.findings]
    assert len(found) > 50
    assert [f for f in found if f[2] in SAY_NOTHING] == []
    assert all(f[2] for f in found if f[1] != "unreadable"), [f for f in found if not f[2]]

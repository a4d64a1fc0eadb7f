"""Check a run's ``--json`` document against the schema shipped for its command."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from continue_setup.resources import data_dir


@cache
def _validator(command: str) -> Any:
    import jsonschema

    name = command.replace(" ", "-") or "usage"
    path = Path(data_dir("schemas")) / "output" / f"{name}.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def wants_json(args: tuple[str, ...] | list[str]) -> bool:
    """Tell whether a command line asks for the envelope (--json, or validate's json format)."""
    argv = list(args)
    if "--help" in argv or "-h" in argv or "--version" in argv:
        return False
    if "--output-format" in argv:
        return argv[argv.index("--output-format") + 1] == "json"
    return "--json" in argv


def check_document(stdout: str, exit_code: int) -> dict[str, Any]:
    """Assert ``stdout`` is one enveloped JSON document valid against its command's schema."""
    document = json.loads(stdout)
    assert isinstance(document, dict), stdout
    errors = sorted(_validator(str(document.get("command", ""))).iter_errors(document),
                    key=lambda e: list(e.absolute_path))
    assert not errors, "; ".join(
        f"/{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:5])
    assert document["exit_code"] == exit_code, (document["exit_code"], exit_code)
    assert document["ok"] is (exit_code == 0)
    return document

"""Schema failures are explained without jsonschema, exactly as jsonschema explains them."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from continue_setup.check import schema
from continue_setup.check.schemaexplain import Unsure, explain
from continue_setup.config import parsing

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _parsable(path: Path) -> bool:
    """Tell whether an example parses (the broken ones have nothing for a schema to say)."""
    try:
        parsing.load(path)
    except Exception:
        return False
    return True


CONFIGS = sorted(p for p in EXAMPLES.rglob("config.*")
                 if p.suffix in (".json", ".yaml") and _parsable(p))
ODD_VALUES: list[Any] = [None, True, 0, 1.5, -3, "", "x", [], [1, "a"], {}, {"zz": 1}]


def described(errors: Any) -> list[tuple[str, str, str, str]]:
    """Turn errors into the (severity, code, pointer, message) tuples findings are made of."""
    return [item for error in errors for item in schema._describe(error)]


def jsonschema_view(fmt: str, data: Any) -> list[tuple[str, str, str, str]]:
    """What jsonschema itself says, through the same describer."""
    return described(Draft202012Validator(schema.load_schema(fmt)).iter_errors(data))


def mutations(data: Any, rng: random.Random, count: int) -> list[Any]:
    """Return ``count`` copies of ``data``, each with one value replaced or one key added."""
    found = []
    for _ in range(count):
        copy = json.loads(json.dumps(data))
        node = copy
        for _depth in range(rng.randint(0, 3)):  # walk down a random path
            children = [v for v in (node.values() if isinstance(node, dict) else node)
                        if isinstance(v, (dict, list)) and v]
            if not children:
                break
            node = rng.choice(children)
        value = rng.choice(ODD_VALUES)
        if isinstance(node, dict):
            keys = list(node)
            key = rng.choice(keys) if keys and rng.random() < 0.7 else rng.choice(
                ["apiKey", "title", "bogusKey", "roles", "provider"])
            node[key] = value
        elif node:
            node[rng.randrange(len(node))] = value
        found.append(copy)
    return found


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_examples_and_their_mutations_are_explained_as_jsonschema_does(path: Path) -> None:
    """Every example config, and 40 one-value mutations of it, gets jsonschema's findings."""
    doc = parsing.load(path)
    rng = random.Random(path.name)
    checked = failing = 0
    for data in [doc.data, *mutations(doc.data, rng, 40)]:
        try:
            ours = described(explain(schema.load_schema(doc.format), data))
        except Unsure:
            continue
        assert ours == jsonschema_view(doc.format, data)
        checked += 1
        failing += bool(ours)
    assert checked > 30 and failing > 0


def test_common_failures_need_no_fallback() -> None:
    """Wrong types, missing keys, unknown keys and bad enums are all explained here."""
    data = {"models": [{"title": "t", "provider": 42, "model": "m", "extra": 1},
                       {"provider": "openai"}], "tabAutocompleteModel": "no"}
    errors = explain(schema.load_schema("json"), data)
    assert described(errors) == jsonschema_view("json", data)
    assert described(errors)


def test_validate_of_a_failing_file_does_not_import_jsonschema(tmp_path: Path) -> None:
    """A config that fails the schema is explained without loading jsonschema."""
    config = tmp_path / "config.json"
    config.write_text('{"models": [{"title": "t", "provider": 42, "model": "m"}]}')
    script = (
        "import atexit, sys;"
        "atexit.register(lambda: print('jsonschema' in sys.modules, file=sys.stderr));"
        "sys.argv = ['continue-setup', 'validate', sys.argv[1]];"
        "from continue_setup._start import main; main()"
    )
    proc = subprocess.run([sys.executable, "-c", script, str(config)], capture_output=True,
                          text=True, timeout=60, check=False)
    assert proc.returncode == 1, proc.stderr
    assert "provider" in proc.stdout + proc.stderr
    assert proc.stderr.split()[-1] == "False"

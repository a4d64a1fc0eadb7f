"""No input crashes the commands that read configs (property tests with hypothesis)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from continue_setup.cli import cli
from continue_setup.config import jsonc, parsing, redact
from continue_setup.errors import ConfigParseError

# The autouse fixture isolates HOME once per test; every example writes its own temp dir.
PROPERTY = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
RECIPE: dict[str, Any] = {
    "models": [
        {"title": "GPT-5.2", "provider": "openai", "model": "gpt-5.2",
         "apiKey": "sk-ld-abcdef0123456789", "apiBase": "https://api.langdock.com/openai/eu/v1"},
        {"title": "Claude", "provider": "anthropic", "model": "claude-sonnet-4-6-default",
         "apiKey": "sk-ld-abcdef0123456789",
         "apiBase": "https://api.langdock.com/anthropic/eu/v1"},
    ],
    "tabAutocompleteModel": {"title": "Codestral", "provider": "mistral",
                             "model": "codestral-2501", "apiKey": "sk-ld-abcdef0123456789",
                             "apiBase": "https://api.langdock.com/mistral/eu/v1"},
}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                 max_size=4),
    max_leaves=25,
)
config_keys = st.sampled_from(["models", "tabAutocompleteModel", "title", "provider", "model",
                               "apiKey", "apiBase", "roles", "requestOptions", "env", "name",
                               "version", "caBundlePath", "verifySsl", "contextLength"])


def invoke(*args: str) -> Any:
    """Run the CLI in-process, as a fresh process would: no secrets remembered from before.

    Hypothesis runs many examples in one test; one example's apiKey (say "model") must not
    be masked inside the next example's output.
    """
    redact.forget_all()
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False,
                                prog_name="continue-setup")
    return result


def check_run(result: Any) -> None:
    """The run ended in a documented way, without a traceback or an internal error."""
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output
    assert "internal error" not in result.output


def pointer_exists(data: Any, pointer: str) -> bool:
    """Resolve ``pointer`` in ``data``; a masked segment matches any key.

    A generated apiKey may equal a key name (say "models"); the redactor then masks that word
    everywhere, pointers included, which is the safe choice.
    """
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]
    return _resolves(data, tokens)


def _resolves(node: Any, tokens: list[str]) -> bool:
    if not tokens:
        return True
    token, rest = tokens[0], tokens[1:]
    if isinstance(node, dict):
        if token == redact.MASK:
            return any(_resolves(value, rest) for value in node.values())
        return token in node and _resolves(node[token], rest)
    if isinstance(node, list) and token.isdigit() and int(token) < len(node):
        return _resolves(node[int(token)], rest)
    return False


def validate_file(path: Path) -> None:
    result = invoke("validate", "--json", str(path))
    check_run(result)
    payload = json.loads(result.stdout)
    try:
        data = parsing.load(path).data
    except (ConfigParseError, Exception):  # an unparseable file: only the root is a place
        data = None
    for report in payload["files"]:
        for finding in report["findings"]:
            pointer = finding["pointer"]
            assert pointer is None or pointer == "" or pointer_exists(data, pointer), finding


def mutate(data: Any, path: list[Any], action: str, value: Any) -> Any:
    """Apply one mutation at ``path``: delete, replace or insert."""
    if not path:
        return value if action != "delete" else {}
    head, *rest = path
    if isinstance(data, dict) and data:
        key = list(data)[head % len(data)]
        copy = dict(data)
        if not rest and action == "delete":
            del copy[key]
        elif not rest and action == "insert":
            copy[f"{key}_x"] = value
        else:
            copy[key] = mutate(data[key], rest, action, value)
        return copy
    if isinstance(data, list) and data:
        index = head % len(data)
        copy = list(data)
        if not rest and action == "delete":
            del copy[index]
        else:
            copy[index] = mutate(data[index], rest, action, value)
        return copy
    return value


@PROPERTY
@given(raw=st.binary(max_size=400), suffix=st.sampled_from([".json", ".yaml"]))
def test_arbitrary_bytes_never_crash_validate(raw: bytes, suffix: str) -> None:
    """Any bytes at all, as config.json or config.yaml, give findings, not a traceback."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"config{suffix}"
        path.write_bytes(raw)
        validate_file(path)


@PROPERTY
@given(document=json_values, suffix=st.sampled_from([".json", ".yaml"]))
def test_arbitrary_documents_never_crash_validate(document: Any, suffix: str) -> None:
    """Any JSON or YAML document validates to findings whose pointers exist."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"config{suffix}"
        if suffix == ".json":
            path.write_text(json.dumps(document))
        else:
            path.write_text(parsing.render_yaml(document, None, ""))
        validate_file(path)


@PROPERTY
@given(path=st.lists(st.integers(min_value=0, max_value=9), max_size=4),
       action=st.sampled_from(["delete", "replace", "insert"]),
       value=json_values | config_keys)
def test_mutated_recipes_never_crash(path: list[int], action: str, value: Any) -> None:
    """Mutations of a valid config never crash validate, doctor --offline or migrate --dry-run."""
    mutated = mutate(RECIPE, path, action, value)
    with tempfile.TemporaryDirectory() as tmp:
        config_dir = Path(tmp) / ".continue"
        config_dir.mkdir()
        config = config_dir / "config.json"
        config.write_text(json.dumps(mutated, indent=2))
        validate_file(config)
        check_run(invoke("doctor", "--offline", "--config-dir", str(config_dir)))
        check_run(invoke("migrate", "--dry-run", "--config-dir", str(config_dir)))


@PROPERTY
@given(text=st.text(alphabet=st.sampled_from(list('{}[]:,"\'/*\n tfn0123x-.\\e')), max_size=80))
def test_jsonc_parser_fails_only_with_positions(text: str) -> None:
    """The JSONC parser either parses or raises JsoncError with an offset inside the text."""
    try:
        jsonc.parse(text)
    except jsonc.JsoncError as e:
        assert 0 <= e.offset <= len(text)


@pytest.mark.parametrize("depth", [600, 5000])
def test_deep_nesting_is_a_finding(tmp_path: Path, depth: int) -> None:
    """Absurdly deep nesting is reported as a parse error, not a crash."""
    path = tmp_path / "config.json"
    path.write_text("[" * depth + "]" * depth)
    result = invoke("validate", "--json", str(path))
    check_run(result)
    assert result.exit_code == 1

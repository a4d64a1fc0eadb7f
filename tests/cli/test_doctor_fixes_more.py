"""doctor --fix also repairs keys with surrounding whitespace and JSON5 syntax; diffs say
"key changed" instead of showing two identical masked lines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import SENTINEL

ENTRY = ('{"title": "GPT", "provider": "openai", "model": "gpt-5.2", '
         '"apiBase": "https://api.langdock.com/openai/eu/v1", "apiKey": KEY}')


def write(config_dir: Path, text: str) -> Path:
    """Write config.json (0600) and return its path."""
    config_dir.mkdir(exist_ok=True)
    path = config_dir / "config.json"
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return path


def codes(run: Any) -> set[str]:
    """Return the finding codes validate reports for the config Continue loads."""
    report = json.loads(run("validate", "--json").stdout)
    return {f["code"] for r in report["files"] for f in r["findings"]}


def test_fix_strips_a_trailing_newline_from_the_key(run: Any, config_dir: Path) -> None:
    """A key pasted with a newline: --fix strips it, and key-whitespace is gone."""
    path = write(config_dir, '{"models": [' + ENTRY.replace("KEY", json.dumps(SENTINEL + "\n"))
                 + "]}\n")
    assert "key-whitespace" in codes(run)
    result = run("doctor", "--offline", "--fix", "--yes")
    assert result.exit_code == 0, result.output
    entry = json.loads(path.read_text(encoding="utf-8"))["models"][0]
    assert entry["apiKey"] == SENTINEL
    assert "key-whitespace" not in codes(run) and SENTINEL not in result.output


def test_fix_rewrites_json5_as_jsonc_keeping_comments(run: Any, config_dir: Path) -> None:
    """Unquoted keys and single quotes become JSONC; the comments stay; Continue can load it."""
    path = write(config_dir, "{\n  // my models\n  models: [\n    {title: 'GPT', provider: "
                 "'openai', model: 'gpt-5.2', apiBase: 'https://api.langdock.com/openai/eu/v1',"
                 f" apiKey: '{SENTINEL}'}}, // GPT\n  ],\n}}\n")
    assert "parse-error" in codes(run)
    result = run("doctor", "--offline", "--fix", "--yes")
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert "// my models" in text and "// GPT" in text and '"title": "GPT"' in text
    assert codes(run) == set()
    assert SENTINEL not in result.output


def test_json5_that_is_not_mechanical_is_left_to_a_person(run: Any, config_dir: Path) -> None:
    """A hex number has no single JSONC spelling to choose: nothing is rewritten."""
    text = '{"models": [], "port": 0x1F}\n'
    path = write(config_dir, text)
    result = run("doctor", "--offline", "--fix", "--yes")
    assert result.exit_code == 1
    assert path.read_text(encoding="utf-8") == text


def test_a_key_only_change_shows_as_key_changed_in_diffs(run: Any, config_dir: Path) -> None:
    """init --diff after a new key: one '~ ... (key changed)' line per entry, no -/+ pairs."""
    run("init", "--yes", "--no-ping", env={"LANGDOCK_API_KEY": SENTINEL})
    result = run("init", "--diff", env={"LANGDOCK_API_KEY": "sk-ld-another-0123456789"})
    assert result.exit_code == 0, result.output
    assert result.stdout.count("(key changed)") == 3
    assert not [line for line in result.stdout.splitlines()
                if line.startswith(("-", "+")) and "apiKey" in line]
    assert SENTINEL not in result.output and "sk-ld-another-0123456789" not in result.output

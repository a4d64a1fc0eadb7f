"""The click-free ``validate`` path says exactly what the click application says."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from continue_setup import _quick

SENTINEL = "sk-ld-SENTINEL-quick-0123456789abcdef"
VALID = {"models": [{"title": "GPT", "provider": "openai", "model": "gpt-5.2",
                     "apiBase": "https://api.langdock.com/openai/eu/v1",
                     "apiKey": "${{ secrets.LANGDOCK_API_KEY }}"}]}


@pytest.mark.parametrize(("args", "expected"), [
    (["validate"], ([], set(), "text")),
    (["validate", "a.json", "b.yaml"], (["a.json", "b.yaml"], set(), "text")),
    (["validate", "--strict", "--json", "-q", "x"], (["x"], {"strict", "json", "quiet"}, "text")),
    (["validate", "--quiet", "--output-format", "json", "x"], (["x"], {"quiet"}, "json")),
    (["validate", "--output-format=text", "x"], (["x"], set(), "text")),
    (["validate", "--", "-odd.json", "--strict"], (["-odd.json", "--strict"], set(), "text")),
])
def test_plain_lines_are_taken(args: list[str], expected: Any) -> None:
    """Paths and the plain flags are read as click would read them."""
    assert _quick.parse(args) == expected


@pytest.mark.parametrize("args", [
    ["validate", "-"],  # standard input
    ["validate", "--", "-"],
    ["validate", ""],
    ["validate", "--config-dir", "d", "x"],
    ["validate", "--home", "h"],
    ["validate", "--format", "json", "-"],
    ["validate", "--output-format", "sarif", "x"],
    ["validate", "--output-format", "github", "x"],
    ["validate", "--output-format"],
    ["validate", "--help"],
    ["validate", "--debug", "x"],
    ["validate", "-qq", "x"],
    ["validate", "--strict=yes", "x"],
    ["validate", "--stric", "x"],
    ["ping"],
    [],
])
def test_anything_else_is_left_to_click(args: list[str]) -> None:
    """Any other shape goes to the click application, before anything is read."""
    assert _quick.parse(args) is None
    assert _quick.run(args) is None


def _tree(root: Path) -> dict[str, Path]:
    """Configs of every kind a run may meet: valid, warned, failing, broken, with a key."""
    root.mkdir()
    files = {
        "valid": root / "valid.json",
        "warned": root / "warned.yaml",
        "failing": root / "failing.json",
        "broken": root / "broken.json",
        "keyed": root / "keyed.json",
        "missing": root / "missing.json",
    }
    files["valid"].write_text(json.dumps(VALID))
    files["warned"].write_text("name: x\nversion: 1.0.0\nschema: v1\nmodels:\n"
                               "  - name: m\n    provider: openai\n    model: gpt-4o\n")
    files["failing"].write_text('{"models": [{"title": 3, "provider": "openai"}]}')
    files["broken"].write_text('{"models": [\n  {"title": "a",}\n')
    files["keyed"].write_text(json.dumps({"models": [{**VALID["models"][0], "apiKey": SENTINEL}]}))
    for path in files.values():
        if path.exists():
            path.chmod(0o600)
    (root / ".env").write_text("LANGDOCK_API_KEY=sk-ld-from-dotenv-0123456789\n")
    return files


def _scenarios(files: dict[str, Path]) -> list[list[str]]:
    folder = str(files["valid"].parent)
    one = [str(files[name]) for name in ("valid", "warned", "failing", "broken", "keyed",
                                         "missing")]
    runs = [[path] for path in one]
    runs += [one, [folder], [folder, str(files["valid"])], []]
    with_flags = []
    for paths in ([str(files["valid"])], [str(files["warned"])], one, [folder]):
        for flags in (["--strict"], ["--json"], ["-q"], ["--output-format", "json"],
                      ["--quiet", "--strict", "--json"]):
            with_flags.append([*flags, *paths])
    return [["validate", *args] for args in runs + with_flags]


def test_both_paths_print_the_same(tmp_path: Path, run: Any, run_process: Any) -> None:
    """Every scenario gives the same exit code, stdout and stderr by either path, and the
    key in a checked file never shows."""
    files = _tree(tmp_path / "configs")
    home = tmp_path / "home"
    (home / ".continue").mkdir(parents=True)
    (home / ".continue" / "config.json").write_text(json.dumps(VALID))
    env = {"HOME": str(home), "COLUMNS": "100", "NO_COLOR": "1"}
    for args in _scenarios(files):
        fast = run_process(*args, env=env)
        slow = run(*args, env=env)
        assert (fast.exit_code, fast.stdout, fast.stderr) == \
            (slow.exit_code, slow.stdout, slow.stderr), args
        assert SENTINEL not in fast.stdout + fast.stderr


def test_the_fast_path_runs_without_click(tmp_path: Path) -> None:
    """A plain validate loads neither click nor typing, dataclasses or jsonschema; '-' (or
    any other shape) still goes through click."""
    config = tmp_path / "config.json"
    config.write_text(json.dumps(VALID))
    probe = ("import sys; sys.argv = ['continue-setup', *sys.argv[1:]];"
             "from continue_setup._start import main\n"
             "try: main()\n"
             "except SystemExit: pass\n"
             "print(sorted(m for m in sys.modules if m.split('.')[0] in "
             "('click', 'typing', 'dataclasses', 'jsonschema')), file=sys.stderr)")

    def loaded(*args: str, stdin: str = "") -> str:
        proc = subprocess.run([sys.executable, "-c", probe, *args], input=stdin,
                              capture_output=True, text=True, timeout=60, check=False)
        return proc.stderr.strip().splitlines()[-1]

    assert loaded("validate", str(config)) == "[]"
    assert loaded("validate", "--strict", "--json", str(config)) == "[]"
    assert "'click'" in loaded("validate", "-", stdin=json.dumps(VALID))


def test_an_error_is_reported_by_click(tmp_path: Path, run: Any, run_process: Any) -> None:
    """A run that cannot check at all (no config where Continue looks) ends in click's own
    words and exit code, once."""
    env = {"HOME": str(tmp_path / "empty-home")}
    fast = run_process("validate", env=env)
    slow = run("validate", env=env)
    assert fast.exit_code == slow.exit_code != 0
    assert fast.stderr == slow.stderr
    assert fast.stderr.count("error") == slow.stderr.count("error") >= 1

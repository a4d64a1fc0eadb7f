"""The example folders: each case runs through the CLI and must report exactly its findings.

A case is ``tests/examples/{valid,invalid}/<name>/`` holding config files (and a ``.env``)
plus ``expected.json``::

    {"description": "...",                # what the case shows
     "files": ["config.json"],            # paths to pass (default: the configs at the top)
     "args": ["--config-dir", "{dir}"],   # extra arguments; {dir} is the copied case folder
     "env": {"NAME": "value"},            # environment for the run
     "modes": {"config.json": "0644"},    # file modes (everything else is 0600)
     "exit_code": 1,                      # default: 0 under valid/, 1 under invalid/
     "loaded_by_continue": false,         # what every reported file must say
     "findings": [{"code", "pointer", "severity"?, "line"?, "column"?, "file"?,
                   "hint"?}]}                  # hint: text the finding's hint contains

Every finding of a file must be listed (code and pointer), and nothing else may appear.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CONFIG_SUFFIXES = (".json", ".jsonc", ".yaml", ".yml")
CASES = sorted(
    p for kind in ("valid", "invalid") for p in (EXAMPLES / kind).iterdir() if p.is_dir()
)


def load_expected(case: Path) -> dict[str, Any]:
    """Return a case's expected.json."""
    data: dict[str, Any] = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    return data


def default_files(case: Path) -> list[str]:
    """Return the config files at the top of a case folder."""
    return sorted(
        p.name
        for p in case.iterdir()
        if p.is_file() and p.name != "expected.json" and p.name.endswith(CONFIG_SUFFIXES)
    )


def prepare(case: Path, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    """Copy a case into tmp_path and set its file modes; return the copy and its expectations."""
    target = tmp_path / "case"
    shutil.copytree(case, target)
    (target / "expected.json").unlink()
    expected = load_expected(case)
    for path in target.rglob("*"):
        if path.is_file():
            path.chmod(0o600)
    for name, mode in expected.get("modes", {}).items():
        (target / name).chmod(int(mode, 8))
    return target, expected


def arguments(target: Path, case: Path, expected: dict[str, Any]) -> list[str]:
    """Return the validate arguments for a prepared case."""
    files = expected.get("files", default_files(case))
    extra = [arg.replace("{dir}", str(target)) for arg in expected.get("args", [])]
    return [*extra, *(str(target / name) for name in files)]


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_example(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Any) -> None:
    """The case's files produce exactly its expected findings and exit code."""
    target, expected = prepare(case, tmp_path)
    if expected.get("posix_only") and os.name != "posix":
        pytest.skip("file modes are POSIX only")
    for name, value in expected.get("env", {}).items():
        monkeypatch.setenv(name, value)
    args = arguments(target, case, expected)
    result = run("validate", "--json", *args)
    report = json.loads(result.stdout)
    default_exit = 0 if case.parent.name == "valid" else 1
    assert result.exit_code == expected.get("exit_code", default_exit), result.stdout

    files = expected.get("files", default_files(case)) or default_files(case)
    actual: dict[str, list[dict[str, Any]]] = {}
    for entry in report["files"]:
        name = Path(entry["path"]).relative_to(target).as_posix()
        actual[name] = entry["findings"]
        assert entry["loaded_by_continue"] is expected.get("loaded_by_continue", False)
    wanted: dict[str, list[dict[str, Any]]] = {name: [] for name in actual}
    for finding in expected["findings"]:
        wanted.setdefault(finding.get("file", files[0]), []).append(finding)
    for name in wanted:
        got = Counter((f["code"], f["pointer"]) for f in actual.get(name, []))
        want = Counter((f["code"], f["pointer"]) for f in wanted[name])
        assert got == want, f"{name}: {json.dumps(actual.get(name), indent=1)}"
        for finding in wanted[name]:
            match = next(
                f
                for f in actual[name]
                if (f["code"], f["pointer"]) == (finding["code"], finding["pointer"])
            )
            for key in ("severity", "line", "column"):
                if key in finding:
                    assert match[key] == finding[key], (name, finding, match)
            assert finding.get("hint", "") in match["hint"], (name, finding, match)


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_example_text(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Any
) -> None:
    """The text report of a case exits as the JSON one does and names every finding's code,
    in the clickable ``path:line:col: severity code message`` form."""
    target, expected = prepare(case, tmp_path)
    if expected.get("posix_only") and os.name != "posix":
        pytest.skip("file modes are POSIX only")
    for name, value in expected.get("env", {}).items():
        monkeypatch.setenv(name, value)
    result = run("validate", *arguments(target, case, expected))
    assert result.exit_code == expected.get("exit_code", 0 if case.parent.name == "valid" else 1)
    for finding in expected["findings"]:
        severity = finding.get("severity", "(?:error|warning|info)")
        assert re.search(rf"^  \S+: {severity} {re.escape(finding['code'])} ", result.stdout,
                         re.MULTILINE), (finding, result.stdout)


def test_every_code_has_a_case() -> None:
    """Each documented code (bar the schema family) is shown by at least one example case."""
    from continue_setup.check.rules import CODES

    shown = {f["code"] for case in CASES for f in load_expected(case)["findings"]}
    missing = {code for code in CODES if not code.endswith("*")} - shown
    assert not missing


def test_every_case_is_described() -> None:
    """Each example says in one sentence what it shows."""
    assert CASES
    for case in CASES:
        assert load_expected(case).get("description"), case

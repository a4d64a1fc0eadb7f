"""The start-up fast path answers --version and --help exactly as click would."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from continue_setup._start import HELP_FILE
from continue_setup.cli import render_help


def test_help_file_matches_click() -> None:
    """help.txt is click's current top-level help; regenerate it when commands change."""
    assert HELP_FILE.read_text(encoding="utf-8") == render_help(), (
        "help.txt is stale: run python -c 'from continue_setup.cli import write_help; write_help()'"
    )


def test_fast_paths_print_what_click_prints(run: Any, run_process: Any) -> None:
    """--version and --help from the fast path equal click's own output."""
    for args in (["--version"], ["-V"], ["--help"], ["-h"]):
        fast = run_process(*args, env={"COLUMNS": "80"})
        slow = run(*args, env={"COLUMNS": "80"})
        assert fast.exit_code == slow.exit_code == 0
        assert fast.stdout == slow.stdout


def test_narrow_terminal_falls_back_to_click(run_process: Any) -> None:
    """On a narrow terminal click renders the help itself, wrapped to fit."""
    result = run_process("--help", env={"COLUMNS": "60"})
    assert result.exit_code == 0
    assert all(len(line) <= 60 for line in result.stdout.splitlines())


def test_fast_path_does_not_import_click() -> None:
    """--version loads neither click nor any heavy library."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "continue_setup", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    imported = proc.stderr
    for heavy in ("click", "pydantic", "jsonschema", "httpx", "ruamel"):
        assert f" {heavy}\n" not in imported and f" {heavy}." not in imported

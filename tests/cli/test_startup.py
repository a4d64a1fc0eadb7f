"""The start-up fast path answers --version and --help exactly as click would."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path
from typing import Any

import click

from continue_setup.cli import COMMAND_MODULES, cli, render_help
from continue_setup.resources import HELP_FILE


def test_help_file_matches_click() -> None:
    """help.txt is click's current top-level help; regenerate it when commands change."""
    assert Path(HELP_FILE).read_text(encoding="utf-8") == render_help(), (
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


def test_every_command_lives_where_the_table_says() -> None:
    """COMMAND_MODULES names each command's module, and lists every command there is."""
    for name, module in COMMAND_MODULES.items():
        with click.Context(cli) as ctx:
            command = cli.get_command(ctx, name)
        assert command is not None and command.callback is not None, name
        assert command.callback.__module__ == f"continue_setup.cli.{module}"
    assert set(cli.commands) == set(COMMAND_MODULES)


def validate_reporting_at_exit(config_dir: Path, expression: str) -> list[str]:
    """Run the script's entry point on a valid config as its own process; return the words
    ``expression`` prints when the process exits (after the command, before teardown)."""
    config = config_dir / "config.json"
    config.write_text('{"models": [{"title": "t", "provider": "openai", "model": "gpt-5.2"}]}')
    script = (
        "import atexit, gc, sys;"
        f"atexit.register(lambda: print({expression}, file=sys.stderr));"
        "sys.argv = ['continue-setup', 'validate', sys.argv[1]];"
        "from continue_setup._start import main; main()"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, str(config)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stderr.split()


def test_a_run_imports_only_what_its_command_needs(tmp_path: Path) -> None:
    """validate on a valid config takes the click-free path: no command modules, no click,
    nor any heavy library."""
    imported = set(validate_reporting_at_exit(tmp_path, "*sys.modules"))
    assert "continue_setup._quick" in imported
    assert not {m for m in imported if m == "click" or m.startswith("continue_setup.cli")}
    assert not imported & {"jsonschema", "httpx", "pydantic", "ruamel", "tempfile"}


def test_a_run_skips_the_collector_and_leaves_in_process_callers_alone(
    tmp_path: Path, run: Any
) -> None:
    """The script's process runs without the cyclic collector and ends with everything frozen
    (no final collection); click's main, as tests and embedders call it, changes nothing."""
    state = "gc.isenabled(), gc.get_freeze_count() > 1000"
    assert validate_reporting_at_exit(tmp_path, state) == ["False", "True"]
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert run("validate", str(tmp_path / "config.json")).exit_code == 0
    assert gc.isenabled() and gc.get_freeze_count() == 0

"""``demo`` runs init, ping, validate and doctor --fix against the fake gateway, then cleans up."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest

from continue_setup.repair.demo import DEMO_KEY, break_config, demo_environ


@pytest.fixture
def temp_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Make tempfile create the demo's throwaway directory inside this test's own tmp_path."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


def test_the_tour_works_end_to_end_and_leaves_nothing_behind(
        run: Any, temp_root: Path, isolated_home: Path) -> None:
    """Four steps, each said to have worked; the temp dir is gone, HOME and the env untouched."""
    before = dict(os.environ)
    result = run("demo")
    assert result.exit_code == 0, result.output
    out = result.stdout
    for number, command in enumerate(("init", "ping", "validate", "doctor --fix"), 1):
        assert f"Step {number} of 4" in out
        assert f"$ continue-setup {command}" in out
    assert out.count("✓ worked:") == 4 and "✗ failed" not in out
    assert "✓ 3 of 3 passed" in out  # ping's own table, from the real command
    assert " apibase-endpoint-suffix " in out and " duplicate-title " in out  # validate's findings
    assert "Result: healthy" in out  # doctor after its fixes
    assert "The demo worked" in out and "Removed " in out
    assert list(temp_root.iterdir()) == []
    assert list(isolated_home.iterdir()) == []
    assert dict(os.environ) == before
    assert DEMO_KEY not in result.output


def test_keep_keeps_the_directory_and_says_where(run: Any, temp_root: Path) -> None:
    """--keep-dir leaves the fixed config and its backup in the directory it prints."""
    result = run("demo", "--keep-dir")
    assert result.exit_code == 0, result.output
    (workdir,) = temp_root.iterdir()
    assert f"Kept the demo's files in {workdir}" in result.stdout
    config = workdir / ".continue" / "config.json"
    titles = [m["title"] for m in json.loads(config.read_text(encoding="utf-8"))["models"]]
    assert len(set(titles)) == len(titles)  # doctor's fix is what stays
    assert list(config.parent.glob("config.json.bak-*"))


def test_ctrl_c_between_steps_still_cleans_up(run: Any, temp_root: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C in the tour itself: exit 130, the directory removed, the environment restored."""
    from continue_setup.repair import demo

    def interrupt(path: Path) -> list[str]:
        raise KeyboardInterrupt

    monkeypatch.setattr(demo, "break_config", interrupt)
    before = dict(os.environ)
    result = run("demo")
    assert result.exit_code == 130
    assert "Removed " in result.stdout and "The demo worked" not in result.stdout
    assert list(temp_root.iterdir()) == []
    assert dict(os.environ) == before


def test_ctrl_c_inside_a_command_ends_the_tour_and_cleans_up(
        run: Any, temp_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C while a command runs: that command says so, the tour stops (130), files go."""
    from continue_setup.probe import probes

    def interrupt(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(probes, "ping", interrupt)
    result = run("demo")
    assert result.exit_code == 130
    assert "aborted" in result.stderr and "Step 2 of 4" not in result.stdout
    assert list(temp_root.iterdir()) == []


def test_a_step_that_does_not_do_its_part_fails_the_demo(
        run: Any, temp_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When a command's exit code is not the expected one, the demo says which and exits 1."""
    from continue_setup.repair import demo

    monkeypatch.setattr(demo, "break_config", lambda path: [])  # nothing for validate to find
    result = run("demo")
    assert result.exit_code == 1
    assert "✗ failed: exit 0, expected 1" in result.stdout and "Step 4 of 4" not in result.stdout
    assert list(temp_root.iterdir()) == []


def test_the_demo_runs_as_a_real_process(run_process: Any, tmp_path: Path) -> None:
    """The entry point runs the whole tour (threads, gc off) past a proxy the user has set."""
    root = tmp_path / "tmp"
    root.mkdir()
    env = {"TMPDIR": str(root), "TEMP": str(root), "TMP": str(root),
           "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9",
           "NO_PROXY": ""}  # the demo itself keeps its calls to 127.0.0.1 off the proxy
    result = run_process("demo", env=env, timeout=120)
    assert result.exit_code == 0, result.output
    assert result.stdout.count("✓ worked:") == 4
    assert list(root.iterdir()) == []


def test_break_config_makes_two_mistakes_and_keeps_the_mode(tmp_path: Path) -> None:
    """The first entry's apiBase gets the endpoint; the second its title; the mode stays."""
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"models": [
        {"title": "A", "provider": "openai", "apiBase": "http://h/openai/eu/v1"},
        {"title": "B", "provider": "anthropic", "apiBase": "http://h/anthropic/eu/v1"}]}))
    path.chmod(0o600)
    said = break_config(path)
    models = json.loads(path.read_text())["models"]
    assert models[0]["apiBase"] == "http://h/openai/eu/v1/chat/completions"
    assert models[1]["title"] == "A"
    assert len(said) == 2
    if os.name == "posix":
        assert path.stat().st_mode & 0o777 == 0o600


def test_demo_environ_keeps_the_users_no_proxy_and_adds_loopback(tmp_path: Path) -> None:
    """The tour's own config dir and key; 127.0.0.1 never goes through a proxy."""
    env = demo_environ(tmp_path, {"NO_PROXY": "corp.example"})
    assert env["CONTINUE_GLOBAL_DIR"] == str(tmp_path)
    assert env["LANGDOCK_API_KEY"] == DEMO_KEY
    assert env["NO_PROXY"].split(",") == ["127.0.0.1", "localhost", "corp.example"]

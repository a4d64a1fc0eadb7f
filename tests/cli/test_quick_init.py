"""The click-free ``init`` reads its command line as click does, and writes, prints and
refuses exactly what the click application does."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from continue_setup import _quick
from continue_setup.cli.inputs import ORG_SETTINGS_ENV

SENTINEL = "sk-ld-SENTINEL-quickinit-0123456789abcdef"
OURS = {"models": [{"title": "Langdock GPT", "provider": "openai", "model": "gpt-4.1",
                    "apiBase": "https://api.langdock.com/openai/eu/v1", "apiKey": SENTINEL}]}
THEIRS = {"models": [{"title": "My local model", "provider": "ollama", "model": "llama3"}]}
ORG = {"region": "us", "entries": ["gpt", "codestral"], "models": {"gpt": "gpt-4.1"},
       "key_storage": "dotenv"}


def click_params(args: list[str]) -> dict[str, Any]:
    """Return what click hands init's function for ``args`` (its output options aside)."""
    from continue_setup.cli.init import init

    ctx = init.make_context("init", list(args))
    params = dict(ctx.params)
    for name in ("json_mode", "quiet", "debug"):
        params.pop(name)
    return params


@pytest.mark.parametrize("args", [
    ["--no-ping"],
    ["--yes", "--no-ping", "--config-dir", "d"],
    ["-y", "--no-ping", "--home=h", "--json"],
    ["--dry-run", "--region", "us", "--base-url", "https://acme.langdock.com/api/public"],
    ["--diff", "--format", "yaml", "--key-storage=dotenv", "--entries", "gpt,claude"],
    ["--check", "-q", "--model", "gpt=gpt-4.1", "--model=claude=claude-opus-4"],
    ["--no-ping", "--force", "--carry-over", "--api-key-stdin", "--keep", "3"],
    ["--no-ping", "--api-key-file", "k", "--org-settings", "o.json", "--quiet"],
])
def test_options_are_read_as_click_reads_them(args: list[str], monkeypatch: Any) -> None:
    """Every option init's function receives, defaults included, is the value click gives
    it for the same command line."""
    monkeypatch.delenv(ORG_SETTINGS_ENV, raising=False)
    line = _quick.parse(["init", *args])
    assert line is not None
    assert _quick.init_options(line) == click_params(args)


@pytest.mark.parametrize("args", [
    ["init", "--yes"],  # probes the gateway: click's
    ["init", "--yes", "--ping"],
    ["init", "--yes", "--no-ping", "--debug"],
    ["init", "--yes", "--no-ping", "--timeout", "5"],
    ["init", "--yes", "--no-ping", "--template-dir", "t"],
    ["init", "--yes", "--no-ping", "--write-even-if-probe-fails"],
    ["init", "--yes", "--no-ping", "--api-key", "sk-ld-on-the-command-line"],
    ["init", "--yes", "--no-ping", "--region", "ap"],
    ["init", "--yes", "--no-ping", "--region"],
    ["init", "--yes", "--no-ping", "--region", "eu", "--region", "us"],
    ["init", "--yes", "--no-ping", "--format", "toml"],
    ["init", "--yes", "--no-ping", "--keep", "0"],
    ["init", "--yes", "--no-ping", "--keep", "two"],
    ["init", "--yes", "--no-ping", "--entries", "--json"],
    ["init", "--yes", "--no-ping", "--base-url", ""],
    ["init", "--yes", "--no-ping", "extra"],
    ["init", "-yq", "--no-ping"],
    ["init", "--yes", "--no-ping", "--help"],
])
def test_other_init_lines_are_left_to_click(args: list[str]) -> None:
    """Probes, questions, options outside the plain set and values click would refuse all
    go to the click application, before anything is read or written."""
    assert _quick.parse(args) is None
    assert _quick.run(args) is None


@pytest.mark.parametrize(("option", "refused", "taken"), [
    ("--api-key-file", "folder", "file"), ("--org-settings", "folder", "file"),
    ("--config-dir", "file", "folder"), ("--home", "file", "folder"),
])
def test_a_path_of_the_wrong_kind_is_left_to_click(option: str, refused: str, taken: str,
                                                   tmp_path: Path) -> None:
    """click refuses a folder where a file is wanted and the reverse, in its own words: such
    a line is click's; the right kind (or a path not there yet) is the fast path's."""
    paths = {"file": tmp_path / "f", "folder": tmp_path}
    paths["file"].write_text("")
    assert _quick.parse(["init", "--no-ping", option, str(paths[refused])]) is None
    assert _quick.parse(["init", "--no-ping", option, str(paths[taken])]) is not None
    assert _quick.parse(["init", "--no-ping", option, str(tmp_path / "new")]) is not None


class _Terminal:
    """Standard input that is a terminal."""

    def isatty(self) -> bool:
        return True


def test_questions_are_left_to_click(monkeypatch: Any, tmp_path: Path) -> None:
    """At a terminal, init without --yes asks, and --api-key-stdin asks for the key hidden:
    click's prompts (and their Ctrl-C) are click's."""
    monkeypatch.setenv("LANGDOCK_API_KEY", SENTINEL)
    monkeypatch.setattr(sys, "stdin", _Terminal())
    folder = str(tmp_path / "c")
    assert _quick.run(["init", "--no-ping", "--config-dir", folder]) is None
    assert _quick.run(["init", "--yes", "--no-ping", "--api-key-stdin", "--config-dir",
                       folder]) is None
    assert not (tmp_path / "c").exists()


def test_organisation_settings_from_the_environment_are_left_to_click(
        monkeypatch: Any, tmp_path: Path) -> None:
    """CONTINUE_SETUP_ORG_SETTINGS stands for --org-settings; click reads it."""
    monkeypatch.setenv(ORG_SETTINGS_ENV, str(tmp_path / "org.json"))
    assert _quick.run(["init", "--yes", "--no-ping", "--config-dir", str(tmp_path)]) is None


# --- both paths, side by side, on the same starting folders ----------------------------------

def _start(folder: Path, state: str) -> None:
    """Lay out a Continue directory in one of the states init meets."""
    folder.mkdir(parents=True)
    if state == "ours":
        (folder / "config.json").write_text(json.dumps(OURS, indent=2))
        (folder / "config.json").chmod(0o600)
    elif state == "theirs":
        (folder / "config.json").write_text(json.dumps(THEIRS, indent=2))
    elif state == "broken":
        (folder / "config.json").write_text('{"models": [\n  {"title": "a",}\n')
    elif state == "yaml":
        (folder / "config.yaml").write_text("name: Mine\nversion: 1.0.0\nschema: v1\nmodels:\n"
                                            "  - name: local\n    provider: ollama\n"
                                            "    model: llama3\n")


def _scenarios(keyfile: Path, org: Path) -> list[tuple[str, list[str], dict[str, str], str]]:
    """(starting state, options, environment, standard input) of each run compared."""
    key = {"LANGDOCK_API_KEY": SENTINEL}
    plain = ["--yes", "--no-ping"]
    runs: list[tuple[str, list[str], dict[str, str], str]] = []
    for state in ("empty", "ours", "theirs", "broken", "yaml"):
        runs += [
            (state, plain, key, ""),
            (state, ["--no-ping"], key, ""),
            (state, [*plain, "--json"], key, ""),
            (state, [*plain, "-q"], key, ""),
            (state, ["--dry-run"], key, ""),
            (state, ["--diff"], key, ""),
            (state, ["--check"], key, ""),
            (state, ["--check", "--json"], key, ""),
            (state, [*plain, "--force"], key, ""),
            (state, [*plain, "--format", "yaml"], key, ""),
        ]
    runs += [
        ("empty", [*plain, "--format", "yaml", "--key-storage", "inline"], key, ""),
        ("empty", [*plain, "--key-storage", "dotenv"], key, ""),
        ("empty", [*plain, "--region", "us", "--entries", "gpt,claude",
                   "--model", "gpt=gpt-4.1"], key, ""),
        ("empty", [*plain, "--base-url", "https://acme.langdock.com/api/public/"], key, ""),
        ("empty", [*plain, "--base-url", "http://evil.example/api/public"], key, ""),
        ("empty", [*plain, "--entries", ","], key, ""),
        ("empty", [*plain, "--entries", "gpt,nosuch"], key, ""),
        ("empty", [*plain, "--model", "gpt"], key, ""),
        ("empty", [*plain, "--json", "--model", "gpt"], key, ""),
        ("empty", plain, {}, ""),  # no key anywhere
        ("empty", [*plain, "--json"], {}, ""),
        ("empty", [*plain, "--api-key-file", str(keyfile)], {}, ""),
        ("empty", [*plain, "--api-key-file", str(keyfile.with_name("absent"))], {}, ""),
        ("empty", [*plain, "--api-key-stdin"], {}, SENTINEL + "\n"),
        ("empty", [*plain, "--org-settings", str(org)], key, ""),
        ("ours", [*plain, "--keep", "1"], key, ""),
        ("theirs", [*plain, "--format", "yaml", "--carry-over"], key, ""),
    ]
    return runs


def _mask(text: str, folder: Path) -> str:
    """Hide what differs between two runs' folders: their names and backups' times."""
    return re.sub(r"\d{8}[T-]?\d{6}[\d.-]*", "<time>", text.replace(str(folder), "<dir>"))


def _tree(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file under ``folder``: masked name -> (masked text, permission bits)."""
    if not folder.exists():
        return {}
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            name = _mask(str(path.relative_to(folder)), folder)
            found[name] = (_mask(path.read_text(errors="replace"), folder),
                           stat.S_IMODE(path.stat().st_mode))
    return found


def test_both_paths_write_and_print_the_same(tmp_path: Path, run: Any, run_process: Any) -> None:
    """Every scenario gives the same exit code, stdout, stderr and files by either path,
    and the key never shows in what is printed."""
    keyfile = tmp_path / "key.txt"
    keyfile.write_text(SENTINEL + "\n")
    keyfile.chmod(0o600)
    org = tmp_path / "org.json"
    org.write_text(json.dumps(ORG))
    base = {"HOME": str(tmp_path / "home"), "COLUMNS": "100", "NO_COLOR": "1",
            "LANGDOCK_API_KEY": ""}
    for number, (state, options, env, stdin) in enumerate(_scenarios(keyfile, org)):
        fast_dir, slow_dir = tmp_path / f"fast{number}", tmp_path / f"slow{number}"
        _start(fast_dir, state)
        _start(slow_dir, state)
        environ = {**base, **env}
        fast = run_process("init", *options, "--config-dir", str(fast_dir), env=environ,
                           input=stdin)
        slow = run("init", *options, "--config-dir", str(slow_dir), env=environ, input=stdin)
        seen = (fast.exit_code, _mask(fast.stdout, fast_dir), _mask(fast.stderr, fast_dir))
        assert seen == (slow.exit_code, _mask(slow.stdout, slow_dir),
                        _mask(slow.stderr, slow_dir)), (state, options)
        assert _tree(fast_dir) == _tree(slow_dir), (state, options)
        assert SENTINEL not in fast.stdout + fast.stderr
    assert _tree(tmp_path / "fast0"), "the plain run wrote a config"


def test_the_fast_init_runs_without_click(tmp_path: Path) -> None:
    """A plain init loads neither click nor typing; a line it leaves alone loads click."""
    probe = ("import sys; sys.argv = ['continue-setup', *sys.argv[1:]];"
             "from continue_setup._start import main\n"
             "try: main()\n"
             "except SystemExit: pass\n"
             "print(sorted(m for m in sys.modules if m.split('.')[0] in "
             "('click', 'typing', 'dataclasses', 'tempfile')), file=sys.stderr)")
    env = {**os.environ, "LANGDOCK_API_KEY": SENTINEL}

    def loaded(*args: str) -> str:
        proc = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True,
                              text=True, timeout=60, check=False, env=env, stdin=subprocess.DEVNULL)
        return proc.stderr.strip().splitlines()[-1]

    assert loaded("init", "--yes", "--no-ping", "--config-dir", str(tmp_path / "a")) == "[]"
    assert (tmp_path / "a" / "config.json").exists()
    assert loaded("init", "--check", "--json", "--config-dir", str(tmp_path / "a")) == "[]"
    assert "'click'" in loaded("init", "--yes", "--no-ping", "--timeout", "5",
                               "--config-dir", str(tmp_path / "b"))


def test_an_interrupted_init_ends_as_under_click(tmp_path: Path, monkeypatch: Any,
                                                 capsys: Any) -> None:
    """Ctrl-C during the work ends with click's words and 130, and the --json document."""
    from continue_setup.cli import initflow

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(initflow, "build_settings", interrupted)
    code = _quick.run(["init", "--yes", "--no-ping", "--json", "--config-dir", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 130
    assert err == "\naborted; nothing was written\n"
    assert json.loads(out)["exit_code"] == 130


def test_a_bug_is_reported_without_the_key(tmp_path: Path, monkeypatch: Any,
                                           capsys: Any) -> None:
    """An unexpected exception after the key is read is an internal error (70), its
    message masked, and no traceback without --debug, as the click application says it."""
    from continue_setup.setup import plan

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(f"boom with {SENTINEL}")

    monkeypatch.setenv("LANGDOCK_API_KEY", SENTINEL)
    monkeypatch.setattr(plan, "run_init", broken)
    code = _quick.run(["init", "--yes", "--no-ping", "--config-dir", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 70
    assert "internal error: RuntimeError" in err
    assert "Traceback" not in err
    assert SENTINEL not in out + err


def test_a_reader_that_goes_away_ends_quietly(tmp_path: Path) -> None:
    """Output into a pipe nobody reads (| head that has already quit) ends with exit 1 and
    no traceback, by either path, after the config is written."""
    env = {**os.environ, "LANGDOCK_API_KEY": SENTINEL}
    for name, extra in (("fast", []), ("click", ["--timeout", "5"])):
        read_end, write_end = os.pipe()
        os.close(read_end)  # the reader is gone before the run prints anything
        try:
            proc = subprocess.run(
                [sys.executable, "-m", "continue_setup", "init", "--yes", "--no-ping",
                 *extra, "--config-dir", str(tmp_path / name)],
                stdout=write_end, stderr=subprocess.PIPE, env=env, timeout=60, check=False)
        finally:
            os.close(write_end)
        assert proc.returncode == 1, name
        assert proc.stderr == b"", (name, proc.stderr[-300:])
        assert (tmp_path / name / "config.json").exists()


def test_root_sets_up_a_users_home_by_the_fast_path(shared_tmp: Path, stranger: Any) -> None:
    """Root running the plain init for a user's home (the fleet's line) writes only as that
    user, files theirs and 0600, also on a re-run with a backup and pruning: nothing it
    does as the user needs to load code the user could not read (this interpreter sits
    in root's private home here, so a late import as the user would fail)."""
    home = shared_tmp / "home"
    home.mkdir()
    os.chown(home, stranger.uid, stranger.gid)
    env = {**os.environ, "LANGDOCK_API_KEY": SENTINEL, "HOME": "/nonexistent"}
    argv = [sys.executable, "-m", "continue_setup", "init", "--yes", "--no-ping", "--home",
            str(home)]
    for extra in ([], ["--model", "gpt=gpt-4.1", "--keep", "1"], ["--format", "yaml"]):
        proc = subprocess.run([*argv, *extra], capture_output=True, text=True, env=env,
                              timeout=60, check=False, cwd="/")
        assert proc.returncode == 0, (extra, proc.stderr)
        assert SENTINEL not in proc.stdout + proc.stderr
    folder = home / ".continue"
    names = {path.name for path in folder.iterdir()}
    assert {"config.json", "config.yaml"} <= names
    assert any(".bak" in name or "backup" in name for name in names), names
    for path in [folder, *folder.iterdir()]:
        assert (path.stat().st_uid, path.stat().st_gid) == (stranger.uid, stranger.gid), path
        if path.is_file():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX: a child without standard input")
def test_a_process_without_standard_input_is_not_asked(tmp_path: Path) -> None:
    """Started with standard input closed (<&-, sys.stdin is None), init without --yes runs
    as with no terminal, by the fast path and by click's: nothing to ask at, no crash."""
    env = {**os.environ, "LANGDOCK_API_KEY": SENTINEL}
    for name, extra in (("fast", []), ("click", ["--timeout", "5"])):
        folder = tmp_path / name
        proc = subprocess.run(
            [sys.executable, "-m", "continue_setup", "init", "--no-ping", *extra,
             "--config-dir", str(folder)], preexec_fn=_close_standard_input,
            capture_output=True, text=True, env=env, timeout=60, check=False)
        assert proc.returncode == 0, (name, proc.stderr)
        assert (folder / "config.json").exists()
        assert SENTINEL not in proc.stdout + proc.stderr


def _close_standard_input() -> None:
    """In the child before it starts: no standard input at all, as after <&-."""
    os.close(0)

"""The click-free path of validate, doctor --offline and migrate --dry-run says exactly
what the click application says."""

from __future__ import annotations

import json
import os
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


def line(command: str, paths: list[str], flags: set[str], **values: str) -> _quick.Line:
    """Build the Line a command line should parse to (values keyed without dashes)."""
    return _quick.Line(command, paths, frozenset(flags),
                       {k.replace("_", "-"): v for k, v in values.items()})


@pytest.mark.parametrize(("args", "expected"), [
    (["validate"], line("validate", [], set())),
    (["validate", "a.json", "b.yaml"], line("validate", ["a.json", "b.yaml"], set())),
    (["validate", "--strict", "--json", "-q", "x"],
     line("validate", ["x"], {"strict", "json", "quiet"})),
    (["validate", "--quiet", "--output-format", "json", "x"],
     line("validate", ["x"], {"quiet"}, output_format="json")),
    (["validate", "--output-format=text", "x"],
     line("validate", ["x"], set(), output_format="text")),
    (["validate", "--", "-odd.json", "--strict"],
     line("validate", ["-odd.json", "--strict"], set())),
    (["doctor", "--offline"], line("doctor", [], {"offline"})),
    (["doctor", "--json", "--offline", "--config-dir", "d"],
     line("doctor", [], {"offline", "json"}, config_dir="d")),
    (["doctor", "-q", "--offline", "--home=h"], line("doctor", [], {"offline", "quiet"}, home="h")),
    (["migrate", "--dry-run", "--config-dir=d", "--json"],
     line("migrate", [], {"dry-run", "json"}, config_dir="d")),
])
def test_plain_lines_are_taken(args: list[str], expected: _quick.Line) -> None:
    """Paths, the plain flags and folder options are read as click would read them."""
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
    ["validate", "--output-format", "json", "--output-format", "text", "x"],
    ["validate", "--help"],
    ["validate", "--debug", "x"],
    ["validate", "-qq", "x"],
    ["validate", "--strict=yes", "x"],
    ["validate", "--stric", "x"],
    ["doctor"],  # probes: click's
    ["doctor", "--offline", "--fix"],
    ["doctor", "--offline", "--timeout", "5"],
    ["doctor", "--offline", "extra"],
    ["doctor", "--offline", "--config-dir"],
    ["doctor", "--offline", "--config-dir", ""],
    ["doctor", "--offline", "--config-dir", "a", "--config-dir", "b"],
    ["doctor", "--offline", "--config-dir", "a", "--home", "b"],
    ["doctor", "--offline", "--api-key-stdin"],
    ["migrate"],  # writes: click's
    ["migrate", "--dry-run", "config.json"],  # a source file
    ["migrate", "--dry-run", "--diff"],
    ["migrate", "--dry-run", "--retire-json"],
    ["migrate", "--dry-run", "--force"],
    ["ping"],
    ["init"],  # probes and asks: click's
    ["init", "--yes", "--no-ping", "--timeout", "5"],
    [],
])
def test_anything_else_is_left_to_click(args: list[str]) -> None:
    """Any other shape goes to the click application, before anything is read."""
    assert _quick.parse(args) is None
    assert _quick.run(args) is None


def test_a_file_given_as_the_folder_is_left_to_click(tmp_path: Path) -> None:
    """click refuses an existing file as --config-dir, in its own words: the line is its."""
    afile = tmp_path / "f"
    afile.write_text("")
    assert _quick.parse(["doctor", "--offline", "--config-dir", str(afile)]) is None
    assert _quick.parse(["doctor", "--offline", "--config-dir", str(tmp_path)]) is not None


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
    # Spellings click's Path tidies and the fast path reads as text: reports must agree.
    name = files["failing"].name
    runs += [[f"{folder}/./{name}"], [f"{folder}//{name}"], [f"{folder}/"], [f"{folder}//."],
             [f"{folder}/../{os.path.basename(folder)}/{name}", str(files["failing"])]]
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
    """A plain validate, doctor --offline or migrate --dry-run loads neither click nor
    typing, dataclasses or jsonschema; '-' (or any other shape) still goes through click."""
    config = tmp_path / "config.json"
    config.write_text(json.dumps(VALID))
    # Printed by an exit handler: a read-only run ends without the interpreter's teardown.
    probe = ("import atexit, sys; sys.argv = ['continue-setup', *sys.argv[1:]];"
             "atexit.register(lambda: print(sorted(m for m in sys.modules if m.split('.')[0]"
             " in ('click', 'typing', 'dataclasses', 'jsonschema')), file=sys.stderr));"
             "from continue_setup._start import main; main()")

    def loaded(*args: str, stdin: str = "") -> str:
        proc = subprocess.run([sys.executable, "-c", probe, *args], input=stdin,
                              capture_output=True, text=True, timeout=60, check=False)
        return proc.stderr.strip().splitlines()[-1]

    assert loaded("validate", str(config)) == "[]"
    assert loaded("validate", "--strict", "--json", str(config)) == "[]"
    assert loaded("doctor", "--offline", "--config-dir", str(tmp_path)) == "[]"
    assert loaded("migrate", "--dry-run", "--json", "--config-dir", str(tmp_path)) == "[]"
    assert "'click'" in loaded("validate", "-", stdin=json.dumps(VALID))


def test_validate_reads_paths_as_text(tmp_path: Path) -> None:
    """validate of JSON, YAML, a failing file and a folder, as text or JSON, never loads
    pathlib, urllib.parse or ipaddress (~18 M instructions of a ~100 M run)."""
    good = {"models": [{"title": "G", "provider": "openai", "model": "gpt-4.1",
                        "apiBase": "https://api.langdock.com/openai/eu/v1",
                        "requestOptions": {"caBundlePath": "/etc/ssl/missing.pem"}}]}
    (tmp_path / "config.json").write_text(json.dumps(good))
    bad = {"models": [{"title": 1, "provider": "openai", "model": "gpt-4.1",
                       "apiBase": "https://api.langdock.com/openai/eu/v1/chat/completions"}]}
    (tmp_path / "bad.json").write_text(json.dumps(bad))
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "m.yaml").write_text(
        "name: m\nversion: 1.0.0\nschema: v1\nmodels:\n  - name: a\n    provider: openai\n"
        "    model: gpt-4.1\n    apiBase: https://api.langdock.com/openai/eu/v1\n")
    probe = ("import atexit, sys; sys.argv = ['continue-setup', *sys.argv[1:]];"
             "atexit.register(lambda: print(sorted(m for m in sys.modules if m in "
             "('pathlib', 'urllib.parse', 'ipaddress')), file=sys.stderr));"
             "from continue_setup._start import main; main()")
    for args in (["config.json"], ["./bad.json"], ["models/m.yaml"], ["--json", "."],
                 ["--strict", "config.json", "models/"]):
        proc = subprocess.run([sys.executable, "-c", probe, "validate", *args], cwd=tmp_path,
                              capture_output=True, text=True, timeout=60, check=False)
        assert proc.returncode in (0, 1), proc.stderr
        assert proc.stderr.splitlines()[-1] == "[]", args


def test_a_read_only_run_still_flushes_and_runs_exit_handlers(tmp_path: Path) -> None:
    """A read-only run ends without the interpreter's teardown, yet prints all it has (more
    than a pipe holds), runs exit handlers (coverage and the like), and exits with its
    code; init, which writes, ends the usual way with the same handlers."""
    config = tmp_path / "config.json"
    config.write_text(json.dumps(VALID))
    script = ("import atexit, sys; sys.argv = ['continue-setup', *sys.argv[1:]];"
              "atexit.register(lambda: print('handlers ran', file=sys.stderr));"
              "from continue_setup._start import main; main()")
    env = {**os.environ, "LANGDOCK_API_KEY": "sk-ld-teardown-0123456789"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", script, *args], capture_output=True,
                              text=True, timeout=60, check=False, env=env)

    folder = tmp_path / "many"
    folder.mkdir()
    for index in range(400):  # more than a pipe's buffer: all of it must be flushed
        (folder / f"c{index}.json").write_text(json.dumps(VALID))
    read = run("validate", "--json", str(folder))
    document = json.loads(read.stdout)
    assert read.returncode == document["exit_code"] == 1  # the key reference is unresolved
    assert len(document["files"]) == 400
    assert read.stderr == "handlers ran\n"
    wrote = run("init", "--yes", "--no-ping", "--config-dir", str(tmp_path / "c"))
    assert wrote.returncode == 0, wrote.stderr
    assert wrote.stderr == "handlers ran\n"


def test_an_error_is_reported_by_click(tmp_path: Path, run: Any, run_process: Any) -> None:
    """A run that cannot check at all (no config where Continue looks) ends in click's own
    words and exit code, once."""
    env = {"HOME": str(tmp_path / "empty-home")}
    fast = run_process("validate", env=env)
    slow = run("validate", env=env)
    assert fast.exit_code == slow.exit_code != 0
    assert fast.stderr == slow.stderr
    assert fast.stderr.count("error") == slow.stderr.count("error") >= 1


def _continue_dirs(root: Path) -> dict[str, Path]:
    """Continue directories doctor and migrate may be pointed at, from healthy to hopeless."""
    recipe = {"models": [{**VALID["models"][0], "apiKey": SENTINEL}]}
    dirs = {name: root / name for name in ("healthy", "keyed", "broken", "yaml", "empty",
                                           "missing")}
    dirs["healthy"].mkdir(parents=True)
    (dirs["healthy"] / "config.json").write_text(json.dumps(VALID))
    (dirs["healthy"] / "config.json").chmod(0o600)
    (dirs["healthy"] / ".env").write_text("LANGDOCK_API_KEY=sk-ld-from-dotenv-0123456789\n")
    dirs["keyed"].mkdir()
    (dirs["keyed"] / "config.json").write_text(json.dumps(recipe))  # 0644, key inline
    dirs["broken"].mkdir()
    (dirs["broken"] / "config.json").write_text('{"models": [{"title": "a",}]}')  # JSON5
    dirs["yaml"].mkdir()
    (dirs["yaml"] / "config.yaml").write_text(
        "name: x\nversion: 1.0.0\nschema: v1\nmodels:\n  - name: m\n    provider: openai\n"
        f"    model: gpt-4o\n    apiKey: {SENTINEL}\n")
    (dirs["yaml"] / "config.json").write_text(json.dumps(recipe))  # ignored beside it
    dirs["empty"].mkdir()
    return dirs


def test_doctor_and_migrate_print_the_same_by_both_paths(tmp_path: Path, run: Any,
                                                        run_process: Any) -> None:
    """doctor --offline and migrate --dry-run give the same exit code, stdout and stderr by
    either path, for healthy, keyed, broken, YAML, empty and missing directories, and never
    show a key; a run that fails (migrate with nothing to convert) is click's, once."""
    dirs = _continue_dirs(tmp_path / "dirs")
    home = tmp_path / "home"
    (home / ".continue").mkdir(parents=True)
    (home / ".continue" / "config.json").write_text(json.dumps(VALID))
    env = {"HOME": str(home), "COLUMNS": "100", "NO_COLOR": "1",
           "LANGDOCK_API_KEY": "sk-ld-env-0123456789abcdef"}
    lines = []
    for command in (["doctor", "--offline"], ["migrate", "--dry-run"]):
        for flags in ([], ["--json"], ["-q"]):
            lines += [[*command, *flags, "--config-dir", str(path)] for path in dirs.values()]
            lines += [[*command, *flags], [*command, *flags, "--home", str(home)]]
    for args in lines:
        fast = run_process(*args, env=env)
        slow = run(*args, env=env)
        assert (fast.exit_code, fast.stdout, fast.stderr) == \
            (slow.exit_code, slow.stdout, slow.stderr), args
        assert SENTINEL not in fast.stdout + fast.stderr
    assert not (dirs["healthy"] / "config.yaml").exists()  # a dry run writes nothing


@pytest.mark.parametrize("flags", [[], ["--json"], ["-q"]])
def test_an_interrupted_run_ends_as_under_click(tmp_path: Path, flags: list[str], run: Any,
                                               capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C while checking: exit 130, 'aborted; nothing was written', and with --json the
    run's document, the same by either path."""
    from continue_setup.check import validate as core

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    config = tmp_path / "config.json"
    config.write_text(json.dumps(VALID))
    monkeypatch.setattr(core, "validate_paths", interrupted)
    args = ["validate", *flags, str(config)]
    code = _quick.run(args)
    fast = capsys.readouterr()
    slow = run(*args)
    assert (code, fast.out, fast.err) == (slow.exit_code, slow.stdout, slow.stderr) == \
        (130, slow.stdout, "\naborted; nothing was written\n")
    if "--json" in flags:
        assert json.loads(fast.out)["exit_code"] == 130


def test_a_reader_that_goes_away_ends_the_run_quietly(tmp_path: Path) -> None:
    """Output piped into something that stops reading (| head) ends with exit 1 and no
    traceback, by either path, as click ends it."""
    folder = tmp_path / "many"
    folder.mkdir()
    for index in range(300):  # far more report than a pipe holds
        (folder / f"c{index}.json").write_text(json.dumps(VALID))
    for extra in ([], ["--home", str(tmp_path / "elsewhere")]):  # click-free, then click
        with subprocess.Popen(
                [sys.executable, "-m", "continue_setup", "validate", *extra, str(folder)],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
            assert proc.stdout is not None and proc.stderr is not None
            proc.stdout.read(10)
            proc.stdout.close()  # the reader goes away with the rest unread
            errors = proc.stderr.read()
            code = proc.wait(timeout=60)
        assert code == 1, extra
        assert errors == b"", (extra, errors[-300:])

"""init reads and plans once: an unchanged config is parsed once and never re-rendered."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from continue_setup.config import parsing
from continue_setup.fake.server import FakeServer
from continue_setup.setup import plan as plan_module
from tests.conftest import SENTINEL
from tests.fakeserver_fixtures import KEY

INIT = ("init", "--yes", "--no-ping")


class Calls:
    """Counts calls to a function while still calling it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> None:
        self.count = 0
        real = getattr(owner, name)

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.count += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(owner, name, counted)


def test_an_unchanged_yaml_is_parsed_once_and_left_byte_for_byte(
        run: Any, config_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A re-run over an up-to-date config.yaml with many entries loads no round-trip tree,
    renders nothing and leaves the file exactly as it was."""
    config_dir.mkdir()
    path = config_dir / "config.yaml"
    mine = "".join(f"  - name: Mine {i}  # kept\n    provider: ollama\n    model: llama3\n"
                   for i in range(50))
    path.write_text(f"name: Team\nversion: 0.0.1\nschema: v1\nmodels:\n{mine}")
    assert run(*INIT, env={"LANGDOCK_API_KEY": SENTINEL}).exit_code == 0
    before = path.read_bytes()
    round_trip = Calls(monkeypatch, parsing, "_parse_yaml")
    rendered = Calls(monkeypatch, parsing, "render_yaml")
    result = run(*INIT, env={"LANGDOCK_API_KEY": SENTINEL})
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == before
    assert round_trip.count == 0 and rendered.count == 0


def test_a_changed_yaml_keeps_its_indentation(run: Any, config_dir: Path) -> None:
    """The indentation guessed from the text (no second load) is the one written back."""
    config_dir.mkdir()
    path = config_dir / "config.yaml"
    path.write_text("name: Team\nversion: 0.0.1\nschema: v1\nmodels:\n"
                    "    -   name: Mine\n        provider: ollama\n        model: llama3\n")
    assert run(*INIT, env={"LANGDOCK_API_KEY": SENTINEL}).exit_code == 0
    text = path.read_text()
    assert "    -   name: Mine\n        provider: ollama\n" in text
    assert "    -   name: Langdock" in text


@pytest.mark.parametrize("text", ["models:\n  - name: a\n    x: 1\n", "models:\n- name: a\n",
                                  "a:\n    b: 1\n", "models:\n    -   name: a\n", "x: 1\n",
                                  "a:\n  -  # c\n  - b\n", "a:\n  b:\n    - c\n", ""])
def test_indent_guessing_matches_ruamels(text: str) -> None:
    """guess_indent reads the same indentation ruamel's own guesser does."""
    from ruamel.yaml.util import load_yaml_guess_indent

    assert parsing.guess_indent(text) == tuple(load_yaml_guess_indent(text)[1:])


def test_init_with_ping_plans_once(run: Any, fake: FakeServer, config_dir: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The plan probed before writing is the plan written: the files were not touched."""
    planned = Calls(monkeypatch, plan_module, "plan_init")
    result = run("init", "--yes", "--base-url", fake.url, "--config-dir", str(config_dir),
                 env={"LANGDOCK_API_KEY": KEY})
    assert result.exit_code == 0, result.output
    assert planned.count == 1
    assert (config_dir / "config.json").exists()


def test_a_file_changed_after_probing_is_planned_again(
        run: Any, fake: FakeServer, config_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """If another run writes the config between the probe and the write, init plans anew
    and keeps that run's entry."""
    from continue_setup.cli import ping as ping_cli

    real = ping_cli.probe_before_writing

    def meanwhile(*args: Any, **kwargs: Any) -> list[str]:
        config_dir.mkdir(exist_ok=True)
        (config_dir / "config.json").write_text(
            '{"models": [{"title": "Theirs", "provider": "ollama", "model": "llama3"}]}')
        return real(*args, **kwargs)

    monkeypatch.setattr(ping_cli, "probe_before_writing", meanwhile)
    planned = Calls(monkeypatch, plan_module, "plan_init")
    result = run("init", "--yes", "--base-url", fake.url, "--config-dir", str(config_dir),
                 env={"LANGDOCK_API_KEY": KEY})
    assert result.exit_code == 0, result.output
    assert planned.count == 2
    assert "Theirs" in (config_dir / "config.json").read_text()


def test_an_unchanged_rerun_imports_no_yaml_library(run: Any, config_dir: Path) -> None:
    """The config.yaml init writes, with the user's own entries added, is read line by line:
    a re-run that changes nothing imports neither PyYAML nor ruamel (nor tempfile: it writes
    nothing), and keeps the bytes."""
    import subprocess
    import sys

    from continue_setup.config import lineyaml

    env = {"LANGDOCK_API_KEY": SENTINEL}
    assert run(*INIT, "--format", "yaml", env=env).exit_code == 0
    path = config_dir / "config.yaml"
    mine = "".join(f"  - name: Mine {i}  # kept\n    provider: ollama\n    model: llama3\n"
                   f"    roles: [chat, edit]\n" for i in range(20))
    path.write_text(path.read_text().replace("models:\n", "models:\n" + mine, 1))
    lineyaml.read(path.read_text())  # the line reader takes it (raises Unsure otherwise)
    before = path.read_bytes()
    script = ("import sys; sys.argv[0] = 'continue-setup';"
              "from continue_setup._start import main\n"
              "try:\n    main()\nfinally:\n"
              "    print(*(m for m in sys.modules if m.split('.')[0] in"
              " ('yaml', 'ruamel', 'tempfile')), 'end', file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", script, *INIT, "--config-dir", str(config_dir)],
                          capture_output=True, text=True, timeout=60, check=False,
                          env={**os.environ, **env})
    assert proc.returncode == 0, proc.stderr
    assert "already up to date" in proc.stdout
    assert proc.stderr.split() == ["end"], proc.stderr  # none of those modules
    assert path.read_bytes() == before
    assert SENTINEL not in proc.stdout + proc.stderr


def test_a_rerun_that_changes_a_line_read_config_keeps_its_comments(
        run: Any, config_dir: Path) -> None:
    """A config.yaml read line by line and then changed is rendered from ruamel's
    round-trip tree: the user's comments, entries and order stay."""
    config_dir.mkdir()
    path = config_dir / "config.yaml"
    path.write_text("# team config\nname: Team\nversion: 1.0.0\nschema: v1\nmodels:\n"
                    "  # my local model\n  - name: Mine  # kept\n    provider: ollama\n"
                    "    model: llama3\n    roles: [chat]\n")
    assert run(*INIT, env={"LANGDOCK_API_KEY": SENTINEL}).exit_code == 0
    text = path.read_text()
    assert text.startswith("# team config\nname: Team\n")
    assert "  # my local model\n  - name: Mine  # kept\n" in text
    assert "roles: [chat]" in text and "Langdock GPT" in text


def test_a_fast_reading_ruamel_disagrees_with_is_never_written(
        run: Any, config_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Were the line reader ever to misread a config that is then changed, init would plan
    again from ruamel's reading: the user's values are written back as they were."""
    from continue_setup.config import lineyaml

    real = lineyaml.read

    def misread(text: str, **options: Any) -> Any:
        data, positions = real(text, **options)
        data["models"][0]["model"] = "misread"
        return data, positions

    monkeypatch.setattr(lineyaml, "read", misread)
    planned = Calls(monkeypatch, plan_module, "plan_init")
    config_dir.mkdir()
    path = config_dir / "config.yaml"
    path.write_text("name: Team\nversion: 1.0.0\nschema: v1\nmodels:\n"
                    "  - name: Mine\n    provider: ollama\n    model: llama3\n")
    assert run(*INIT, env={"LANGDOCK_API_KEY": SENTINEL}).exit_code == 0
    text = path.read_text()
    assert "model: llama3" in text and "misread" not in text and "Langdock GPT" in text
    assert planned.count == 2

"""``init`` smoke-tests what it is about to write, before writing it (``--ping``, on by default)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from continue_setup.fake.server import Behaviour, FakeServer
from tests.conftest import SENTINEL
from tests.fakeserver_fixtures import KEY


def init(run: Any, fake: FakeServer, config_dir: Path, *args: str, key: str = KEY) -> Any:
    """Run init against the fake server into ``config_dir``."""
    return run("init", "--yes", "--base-url", fake.url, "--config-dir", str(config_dir), *args,
               env={"LANGDOCK_API_KEY": key})


def test_init_probes_every_entry_with_the_real_key_then_writes(
        run: Any, fake: FakeServer, config_dir: Path) -> None:
    """Each entry is called as Continue will call it, with the key itself, then written."""
    result = init(run, fake, config_dir)
    assert result.exit_code == 0, result.output
    assert (config_dir / "config.json").exists()
    kinds = sorted(r.kind for r in fake.recorded() if r.method == "POST")
    assert kinds == ["fim", "messages", "responses"]
    assert fake.recorded("messages")[0].headers["x-api-key"] == KEY


def test_a_refused_key_writes_nothing_and_exits_3(run: Any, fake: FakeServer,
                                                  config_dir: Path) -> None:
    """auth on a chat entry: nothing is written, exit 3, with how to skip the check."""
    fake.keys = {"sk-ld-some-other-key"}
    result = init(run, fake, config_dir)
    assert result.exit_code == 3
    assert "nothing written" in result.stderr and "--no-ping" in result.stderr
    assert not (config_dir / "config.json").exists()


def test_a_model_the_workspace_lacks_is_refused_with_did_you_mean(
        run: Any, fake: FakeServer, config_dir: Path) -> None:
    """not_found on a chat entry refuses, suggesting the closest listed id."""
    result = init(run, fake, config_dir, "--model", "gpt=gpt-5.3")
    assert result.exit_code == 3
    assert "did you mean gpt-5.2" in result.stderr
    assert not (config_dir / "config.json").exists()


def test_codestral_unavailable_still_writes_with_a_warning(run: Any, fake: FakeServer,
                                                           config_dir: Path) -> None:
    """model_unavailable on the autocomplete entry writes the config and warns."""
    fake.behaviours["mistral"] = Behaviour("model_unavailable")
    result = init(run, fake, config_dir)
    assert result.exit_code == 0, result.output
    assert (config_dir / "config.json").exists()
    assert "warning:" in result.stderr and "autocomplete unavailable" in result.stderr
    as_json = init(run, fake, config_dir.parent / "other", "--json")
    assert any("autocomplete unavailable" in w for w in json.loads(as_json.stdout)["warnings"])


def test_an_unreachable_gateway_refuses_unless_told_to_write_anyway(
        run: Any, fake: FakeServer, config_dir: Path) -> None:
    """A chat entry the gateway fails (5xx) refuses (exit 3) even with --force; only
    --write-even-if-probe-fails writes, with a warning."""
    fake.behaviours["claude-sonnet-4-6-default"] = Behaviour("server_error")
    refused = init(run, fake, config_dir)
    assert refused.exit_code == 3 and "--write-even-if-probe-fails" in refused.stderr
    assert not (config_dir / "config.json").exists()
    forced = init(run, fake, config_dir, "--force")
    assert forced.exit_code == 3 and not (config_dir / "config.json").exists()
    written = init(run, fake, config_dir, "--write-even-if-probe-fails")
    assert written.exit_code == 0, written.output
    assert (config_dir / "config.json").exists() and "server_error" in written.stderr


def test_force_never_writes_a_refused_key(run: Any, fake: FakeServer, config_dir: Path) -> None:
    """A 401 key with --force: exit 3 and nothing written; --force only replaces unusable files."""
    fake.keys = {"sk-ld-some-other-key"}
    config_dir.mkdir()
    (config_dir / "config.json").write_text("{ not json", encoding="utf-8")
    result = init(run, fake, config_dir, "--force")
    assert result.exit_code == 3, result.output
    assert (config_dir / "config.json").read_text(encoding="utf-8") == "{ not json"
    assert not list(config_dir.glob("*.bak-*"))


def test_no_ping_dry_run_and_diff_send_nothing(run: Any, fake: FakeServer,
                                               config_dir: Path) -> None:
    """--no-ping skips the smoke test; previews never call the gateway."""
    for args in (("--no-ping",), ("--dry-run",), ("--diff",)):
        assert init(run, fake, config_dir, *args).exit_code == 0
    assert fake.recorded() == []


def test_a_failed_init_in_json_mode_is_one_document(run: Any, fake: FakeServer,
                                                    config_dir: Path) -> None:
    """--json prints only the error document (code probe, exit 3); the key stays masked."""
    fake.behaviours["*"] = Behaviour("echo_key")
    result = init(run, fake, config_dir, "--json", key=SENTINEL)
    assert result.exit_code == 3
    payload = json.loads(result.stdout)
    assert payload["error"]["code"] == "probe" and payload["exit_code"] == 3
    assert SENTINEL not in result.output


def test_an_unchanged_config_is_not_probed_again(run: Any, fake: FakeServer,
                                                 config_dir: Path) -> None:
    """A re-run that would write nothing sends nothing: fleets share one rate limit."""
    assert init(run, fake, config_dir).exit_code == 0
    sent = len(fake.recorded())
    fake.keys = {"sk-ld-rotated-elsewhere"}  # would fail auth if it were probed
    again = init(run, fake, config_dir)
    assert again.exit_code == 0, again.output
    assert len(fake.recorded()) == sent


def test_init_and_rotate_key_take_the_timeout_of_every_probe(run: Any, fake: FakeServer,
                                                             config_dir: Path) -> None:
    """--timeout means what it means in ping: a gateway slower than it is a timeout (exit 3)."""
    fake.delay = 2.0
    result = init(run, fake, config_dir, "--timeout", "0.3")
    assert result.exit_code == 3, result.output
    assert "timeout" in result.stderr
    assert not (config_dir / "config.json").exists()
    fake.delay = 0.0
    assert init(run, fake, config_dir).exit_code == 0
    fake.delay = 2.0
    rotated = run("rotate-key", "--config-dir", str(config_dir), "--timeout", "0.3",
                  env={"LANGDOCK_API_KEY": KEY + "-new"})
    assert rotated.exit_code == 3, rotated.output
    assert "timeout" in rotated.output

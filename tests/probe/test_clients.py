"""Probing as each Continue client: stream rules, tools, secrets per client, both clients."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from continue_setup.fake.api import sse
from continue_setup.fake.server import Behaviour, FakeServer
from continue_setup.fake.streams import answer, minimal_responses
from continue_setup.probe.clientsecrets import ENVIRONMENT, ClientSecrets
from continue_setup.probe.probes import Options, ping
from continue_setup.probe.targets import Target
from continue_setup.probe.verdicts import SseWatch, classify_stream
from tests.cli.test_ping import write_yaml_with_dotenv
from tests.fakeserver_fixtures import KEY

GOOD, STALE = "sk-ld-good-0123456789abcdef", "sk-ld-stale-0123456789abcdef"


def watched(kind: str, data: bytes) -> Any:
    """Feed a whole stream to a watch for ``kind``; return the verdict."""
    watch = SseWatch(kind)
    watch.feed(data)
    return classify_stream(watch, eof=True, truncated=False, content_type="text/event-stream")


def test_a_responses_stream_must_come_in_the_openai_sdks_order() -> None:
    """The full event order passes; text before output_item.added fails like cn does."""
    assert watched("responses", sse(answer("responses", "gpt-5.2")[1])).ok
    broken = watched("responses", sse(minimal_responses("gpt-5.2")))
    assert broken.category == "bad_response" and "missing output at index 0" in broken.message


@pytest.mark.parametrize(("kind", "end"), [("chat", "[DONE]"), ("messages", "message_stop"),
                                           ("responses", "response.completed")])
def test_each_route_needs_its_own_end(kind: str, end: str) -> None:
    """A stream without its route's terminal event is bad_response naming that event."""
    events = answer(kind, "m")[1][:-1]
    verdict = watched(kind, sse(events))
    assert verdict.category == "bad_response" and end in verdict.message


def test_sse_stripped_is_bad_response_with_the_streaming_hint(fake: FakeServer) -> None:
    """A JSON answer to stream: true says that something in between ignores streaming."""
    fake.behaviours["*"] = Behaviour("sse_stripped")
    target = Target("T", "openai", "gpt-4.1", fake.base("openai"), KEY, "chat")
    result = ping([target], Options(timeout=3)).results[0]
    assert result.category == "bad_response" and "ignores stream: true" in result.hint
    assert ping([target], Options(timeout=3, stream=False)).results[0].ok


@pytest.mark.parametrize(("provider", "model", "role"), [
    ("openai", "gpt-4.1", "chat"), ("openai", "gpt-5.2", "chat"),
    ("anthropic", "claude-sonnet-4-6-default", "chat")])
def test_tools_are_offered_like_agent_mode_and_a_refusal_is_tools_unsupported(
        fake: FakeServer, provider: str, model: str, role: str) -> None:
    """--tools sends one function tool (parallel_tool_calls: false on OpenAI routes); a 400
    naming tools is tools_unsupported with the Agent-mode hint; accepted tools pass."""
    target = Target("T", provider, model, fake.base(provider), KEY, role)
    assert ping([target], Options(timeout=3, tools=True)).results[0].ok
    # The probe's own request: the model-list GET runs beside it and may be recorded after it.
    body = [r for r in fake.recorded() if r.method == "POST"][-1].body
    assert body["tools"] and (provider == "anthropic" or body["parallel_tool_calls"] is False)
    fake.behaviours["*"] = Behaviour("tools_rejected")
    refused = ping([target], Options(timeout=3, tools=True)).results[0]
    assert refused.category == "tools_unsupported" and "Agent mode" in refused.hint
    assert ping([target], Options(timeout=3)).results[0].ok


def test_each_client_reads_secrets_in_its_own_order(tmp_path: Path) -> None:
    """IDE: global .env, workspace .continue/.env, workspace .env, env; cn: env first."""
    glob, ws = tmp_path / "g", tmp_path / "ws"
    (ws / ".continue").mkdir(parents=True)
    glob.mkdir()
    (glob / ".env").write_text("A=global\nB=global\n")
    (ws / ".env").write_text("A=ws\nC=ws\n")
    secrets = ClientSecrets.read(glob, ws, {"A": "env", "D": "env"})
    assert secrets.value("A", "ide") == "global" and secrets.value("A", "cn") == "env"
    assert secrets.source("C", "ide") == str(ws / ".env")
    assert secrets.source("D", "ide") == ENVIRONMENT
    assert secrets.order("cn") == [ENVIRONMENT, str(ws / ".env"), str(glob / ".env"),
                                   str(ws / ".continue" / ".env")]
    assert secrets.disagreement("B") is None and "A differs" in (secrets.disagreement("A") or "")


SECRET_GPT = """
name: GPT
provider: openai
model: {model}
apiBase: {base}
apiKey: ${{{{ secrets.LANGDOCK_API_KEY }}}}
"""


def test_a_stale_exported_key_is_probed_for_each_client_and_warned_about(
        run: Any, fake: FakeServer, config_dir: Path) -> None:
    """Good key in .env, stale one exported: the IDE probe passes, cn's fails, with a warning
    naming the variable and the sources; no key value is shown."""
    fake.keys = {GOOD}
    write_yaml_with_dotenv(config_dir, f"LANGDOCK_API_KEY={GOOD}\n",
                           SECRET_GPT.format(model="gpt-4.1", base=fake.base("openai")))
    result = run("ping", "--json", env={"LANGDOCK_API_KEY": STALE})
    data = json.loads(result.stdout)
    verdicts = {r["client"]: r["category"] for r in data["results"]}
    assert verdicts == {"ide": "ok", "cn": "auth"} and result.exit_code == 3
    assert "LANGDOCK_API_KEY differs" in data["notes"][0]
    assert GOOD not in result.stdout + result.stderr and STALE not in result.stdout
    text = run("ping", env={"LANGDOCK_API_KEY": STALE})
    assert "fails in cn" in text.output and GOOD not in text.output


def test_a_dotenv_beside_a_config_outside_continues_dir_is_not_used(
        run: Any, fake: FakeServer, tmp_path: Path) -> None:
    """ping FILE elsewhere: its .env is not read (Continue would not) and the output says so."""
    elsewhere = tmp_path / "elsewhere"
    write_yaml_with_dotenv(elsewhere, f"LANGDOCK_API_KEY={KEY}\n",
                           SECRET_GPT.format(model="gpt-4.1", base=fake.base("openai")))
    result = run("ping", str(elsewhere / "config.yaml"), "--json")
    data = json.loads(result.stdout)
    assert data["results"][0]["category"] == "unresolved_secret"
    assert "LANGDOCK_API_KEY" in data["results"][0]["message"]
    assert any("is not used" in n for n in data["notes"])
    assert [r for r in fake.recorded() if r.method == "POST"] == []


def test_gpt5_with_use_responses_api_false_is_probed_per_client(
        run: Any, fake: FakeServer, config_dir: Path) -> None:
    """The IDE calls chat/completions, cn /responses regardless: both are probed."""
    model = SECRET_GPT.format(model="gpt-5.2", base=fake.base("openai")) + \
        "useResponsesApi: false\n"
    write_yaml_with_dotenv(config_dir, f"LANGDOCK_API_KEY={KEY}\n", model)
    data = json.loads(run("ping", "--json").stdout)
    assert {(r["client"], r["kind"]) for r in data["results"]} == {("ide", "chat"),
                                                                  ("cn", "responses")}
    sent = {r.kind: r for r in fake.recorded() if r.method == "POST"}
    assert "max_completion_tokens" in sent["chat"].body
    assert sent["chat"].body["messages"][0]["role"] == "developer"
    assert "reasoning" not in sent["responses"].body  # cn's Responses body


def test_a_header_still_holding_a_reference_is_unresolved_and_not_sent(
        fake: FakeServer) -> None:
    """A requestOptions header with ${{ left in it is unresolved_secret; nothing is sent."""
    target = Target("T", "openai", "gpt-4.1", fake.base("openai"), KEY, "chat",
                    {"headers": {"X-Team": "${{ secrets.TEAM_TOKEN }}"}})
    result = ping([target], Options(timeout=3)).results[0]
    assert result.category == "unresolved_secret" and "X-Team" in result.message
    assert "Put the secret" in result.hint
    assert [r for r in fake.recorded() if r.method == "POST"] == []


def test_claude_in_config_yaml_is_probed_as_each_client_sends_it(
        run: Any, fake: FakeServer, config_dir: Path) -> None:
    """cn's probe carries anthropic-beta and cache_control; the IDE's carries neither."""
    claude = SECRET_GPT.format(model="claude-sonnet-4-6-default", base=fake.base("anthropic"))
    write_yaml_with_dotenv(config_dir, f"LANGDOCK_API_KEY={KEY}\n",
                           claude.replace("provider: openai", "provider: anthropic"))
    data = json.loads(run("ping", "--json").stdout)
    assert sorted(r["client"] for r in data["results"]) == ["cn", "ide"] and data["ok"]
    sent = {"anthropic-beta" in r.headers: r.body for r in fake.recorded("messages")}
    assert "cache_control" in sent[True]["system"][0]
    assert "cache_control" not in sent[False]["system"][0]

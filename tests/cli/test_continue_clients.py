"""Continue's own published clients (cn 1.5.47, openai-adapters 1.37.0) work with what init
writes, and ping fails exactly when they fail, against the fake Langdock on 127.0.0.1."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from continue_setup.config import parsing
from continue_setup.config.entries import model_entries
from continue_setup.fake.server import Behaviour, FakeServer
from continue_setup.probe.clientsecrets import ClientSecrets
from continue_setup.probe.probes import Options, ping
from continue_setup.probe.targets import targets_from_entries

NODE_DIR = Path(__file__).resolve().parents[1] / "node"
CN = NODE_DIR / "node_modules" / "@continuedev" / "cli" / "dist" / "cn.js"
ADAPTERS = NODE_DIR / "node_modules" / "@continuedev" / "openai-adapters"
GOOD, STALE = "sk-ld-good-0123456789abcdef", "sk-ld-stale-0123456789abcdef"

needs_node = pytest.mark.skipif(
    shutil.which("node") is None or not CN.exists() or not ADAPTERS.exists(),
    reason="node or Continue's npm packages are absent (npm install --prefix tests/node)")
pytestmark = needs_node


@pytest.fixture
def gateway() -> Any:
    """The fake Langdock accepting only the good key."""
    with FakeServer(stall_max=5.0, keys={GOOD}) as server:
        yield server


def init_config(run: Any, home: Path, base: str, *extra: str) -> Path:
    """Run init (no pre-write probe) into ``home``/.continue and return its config.yaml."""
    result = run("init", "--config-dir", str(home / ".continue"), "--format", "yaml",
                 "--base-url", base, "--api-key-stdin", "--no-ping", *extra, input=GOOD + "\n")
    assert result.exit_code == 0, result.stderr
    return home / ".continue" / "config.yaml"


def node_env(home: Path, **extra: str) -> dict[str, str]:
    """A clean environment for node: loopback only, no update check, no telemetry."""
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home),
            "CONTINUE_GLOBAL_DIR": str(home / ".continue"),
            "CONTINUE_API_BASE": "http://127.0.0.1:9/", "NODE_ENV": "test",
            "CONTINUE_METRICS_ENABLED": "0", "CONTINUE_CLI_ENABLE_TELEMETRY": "0",
            "NODE_OPTIONS": f"--require {NODE_DIR / 'offline_guard.cjs'}",
            "CN_GUARD_LOG": str(home / "guard.jsonl"), **extra}


def cn_says(config: Path, home: Path, model: str, **env: str) -> tuple[bool, str]:
    """Run ``cn -p`` with ``model`` selected; return (answered with the fake's text, output)."""
    index = home / ".continue" / "index"
    index.mkdir(parents=True, exist_ok=True)
    (index / "globalContext.json").write_text(json.dumps({"cliSelectedModel": model}))
    workspace = home / "ws"
    workspace.mkdir(exist_ok=True)
    proc = subprocess.run(["node", str(CN), "-p", "say hi", "--config", str(config)],
                          cwd=workspace, env=node_env(home, **env), capture_output=True,
                          text=True, timeout=90, stdin=subprocess.DEVNULL, check=False)
    return proc.returncode == 0 and "pong" in proc.stdout, proc.stdout + proc.stderr


def adapter_says(home: Path, **spec: Any) -> dict[str, Any]:
    """Run one openai-adapters call (chatStream, chat, responses or fim); return its result."""
    proc = subprocess.run(["node", str(NODE_DIR / "adapter_call.mjs"), json.dumps(spec)],
                          cwd=NODE_DIR, env=node_env(home), capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL, check=False)
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def entries(config: Path) -> list[Any]:
    """Return the model entries of a config file."""
    return list(model_entries(parsing.load(config)))


def probe(config: Path, home: Path, *, tools: bool = False, **environ: str) -> list[Any]:
    """Ping the config's entries as the CLI does; return the results."""
    env = {"HOME": str(home), "CONTINUE_GLOBAL_DIR": str(home / ".continue"), **environ}
    secrets = ClientSecrets.read(home / ".continue", home / "ws", env)
    targets, _ = targets_from_entries(entries(config), env_list=[], dotenv={}, environ=env,
                                      secrets=secrets)
    return ping(targets, Options(timeout=10, tools=tools, environ=env,
                                 check_models=False)).results


@pytest.mark.parametrize("extra", [(), ("--key-storage", "dotenv"), ("--region", "us"),
                                   ("api/public",)], ids=["inline", "dotenv", "us", "public"])
def test_cn_answers_with_every_chat_model_init_writes(run: Any, gateway: FakeServer,
                                                      isolated_home: Path,
                                                      extra: tuple[str, ...]) -> None:
    """cn -p gets the fake's answer from each chat entry, with the key Continue resolves."""
    base = gateway.url + ("/api/public" if extra == ("api/public",) else "")
    config = init_config(run, isolated_home, base,
                         *(() if extra == ("api/public",) else extra))
    chat = [e for e in entries(config) if not e.autocomplete]
    assert chat
    for entry in chat:
        answered, output = cn_says(config, isolated_home, entry.label)
        assert answered, output
    sent = [r for r in gateway.recorded() if r.method == "POST"]
    assert len(sent) == len(chat)
    assert {r.kind for r in sent} == {"responses", "messages"}  # cn calls /responses for gpt-5
    assert all(GOOD in (r.headers.get("authorization", "") + r.headers.get("x-api-key", ""))
               for r in sent)
    assert all(r.body["stream"] is True for r in sent)
    guard = isolated_home / "guard.jsonl"
    blocked = {json.loads(line)["target"] for line in guard.read_text().splitlines()} \
        if guard.exists() else set()
    assert blocked <= {"api.continue.dev"}
    assert all(p.ok for p in probe(config, isolated_home))


def test_openai_adapters_built_from_each_entry_answer(run: Any, gateway: FakeServer,
                                                      isolated_home: Path) -> None:
    """constructLlmApi from each generated entry: chat streamed and not, Responses, FIM."""
    config = init_config(run, isolated_home, gateway.url)
    calls = {"openai": ("chatStream", "chat", "responses"), "anthropic": ("chatStream",),
             "mistral": ("fim",)}
    for entry in entries(config):
        for call in calls[entry.provider or ""]:
            # Continue's core passes apiBase with a trailing slash (BaseLLM appends it)
            result = adapter_says(isolated_home, provider=entry.provider, apiKey=GOOD,
                                  apiBase=(entry.api_base or "").rstrip("/") + "/",
                                  model=entry.model, call=call)
            assert result["ok"], (entry.label, call, result)
    kinds = {r.kind for r in gateway.recorded()}
    assert kinds == {"chat", "responses", "messages", "fim"}


def test_fim_without_a_trailing_slash_loses_v1_in_openai_adapters(
        gateway: FakeServer, isolated_home: Path) -> None:
    """new URL("fim/completions", apiBase) drops /v1 unless apiBase ends with '/'."""
    base = gateway.base("mistral")
    without = adapter_says(isolated_home, provider="mistral", apiKey=GOOD, apiBase=base,
                           model="codestral-2501", call="fim")
    with_slash = adapter_says(isolated_home, provider="mistral", apiKey=GOOD,
                              apiBase=base + "/", model="codestral-2501", call="fim")
    assert not without["ok"] and with_slash["ok"]
    assert [r.path for r in gateway.recorded()] == ["/mistral/eu/fim/completions",
                                                    "/mistral/eu/v1/fim/completions"]


CASES = {
    "wrong key": ({}, {}, False),
    "not available": ({"*": Behaviour("model_unavailable")}, {}, False),
    "sse stripped": ({"*": Behaviour("sse_stripped")}, {}, False),
    "tools rejected": ({"*": Behaviour("tools_rejected")}, {}, True),
    "responses minimal": ({"responses": Behaviour("responses_minimal")}, {}, False),
}


@pytest.mark.parametrize("case", list(CASES))
def test_ping_fails_exactly_when_cn_fails(run: Any, gateway: FakeServer, isolated_home: Path,
                                          case: str) -> None:
    """For each misbehaviour, each chat entry's ping verdict matches cn's outcome, and the
    Codestral entry's matches openai-adapters' fimStream (the IDE's autocomplete)."""
    behaviours, env, tools = CASES[case]
    config = init_config(run, isolated_home, gateway.url, "--key-storage", "dotenv")
    if case == "wrong key":
        gateway.keys = {"sk-ld-other-0123456789abcdef"}
    gateway.behaviours.update(behaviours)
    results = probe(config, isolated_home, tools=tools, **env)
    for entry in entries(config):
        if entry.autocomplete:
            fim = adapter_says(isolated_home, provider="mistral", apiKey=GOOD,
                               apiBase=(entry.api_base or "") + "/", model=entry.model,
                               call="fim")
            works = fim["ok"] and bool(fim["text"])  # an empty completion helps nobody
            mine = [r for r in results if r.title == entry.label]
            assert [r.ok for r in mine] == [works], (case, fim, mine)
            continue
        answered, output = cn_says(config, isolated_home, entry.label, **env)
        mine = [r for r in results if r.title == entry.label and r.client in ("", "cn")]
        assert mine and all(r.ok for r in mine) == answered, (case, entry.label, output, mine)


def test_a_stale_key_in_the_environment_breaks_cn_and_ping_says_so(
        run: Any, gateway: FakeServer, isolated_home: Path) -> None:
    """LANGDOCK_API_KEY=stale exported, good key in .env: cn fails, the IDE works; ping agrees."""
    config = init_config(run, isolated_home, gateway.url, "--key-storage", "dotenv")
    results = probe(config, isolated_home, LANGDOCK_API_KEY=STALE)
    answered, _ = cn_says(config, isolated_home, "Langdock GPT", LANGDOCK_API_KEY=STALE)
    assert not answered
    gpt = {r.client: r for r in results if r.model == "gpt-5.2"}
    assert gpt["cn"].category == "auth" and gpt["ide"].ok, results
    ide = adapter_says(isolated_home, provider="openai", apiKey=GOOD,
                       apiBase=gateway.base("openai") + "/", model="gpt-5.2", call="responses")
    assert ide["ok"]


IDE_ONLY = {"max_output_tokens", "max_tokens", "reasoning", "include", "temperature", "top_p"}


def test_pings_requests_match_continues_field_by_field(run: Any, gateway: FakeServer,
                                                       isolated_home: Path) -> None:
    """Same path, same auth and version headers, same stream flags and cache_control as cn
    (chat) and openai-adapters (FIM); ping adds only the IDE's fields and its token cap."""
    config = init_config(run, isolated_home, gateway.url)
    for entry in entries(config):
        if entry.autocomplete:
            result = adapter_says(isolated_home, provider="mistral", apiKey=GOOD,
                                  apiBase=(entry.api_base or "") + "/", model=entry.model,
                                  call="fim")
            assert result["ok"], result
        else:
            assert cn_says(config, isolated_home, entry.label)[0]
    theirs = {r.kind: r for r in gateway.recorded()}
    gateway.requests.clear()
    assert all(r.ok for r in probe(config, isolated_home))
    ours = {r.kind: r for r in gateway.recorded() if r.method == "POST"
            and (r.kind != "messages" or "anthropic-beta" in r.headers)}  # cn's Claude probe
    assert set(theirs) == set(ours) == {"responses", "messages", "fim"}
    for kind, their in theirs.items():
        our = ours[kind]
        assert our.path == their.path
        for name in ("authorization", "x-api-key", "anthropic-version", "anthropic-beta"):
            assert our.headers.get(name) == their.headers.get(name), (kind, name)
        assert our.body["stream"] is their.body["stream"] is True
        assert set(our.body) - set(their.body) <= IDE_ONLY, kind
        assert set(their.body) - set(our.body) <= {"tools", "parallel_tool_calls"}, kind
    assert ours["messages"].body["system"][0]["cache_control"] == \
        theirs["messages"].body["system"][0]["cache_control"]
    assert ours["fim"].body["temperature"] == theirs["fim"].body["temperature"]

"""Planning probes: which endpoint, which headers and body, which proxy and trust, no network."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from continue_setup.check.rules.codes import RuleContext
from continue_setup.config import parsing, redact
from continue_setup.config.entries import model_entries
from continue_setup.config.paths import ConfigDir
from continue_setup.errors import InputError
from continue_setup.probe.modellists import models_url, parse_model_ids
from continue_setup.probe.probes import (
    Options,
    Probe,
    ProbeResult,
    is_reasoning_model,
    join_url,
    plan_probe,
)
from continue_setup.probe.targets import Target, targets_from_config, targets_from_entries
from continue_setup.probe.transport import choose_proxy, tls_from_options

KEY = "sk-ld-plan-0123456789"
BASE = "https://api.langdock.com"


def target(provider: str = "openai", model: str = "gpt-4.1", *, role: str = "chat",
           api_base: str | None = None, **kwargs: Any) -> Target:
    """Build a target on the public Langdock base."""
    route = {"openai": "openai", "anthropic": "anthropic", "mistral": "mistral"}[provider]
    base = api_base if api_base is not None else f"{BASE}/{route}/eu/v1"
    return Target("T", provider, model, base, KEY, role, **kwargs)


def plan(t: Target, **options: Any) -> Probe:
    """Plan a probe and insist that it can be sent."""
    planned = plan_probe(t, Options(**options))
    assert isinstance(planned, Probe)
    return planned


@pytest.mark.parametrize(("model", "expected"), [
    ("gpt-5.2", True), ("gpt-5", True), ("gpt-6-mini", True), ("azure-gpt-5", True),
    ("o1", True), ("o3-mini", True), ("o77", True), ("gpt-4.1", False), ("gpt-4o", False),
    ("omni", False), ("text-o3", False), ("GPT-5", False),
])
def test_reasoning_models_follow_continues_regexes(model: str, expected: bool) -> None:
    """gpt-5+ anywhere in the id and o<digit> at its start are Continue's reasoning models."""
    assert is_reasoning_model(model) is expected


@pytest.mark.parametrize("base", ["https://h/openai/eu/v1", "https://h/openai/eu/v1/"])
def test_url_joining_adds_the_slash_continue_adds(base: str) -> None:
    """apiBase with or without a trailing slash gives the same endpoint, v1 kept."""
    assert join_url(base, "chat/completions") == "https://h/openai/eu/v1/chat/completions"


def test_gpt5_goes_to_responses_with_max_output_tokens() -> None:
    """gpt-5.x is probed at /responses, capped by max_output_tokens, with Continue's fields."""
    probe = plan(target(model="gpt-5.2"))
    assert probe.kind == "responses"
    assert probe.url == f"{BASE}/openai/eu/v1/responses"
    assert probe.body["max_output_tokens"] == 16
    assert probe.body["input"][-1]["content"] == [{"type": "input_text", "text": "ping"}]
    assert probe.body["include"] == ["reasoning.encrypted_content"]
    assert probe.body["reasoning"] == {"effort": "medium", "summary": "auto"}
    assert probe.body["temperature"] is None and probe.body["top_p"] is None
    assert "max_tokens" not in probe.body and probe.body["stream"] is True


def test_use_responses_api_false_forces_chat_with_max_completion_tokens() -> None:
    """useResponsesApi: false sends gpt-5 to chat/completions with max_completion_tokens."""
    probe = plan(target(model="gpt-5.2", use_responses_api=False))
    assert probe.kind == "chat"
    assert probe.url.endswith("/chat/completions")
    assert probe.body["max_completion_tokens"] == 16
    assert "max_tokens" not in probe.body


def test_older_openai_models_use_chat_and_max_tokens_with_both_auth_headers() -> None:
    """gpt-4.1 uses max_tokens; the OpenAI route sends Bearer and api-key, as Continue does."""
    probe = plan(target(model="gpt-4.1"), stream=False)
    assert probe.kind == "chat"
    assert probe.body == {"model": "gpt-4.1", "messages": [
        {"role": "system", "content": "Answer in one word."},
        {"role": "user", "content": "ping"}], "max_tokens": 16}
    assert probe.headers["Authorization"] == f"Bearer {KEY}"
    assert probe.headers["api-key"] == KEY


def test_anthropic_sends_x_api_key_and_version_and_no_authorization() -> None:
    """The Anthropic probe carries exactly Continue's headers: x-api-key, anthropic-version."""
    probe = plan(target("anthropic", "claude-sonnet-4-6-default"))
    assert probe.url == f"{BASE}/anthropic/eu/v1/messages"
    assert probe.headers["x-api-key"] == KEY
    assert probe.headers["anthropic-version"] == "2023-06-01"
    assert "Authorization" not in probe.headers
    assert probe.body["max_tokens"] == 16


def test_codestral_autocomplete_is_fim_with_prompt_suffix_and_both_headers() -> None:
    """An autocomplete mistral entry gets fim/completions with prompt, suffix, Bearer, x-api-key."""
    probe = plan(target("mistral", "codestral-2501", role="autocomplete"))
    assert probe.url == f"{BASE}/mistral/eu/v1/fim/completions"
    assert set(probe.body) == {"model", "prompt", "suffix", "max_tokens", "temperature", "stop",
                               "stream"}
    assert probe.body["temperature"] == 0.01 and "[SUFFIX]" in probe.body["stop"]
    assert probe.headers["Authorization"] == f"Bearer {KEY}"
    assert probe.headers["x-api-key"] == KEY


def test_a_mistral_chat_entry_is_probed_at_chat_completions() -> None:
    """A mistral entry used for chat goes where Continue sends it: chat/completions."""
    assert plan(target("mistral", "codestral-2501")).kind == "chat"


@pytest.mark.parametrize(("provider", "model", "role", "fields"), [
    ("openai", "gpt-4.1", "chat", {"stream": True, "stream_options": {"include_usage": True}}),
    ("openai", "gpt-5.2", "chat", {"stream": True}),
    ("anthropic", "claude-x", "chat", {"stream": True}),
    ("mistral", "codestral-2501", "autocomplete", {"stream": True}),
])
def test_stream_flags_per_route(provider: str, model: str, role: str,
                                fields: dict[str, Any]) -> None:
    """--stream adds stream: true, and stream_options only on chat completions."""
    body = plan(target(provider, model, role=role), stream=True).body
    assert {k: v for k, v in body.items() if k.startswith("stream")} == fields


def test_request_options_headers_extra_body_and_timeout_are_honoured() -> None:
    """Own headers win, extraBodyProperties merge (the cap stays), timeout caps --timeout."""
    options = {"headers": {"X-Team": "a", "api-key": "other"}, "timeout": 3,
               "extraBodyProperties": {"user": "me", "max_tokens": 4000}}
    probe = plan(target(request_options=options), timeout=15)
    assert probe.headers["X-Team"] == "a" and probe.headers["api-key"] == "other"
    assert probe.body["user"] == "me" and probe.body["max_tokens"] == 16
    assert probe.timeout == 3
    assert plan(target(request_options={"timeout": 7200}), timeout=15).timeout == 15


def test_entries_that_cannot_be_sent_get_a_verdict_without_a_request() -> None:
    """A missing key is auth and a non-http apiBase is not_found, decided before any call."""
    no_key = plan_probe(Target("T", "openai", "gpt-4.1", f"{BASE}/openai/eu/v1", None, "chat",
                               key_problem="the entry has no apiKey"), Options())
    bad_base = plan_probe(target(api_base="ftp://example.com/v1"), Options())
    assert isinstance(no_key, ProbeResult) and no_key.category == "auth"
    assert no_key.message == "the entry has no apiKey"
    assert isinstance(bad_base, ProbeResult) and bad_base.category == "not_found"


@pytest.mark.parametrize(("where", "value", "code", "category"), [
    ("apiKey", KEY + "\n", "key-whitespace", "auth"),
    ("apiKey", " " + KEY, "key-whitespace", "auth"),
    ("apiKey", KEY[:8] + " " + KEY[8:], "key-whitespace", "auth"),
    ("apiKey", KEY + "\t", "key-whitespace", "auth"),
    ("apiKey", KEY + "\x00", "key-control", "auth"),
    ("apiKey", KEY + "\x7f", "key-control", "auth"),
    ("apiKey", KEY + "é", "key-non-ascii", "auth"),
    ("Authorization", f"Bearer {KEY}\x00", "key-control", "auth"),
    ("x-api-key", KEY + "\n", "key-whitespace", "auth"),
    ("X-Team", "a\x00b", "key-control", "network"),
    ("X-Team", "a\nb", "key-control", "network"),
    ("X-Team", "café", "key-non-ascii", "network"),
    ("X Team", "a", "header-name", "network"),
    ("X-Team:", "a", "header-name", "network"),
    ("", "a", "header-name", "network"),
    ("apiKey", KEY, None, None),
    ("X-Team", "a\tb c", None, None),
    ("X-Team", " a ", None, None),
    ("Authorization", "Bearer ${{ secrets.K }}", None, "unresolved_secret"),
    ("apiKey", "<YOUR_LANGDOCK_API_KEY>", "placeholder-key", None)])
def test_what_validate_calls_unsendable_is_that_finding_without_a_request(
        where: str, value: str, code: str | None, category: str | None) -> None:
    """A key or requestOptions header validate reports as holding whitespace, control or
    non-ASCII characters is not sent: ping's verdict carries validate's words, code and hint
    (it was "network", from the HTTP layer's refusal). A placeholder is still sent: the
    gateway's 401 explains it. Only what validate reports is held back; a header's value
    goes without the spaces around it, which Node sends and the server drops."""
    from continue_setup.check.rules.secrets import api_keys, headers
    from tests.check.rules.test_secrets import json_doc, model

    options = {} if where == "apiKey" else {"headers": {where: value}}
    key = value if where == "apiKey" else KEY
    planned = plan_probe(Target("T", "openai", "gpt-4.1", f"{BASE}/openai/eu/v1", key, "chat",
                                options), Options())
    document = json_doc({"models": [model(apiKey=key, requestOptions=options)]})
    validated = [f for rule in (api_keys, headers) for f in rule(document, RuleContext())]
    assert [f.code for f in validated] == ([] if code is None else [code])
    if category is None:
        assert isinstance(planned, Probe)
        if where != "apiKey":  # spaces around a value go as the server reads the value
            assert planned.headers[where] == value.strip(" \t")
        return
    if code is None:  # a reference set nowhere: reported as such, not as a key problem
        assert isinstance(planned, ProbeResult) and planned.category == category
        return
    assert isinstance(planned, ProbeResult) and planned.category == category
    assert planned.message == f"{validated[0].message} ({code})"
    assert planned.hint == validated[0].hint


def test_proxy_precedence_and_no_proxy_patterns() -> None:
    """requestOptions.proxy beats HTTPS_PROXY; NO_PROXY and noProxy bypass as in Continue."""
    env = {"HTTPS_PROXY": "http://env:1", "HTTP_PROXY": "http://plain:2",
           "NO_PROXY": "internal.example, .corp.example,*.lan"}
    url = "https://api.langdock.com/openai/eu/v1/responses"
    assert choose_proxy(url, {}, env) == "http://env:1"
    assert choose_proxy("http://h/x", {}, env) == "http://plain:2"
    assert choose_proxy(url, {"proxy": "http://own:3"}, env) == "http://own:3"
    assert choose_proxy("https://internal.example/v1", {}, env) is None
    assert choose_proxy("https://a.corp.example/v1", {}, env) is None
    assert choose_proxy("https://b.lan/v1", {}, env) is None
    assert choose_proxy(url, {"noProxy": ["api.langdock.com"]}, env) is None
    assert choose_proxy(url, {}, {"https_proxy": "http://lower:4"}) == "http://lower:4"
    assert choose_proxy(url, {}, {}) is None


def test_tls_options_read_ca_bundles_as_string_or_list_and_verify_ssl() -> None:
    """caBundlePath may be a string or a list; only verifySsl: false turns checking off."""
    assert tls_from_options({"caBundlePath": "/a.pem"}).ca_bundles == ("/a.pem",)
    assert tls_from_options({"caBundlePath": ["/a.pem", "/b.pem"]}).ca_bundles == (
        "/a.pem", "/b.pem")
    assert tls_from_options({"verifySsl": False}).verify is False
    assert tls_from_options({"verifySsl": "false"}).verify is True


def test_model_ids_are_parsed_leniently() -> None:
    """data[*].id, a bare array of objects or strings, and Google-style names all work."""
    assert parse_model_ids(b'{"data": [{"id": "a"}, {"id": "b"}, {"x": 1}]}') == ["a", "b"]
    assert parse_model_ids(b'[{"id": "a"}, "b", "a"]') == ["a", "b"]
    assert parse_model_ids(b'{"models": [{"name": "models/gemini-2.5-pro"}]}') == [
        "gemini-2.5-pro"]
    assert parse_model_ids(b"not json") == [] and parse_model_ids(b"\xff") == []


def test_models_url_only_for_langdock_openai_and_anthropic_bases() -> None:
    """The list is fetched for Langdock (and local stand-in) openai/anthropic bases only."""
    assert models_url(f"{BASE}/openai/eu/v1") == f"{BASE}/openai/eu/v1/models"
    assert models_url("https://acme.langdock.com/api/public/anthropic/us/v1/") == (
        "https://acme.langdock.com/api/public/anthropic/us/v1/models")
    assert models_url("http://127.0.0.1:9/openai/eu/v1") == "http://127.0.0.1:9/openai/eu/v1/models"
    assert models_url(f"{BASE}/mistral/eu/v1") is None
    assert models_url("https://api.openai.com/v1") is None


def _doc(text: str, fmt: str = "json") -> parsing.Document:
    return parsing.parse_text(text, fmt)  # type: ignore[arg-type]


def test_targets_skip_what_ping_does_not_probe_and_explain_missing_keys() -> None:
    """Other providers, entries without apiBase or model, and embed-only roles are skipped."""
    doc = _doc("""
models:
  - {name: a, provider: ollama, model: llama3}
  - {name: b, provider: openai, model: gpt-4.1}
  - {name: c, provider: openai, model: text-embedding-ada-002, apiBase: https://x/v1,
     roles: [embed], apiKey: k1234}
  - {name: d, provider: openai, model: gpt-4.1, apiBase: https://x/v1,
     apiKey: "${{ secrets.LANGDOCK_API_KEY }}"}
""", "yaml")
    targets, skipped = targets_from_entries(model_entries(doc), env_list=[], dotenv={},
                                            environ={})
    assert [s.title for s in skipped] == ["a", "b", "c"]
    assert [t.title for t in targets] == ["d"]
    assert targets[0].api_key is None and "LANGDOCK_API_KEY" in targets[0].unresolved


def test_targets_resolve_secrets_from_dotenv_and_merge_top_level_request_options() -> None:
    """A YAML secret resolves from .env; top-level requestOptions reach the entry."""
    doc = _doc("""
requestOptions: {proxy: "http://corp:8080"}
models:
  - name: d
    provider: anthropic
    model: claude-sonnet-4-6-default
    apiBase: https://api.langdock.com/anthropic/eu/v1
    apiKey: ${{ secrets.LANGDOCK_API_KEY }}
""", "yaml")
    targets, _ = targets_from_entries(model_entries(doc), env_list=[],
                                      dotenv={"LANGDOCK_API_KEY": KEY}, environ={})
    assert targets[0].api_key == KEY
    assert targets[0].request_options == {"proxy": "http://corp:8080"}


def test_references_in_request_options_resolve_as_continue_resolves_them() -> None:
    """config.yaml: ${{ secrets.X }} anywhere in a text; config.json: a text that is exactly
    an 'env' name. A reference set nowhere stays as written; values put in are masked."""
    yaml_doc = _doc("""
models:
  - name: y
    provider: openai
    model: gpt-5.2
    apiBase: ${{ secrets.BASE }}/openai/eu/v1
    apiKey: k-inline-123
    requestOptions:
      proxy: ${{ secrets.UNSET }}
      headers: {Authorization: "Bearer ${{ secrets.TEAM_TOKEN }}", X-Team: a}
      caBundlePath: ["${{ secrets.CA }}"]
""", "yaml")
    dotenv = {"TEAM_TOKEN": "tok-from-dotenv-1", "BASE": "https://acme.example/api/public"}
    (target,), _ = targets_from_entries(model_entries(yaml_doc), env_list=[], dotenv=dotenv,
                                        environ={"CA": "/etc/ca.pem"})
    assert target.api_base == "https://acme.example/api/public/openai/eu/v1"
    assert target.request_options == {
        "proxy": "${{ secrets.UNSET }}",
        "headers": {"Authorization": "Bearer tok-from-dotenv-1", "X-Team": "a"},
        "caBundlePath": ["/etc/ca.pem"],
    }
    assert redact.redact("tok-from-dotenv-1") == redact.MASK

    json_doc = _doc('{"env": ["TEAM_TOKEN", "UNSET"], "models": [{"title": "j", '
                    '"provider": "openai", "model": "gpt-5.2", "apiBase": "https://x/v1", '
                    '"requestOptions": {"headers": {"x-api-key": "TEAM_TOKEN", '
                    '"X-Other": "UNSET", "X-Text": "Bearer TEAM_TOKEN"}}}]}')
    (target,), _ = targets_from_entries(model_entries(json_doc), env_list=["TEAM_TOKEN", "UNSET"],
                                        dotenv={}, environ={"TEAM_TOKEN": "tok-from-env-2"})
    assert target.request_options["headers"] == {
        "x-api-key": "tok-from-env-2", "X-Other": "UNSET", "X-Text": "Bearer TEAM_TOKEN"}


def test_no_config_and_nothing_to_probe_are_input_errors(tmp_path: Path) -> None:
    """No config at all, or a config with no probe-able entry, is a clear exit-2 error."""
    where = ConfigDir(tmp_path, "--config-dir")
    with pytest.raises(InputError, match="no Continue config"):
        targets_from_config(where, None, {})
    (tmp_path / "config.json").write_text('{"models": [{"title": "x", "provider": "ollama", '
                                          '"model": "m"}]}')
    with pytest.raises(InputError, match="no model entry to probe") as caught:
        targets_from_config(where, None, {})
    assert "ollama" in caught.value.hint

"""The headers and body each Continue client sends on each route, with our small token cap.

Sources (continue-clients.md section 3): the IDE core's Responses body (``_convertArgsResponses``)
carries ``reasoning``, ``include`` and ``temperature``/``top_p`` as JSON null; its chat body for
gpt-5/o ids renames ``max_tokens`` and the system role (``developer``); the adapter adds
``stream_options``. cn always sends ``anthropic-beta: prompt-caching-2024-07-31`` with
``cache_control`` blocks. FIM sends Codestral's stop tokens and ``temperature: 0.01``. Agent
mode adds tools with ``parallel_tool_calls: false``.
"""

from __future__ import annotations

import re
from typing import Any

TOKEN_CAP = 16  # OpenAI's minimum for max_output_tokens; an answer cut short still passes
FIM_PROMPT, FIM_SUFFIX = "def add(a, b):\n    return", "\n"
FIM_STOP = ["[PREFIX]", "[SUFFIX]", "\n+++++ ", "/src/", "#- coding: utf-8", "```"]
SYSTEM = "Answer in one word."
PROMPT = "ping"
CACHE_BETA = "prompt-caching-2024-07-31"
TOOL_NAME = "get_time"  # one tiny tool, as Agent mode offers its built-in ones
_TOOL_PARAMETERS = {"type": "object", "properties": {}, "required": []}
_TOOL_DESCRIPTION = "Return the current time."


def is_reasoning_model(model: str) -> bool:
    """Tell whether Continue's core treats ``model`` as o-series or gpt-5+."""
    return bool(re.match(r"o[0-9]+", model) or re.search(r"gpt-[5-9]", model))


def is_cn_responses_model(model: str) -> bool:
    """Tell whether cn calls /responses for ``model`` (isResponsesModel, any host)."""
    return re.match(r"(?:gpt-5|gpt-5-codex|o[0-9])", model, re.IGNORECASE) is not None


def build(kind: str, model: str, key: str, *, client: str, stream: bool, tools: bool = False
          ) -> tuple[dict[str, str], dict[str, Any]]:
    """Return the headers and body ``client`` ("ide", "cn" or "" for both) sends on ``kind``."""
    json_headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if kind == "messages":
        return _messages(model, key, client=client, stream=stream, tools=tools, base=json_headers)
    if kind == "fim":  # adapter fimStream: both auth headers
        headers = {**json_headers, "x-api-key": key, "Authorization": f"Bearer {key}"}
        body: dict[str, Any] = {"model": model, "prompt": FIM_PROMPT, "suffix": FIM_SUFFIX,
                                "max_tokens": TOKEN_CAP, "temperature": 0.01, "stop": FIM_STOP}
        if stream:
            body["stream"] = True
        return headers, body
    # The core's own fetch adds api-key; the OpenAI SDK (adapter, cn) sends Bearer only.
    headers = {**json_headers, "Authorization": f"Bearer {key}"}
    if client != "cn":
        headers["api-key"] = key
    if kind == "responses":
        body = _responses(model, client=client)
    else:
        reasoning = is_reasoning_model(model) and client != "cn"
        body = {"model": model, "messages": [
            {"role": "developer" if reasoning else "system", "content": SYSTEM},
            {"role": "user", "content": PROMPT}],
            "max_completion_tokens" if reasoning else "max_tokens": TOKEN_CAP}
    if stream:
        body["stream"] = True
    if stream and kind == "chat":
        body["stream_options"] = {"include_usage": True}
    if tools:
        body["tools"] = [_openai_tool(flat=kind == "responses")]
        body["parallel_tool_calls"] = False
    return headers, body


def _responses(model: str, *, client: str) -> dict[str, Any]:
    body: dict[str, Any] = {"model": model, "input": [
        {"type": "message", "role": "developer",
         "content": [{"type": "input_text", "text": SYSTEM}]},
        {"type": "message", "role": "user", "content": [{"type": "input_text", "text": PROMPT}]}],
        "max_output_tokens": TOKEN_CAP}
    if client != "cn":  # cn sends none of these (toResponsesParams)
        body.update({"temperature": None, "top_p": None,
                     "reasoning": {"effort": "medium", "summary": "auto"},
                     "include": ["reasoning.encrypted_content"]})
    return body


def _messages(model: str, key: str, *, client: str, stream: bool, tools: bool,
              base: dict[str, str]) -> tuple[dict[str, str], dict[str, Any]]:
    # AnthropicUtils.getAnthropicHeaders: x-api-key, no Authorization. A config.yaml entry
    # is probed per client; a probe for "both" (config.json, init's plan) sends cn's beta
    # header and cache_control, a superset of the IDE's request.
    headers = {**base, "anthropic-version": "2023-06-01", "x-api-key": key}
    cached = client != "ide"
    if cached:
        headers["anthropic-beta"] = CACHE_BETA
    ephemeral = {"cache_control": {"type": "ephemeral"}} if cached else {}
    body: dict[str, Any] = {
        "model": model, "max_tokens": TOKEN_CAP,
        "system": [{"type": "text", "text": SYSTEM, **ephemeral}],
        "messages": [{"role": "user", "content": [{"type": "text", "text": PROMPT,
                                                   **ephemeral}]}]}
    if stream:
        body["stream"] = True
    if tools:
        body["tools"] = [{"name": TOOL_NAME, "description": _TOOL_DESCRIPTION,
                          "input_schema": _TOOL_PARAMETERS, **ephemeral}]
    return headers, body


def _openai_tool(*, flat: bool) -> dict[str, Any]:
    function = {"name": TOOL_NAME, "description": _TOOL_DESCRIPTION,
                "parameters": _TOOL_PARAMETERS}
    return {"type": "function", **function} if flat else {"type": "function",
                                                          "function": function}

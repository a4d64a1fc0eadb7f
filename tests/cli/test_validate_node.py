"""Cross-check with Continue's own validator (@continuedev/config-yaml): what it rejects, we do.

Its ``config-yaml`` program exits 1 for fatal errors ("Error processing file: ...") and also
for its two warnings (context length, autocomplete model). For the fatal ones we must report
an error; for the warnings, a warning (so ``--strict`` exits 1 as well).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, continue_says, needs_continue_validator

EXAMPLES = ROOT / "tests" / "examples"

pytestmark = [pytest.mark.slow, needs_continue_validator]

HEAD = "name: x\nversion: 1.0.0\n"
MODEL = "models:\n  - name: a\n    provider: openai\n    model: gpt-5.2\n"
CASES = {
    "version-number": "name: x\nversion: 1.0\n",
    "version-missing": "name: x\n",
    "name-missing": "version: 1.0.0\n",
    "name-number": "name: 3\nversion: 1.0.0\n",
    "not-a-mapping": "- a\n- b\n",
    "empty": "",
    "models-mapping": HEAD + "models:\n  gpt:\n    provider: openai\n    model: gpt-5.2\n",
    "models-string": HEAD + "models: gpt\n",
    "models-null": HEAD + "models:\n",
    "model-missing": HEAD + "models:\n  - name: a\n    provider: openai\n",
    "provider-missing": HEAD + "models:\n  - name: a\n    model: m\n",
    "model-name-missing": HEAD + "models:\n  - provider: openai\n    model: m\n",
    "role-unknown": HEAD + MODEL + "    roles: [chat, tab]\n",
    "roles-string": HEAD + MODEL + "    roles: chat\n",
    "verify-ssl-string": HEAD + MODEL + "    requestOptions:\n      verifySsl: 'no'\n",
    "timeout-string": HEAD + MODEL + "    requestOptions:\n      timeout: soon\n",
    "headers-number": HEAD + MODEL + "    requestOptions:\n      headers:\n        X-A: 1\n",
    "client-cert-key-missing": HEAD
    + MODEL
    + "    requestOptions:\n      clientCertificate:\n        cert: /c.pem\n",
    "max-tokens-string": HEAD + MODEL + "    defaultCompletionOptions:\n      maxTokens: many\n",
    "chat-template-unknown": HEAD + MODEL + "    promptTemplates:\n      chat: gpt\n",
    "capabilities-number": HEAD + MODEL + "    capabilities: [1]\n",
    "api-key-number": HEAD + MODEL + "    apiKey: 12345\n",
    "rule-without-text": HEAD + "rules:\n  - name: r\n",
    "doc-without-url": HEAD + "docs:\n  - name: d\n",
    "prompt-without-text": HEAD + "prompts:\n  - name: p\n",
    "context-without-provider": HEAD + "context:\n  - name: c\n",
    "mcp-without-command": HEAD + "mcpServers:\n  - name: m\n",
    "data-bad-schema": HEAD + "data:\n  - name: d\n    destination: https://x\n    schema: v1\n",
    "duplicate-key": HEAD + "name: y\n",
    "bad-indentation": HEAD + "models:\n  - name: a\n   provider: b\n",
    "context-length-small": HEAD
    + MODEL
    + "    defaultCompletionOptions:\n      contextLength: 2000\n      maxTokens: 1500\n",
    "autocomplete-instruct": HEAD + "models:\n  - name: a\n    provider: mistral\n"
    "    model: mistral-7b-instruct\n    roles: [autocomplete]\n",
    # Accepted by Continue: only our rules can have something to say about these.
    "minimal": HEAD,
    "recipe-shape": HEAD + MODEL + "    roles: [chat, edit, apply]\n",
    "unknown-key": HEAD + MODEL + "    colour: blue\n",
}


def check_agrees(path: Path, run: Any) -> None:
    """Assert that we reject what Continue rejects, with the same weight."""
    code, output = continue_says(path)
    if code == 0:
        return
    fatal = "Error processing file" in output
    ours = run("validate", "--json", str(path))
    findings = [f for entry in json.loads(ours.stdout)["files"] for f in entry["findings"]]
    if fatal:
        assert ours.exit_code == 1, (output, findings)
        assert any(f["severity"] == "error" for f in findings)
    else:
        assert any(f["severity"] == "warning" for f in findings), (output, findings)
        assert run("validate", "--strict", str(path)).exit_code == 1


@pytest.mark.parametrize("name", sorted(CASES))
def test_we_reject_what_continue_rejects(name: str, tmp_path: Path, run: Any) -> None:
    """Each case Continue's validator refuses (fatal, or its warnings) is refused by us too."""
    path = tmp_path / "config.yaml"
    path.write_text(CASES[name], encoding="utf-8")
    path.chmod(0o600)
    check_agrees(path, run)


def test_the_fatal_cases_really_are_fatal_to_continue(tmp_path: Path) -> None:
    """The cross-check is not vacuous: Continue refuses most of these cases."""
    refused = 0
    for name, text in CASES.items():
        path = tmp_path / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        refused += continue_says(path)[0] == 1
    assert refused >= len(CASES) - 3


def test_example_yaml_files_agree(tmp_path: Path, run: Any) -> None:
    """Every config.yaml among the example cases gets the same verdict from both."""
    files = sorted((EXAMPLES / "valid").rglob("*.yaml")) + sorted(
        (EXAMPLES / "invalid").rglob("*.yaml")
    )
    assert files
    for source in files:
        copy = tmp_path / source.relative_to(EXAMPLES)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, copy)
        copy.chmod(0o600)
        check_agrees(copy, run)

"""Rules on keys, secrets, env names, file modes and TLS settings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from continue_setup.check.rules import RuleContext
from continue_setup.check.rules import secrets as rules_secrets
from continue_setup.config import parsing, redact
from continue_setup.config.keys import HEADER_HINT

LANGDOCK = "https://api.langdock.com/openai/eu/v1"
KEY = "sk-ld-0123456789abcdef"


def json_doc(data: dict[str, Any]) -> parsing.Document:
    """A config.json holding ``data``."""
    return parsing.parse_text(json.dumps(data), "json")


def yaml_doc(*models: dict[str, Any], **top: Any) -> parsing.Document:
    """A config.yaml with ``models``."""
    data = {"name": "x", "version": "1", "models": list(models), **top}
    return parsing.parse_text(json.dumps(data), "yaml")


def model(**fields: Any) -> dict[str, Any]:
    """A Langdock chat entry, updated with ``fields``."""
    return {
        "title": "t",
        "name": "t",
        "provider": "openai",
        "model": "gpt-5.2",
        "apiBase": LANGDOCK,
        **fields,
    }


def found(rule: Any, document: parsing.Document, **ctx: Any) -> list[tuple[str, str]]:
    """Run one rule with a context made of ``ctx``; return (code, pointer) pairs."""
    return [(f.code, f.pointer) for f in rule(document, RuleContext(**ctx))]


# --- the key an entry sends -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "code"),
    [
        (KEY, None),
        ("", "key-empty"),
        ("   ", "key-empty"),
        ("<YOUR_LANGDOCK_API_KEY>", "placeholder-key"),
        ("<your key here>", "placeholder-key"),
        ("YOUR_API_KEY", "placeholder-key"),
        ("your-langdock-api-key", "placeholder-key"),
        ("xxxx", "placeholder-key"),
        ("changeme", "placeholder-key"),
        (" " + KEY, "key-whitespace"),
        (KEY + "\n", "key-whitespace"),
        ("sk-ld-ÄÖÜ0123456789", "key-non-ascii"),
    ],
)
def test_inline_keys(key: str, code: str | None) -> None:
    """An inline apiKey must be a real key: not empty, a placeholder, spaced or non-ASCII."""
    expected = [] if code is None else [(code, "/models/0/apiKey")]
    assert found(rules_secrets.api_keys, json_doc({"models": [model(apiKey=key)]})) == expected
    assert found(rules_secrets.api_keys, yaml_doc(model(apiKey=key))) == expected


def test_messages_never_contain_the_key() -> None:
    """Key findings name 'the apiKey', never its value."""
    secret = "sk-ld-SECRET 1234"
    findings = list(
        rules_secrets.api_keys(json_doc({"models": [model(apiKey=secret)]}), RuleContext())
    )
    assert findings and all(secret not in f.message + f.hint for f in findings)


def test_yaml_secret_is_checked_after_resolving() -> None:
    """A ${{ secrets.NAME }} key is checked as the value it resolves to, named by its source."""
    document = yaml_doc(model(apiKey="${{ secrets.LANGDOCK_API_KEY }}"))
    findings = list(
        rules_secrets.api_keys(
            document, RuleContext(dotenv={"LANGDOCK_API_KEY": "<YOUR_LANGDOCK_API_KEY>"})
        )
    )
    assert [(f.code, f.message) for f in findings] == [
        ("placeholder-key", "the apiKey (from LANGDOCK_API_KEY) is a placeholder, not a key")
    ]
    assert found(rules_secrets.api_keys, document, environ={"LANGDOCK_API_KEY": KEY}) == []
    assert found(rules_secrets.api_keys, document) == []  # unresolved: references() reports it


def test_dotenv_wins_over_the_environment() -> None:
    """As in Continue, the .env value is used before the process environment's."""
    document = yaml_doc(model(apiKey="${{ secrets.K }}"))
    assert found(rules_secrets.api_keys, document, dotenv={"K": "bad key"}, environ={"K": KEY}) == [
        ("key-whitespace", "/models/0/apiKey")
    ]


def test_partial_references_are_left_to_the_reference_rule() -> None:
    """A key only partly made of a reference is not judged as a whole."""
    document = yaml_doc(model(apiKey="Bearer ${{ secrets.K }}"))
    assert found(rules_secrets.api_keys, document, dotenv={"K": KEY}) == []


def test_json_env_names() -> None:
    """A config.json env name resolves from .env; an unlisted variable name is sent as is."""
    listed = {"env": ["LD_KEY"], "models": [model(apiKey="LD_KEY")]}
    assert found(rules_secrets.api_keys, json_doc(listed), dotenv={"LD_KEY": KEY}) == []
    assert found(rules_secrets.api_keys, json_doc(listed), dotenv={"LD_KEY": "<KEY>"}) == [
        ("placeholder-key", "/models/0/apiKey")
    ]
    unlisted = {"models": [model(apiKey="LANGDOCK_API_KEY")]}
    findings = list(rules_secrets.api_keys(json_doc(unlisted), RuleContext()))
    assert [(f.code, f.severity) for f in findings] == [("env-unresolved", "error")]
    assert "LANGDOCK_API_KEY" not in findings[0].message  # masked output would garble it


def test_key_missing_only_for_langdock_without_auth_header() -> None:
    """A Langdock entry needs a key or an auth header; other entries may go without."""
    bare = model()
    assert found(rules_secrets.api_keys, json_doc({"models": [bare]})) == [
        ("key-missing", "/models/0/apiKey")
    ]
    header = model(requestOptions={"headers": {"Authorization": f"Bearer {KEY}"}})
    assert found(rules_secrets.api_keys, json_doc({"models": [header]})) == []
    top = {"requestOptions": {"headers": {"X-Api-Key": KEY}}, "models": [bare]}
    assert found(rules_secrets.api_keys, json_doc(top)) == []
    local = {"title": "l", "provider": "ollama", "model": "m"}
    assert found(rules_secrets.api_keys, json_doc({"models": [local]})) == []


# --- headers --------------------------------------------------------------------------------


def test_headers() -> None:
    """Header names must be HTTP tokens and values ASCII without control characters (a tab,
    and spaces around the value, are fine), as Continue's fetch requires; auth headers must
    hold a real key. Advice for a key is to copy it again, for any other header to edit it."""
    options = {
        "headers": {
            "Authorization": "Bearer <YOUR_KEY>",
            "x-api-key": "",
            "X-Team": "café",
            "Ünicode": "x",
            "api-key": KEY,
            "authorization": "Bearer ${{ secrets.K }}",
            "X-Line": "one\ntwo",
            "X-Tab": "one\ttwo",
            "X-Spaced": " one ",
            "X Team": "a",
        }
    }
    document = yaml_doc(model(apiKey=KEY, requestOptions=options))
    base = "/models/0/requestOptions/headers/"
    assert found(rules_secrets.headers, document) == [
        ("placeholder-key", base + "Authorization"),
        ("key-empty", base + "x-api-key"),
        ("key-non-ascii", base + "X-Team"),
        ("key-non-ascii", base + "Ünicode"),
        ("key-control", base + "X-Line"),
        ("header-name", base + "X Team"),
    ]
    hints = {f.pointer[len(base):]: f.hint for f in rules_secrets.headers(document, RuleContext())}
    assert hints["X-Line"] == hints["X-Team"] == HEADER_HINT
    assert hints["Authorization"] != HEADER_HINT


# --- references -----------------------------------------------------------------------------


def test_unresolved_yaml_secrets_anywhere() -> None:
    """Every ${{ secrets.NAME }} must resolve, wherever it is written."""
    options = {"headers": {"X-A": "${{ secrets.A }}-${{ secrets.B }}"}}
    document = yaml_doc(
        model(apiKey="${{ secrets.K }}", requestOptions=options), rules=["${{ inputs.STYLE }}"]
    )
    assert found(rules_secrets.references, document, dotenv={"A": "1"}) == [
        ("secret-unresolved", "/models/0/apiKey"),
        ("secret-unresolved", "/models/0/requestOptions/headers/X-A"),
    ]
    assert (
        found(rules_secrets.references, document, dotenv={"A": "1", "K": KEY}, environ={"B": "2"})
        == []
    )
    finding = next(
        iter(
            rules_secrets.references(
                document, RuleContext(config_dir=Path("/cfg"), dotenv={"A": "1"})
            )
        )
    )
    assert "/cfg/.env" in finding.message and finding.hint.startswith("Add K=<value>")


def test_json_has_no_secrets_syntax() -> None:
    """config.json sends ${{ secrets.X }} as text, even when X is set."""
    document = json_doc({"models": [model(apiKey="${{ secrets.K }}")]})
    assert found(rules_secrets.references, document, environ={"K": KEY}) == [
        ("secret-unresolved", "/models/0/apiKey")
    ]


def test_json_env_names_must_resolve_where_used() -> None:
    """An env name is reported where it is used, not in the env list itself."""
    data = {
        "env": ["A", "B"],
        "models": [model(apiKey="A"), model(apiKey="B")],
        "systemMessage": "A",
    }
    assert found(rules_secrets.references, json_doc(data), environ={"B": KEY}) == [
        ("env-unresolved", "/models/0/apiKey"),
        ("env-unresolved", "/systemMessage"),
    ]


def test_secret_values_for_the_redactor() -> None:
    """Everything secret a document holds or references is masked: values under secret
    names from parsing on, header values and what references resolve to by the rules."""
    data = {
        "env": ["A"],
        "userToken": "tok-123456",
        "models": [
            model(
                apiKey="A",
                requestOptions={
                    "headers": {"Authorization": "Bearer hdr-123456", "X-Other": "other-123456"}
                },
            )
        ],
    }
    document = json_doc(data)
    assert redact.redact("tok-123456 A") == f"{redact.MASK} A"  # parsing registered it
    values = rules_secrets.secret_values(document, RuleContext(dotenv={"A": "env-123456"}))
    assert set(values) >= {
        "Bearer hdr-123456",
        "hdr-123456",
        "other-123456",
        "env-123456",
    }
    assert "A" not in values
    document = yaml_doc(model(apiKey="${{ secrets.S }}"))
    assert "sec-123456" in rules_secrets.secret_values(
        document, RuleContext(environ={"S": "sec-123456"})
    )


# --- file modes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "mode", "flagged"),
    [
        (KEY, 0o100600, False),
        (KEY, 0o100644, True),
        (KEY, 0o100640, True),
        (KEY, 0o100606, True),
        ("<YOUR_LANGDOCK_API_KEY>", 0o100644, False),
        ("${{ secrets.K }}", 0o100644, False),
        (KEY, None, False),
    ],
)
def test_config_mode(key: str, mode: int | None, flagged: bool) -> None:
    """A config holding a real key must not be readable by others (mode known on POSIX only)."""
    findings = list(
        rules_secrets.file_modes(
            yaml_doc(model(apiKey=key)), RuleContext(path=Path("c.yaml"), file_mode=mode)
        )
    )
    assert [f.code for f in findings] == (["file-mode-open"] if flagged else [])
    if flagged:
        assert f"mode {mode & 0o777:04o}" in findings[0].message  # type: ignore[operator]


def test_dotenv_mode_only_when_the_config_uses_it() -> None:
    """An open .env is reported when the config takes a key from it."""
    uses = yaml_doc(model(apiKey="${{ secrets.K }}"))
    ctx = {"dotenv": {"K": KEY}, "dotenv_mode": 0o100644, "config_dir": Path("/cfg")}
    findings = list(rules_secrets.file_modes(uses, RuleContext(**ctx)))
    assert [f.code for f in findings] == ["file-mode-open"]
    assert "/cfg/.env" in findings[0].message and "0644" in findings[0].message
    assert found(rules_secrets.file_modes, yaml_doc(model(apiKey=KEY)), **ctx) == []
    json_uses = json_doc({"env": ["K"], "models": [model(apiKey="K")]})
    assert found(rules_secrets.file_modes, json_uses, **ctx) == [("file-mode-open", "")]
    assert found(rules_secrets.file_modes, uses, **{**ctx, "dotenv_mode": 0o100600}) == []


# --- TLS ------------------------------------------------------------------------------------


def test_verify_ssl(tmp_path: Path) -> None:
    """verifySsl: false warns where it is written; true says nothing."""
    data = {
        "requestOptions": {"verifySsl": True},
        "models": [model(requestOptions={"verifySsl": False})],
    }
    assert found(rules_secrets.tls, json_doc(data)) == [
        ("verify-ssl-disabled", "/models/0/requestOptions/verifySsl")
    ]


def test_ca_bundle_paths(tmp_path: Path) -> None:
    """caBundlePath entries must be absolute paths that exist; data: URIs are taken as they are."""
    bundle = tmp_path / "ca.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n")
    paths = [
        str(bundle),
        str(tmp_path / "missing.pem"),
        "ca.pem",
        "~/ca.pem",
        "data:text/plain;base64,AAAA",
        "",
    ]
    data = {
        "requestOptions": {"caBundlePath": str(tmp_path / "gone.pem")},
        "models": [model(requestOptions={"caBundlePath": paths})],
    }
    base = "/models/0/requestOptions/caBundlePath"
    assert found(rules_secrets.tls, json_doc(data)) == [
        ("ca-bundle-missing", "/requestOptions/caBundlePath"),
        ("ca-bundle-missing", f"{base}/1"),
        ("ca-bundle-relative", f"{base}/2"),
        ("ca-bundle-relative", f"{base}/3"),
    ]


def test_windows_paths_are_not_checked_on_posix() -> None:
    """A Windows path cannot be checked from a POSIX machine (and the reverse): no finding."""
    import os

    if os.name != "posix":
        pytest.skip("checks the POSIX side")
    data = {"models": [model(requestOptions={"caBundlePath": "C:/certs/ca.pem"})]}
    assert found(rules_secrets.tls, json_doc(data)) == []

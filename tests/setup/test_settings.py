"""Checking init's inputs: base URLs, regions, keys."""

from __future__ import annotations

import pytest

from continue_setup.config.keys import check_key, key_problem
from continue_setup.errors import ExitCode, UsageError
from continue_setup.setup.settings import PUBLIC_BASE, check_region, normalize_base_url


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (None, PUBLIC_BASE),
        ("", PUBLIC_BASE),
        ("https://api.langdock.com/", PUBLIC_BASE),
        ("https://acme.langdock.com/api/public/", "https://acme.langdock.com/api/public"),
        ("https://acme.langdock.com/api/public//", "https://acme.langdock.com/api/public"),
        ("https://ACME.langdock.com//api//public", "https://acme.langdock.com/api/public"),
        ("https://acme.langdock.com", "https://acme.langdock.com/api/public"),
        ("http://127.0.0.1:8080/", "http://127.0.0.1:8080"),
        ("http://localhost:9000/gw/", "http://localhost:9000/gw"),
        ("http://[::1]:9000", "http://[::1]:9000"),
    ],
)
def test_base_url_is_normalised(given: str | None, expected: str) -> None:
    """Trailing and doubled slashes go; a bare deployment host gets /api/public."""
    assert normalize_base_url(given)[0] == expected


def test_bare_deployment_host_is_noted() -> None:
    """Adding /api/public to a deployment URL is reported, not silent."""
    _, notes = normalize_base_url("https://acme.langdock.com")
    assert notes and "/api/public" in notes[0]


@pytest.mark.parametrize(
    ("given", "fragment"),
    [
        ("http://acme.langdock.com/api/public", "plain http"),
        ("ftp://acme.langdock.com", "not an http(s) URL"),
        ("acme.langdock.com", "not an http(s) URL"),
        ("https://acme.langdock.com/api/public/openai/eu/v1", "already contains the route"),
        ("https://acme.langdock.com/api/public?x=1", "query"),
        ("https://user:pw@acme.langdock.com", "credentials"),
        ("https://acme.langdock.com:99999", "not a valid URL"),
    ],
)
def test_bad_base_urls_are_refused(given: str, fragment: str) -> None:
    """Unsafe or malformed base URLs are usage errors that say what is wrong."""
    with pytest.raises(UsageError) as caught:
        normalize_base_url(given)
    assert fragment in caught.value.message
    assert caught.value.exit_code == ExitCode.USAGE


def test_unknown_region_lists_valid_ones() -> None:
    """An unknown region is refused with the list of valid regions."""
    with pytest.raises(UsageError) as caught:
        check_region("asia")
    assert "eu, us" in caught.value.hint
    assert check_region(" US ") == "us"


def test_key_is_stripped() -> None:
    """Surrounding whitespace and a trailing newline are stripped from the key."""
    assert check_key("  sk-ld-abcdef123\n", "stdin").reveal() == "sk-ld-abcdef123"


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("", "empty"),
        ("  \n", "empty"),
        ("sk-ld abc123", "whitespace"),
        ("sk-ld-äbc123", "non-ASCII"),
        ("<YOUR_LANGDOCK_API_KEY>", "placeholder"),
        ("YOUR_API_KEY", "placeholder"),
    ],
)
def test_bad_keys_are_refused_without_echo(value: str, fragment: str) -> None:
    """Unusable keys are refused, and the message never contains the key itself."""
    with pytest.raises(UsageError) as caught:
        check_key(value, "LANGDOCK_API_KEY")
    assert fragment in caught.value.message
    if value.strip():
        assert value.strip() not in caught.value.message + caught.value.hint


@pytest.mark.parametrize(
    "value", ["", "<YOUR LANGDOCK KEY>", "sk-ld abc123", "sk-ld-äbc123", "changeme"]
)
def test_init_and_validate_give_the_same_reason_for_a_bad_key(value: str) -> None:
    """The key init refuses and the finding validate reports name one reason, in one order
    (a placeholder with a space in it is a placeholder)."""
    problem = key_problem(value)
    assert problem is not None
    with pytest.raises(UsageError) as caught:
        check_key(value, "stdin")
    assert caught.value.message == f"the API key from stdin {problem[1]}"


def test_secret_never_shows_itself() -> None:
    """str() and repr() of a key are masked."""
    key = check_key("sk-ld-abcdef123456", "env")
    assert "abcdef" not in str(key) + repr(key) + f"{key}"

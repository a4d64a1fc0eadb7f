"""URLs are taken apart exactly as urllib.parse.urlsplit does, plain ones without loading it."""

from __future__ import annotations

import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from continue_setup.config.urls import split

EXAMPLES = [
    "https://api.langdock.com/openai/eu/v1",
    "HTTPS://API.Langdock.COM/anthropic/us/v1/",
    "http://127.0.0.1:8080/mistral/eu/v1",
    "https://ld.example.com:/api/public/openai/eu/v1",
    "https://ld.example.com/api/public//openai/eu/v1",
    "https://host",
    "https://host/",
    "svn+ssh://host/path",
    "https://user:pw@host/v1",
    "https://host/v1?x=1#top",
    "https://[::1]:8080/v1",
    "https://[::1/v1",
    "https://hôst.example/v1",
    "https://host/a%20b",
    "https://host:port/v1",
    " https://host/v1",
    "https://ho\tst/v1",
    "//host/v1",
    "host/v1",
    "api.langdock.com:443/openai/eu/v1",
    "1https://host/v1",
    "",
    "https:/host/v1",
    "https://host\\v1",
]


def _expected(url: str) -> tuple[str, str, str, str | None] | str:
    try:
        parts = urlsplit(url)
    except ValueError as e:
        return f"ValueError: {e}"
    return parts.scheme, parts.netloc, parts.path, parts.hostname


def _ours(url: str) -> tuple[str, str, str, str | None] | str:
    try:
        return tuple(split(url))  # type: ignore[return-value]
    except ValueError as e:
        return f"ValueError: {e}"


@pytest.mark.parametrize("url", EXAMPLES)
def test_split_matches_urlsplit(url: str) -> None:
    """Scheme, netloc, path and hostname are urlsplit's, and a URL it refuses is refused."""
    assert _ours(url) == _expected(url)


URL_TEXT = st.text(alphabet="ahHT:/.@[]%?#-_+~0189 \t\\é", max_size=40)


@settings(max_examples=400, deadline=None)
@given(st.one_of(URL_TEXT, st.builds(lambda s, h, rest: f"{s}://{h}{rest}",
                                     st.sampled_from(["http", "HTTPS", "a+b.c-d", "1x"]),
                                     URL_TEXT, URL_TEXT)))
def test_split_matches_urlsplit_on_any_text(url: str) -> None:
    """Whatever the text, the answer is urlsplit's."""
    assert _ours(url) == _expected(url)


def test_a_plain_url_does_not_load_urllib() -> None:
    """A plain https URL is taken apart without importing urllib.parse (nor ipaddress); an
    unusual one loads it and gets its answer."""
    probe = ("import sys; from continue_setup.config.urls import split;"
             "split(sys.argv[1]); print('urllib.parse' in sys.modules, 'ipaddress' in sys.modules)")

    def loads(url: str) -> str:
        return subprocess.run([sys.executable, "-c", probe, url], capture_output=True, text=True,
                              timeout=60, check=True).stdout.strip()

    assert loads("https://api.langdock.com/openai/eu/v1") == "False False"
    assert loads("https://user@host/v1") == "True True"

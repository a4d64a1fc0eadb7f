"""One place that knows every secret seen in this process and masks it in any text."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import lru_cache

MASK = "********"
# Values that look like keys but are placeholders or references: masking them would hide the
# very thing a finding is about, and they are not secrets.
# Env-var references are left to the caller, which knows whether a name is one.
_NOT_SECRET = re.compile(r"^(\$\{\{.*\}\}|<[^>]*>|\*+)$")
_MIN_LENGTH = 4  # shorter values would mask ordinary words in every message

_registered: set[str] = set()  # values as given
_secrets: set[str] = set()  # and the forms they take in JSON and YAML text
_pattern: re.Pattern[str] | None = None  # built on first use after a change


def register(value: str | None) -> None:
    """Remember ``value`` as a secret, with the escaped forms it takes in JSON, YAML and
    Python's repr."""
    global _pattern
    if not value or value in _registered:
        return
    _registered.add(value)
    if len(value) < _MIN_LENGTH or _NOT_SECRET.match(value):
        return
    forms = {value, json.dumps(value)[1:-1], value.replace("'", "''"), _yaml_double(value),
             *_python_reprs(value)}
    if not forms <= _secrets:
        _secrets.update(forms)
        _pattern = None


def _python_reprs(value: str) -> tuple[str, ...]:
    """Return how ``value`` reads inside Python's repr of it as text and as bytes, which is
    how an error quotes a value it refuses (h11: "Illegal header value b'...\\x00...'")."""
    forms = [repr(value)[1:-1]]
    for encoding in ("ascii", "latin-1", "utf-8"):
        try:
            forms.append(repr(value.encode(encoding))[2:-1])
        except UnicodeEncodeError:
            continue
    return tuple(forms)


# How a YAML double-quoted scalar (ruamel's emitter) escapes a character; anything else not
# printable becomes \xXX, \uXXXX or \UXXXXXXXX. A key with DEL in it is dumped as "...\x7F...".
_YAML_ESCAPES = {"\0": "0", "\x07": "a", "\x08": "b", "\t": "t", "\n": "n", "\x0b": "v",
                 "\x0c": "f", "\r": "r", "\x1b": "e", '"': '"', "\\": "\\", "\x85": "N",
                 "\xa0": "_", "\u2028": "L", "\u2029": "P"}


def _yaml_printable(ch: str) -> bool:
    return ch not in '"\\\x85\u2028\u2029\ufeff' and (
        "\x20" <= ch <= "\x7e" or "\xa0" <= ch <= "\ud7ff" or "\ue000" <= ch <= "\ufffd"
        or "\U00010000" <= ch <= "\U0010ffff")


def _yaml_double(value: str) -> str:
    """Return ``value`` as it reads inside a YAML double-quoted scalar."""
    if all(_yaml_printable(ch) for ch in value):
        return value
    out = []
    for ch in value:
        if _yaml_printable(ch):
            out.append(ch)
        elif ch in _YAML_ESCAPES:
            out.append("\\" + _YAML_ESCAPES[ch])
        elif ch <= "\xff":
            out.append(f"\\x{ord(ch):02X}")
        elif ch <= "\uffff":
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(f"\\U{ord(ch):08X}")
    return "".join(out)


def known() -> frozenset[str]:
    """Return every value registered so far, as given."""
    return frozenset(_registered)


def register_all(values: Iterable[str | None]) -> None:
    """Register every value of ``values``."""
    for value in values:
        register(value)


# Key names whose values are secrets, wherever they sit in a config.
_SENSITIVE_NAME = re.compile(
    r"(api[_-]?key|token|secret|password|passphrase|authorization|credential|private[_-]?key"
    r"|client[_-]?key|access[_-]?key)",
    re.IGNORECASE,
)
_BEARER = re.compile(r"(?i)bearer\s+")


def without_bearer(value: str) -> str:
    """Return the token an auth value carries: ``value`` without a leading "Bearer "."""
    bearer = _BEARER.match(value)
    return value[bearer.end() :] if bearer else value


# The password in scheme://user:password@host (a proxy, a base URL): masked, the rest kept.
# Compiled on first use (re's own cache): few texts hold a URL with a password.
_URL_USERINFO = r"[A-Za-z][A-Za-z0-9+.-]*://[^/?#@\s:]*:([^/?#@\s]+)@"


def register_url_passwords(text: str) -> None:
    """Register the password of every ``scheme://user:password@host`` in ``text``."""
    if "@" in text and "://" in text:
        register_all(m.group(1) for m in re.finditer(_URL_USERINFO, text))


def register_named(
    items: Iterable[tuple[str, str, object]], *, references: Iterable[str] = ()
) -> None:
    """Register every text of ``items`` (key name, text, under a headers object) that is a
    secret: held under a secret-sounding key, any header value whatever the header's name
    (Ocp-Apim-Subscription-Key, X-Acme-Auth ...), and any password in a URL.

    ``references`` are names of config.json ``env`` entries: those values are references to
    a secret, not secrets, and stay readable.
    """
    skip = set(references)
    for key, value, in_headers in items:
        if value in skip:
            continue
        if in_headers is True or (key and _sensitive(key)):  # the name: cached
            register(without_bearer(value).strip())
        register_url_passwords(value)


@lru_cache(maxsize=4096)  # configs use the same few dozen key names over and over
def _sensitive(key: str) -> bool:
    return _SENSITIVE_NAME.search(key) is not None


def redact(text: str) -> str:
    """Return ``text`` with every registered secret replaced by a mask."""
    global _pattern
    if not _secrets or not text:
        return text
    if _pattern is None:
        longest_first = sorted(_secrets, key=len, reverse=True)
        _pattern = re.compile("|".join(re.escape(s) for s in longest_first))
    return _pattern.sub(MASK, text)


_DOTENV_ASSIGNMENT = r"^(\s*(?:export\s+)?[\w.-]+\s*(?:=|:\s))(.*)$"  # compiled on first use


def mask_dotenv_line(line: str) -> str:
    """Return a ``.env`` line with its value masked: every value there may be a secret."""
    body = line.rstrip("\r\n")
    match = re.match(_DOTENV_ASSIGNMENT, body)
    if match is None or not match.group(2).strip():
        return line
    return match.group(1) + MASK + line[len(body) :]


def forget_all() -> None:
    """Forget every secret (tests start each case clean)."""
    global _pattern
    _registered.clear()
    _secrets.clear()
    _pattern = None

"""The API key: a secret type, input checks, ``.env`` files, and what Continue would send."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Collection, Mapping

from continue_setup.config import reading, redact
from continue_setup.config.entries import AUTH_HEADERS, SECRET_REFERENCE, Entry, env_names
from continue_setup.errors import InputError, UsageError
from continue_setup.records import NamedTuple

TYPE_CHECKING = False  # pathlib stays unimported on validate's path (issue 18)
if TYPE_CHECKING:
    from pathlib import Path

    from continue_setup.config.paths import StrPath

KEY_ENV = "LANGDOCK_API_KEY"
YAML_REFERENCE = "${{ secrets." + KEY_ENV + " }}"
PLACEHOLDERS = re.compile(
    r"^(<[^>]*>|your[_-]?(langdock[_-]?)?api[_-]?key|xxx+|sk-\.\.\.|changeme|todo|replace[_-]?me)$",
    re.IGNORECASE,
)
# Continue substitutes ${{ secrets.NAME }} as text before parsing the YAML: only a value that
# is a plain YAML scalar on its own survives that unchanged.
_PLAIN_YAML = r"[A-Za-z0-9_][A-Za-z0-9_\-.~+/=]*"  # compiled on first use: only init needs it


def substitutes_safely(value: str) -> bool:
    """Tell whether ``value`` can stand in for ``${{ secrets.NAME }}`` without breaking YAML."""
    return re.fullmatch(_PLAIN_YAML, value) is not None


WAYS_TO_GIVE = (
    f"set {KEY_ENV} in the environment, pipe it with --api-key-stdin, "
    "or name a file holding it with --api-key-file"
)


class Secret:
    """A string that never shows itself: ``str()`` and ``repr()`` are masked."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value
        redact.register(value)

    def reveal(self) -> str:
        """Return the real value, for the one place that writes or sends it."""
        return self._value

    def __repr__(self) -> str:
        return f"Secret({redact.MASK!r})"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


_WHITESPACE = re.compile(r"\s")  # what str.isspace() calls whitespace, found in C
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # C0, DEL and C1: no header may carry them


def key_problem(value: str) -> tuple[str, str] | None:
    """Return the finding code and the words for the first reason ``value`` cannot work as a
    key, or None. The words follow the key's description ("the apiKey" ...), never its value.
    """
    stripped = value.strip()
    if not stripped:
        return "key-empty", "is empty"
    if PLACEHOLDERS.match(stripped):
        return "placeholder-key", "is a placeholder, not a key"
    if _WHITESPACE.search(value):
        return "key-whitespace", "contains whitespace"
    if _CONTROL.search(value):
        return "key-control", "contains control characters"
    if not value.isascii():
        return "key-non-ascii", "contains non-ASCII characters"
    return None


# The advice for a header other than a key's: the key hints say to copy the key again.
HEADER_HINT = ("Edit that header in requestOptions.headers: headers carry printable ASCII "
               "only, and Continue refuses to send a request with anything else in one.")
# What Node's http module takes as a header name (an HTTP token; else ERR_INVALID_HTTP_TOKEN).
# Compiled on first use: only a config with requestOptions.headers needs it.
_HEADER_NAME = r"[-!#$%&'*+.^_`|~0-9A-Za-z]+"


def header_problem(name: str, value: str) -> tuple[str, str, str | None] | None:
    """Return the finding code, the words and the advice (None: the code's own) for a
    requestOptions header Continue cannot send as written, or None. The words name the
    header, never its value.

    Continue's fetch throws before sending anything on what Node's http module refuses: a
    name that is not an HTTP token, a value with control characters but tab. An
    Authorization, x-api-key or api-key header holds a key, and is checked as one.
    """
    own = name.lower() in AUTH_HEADERS
    if not (name.isascii() and value.isascii()):
        return ("key-non-ascii", f"the header '{name}' contains non-ASCII characters",
                None if own else HEADER_HINT)
    if re.fullmatch(_HEADER_NAME, name) is None:
        return "header-name", f"the header name '{name}' is not an HTTP token", None
    if own:
        problem = None if "${{" in value else key_problem(redact.without_bearer(value))
        return None if problem is None else (
            problem[0], f"the key in the header '{name}' {problem[1]}", None)
    if _CONTROL.search(value.replace("\t", "")):
        return "key-control", f"the header '{name}' contains control characters", HEADER_HINT
    return None


_KEY_HINTS = {
    "key-empty": f"To give the key, {WAYS_TO_GIVE}.",
    "placeholder-key": "Create a key in Langdock (Workspace settings > API) and give that.",
    "key-whitespace": "Copy the key again from Langdock (Workspace settings > API); it has no "
    "spaces.",
    "key-non-ascii": "HTTP headers carry ASCII only; copy the key again from Langdock.",
    "key-control": "A key holds letters, digits and - _ only; copy it again from Langdock.",
}


def check_key(value: str, source: str) -> Secret:
    """Strip surrounding whitespace and refuse keys Continue or Langdock cannot use."""
    key = value.strip()
    redact.register(key)
    problem = key_problem(key)
    if problem is not None:
        code, words = problem
        raise UsageError(f"the API key from {source} {words}", hint=_KEY_HINTS[code])
    return Secret(key)


def read_key(
    *, env: Mapping[str, str], stdin_text: str | None = None, file: StrPath | None = None
) -> Secret | None:
    """Return the key from stdin, a file or the environment (in that order), or None."""
    if stdin_text is not None:
        return check_key(stdin_text, "standard input")
    if file is not None:
        text = reading.read_text_capped(file, limit=reading.KEY_FILE_MAX_BYTES, what="key file")
        return check_key(text, f"the file {file}")
    if env.get(KEY_ENV):
        return check_key(env[KEY_ENV], KEY_ENV)
    return None


# --- .env files, as Continue reads them (the dotenv npm package) --------------------------

# Compiled on first use (the re module caches it): most runs read no .env. Quoted values
# are "unrolled" (no alternation per character), so a long value costs no backtracking memory.
_DOTENV_LINE = (
    r"(?m)^\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'[^'\\]*(?:\\'?[^'\\]*)*'"
    r"|\s*\"[^\"\\]*(?:\\\"?[^\"\\]*)*\"|\s*`[^`\\]*(?:\\`?[^`\\]*)*`|[^#\r\n]+)?\s*(?:#.*)?$"
)


def open_to_others(mode: int) -> bool:
    """Tell whether a file of ``mode`` (holding a key) may be read by its group or others."""
    return stat.S_IMODE(mode) & 0o077 != 0


def parse_dotenv(text: str) -> dict[str, str]:
    """Parse a ``.env`` file the way the dotenv package does."""
    result: dict[str, str] = {}
    if not text or text.isspace():
        return result  # no .env (or a blank one): the pattern need not be compiled
    for match in re.finditer(_DOTENV_LINE, text.replace("\r\n", "\n")):
        value = (match.group(2) or "").strip()
        quote = value[:1]
        if len(value) >= 2 and quote in "'\"`" and value.endswith(quote):
            value = value[1:-1]
            if quote == '"':
                value = value.replace("\\n", "\n").replace("\\r", "\r")
        result[match.group(1)] = value
    return result


def dotenv_quote(value: str) -> str:
    """Quote ``value`` so that dotenv reads it back unchanged."""
    if re.fullmatch(r"[A-Za-z0-9_\-.~+/=:@%,]+", value):
        return value
    if "'" not in value:
        return f"'{value}'"
    if "`" not in value:
        return f"`{value}`"
    if '"' not in value and "\\n" not in value and "\\r" not in value:
        return f'"{value}"'
    raise UsageError(
        "the API key mixes quote characters that a .env file cannot hold",
        hint="Use --key-storage inline.",
    )


def set_dotenv(text: str, name: str, value: str) -> str:
    """Return ``.env`` text with ``name`` set to ``value``, other lines untouched."""
    line = f"{name}={dotenv_quote(value)}"
    pattern = re.compile(rf"^[ \t]*(?:export[ \t]+)?{re.escape(name)}[ \t]*[=:].*$", re.MULTILINE)
    if pattern.search(text):
        return pattern.sub(lambda _: line, text, count=1)
    if text and not text.endswith("\n"):
        text += "\n"
    return f"{text}{line}\n"


def read_dotenv(path: StrPath) -> dict[str, str]:
    """Return the variables of the ``.env`` at ``path`` (empty when there is none).

    A missing or unreadable ``.env`` is empty, as Continue takes it; one that is not a regular
    file, or is over ``reading.DOTENV_MAX_BYTES``, is refused with an ``InputError``.
    """
    try:
        return parse_dotenv(read_dotenv_text(path))
    except reading.RefusedFile:
        raise
    except InputError:
        return {}


def read_dotenv_text(path: StrPath) -> str:
    """Return the text of the ``.env`` at ``path``: a regular file, under the size cap."""
    return reading.read_text_capped(path, limit=reading.DOTENV_MAX_BYTES, what=".env file")


# --- what Continue would send -------------------------------------------------------------


def lookup(name: str, *, dotenv: Mapping[str, str], environ: Mapping[str, str]) -> str | None:
    """Return what Continue substitutes for ``name``: the .env's value, else the environment's.

    Continue merges ``{...process.env, ...dotenv}`` (core/config/load.ts), so .env wins.
    """
    return dotenv.get(name, environ.get(name))


class ResolvedKey(NamedTuple):
    """The key an entry sends, and how it got it; ``value`` is None when it resolves nowhere."""

    value: str | None
    source: str  # "inline", "secret", "env", "missing"
    reference: str | None = None


def resolve_key(
    entry: Entry, *, env_list: list[str], dotenv: Mapping[str, str], environ: Mapping[str, str]
) -> ResolvedKey:
    """Resolve an entry's ``apiKey`` as Continue does: secrets, env names, or the literal."""
    raw = entry.api_key
    if raw is None:
        return ResolvedKey(None, "missing")
    if entry.format == "yaml":
        match = SECRET_REFERENCE.fullmatch(raw.strip())
        if match:
            name = match.group(1)
            value = lookup(name, dotenv=dotenv, environ=environ)
            redact.register(value)
            return ResolvedKey(value, "secret", name)
    elif raw in env_list:
        value = lookup(raw, dotenv=dotenv, environ=environ)  # config.json: .env wins too
        redact.register(value)
        return ResolvedKey(value, "env", raw)
    redact.register(raw)
    return ResolvedKey(raw, "inline")


def substitute(
    text: str,
    *,
    fmt: str,
    env_list: Collection[str],
    dotenv: Mapping[str, str],
    environ: Mapping[str, str],
) -> str:
    """Return ``text`` as Continue sends it, its references replaced where they resolve.

    config.yaml: each ``${{ secrets.NAME }}`` in the text (Continue substitutes the file's
    text before parsing it); config.json: a text that is exactly a name its 'env' lists.
    A reference that resolves nowhere stays as written, as Continue leaves it. Every value
    put in is registered as a secret.
    """

    def value_of(name: str) -> str | None:
        value = lookup(name, dotenv=dotenv, environ=environ)
        redact.register(value)
        return value

    if fmt == "yaml":
        if "${{" not in text:
            return text

        def fill(match: re.Match[str]) -> str:
            value = value_of(match.group(1))
            return value if value is not None else match.group(0)

        return SECRET_REFERENCE.sub(fill, text)
    if text in env_list:
        value = value_of(text)
        return value if value is not None else text
    return text


def lookup_tables(
    config_dir: Path, environ: Mapping[str, str] | None = None
) -> tuple[dict[str, str], Mapping[str, str]]:
    """Return the ``.env`` variables of ``config_dir`` and the process environment."""
    return read_dotenv(config_dir / ".env"), os.environ if environ is None else environ


__all__ = [
    "KEY_ENV",
    "YAML_REFERENCE",
    "ResolvedKey",
    "Secret",
    "check_key",
    "env_names",
    "key_problem",
    "parse_dotenv",
    "read_key",
    "resolve_key",
    "set_dotenv",
    "substitute",
]

"""Rules on keys, secrets and TLS: what Continue would really send, and who can read it.

Messages never contain a key: they say "the apiKey", never its value.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator

from continue_setup.check.findings import Finding
from continue_setup.check.rules.codes import RuleContext, child, issue
from continue_setup.config.entries import (
    SECRET_REFERENCE,
    model_entries,
    sends_own_auth,
)
from continue_setup.config.keys import (
    PLACEHOLDERS,
    env_names,
    header_problem,
    key_problem,
    lookup,
    open_to_others,
    resolve_key,
)
from continue_setup.config.parsing import Document
from continue_setup.config.redact import without_bearer

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import Any

# A value that reads like a variable's name: config.json sends it as it is unless 'env' lists it.
_VARIABLE_NAME = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")


def request_options(doc: Document) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield every requestOptions object where it is written: top level, then per entry."""
    data = doc.data if isinstance(doc.data, dict) else {}
    if isinstance(data.get("requestOptions"), dict):
        yield "/requestOptions", data["requestOptions"]
    for entry in model_entries(doc):
        own = entry.raw.get("requestOptions")
        if isinstance(own, dict):
            yield child(entry.pointer, "requestOptions"), own


def _lookup(name: str, ctx: RuleContext) -> str | None:
    return lookup(name, dotenv=ctx.dotenv, environ=ctx.environ)


def api_keys(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """Check the key each entry would send, after Continue's secrets and env substitution."""
    env_list = env_names(doc)
    for entry in model_entries(doc):
        raw = entry.raw.get("apiKey")
        if raw is None:
            if entry.langdock is not None and not sends_own_auth(entry.request_options):
                where = child(entry.pointer, "apiKey")
                yield issue("key-missing", where, "the Langdock entry has no apiKey")
            continue
        if not isinstance(raw, str) or (
            "${{" in raw and doc.format == "yaml" and not SECRET_REFERENCE.fullmatch(raw.strip())
        ):
            continue  # the schema reports wrong types; partial references: secret-unresolved
        resolved = resolve_key(entry, env_list=env_list, dotenv=ctx.dotenv, environ=ctx.environ)
        if resolved.value is None:
            continue  # unresolved references are secret-unresolved / env-unresolved findings
        if resolved.source == "inline" and doc.format == "json":
            if "${{" in raw:
                continue
            if _VARIABLE_NAME.fullmatch(raw) and not PLACEHOLDERS.match(raw):
                # Not quoted: parsing registered the value as a possible secret.
                yield issue(
                    "env-unresolved",
                    child(entry.pointer, "apiKey"),
                    "the apiKey reads like a variable's name, but the top-level 'env' list does "
                    "not name it, so Continue sends the name itself",
                    hint=f'List the name in a top-level "env" and set it in {ctx.dotenv_path}.',
                )
                continue
        problem = key_problem(resolved.value)
        if problem is not None:
            code, words = problem
            what = (
                "the apiKey"
                if resolved.source == "inline"
                else f"the apiKey (from {resolved.reference})"
            )
            yield issue(code, child(entry.pointer, "apiKey"), f"{what} {words}")


def headers(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """Header names must be HTTP tokens and values ASCII without control characters, as
    Continue's fetch requires; an Authorization header must hold a real key."""
    for pointer, options in request_options(doc):
        values = options.get("headers")
        if not isinstance(values, dict):
            continue
        for name, value in values.items():
            problem = header_problem(name, value) if isinstance(value, str) else None
            if problem is not None:
                code, words, hint = problem
                yield issue(code, child(pointer, "headers", name), words, hint=hint)


def references(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """``${{ secrets.NAME }}`` and 'env' names that resolve nowhere are sent as they are."""
    env_list = set(env_names(doc))
    if not any("${{" in text or text in env_list for _, text, _ in doc.texts()):
        return  # most configs: no reference at all, so no pointers to work out
    for pointer, _, text in doc.strings():
        if "${{" not in text and text not in env_list:
            continue  # most strings: neither a reference nor an env name
        if doc.format == "json" and pointer.startswith("/env/"):
            continue
        names = SECRET_REFERENCE.findall(text) if "${{" in text else []
        if names and doc.format == "json":
            yield issue(
                "secret-unresolved",
                pointer,
                "config.json does not resolve ${{ secrets.* }}: Continue sends the text itself",
                hint='List the variable in the top-level "env" and write its bare name '
                "here, or move to config.yaml.",
            )
            continue
        missing = [n for n in dict.fromkeys(names) if _lookup(n, ctx) is None]
        if missing:
            yield issue(
                "secret-unresolved",
                pointer,
                f"secret {', '.join(missing)} is set neither "
                f"in {ctx.dotenv_path} nor in the environment: Continue sends the text "
                "${{ secrets." + missing[0] + " }} itself",
                hint=f"Add {missing[0]}=<value> to {ctx.dotenv_path} (mode 0600).",
            )
        if text in env_list and _lookup(text, ctx) is None:
            yield issue(
                "env-unresolved",
                pointer,
                f"'{text}' is listed in 'env' but set neither "
                f"in {ctx.dotenv_path} nor in the environment: Continue sends the name "
                "itself",
                hint=f"Add {text}=<value> to {ctx.dotenv_path} (mode 0600).",
            )


def secret_values(doc: Document, ctx: RuleContext) -> list[str]:
    """Return the secrets the document sends in headers or references, for the redactor.

    Values under secret-sounding keys were registered when the document was parsed
    (``parsing.register_secrets``); these are the ones only the rules know of: every header
    value, and what each ``${{ secrets.NAME }}`` and 'env' name resolves to.
    """
    env_list = set(env_names(doc))
    found: list[str] = []
    for _, text, in_headers in doc.texts():
        named = env_list and text in env_list
        if in_headers:
            if not named:
                found.append(text)
            token = without_bearer(text)
            if token is not text:
                found.append(token.strip())
        if "${{" in text:
            found.extend(_lookup(name, ctx) or "" for name in SECRET_REFERENCE.findall(text))
        if named:
            found.append(_lookup(text, ctx) or "")
    return [value for value in found if value]


def holds_inline_key(doc: Document) -> bool:
    """Tell whether ``doc`` holds a key itself (not a reference or a placeholder)."""
    env_list = set(env_names(doc))
    for key, text, in_headers in doc.texts():
        if (
            (key == "apiKey" or in_headers)
            and text.strip()
            and "${{" not in text
            and text not in env_list
            and not PLACEHOLDERS.match(text.strip())
        ):
            return True
    return False


def _uses_dotenv(doc: Document, ctx: RuleContext) -> bool:
    env_list = set(env_names(doc))
    for _, text, _ in doc.texts():
        names = SECRET_REFERENCE.findall(text) if "${{" in text else []
        if text in env_list:
            names.append(text)
        if any(name in ctx.dotenv for name in names):
            return True
    return False


def file_modes(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """A file holding a key should be 0600; POSIX only (the context has no modes elsewhere)."""
    if ctx.file_mode is not None and open_to_others(ctx.file_mode) and holds_inline_key(doc):
        mode = stat.S_IMODE(ctx.file_mode)
        yield issue(
            "file-mode-open",
            "",
            f"this file holds an API key and other users may read it (mode {mode:04o})",
            hint=f"chmod 600 {ctx.path}",
        )
    if ctx.dotenv_mode is not None and open_to_others(ctx.dotenv_mode) and _uses_dotenv(doc, ctx):
        mode = stat.S_IMODE(ctx.dotenv_mode)
        yield issue(
            "file-mode-open",
            "",
            f"{ctx.dotenv_path}, which holds a key this config "
            f"uses, may be read by other users (mode {mode:04o})",
            hint=f"chmod 600 {ctx.dotenv_path}",
        )


def _windows_absolute(path: str) -> bool:
    """Tell whether Windows takes ``path`` as absolute: it has a drive and a root."""
    if path[:1] == "/" and path[1:2] not in ("/", "\\"):
        return False  # rooted, with no drive: the common POSIX path, decided without pathlib
    from pathlib import PureWindowsPath

    return PureWindowsPath(path).is_absolute()


def _is_absolute(path: str) -> bool:
    return path.startswith("/") or _windows_absolute(path)


_WINDOWS_HOST = os.name == "nt"


def tls(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """verifySsl: false is risky; caBundlePath must be an absolute path that exists."""
    for pointer, options in request_options(doc):
        if options.get("verifySsl") is False:
            yield issue(
                "verify-ssl-disabled",
                child(pointer, "verifySsl"),
                "verifySsl is false: certificates are not checked",
            )
        bundle = options.get("caBundlePath")
        where = child(pointer, "caBundlePath")
        if isinstance(bundle, str):
            items = [(where, bundle)]
        elif isinstance(bundle, list):
            items = [(child(where, i), b) for i, b in enumerate(bundle) if isinstance(b, str)]
        else:
            items = []
        for where, path in items:
            if path.startswith("data:") or not path.strip():
                continue
            if path.startswith("~") or not _is_absolute(path):
                yield issue(
                    "ca-bundle-relative",
                    where,
                    "caBundlePath is not an absolute path"
                    + (" (Continue does not expand ~)" if path.startswith("~") else ""),
                )
            elif _windows_absolute(path) == _WINDOWS_HOST and not os.path.exists(path):
                yield issue(
                    "ca-bundle-missing",
                    where,
                    "caBundlePath names a file that does "
                    "not exist; Continue would ignore it silently",
                )


RULES = (api_keys, headers, references, file_modes, tls)

"""Variable syntax Continue never expands: ``${{ NAME }}`` and ``$NAME`` where
``${{ secrets.NAME }}`` (config.yaml) or an ``env`` name (config.json) was meant.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from continue_setup.check.findings import Finding
from continue_setup.check.rules.codes import RuleContext, issue
from continue_setup.config.parsing import Document

# Compiled on first use (re's own cache): only a config with a dollar sign needs them, and
# compiling a pattern costs about as much as loading a module.
# ${{ NAME }} without a namespace (secrets., inputs., ... are Continue's own).
_BARE_TEMPLATE = r"\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}"
# A whole value that is a shell variable: $NAME or ${NAME}.
_SHELL_VARIABLE = r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))"


def _carries_key(pointer: str) -> bool:
    return pointer.endswith("/apiKey") or "/requestOptions/headers/" in pointer


def _hint(doc: Document, name: str) -> str:
    if doc.format == "yaml":
        return f"Write ${{{{ secrets.{name} }}}} and set {name} in the .env beside the config."
    return f'List "{name}" in the top-level "env" and write "{name}" here.'


def variable_syntax(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """``${{ NAME }}`` anywhere, or ``$NAME`` as a key, reach Langdock as written (401)."""
    if not any("$" in text for _, text, _ in doc.texts()):
        return  # most configs: no dollar sign at all
    for pointer, _, text in doc.strings():
        if "$" not in text:
            continue
        bare = re.search(_BARE_TEMPLATE, text)
        if bare is not None:
            name = bare.group(1)
            yield issue(
                "secret-syntax",
                pointer,
                f"Continue never resolves ${{{{ {name} }}}}: only ${{{{ secrets.{name} }}}} "
                "is a secret, so the text itself is sent",
                hint=_hint(doc, name),
            )
            continue
        shell = re.fullmatch(_SHELL_VARIABLE, text.strip())
        if shell is not None and _carries_key(pointer):
            name = shell.group(1) or shell.group(2)
            yield issue(
                "secret-syntax",
                pointer,
                f"Continue does not expand shell variables: '{text.strip()}' is sent as it is",
                hint=_hint(doc, name),
            )


RULES = (variable_syntax,)

"""YAML syntax errors in our words: what is wrong, where, and what to write instead.

ruamel explains a failure in the parser's terms ("while scanning for the next token found
character '\\t' that cannot start any token"); a person editing config.yaml needs "a tab is
used for indentation". Each known failure maps to a message, a hint and the place to show
(sometimes where the construct began, not where the parser gave up); anything else keeps
the parser's problem, framed as ours.
"""

from __future__ import annotations

import re

from continue_setup.records import NamedTuple

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import Any


class Explained(NamedTuple):
    """A YAML syntax error as we say it, with its 1-based place."""

    message: str
    hint: str
    line: int | None
    column: int | None


def _place(mark: Any) -> tuple[int | None, int | None]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (None, None)


def _tab_in_indent(text: str, line: int | None) -> tuple[int, int] | None:
    """Return the place of a tab in the indentation of ``line`` or the line before it."""
    if line is None:
        return None
    lines = text.splitlines()
    for number in (line, line - 1):
        if 1 <= number <= len(lines):
            content = lines[number - 1]
            indent = content[: len(content) - len(content.lstrip(" \t"))]
            if "\t" in indent:
                return number, indent.index("\t") + 1
    return None


def explain(error: Any, text: str) -> Explained:
    """Return ``error`` (a ruamel ``MarkedYAMLError``) in our words, placed where it helps."""
    problem = str(error.problem or "")
    context = str(error.context or "")
    line, column = _place(error.problem_mark or error.context_mark)
    start_line, start_column = _place(error.context_mark or error.problem_mark)
    tab = _tab_in_indent(text, line)
    if tab is not None or "'\\t'" in problem or "tab character" in problem:
        where_line, where_column = tab or (line, column)
        return Explained(
            "a tab is used for indentation; YAML allows only spaces",
            f"Replace the tab on line {where_line} with spaces, indenting like the lines "
            "around it (two spaces per level).", where_line, where_column)
    if "duplicate key" in problem:
        # Named only when it reads like a key name: a pasted secret as a key stays unsaid.
        key = re.search(r'duplicate key "([A-Za-z_][A-Za-z0-9_.-]{0,40})"', problem)
        name = f"'{key.group(1)}'" if key and not key.group(1).startswith("sk-") else "a key"
        return Explained(f"{name} appears twice in the same mapping; Continue refuses the file",
                         "Keep one of them (merge what both say into it).", line, column)
    if "quoted scalar" in context:
        return Explained(
            "a quoted string is never closed",
            "End the string with the quote it starts with (\" or ').", start_line, start_column)
    if "flow sequence" in context or "flow mapping" in context:
        if "sequence" in context:
            opener, closer, block = "[", "]", "the items one per line as '- item'"
        else:
            opener, closer, block = "{", "}", "the keys one per line as 'key: value'"
        return Explained(f"'{opener}' opened here is never closed",
                         f"Close it with '{closer}', or write {block}.",
                         start_line, start_column)
    if "mapping values are not allowed" in problem:
        return Explained(
            "a ': ' where no new key can start: a value holding ': ', or a line indented "
            "deeper than the keys beside it",
            "Quote a value that contains ': ' (title: \"GPT: fast\"), or indent the line "
            "exactly like the keys beside it.", line, column)
    if "expected <block end>" in problem or "expected <block" in problem:
        return Explained(
            "this line's indentation does not line up with the lines above it",
            "Indent every key of one entry by the same number of spaces; a list item starts "
            "with '- ' and its keys line up after it.", line, column)
    if "could not find expected ':'" in problem:
        return Explained("a line inside a mapping has no 'key: value' colon",
                         "Write it as key: value, or indent it under the key it belongs to.",
                         start_line, start_column)
    if "undefined alias" in problem:
        return Explained("'*' starts a reference to an anchor (&name) defined nowhere above",
                         "Quote the value if it is text that starts with '*' (\"*.py\").",
                         line, column)
    found = re.search(r"found character '(.)' that cannot start any token", problem)
    if found:
        char = found.group(1)
        return Explained(f"'{char}' cannot start a plain YAML value",
                         f"Quote the value: \"{char}...\".", line, column)
    if "another document" in problem or "single document" in problem:
        return Explained("the file holds more than one YAML document ('---')",
                         "Keep one document: Continue reads the file as a single config.",
                         line, column)
    said = " ".join(part for part in (context, problem) if part) or "invalid YAML"
    return Explained(f"not valid YAML here: {said}",
                     "Check the indentation (spaces only), colons and quotes on that line.",
                     line, column)


# A key that is a collection: the explicit-key '?' or a flow collection before its ':'.
_EXPLICIT_KEY = re.compile(r"^[ \t]*(?:-[ \t]+)*(\?)(?=[ \t\r\n]|$)", re.MULTILINE)
_FLOW_KEY = re.compile(r"^[ \t]*(?:-[ \t]+)*([\[{])[^\n]*[\]}][ \t]*:(?:[ \t\r\n]|$)",
                       re.MULTILINE)


def collection_key(text: str) -> Explained:
    """Explain a mapping key that is itself a list or a mapping (ruamel cannot build it).

    Placed at the first '?' explicit key, else the first flow collection used as a key.
    """
    found = _EXPLICIT_KEY.search(text) or _FLOW_KEY.search(text)
    line = column = None
    if found is not None:
        line = text.count("\n", 0, found.start(1)) + 1
        column = found.start(1) - (text.rfind("\n", 0, found.start(1)) + 1) + 1
    return Explained("a key is a list or a mapping; Continue's config keys are plain names",
                     "Write the key as a plain name (quote it if it must hold [ ] or { }), "
                     "and drop any '?' before it.", line, column)

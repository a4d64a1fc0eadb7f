"""Read a Continue config as Continue does (JSONC or YAML) and keep where each value sits."""

from __future__ import annotations

import io
import os
import re
from bisect import bisect_right
from collections.abc import Callable

from continue_setup.config import bounds, jsonc, reading, redact
from continue_setup.config.paths import suffix
from continue_setup.errors import ConfigParseError

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any, Literal, TypeVar

    from continue_setup.config.paths import StrPath
    Format = Literal["json", "yaml"]
    T = TypeVar("T")

_YAML_SUFFIXES = (".yaml", ".yml")
_JSON_SUFFIXES = (".json", ".jsonc")


def format_from_name(path: StrPath) -> Format | None:
    """Tell the format from the file name alone: None for a name that does not say."""
    ending = suffix(path).lower()
    if ending in _YAML_SUFFIXES:
        return "yaml"
    if ending in _JSON_SUFFIXES:
        return "json"
    return None


def guess_format(path: StrPath | None, text: str = "") -> Format:
    """Tell the format from the file name, else from the first significant character."""
    by_name = format_from_name(path) if path is not None else None
    if by_name is not None:
        return by_name
    stripped = text.lstrip("\ufeff \t\r\n")
    return "json" if stripped[:1] in ("{", "[", "/") else "yaml"


class Document:
    """A parsed config: its text, its plain data, and a way to find any pointer in the text.

    Compared by identity: the same text parsed twice is two documents.
    """

    def __init__(self, path: Path | None, format: Format, text: str, data: Any,
                 duplicates: list[str] | None = None, _json: jsonc.Parsed | None = None,
                 _yaml: Any = None, _positions: dict[str, tuple[int, int]] | None = None,
                 _lines: list[int] | None = None) -> None:
        self.path = path
        self.format: Format = format
        self.text = text
        self.data = data
        self.duplicates: list[str] = [] if duplicates is None else duplicates
        self._json = _json
        self._yaml = _yaml
        self._positions = _positions
        self._lines = _lines
        self._derived: dict[Callable[..., Any], Any] = {}

    def __repr__(self) -> str:
        return f"Document(path={self.path!r}, format={self.format!r})"

    @property
    def name(self) -> str:
        return str(self.path) if self.path is not None else "<new>"

    def strings(self) -> list[tuple[str, str, str]]:
        """Return (pointer, key name, text) for every string in ``data``, in document order.

        The key name is the object member's name, or "" for an array item.
        """
        return self.derive(_walk_strings)

    def texts(self) -> list[tuple[str, str, bool]]:
        """Return (key name, text, under a headers object) for every string in ``data``.

        ``strings()`` without pointers or order, for the questions every config is asked
        (which values are secrets, does any text reference one): half the work, since
        building a pointer for each string is most of a walk's cost.
        """
        return self.derive(_walk_texts)

    def derive(self, build: Callable[[Document], T]) -> T:
        """Return ``build(self)``, worked out once per document.

        Rules ask for the same views (the model entries, every string) many times; a
        document's data is never changed after parsing (edits work on copies), so each
        view is computed on first use and kept.
        """
        if build not in self._derived:
            self._derived[build] = build(self)
        result: T = self._derived[build]
        return result

    def locate(self, pointer: str) -> tuple[int | None, int | None]:
        """Return the 1-based line and column of ``pointer`` (its key, for an object member)."""
        if self._json is not None:
            if pointer == "" and not self._json.has_spans:
                # Parsed by the C parser, so no comments: the root starts at the first
                # non-blank character, and the full span scan is not worth running for it.
                offset = len(self.text) - len(self.text.lstrip("\ufeff \t\r\n"))
                line_start = self.text.rfind("\n", 0, offset) + 1
                return self.text.count("\n", 0, offset) + 1, offset - line_start + 1
            span = self._json.spans.get(pointer)
            if span is None:
                return None, None
            return self.line_column(span.key_start if span.key_start >= 0 else span.start)
        if self._yaml is not None:
            if self._positions is None:
                self._positions = {}
                _yaml_positions(self._yaml, "", self._positions)
            position = self._positions.get(pointer)
            if position is None:
                return (1, 1) if pointer == "" else (None, None)
            return position[0] + 1, position[1] + 1
        return None, None

    def line_column(self, offset: int) -> tuple[int, int]:
        """Turn a character offset into a 1-based line and column."""
        if self._lines is None:
            self._lines = jsonc.line_starts(self.text)
        line = bisect_right(self._lines, offset)
        return line, offset - self._lines[line - 1] + 1

    def render(self, new_data: Any) -> str:
        """Return this document's text changed to hold ``new_data``, keeping comments."""
        from continue_setup.config import jsonc_edit  # only edits need it, not a check

        if self.format == "json":
            if self._json is None:
                return jsonc_edit.dumps(new_data)
            return jsonc_edit.patch(self._json, new_data)
        return render_yaml(new_data, self._yaml, self.text)


def _walk_strings(doc: Document) -> list[tuple[str, str, str]]:
    found: list[tuple[str, str, str]] = []
    stack: list[tuple[str, str, Any]] = [("", "", doc.data)]
    while stack:  # a loop, not recursion: nesting depth is the file author's choice
        pointer, key, node = stack.pop()
        if isinstance(node, str):
            found.append((pointer, key, node))
        elif isinstance(node, dict):
            for name, value in reversed(node.items()):
                if isinstance(value, (str, dict, list)):  # numbers and the like hold no text
                    token = name if "~" not in name and "/" not in name else _escaped(name)
                    stack.append((f"{pointer}/{token}", name, value))
        elif isinstance(node, list):
            for index in range(len(node) - 1, -1, -1):
                if isinstance(node[index], (str, dict, list)):
                    stack.append((f"{pointer}/{index}", "", node[index]))
    return found


def _walk_texts(doc: Document) -> list[tuple[str, str, bool]]:
    found: list[tuple[str, str, bool]] = []
    stack: list[tuple[str, Any, bool]] = [("", doc.data, False)]
    while stack:
        key, node, in_headers = stack.pop()
        if isinstance(node, str):
            found.append((key, node, in_headers))
        elif isinstance(node, dict):
            for name, value in node.items():
                if isinstance(value, str):
                    found.append((name, value, in_headers))
                elif isinstance(value, (dict, list)):
                    stack.append((name, value, in_headers or name == "headers"))
        elif isinstance(node, list):
            for value in node:
                if isinstance(value, str):
                    found.append(("", value, in_headers))
                elif isinstance(value, (dict, list)):
                    stack.append(("", value, in_headers))
    return found


_escaped = jsonc.escape_pointer_token


def new_document(fmt: Format, path: Path | None = None) -> Document:
    """Return an empty document of ``fmt`` for a file that does not exist yet."""
    return Document(path=path, format=fmt, text="", data=None)


def read_text(path: StrPath) -> str:
    """Read a config file as UTF-8, turning OS errors into a clear input error."""
    return read_with_stat(path)[0]


def read_with_stat(path: StrPath) -> tuple[str, os.stat_result]:
    """Read a config file as UTF-8 and stat it through the same open file.

    Only a regular file under ``reading.CONFIG_MAX_BYTES`` is read (``InputError`` else).
    """
    raw, info = reading.read_capped(path, limit=reading.CONFIG_MAX_BYTES, what="config file")
    try:
        return raw.decode("utf-8"), info
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        column = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        raise ConfigParseError(
            f"{path}: not UTF-8 text (byte {e.start})",
            path=str(path),
            line=line,
            column=column,
            hint="Save the file as UTF-8.",
        ) from None


def load(path: Path, fmt: Format | None = None) -> Document:
    """Read and parse the config at ``path``."""
    text = read_text(path)
    return parse_text(text, fmt or guess_format(path, text), path)


def parse_text(text: str, fmt: Format, path: Path | None = None) -> Document:
    """Parse ``text`` as Continue would, raising ``ConfigParseError`` with line and column.

    Every key the document holds is registered as a secret, so no output can show it.
    """
    doc = _parse_json(text, path) if fmt == "json" else _parse_yaml(text, path)
    register_secrets(doc)
    return doc


def register_secrets(doc: Document) -> None:
    """Register every value ``doc`` holds under a secret-sounding key (an apiKey, a token,
    a password ...) with the redactor; config.json's 'env' names are references, not secrets.

    Every parser calls this, so a parsed config's keys cannot reach any output.
    """
    env = doc.data.get("env") if isinstance(doc.data, dict) else None
    references = [n for n in env if isinstance(n, str)] if isinstance(env, list) else []
    redact.register_named(doc.texts(), references=references)


def _parse_json(text: str, path: Path | None) -> Document:
    try:
        parsed = jsonc.parse(text)
    except jsonc.JsoncError as e:
        doc = Document(path=path, format="json", text=text, data=None)
        line, column = doc.line_column(e.offset)
        hint = e.hint
        if "JSON5" not in e.message and len(text) <= _JSON5_GUESS_MAX and _is_json5(text):
            hint = (hint + " " if hint else "") + (
                "The file is valid JSON5, but Continue reads config.json as JSONC: "
                "JSON5-only syntax must go."
            )
        raise ConfigParseError(
            f"cannot parse as JSONC: {e.message}",
            path=str(path) if path else None,
            line=line,
            column=column,
            hint=hint,
            pointer=None,
        ) from None
    return Document(
        path=path,
        format="json",
        text=text,
        data=parsed.value,
        duplicates=parsed.duplicates,
        _json=parsed,
    )


# The json5 package is pure Python and recursive: a megabyte takes it seconds, and its only
# use here is a friendlier hint, so larger texts go without.
_JSON5_GUESS_MAX = 256 * 1024


def _is_json5(text: str) -> bool:
    import json5  # only on a parse failure

    try:
        json5.loads(text)
    except Exception:  # json5 raises ValueError and others for input it rejects
        return False
    return True


def _yaml_loader() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return bounds.bounded_yaml(yaml)


def _parse_yaml(text: str, path: Path | None) -> Document:
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        tree = _yaml_loader().load(text)
    except MarkedYAMLError as e:
        from continue_setup.config.yamlerrors import explain

        said = explain(e, text)
        # ruamel quotes both values of a duplicated key; one of them may be an API key.
        message = re.sub(r'\s*with value ".*', "", said.message, flags=re.DOTALL)
        hint = said.hint
        limit = bounds.yaml_limit_problem(e)  # one of our bounds: say which, and why
        if limit is not None:
            message, hint = limit
        raise ConfigParseError(
            f"cannot parse as YAML: {message}",
            path=str(path) if path else None,
            line=said.line,
            column=said.column,
            hint=hint,
        ) from None
    except TypeError as e:
        if not str(e).startswith("unhashable type"):
            raise
        # ruamel builds a key that is a list or a mapping (``? [a, [b]]``) as a dict key.
        from continue_setup.config.yamlerrors import collection_key

        said = collection_key(text)
        raise ConfigParseError(f"cannot parse as YAML: {said.message}",
                               path=str(path) if path else None, line=said.line,
                               column=said.column, hint=said.hint) from None
    except (YAMLError, ValueError, RecursionError) as e:
        raise ConfigParseError(
            f"cannot parse as YAML: {type(e).__name__}",
            path=str(path) if path else None,
            hint="Check the file's YAML syntax.",
        ) from None
    return Document(path=path, format="yaml", text=text, data=to_plain(tree), _yaml=tree)


def to_plain(node: Any) -> Any:
    """Turn ruamel's round-trip nodes into plain dicts, lists and scalars."""
    if isinstance(node, dict):
        return {_plain_key(k): to_plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [to_plain(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    import datetime  # loaded by ruamel already; a JSON-only run need not load it

    if isinstance(node, datetime.date):  # datetime.datetime too
        # Continue's YAML 1.2 core schema has no timestamps: it reads the text as a string.
        return node.isoformat()
    value = getattr(node, "value", None)  # tagged scalars
    return str(value) if value is not None else str(node)


def _plain_key(key: Any) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key) if key is not None else "null"


def _put(out: dict[str, tuple[int, int]], pointer: str, lookup: Any, key: Any) -> None:
    """Record where ruamel saw ``key``, if it knows (not contextlib.suppress: importing
    contextlib was ~3 M instructions of a one-file validate)."""
    try:
        position = lookup(key)
    except (KeyError, TypeError, IndexError):
        return
    out[pointer] = position


def _yaml_positions(node: Any, pointer: str, out: dict[str, tuple[int, int]]) -> None:
    lc = getattr(node, "lc", None)
    if isinstance(node, dict):
        for key, value in node.items():
            child = f"{pointer}/{jsonc.escape_pointer_token(_plain_key(key))}"
            if lc is not None:
                _put(out, child, lc.key, key)
            _yaml_positions(value, child, out)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            child = f"{pointer}/{index}"
            if lc is not None:
                _put(out, child, lc.item, index)
            _yaml_positions(value, child, out)


def guess_indent(text: str) -> tuple[int | None, int | None]:
    """Return the (indent, block sequence offset) the text uses, as ruamel guesses them.

    The same scan as ruamel's ``load_yaml_guess_indent``, without the full load it also
    does: the document is already parsed, and a second load doubled a large file's cost.
    """
    map_indent = indent = block_seq = prev_key_only = None
    key_indent = 0
    for line in text.splitlines():
        rline = line.rstrip()
        lline = rline.lstrip()
        if lline.startswith("- "):
            spaces = len(line) - len(line.lstrip(" "))
            block_seq = spaces - key_indent
            after = len(rline) - len(rline[spaces + 1 :].lstrip(" "))
            if rline[after] == "#":  # a comment after the dash says nothing
                continue
            indent = after - key_indent
            break
        if map_indent is None and prev_key_only is not None and rline:
            start = len(line) - len(line.lstrip(" -"))
            if start > prev_key_only:
                map_indent = start - prev_key_only
        if rline.endswith(":"):
            key_indent = prev_key_only = len(line) - len(line.lstrip(" "))
            continue
        prev_key_only = None
    return (indent if indent is not None else map_indent), block_seq


def _yaml_dumper(text: str) -> Any:
    yaml = _yaml_loader()
    yaml.width = 4096
    sequence, offset = 4, 2
    if text:
        guessed, block_seq = guess_indent(text)
        if guessed and block_seq is not None and guessed > block_seq:
            sequence, offset = guessed, block_seq
    yaml.indent(mapping=2, sequence=sequence, offset=offset)
    return yaml


def _update(node: Any, new: Any, same: Callable[[Any, Any], bool]) -> Any:
    """Change the round-trip ``node`` in place to hold ``new``; return what to store.

    ``same`` is ``jsonc_edit.same``, imported once by the caller (only edits need it).
    """
    if isinstance(node, dict) and isinstance(new, dict):
        for key in [k for k in node if _plain_key(k) not in new]:
            del node[key]
        existing = {_plain_key(k): k for k in node}
        for key, value in new.items():
            if key in existing:
                original = existing[key]
                if not same(to_plain(node[original]), value):
                    node[original] = _update(node[original], value, same)
            else:
                node[key] = value
        return node
    if isinstance(node, list) and isinstance(new, list):
        for index, value in enumerate(new[: len(node)]):
            if not same(to_plain(node[index]), value):
                node[index] = _update(node[index], value, same)
        del node[len(new) :]
        node.extend(new[len(node) :])
        return node
    return new


def render_yaml(new_data: Any, tree: Any, text: str) -> str:
    """Dump ``new_data`` as YAML, onto the round-trip ``tree`` when there is one.

    A new file of plain data is written by ``yamlwrite``, the same text without importing
    ruamel; anything else (and a file to edit) by ruamel.
    """
    if tree is None and not text:
        from continue_setup.config.yamlwrite import dump

        written = dump(new_data)
        if written is not None:
            return written
    return render_yaml_with_ruamel(new_data, tree, text)


def render_yaml_with_ruamel(new_data: Any, tree: Any, text: str) -> str:
    """Dump ``new_data`` as YAML with ruamel, onto the round-trip ``tree`` if there is one."""
    from continue_setup.config.jsonc_edit import same

    yaml = _yaml_dumper(text)
    target = _update(tree, new_data, same) if tree is not None else new_data
    out = io.StringIO()
    yaml.dump(target, out)
    return out.getvalue()

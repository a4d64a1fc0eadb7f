"""Rules on the file's shape: required keys, titles, duplicates, deprecated keys, shadowing."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

from continue_setup.check.findings import Finding
from continue_setup.check.rules.codes import RuleContext, child, issue
from continue_setup.config.entries import model_entries
from continue_setup.config.parsing import Document, read_text
from continue_setup.config.paths import JSON_NAME, YAML_NAME
from continue_setup.errors import ConfigParseError, InputError

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import Any

    from continue_setup.config.paths import StrPath

# config.json keys migrateJsonSharedConfig() moves into shared settings (core/config/).
DEPRECATED = {
    "": ("allowAnonymousTelemetry", "disableIndexing", "disableSessionTitles"),
    "/tabAutocompleteOptions": ("useCache", "multilineCompletions", "disableInFiles"),
    "/experimental": ("useChromiumForDocsCrawling", "promptPath", "readResponseTTS"),
    "/ui": (
        "codeBlockToolbarPosition",
        "fontSize",
        "codeWrap",
        "displayRawMarkdown",
        "autoAcceptEditToolDiffs",
        "showChatScrollbar",
        "getChatTitles",
    ),
}
MIN_INPUT_TOKENS = 1000
RC_SUFFIX = ".continuerc.json"  # merged onto config.json, so it may leave out anything


def is_rc_file(path: StrPath | None) -> bool:
    """Tell whether ``path`` is a workspace ``.continuerc.json`` (any name ending so)."""
    return path is not None and os.path.basename(path).endswith(RC_SUFFIX)


def _data(doc: Document) -> dict[str, Any]:
    return doc.data if isinstance(doc.data, dict) else {}


def models_shape(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """Continue refuses a config.json without a models list, and config.yaml models not a list."""
    if not isinstance(doc.data, dict):
        return  # the schema says the file must be an object
    if "models" not in doc.data:
        if doc.format == "json" and not is_rc_file(ctx.path):
            yield issue("models-missing", "/models", "there is no 'models' list")
        return
    models = doc.data["models"]
    if doc.format == "yaml" and isinstance(models, dict):
        yield issue(
            "models-mapping", "/models", "'models' is a mapping; Continue expects a list of models"
        )
    elif not isinstance(models, list):
        yield issue("models-not-array", "/models", "'models' must be a list")


def yaml_header(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """config.yaml needs a top-level name and version."""
    if doc.format != "yaml" or not isinstance(doc.data, dict):
        return
    if "name" not in doc.data:
        yield issue("yaml-name-missing", "/name", "config.yaml has no 'name'")
    if "version" not in doc.data:
        yield issue("yaml-version-missing", "/version", "config.yaml has no 'version'")


def titles(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """Every entry needs a title (name in YAML); titles should be unique per list."""
    key = "name" if doc.format == "yaml" else "title"
    seen: dict[tuple[str, str], str] = {}
    for entry in model_entries(doc):
        value = entry.raw.get(key)
        group = entry.pointer.split("/")[1]  # models and tabAutocompleteModel apart
        if doc.format == "yaml" and value is None:
            yield issue("title-missing", child(entry.pointer, key), "the model has no 'name'",
                        hint=_title_hint(key, entry.raw, doc.format))
        elif doc.format == "json" and (not isinstance(value, str) or not value.strip()):
            where = "tabAutocompleteModel entry" if group != "models" else "model"
            yield issue(
                "title-missing",
                child(entry.pointer, key),
                f"the {where} has no 'title' (a non-empty string)",
                hint=_title_hint(key, entry.raw, doc.format),
            )
        elif isinstance(value, str):
            first = seen.setdefault((group, value), entry.pointer)
            if first != entry.pointer:
                from continue_setup.check.schemahints import pair  # only for a finding

                yield issue(
                    "duplicate-title",
                    child(entry.pointer, key),
                    f"the {key} {value!r} is also used by {first}",
                    hint=f"Rename this one, for example "
                    f"{pair(key, json.dumps(value + ' (2)'), doc.format)}: Continue tells "
                    f"models apart by {key}.",
                )


def _title_hint(key: str, raw: dict[str, Any], fmt: str) -> str:
    from continue_setup.check.schemahints import pair  # only for a finding

    model = raw.get("model")
    shown = f"Langdock {model}" if isinstance(model, str) and model.strip() else "Langdock GPT"
    return (f"Add {pair(key, json.dumps(shown), fmt)}, the name Continue shows in its model "
            "list.")


def duplicate_keys(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """JSON objects with a key twice: Continue silently keeps the last value."""
    for pointer in dict.fromkeys(doc.duplicates):
        name = pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
        yield issue("duplicate-key", pointer, f"the key '{name}' appears more than once here")


def deprecated_keys(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """config.json settings that Continue moves to its shared settings and then ignores."""
    if doc.format != "json":
        return
    for parent, names in DEPRECATED.items():
        holder = _data(doc) if parent == "" else _data(doc).get(parent[1:])
        if isinstance(holder, dict):
            for name in names:
                if name in holder:
                    yield issue(
                        "deprecated-key",
                        child(parent, name),
                        f"'{name}' is moved to Continue's shared settings on load",
                    )


def _number(value: Any) -> float | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def context_length(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """Warn, as Continue does, when contextLength - maxTokens leaves under 1000 tokens."""
    for entry in model_entries(doc):
        if doc.format == "json":
            options, where = entry.raw.get("completionOptions"), entry.pointer
            length = _number(entry.raw.get("contextLength"))
        else:
            options = entry.raw.get("defaultCompletionOptions")
            where = child(entry.pointer, "defaultCompletionOptions")
            length = _number(options.get("contextLength")) if isinstance(options, dict) else None
        max_tokens = _number(options.get("maxTokens")) if isinstance(options, dict) else None
        if length is not None and max_tokens is not None and length - max_tokens < MIN_INPUT_TOKENS:
            yield issue(
                "context-length-small",
                child(where, "contextLength"),
                f"contextLength {length:g} minus maxTokens {max_tokens:g} leaves "
                f"{length - max_tokens:g} tokens for input",
            )


def is_default_yaml(data: Any) -> bool:
    """Tell whether ``data`` is Continue's untouched default config.yaml: no models at all."""
    return (
        isinstance(data, dict)
        and data.get("models") in ([], None)
        and set(data) <= {"name", "version", "schema", "models"}
    )


def _default_yaml_file(path: str) -> bool:
    from continue_setup.config.fastyaml import load_yaml  # only when both files exist

    try:
        return is_default_yaml(load_yaml(read_text(path)).data)
    except (InputError, ConfigParseError):
        return False


def shadowing(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """config.yaml beside config.json: Continue loads the YAML and ignores the JSON."""
    if ctx.path is None:
        return
    name, folder = os.path.basename(ctx.path), os.path.dirname(ctx.path)
    if name == JSON_NAME and os.path.isfile(yaml_path := os.path.join(folder, YAML_NAME)):
        default = _default_yaml_file(yaml_path)
        yield issue(
            "shadowed-config",
            "",
            "Continue ignores this file: config.yaml exists beside "
            "it" + (" (Continue's untouched default, with no models)" if default else ""),
            hint="Delete config.yaml so that Continue loads this file." if default else None,
        )
    elif name == YAML_NAME and os.path.isfile(os.path.join(folder, JSON_NAME)):
        if is_default_yaml(doc.data):
            yield issue(
                "default-config",
                "",
                "this is Continue's untouched default config, with "
                "no models, and it hides config.json beside it",
            )
        else:
            yield issue(
                "shadowed-config",
                "",
                "config.json beside this file is ignored: "
                "Continue loads config.yaml whenever it exists",
            )


RULES = (
    models_shape,
    yaml_header,
    titles,
    duplicate_keys,
    deprecated_keys,
    context_length,
    shadowing,
)

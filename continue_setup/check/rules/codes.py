"""Every finding code ``validate`` may report: its severity, what it means, what to do.

The codes are a contract (scripts count them, docs/validate.md lists them): never rename one.
Severity: ``error`` when Continue fails to load the config or the feature will not work,
``warning`` when it works but is risky or wasteful.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from continue_setup.check.findings import Finding
from continue_setup.config.paths import inside
from continue_setup.records import NamedTuple

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from continue_setup.check.findings import Severity
    from continue_setup.config.paths import StrPath


class Code(NamedTuple):
    """A finding code: how bad it is, what it means, and the default hint.

    ``restates_schema``: the rule says what a schema finding at the same pointer would say,
    only better, so ``validate`` reports the rule's finding alone.
    """

    severity: Severity
    meaning: str
    hint: str
    restates_schema: bool = False


CODES: dict[str, Code] = {
    # The file as a whole.
    "unreadable": Code(
        "error",
        "The file cannot be read (missing, a directory, no permission).",
        "Check the path and the file's permissions.",
    ),
    "parse-error": Code(
        "error",
        "Continue cannot parse the file: config.json is JSONC (comments "
        "and trailing commas, but no JSON5), config.yaml is YAML.",
        "Correct the syntax where the message points; it says what Continue expected there.",
    ),
    "duplicate-key": Code(
        "warning",
        "A key appears twice in one JSON object; Continue keeps the last one.",
        "Remove the duplicate.",
    ),
    "shadowed-config": Code(
        "warning",
        "config.json and config.yaml sit side by side: Continue "
        "loads config.yaml and ignores config.json.",
        "Keep one file: move your models into config.yaml, or delete it.",
    ),
    "default-config": Code(
        "error",
        "config.yaml is Continue's untouched default (no models) and "
        "hides the config.json beside it.",
        "Delete config.yaml so that Continue loads config.json again.",
    ),
    "no-chat-model": Code(
        "error",
        "The config Continue loads has no chat model: Continue has nothing to talk to. "
        "validate, doctor, ping and init all treat this as an error.",
        "Run 'continue-setup init' to add Langdock's chat models, or add a model entry.",
    ),
    # Structure Continue insists on.
    "models-missing": Code(
        "error",
        "config.json has no 'models' list; Continue refuses to load it.",
        'Add "models": [] at the top level.',
        restates_schema=True,
    ),
    "models-not-array": Code(
        "error",
        "'models' is not a list; Continue refuses to load the file.",
        "Make 'models' a list of model entries.",
        restates_schema=True,
    ),
    "models-mapping": Code(
        "error",
        "config.yaml 'models' is written as a mapping, not a list.",
        "Write each model as a list item starting with '- name:'.",
        restates_schema=True,
    ),
    "yaml-name-missing": Code(
        "error",
        "config.yaml has no top-level 'name'; Continue refuses to load it.",
        "Add a line such as: name: My Config",
        restates_schema=True,
    ),
    "yaml-version-missing": Code(
        "error",
        "config.yaml has no top-level 'version'; Continue refuses to load it.",
        'Add a line such as: version: "1.0.0"',
        restates_schema=True,
    ),
    "title-missing": Code(
        "error",
        "A model entry has no title (config.json) or name "
        "(config.yaml); Continue refuses it, or, for tabAutocompleteModel, "
        "silently treats it as a custom model.",
        "Give the entry a title.",
        restates_schema=True,
    ),
    "duplicate-title": Code(
        "warning",
        "Two entries share a title; Continue selects models by title, so one hides the other.",
        "Give each entry its own title.",
    ),
    "deprecated-key": Code(
        "warning",
        "A config.json setting that Continue moves into its shared "
        "settings on load; the value here is then ignored.",
        "Set it in Continue's settings page and delete it here.",
    ),
    # Providers and endpoints.
    "unknown-provider": Code(
        "error",
        "No Continue provider has this name; Continue silently drops the entry.",
        "Use a provider Continue implements, such as openai, anthropic or mistral.",
        restates_schema=True,
    ),
    "provider-dropped": Code(
        "error",
        "The provider passes Continue's schema but has no "
        "implementation; Continue silently drops the entry.",
        "Use another provider.",
        restates_schema=True,
    ),
    "apibase-endpoint-suffix": Code(
        "error",
        "apiBase ends in an endpoint path; Continue appends "
        "the endpoint itself, so the path is doubled (404).",
        "Cut the apiBase after /v1.",
    ),
    "langdock-missing-v1": Code(
        "error",
        "A Langdock apiBase does not end in /v1 after the region (404).",
        "End it in /<route>/<region>/v1.",
    ),
    "langdock-region": Code(
        "error",
        "Langdock does not serve this route in this region (the Mistral/FIM route is eu only).",
        "Use a region Langdock serves.",
    ),
    "langdock-route-mismatch": Code(
        "error",
        "The Langdock route in apiBase does not match the "
        "provider (/anthropic/ with provider openai, ...).",
        "Make provider and route agree.",
    ),
    "langdock-fim-only": Code(
        "warning",
        "A chat entry on Langdock's Mistral route: Langdock "
        "documents only fill-in-the-middle there.",
        "Use Codestral for autocomplete only.",
    ),
    "autocomplete-no-fim": Code(
        "error",
        "Autocomplete through a provider without FIM in "
        "Continue: it never calls /fim/completions. Error on a Langdock "
        "apiBase (no endpoint Continue could use), warning elsewhere.",
        "Use provider mistral (Codestral) for autocomplete.",
    ),
    "autocomplete-not-fim-model": Code(
        "warning",
        "The autocomplete model is not trained for fill-in-the-middle (Continue's own warning).",
        "Use a code model such as Codestral.",
    ),
    "langdock-model-route": Code(
        "error",
        "The model id belongs to another Langdock route: a claude-* id on /openai/, a gpt-* "
        "id on /anthropic/ (provider and route agree, but not with the model).",
        "Use the provider and route that serve the model.",
    ),
    "model-metadata-missing": Code(
        "warning",
        "Continue does not know the model id (newer than its tables) and the entry lacks "
        "the metadata: Continue assumes a 32768-token context, a 4096 (8192 for Claude) "
        "output cap and, for GPT, no image input.",
        "Add capabilities and defaultCompletionOptions.contextLength/maxTokens, or run init.",
    ),
    "capabilities-partial": Code(
        "warning",
        "A config.yaml capabilities list leaves out a capability Continue would detect for "
        "the model; any list switches off what it does not name.",
        "Name every capability the model has, or remove the list.",
    ),
    "anthropic-autodetect": Code(
        "error",
        "model: AUTODETECT with provider anthropic: Continue lists no models there.",
        "Name the model id, such as claude-sonnet-4-6-default.",
    ),
    "claude-temperature-top-p": Code(
        "error",
        "A Claude entry sets both temperature and topP; newer Claude models refuse the pair "
        "(a warning for Claude 3 and older).",
        "Remove one of them.",
    ),
    "context-length-small": Code(
        "warning",
        "contextLength - maxTokens < 1000 leaves almost no room for input.",
        "Raise contextLength or lower maxTokens.",
    ),
    # Keys and secrets.
    "key-missing": Code(
        "error",
        "A Langdock entry has no apiKey (and no Authorization header); Langdock answers 401.",
        "Add the apiKey.",
    ),
    "key-empty": Code("error", "The apiKey is empty.", "Put the Langdock API key there."),
    "placeholder-key": Code(
        "error",
        "The apiKey is a placeholder such as <YOUR_LANGDOCK_API_KEY>, not a key.",
        "Create a key in Langdock (Workspace settings > API) and put it there.",
    ),
    "key-whitespace": Code(
        "error",
        "The apiKey contains whitespace; it is sent as it is (401).",
        "Copy the key again; it has no spaces or line breaks.",
    ),
    "key-control": Code(
        "error",
        "The apiKey or a header contains control characters (such as DEL or \\x01); no header "
        "can carry them.",
        "Copy the key again from Langdock.",
    ),
    "header-name": Code(
        "error",
        "A requestOptions header's name is not an HTTP token (letters, digits and "
        "!#$%&'*+-.^_`|~ only); Continue refuses to send the request.",
        "Rename the header in requestOptions.headers; a colon or a space in a name usually "
        "means part of the value was pasted into it.",
    ),
    "key-non-ascii": Code(
        "error",
        "The apiKey or a header contains non-ASCII characters, which HTTP headers cannot carry.",
        "Copy the key again from Langdock.",
    ),
    "secret-unresolved": Code(
        "error",
        "${{ secrets.NAME }} resolves nowhere Continue looks "
        "(<config-dir>/.env, the environment); Continue sends the text "
        "itself (401).",
        "Add NAME=<value> to the .env beside the config.",
    ),
    "env-unresolved": Code(
        "error",
        "config.json would send a variable's name as the key: an 'env' name set neither in "
        "<config-dir>/.env nor in the environment, or an apiKey such as LANGDOCK_API_KEY that "
        "the top-level 'env' does not list (401).",
        "Add NAME=<value> to the .env beside the config.",
    ),
    "secret-syntax": Code(
        "error",
        "${{ NAME }} anywhere, or $NAME as a key, where ${{ secrets.NAME }} (config.yaml) or "
        "an 'env' name (config.json) was meant: Continue never expands them and sends the "
        "text (401).",
        "Write ${{ secrets.NAME }} in config.yaml; in config.json list NAME in 'env'.",
    ),
    "file-mode-open": Code(
        "warning",
        "A file holding a key is readable by other users (mode wider than 0600; POSIX only).",
        "chmod 600 the file.",
    ),
    # TLS.
    "verify-ssl-disabled": Code(
        "warning",
        "requestOptions.verifySsl is false: TLS certificates are not checked.",
        "Set caBundlePath to your company's CA bundle instead.",
    ),
    "ca-bundle-missing": Code(
        "warning",
        "caBundlePath names a file that does not exist; Continue silently ignores it.",
        "Point it at the CA bundle (PEM) file.",
    ),
    "ca-bundle-relative": Code(
        "warning",
        "caBundlePath is relative or starts with ~; Continue "
        "does not expand ~ and resolves relative paths unpredictably.",
        "Use an absolute path.",
    ),
    # From the schema layer (schema.py).
    "schema-*": Code(
        "error",
        "The value breaks our JSON Schema for what Continue loads; the "
        "suffix names the keyword (schema-required, schema-type, schema-enum, ...).",
        "Write what the message names: the missing key, or a value of the type or from "
        "the list it gives.",
    ),
    "unknown-key": Code(
        "warning",
        "config.yaml has a key Continue does not know; Continue drops it silently.",
        "Remove it, or check its spelling and indentation.",
    ),
    # requestOptions (rules/timeouts.py).
    "request-timeout": Code(
        "warning",
        "requestOptions.timeout is seconds for Continue's fetch but milliseconds for the "
        "OpenAI SDK (cn, the IDE's chat on the OpenAI route): no value is right for both.",
        "Remove requestOptions.timeout; Continue's defaults (7200 s, the SDK's 10 min) work "
        "with Langdock.",
    ),
}


# Read-only by convention: one is built per file, and contexts are never compared.
class RuleContext:
    """What rules may know beyond the document: where it is, and where its secrets live."""

    __slots__ = ("config_dir", "dotenv", "dotenv_mode", "environ", "file_mode", "path")

    def __init__(self, path: StrPath | None = None, config_dir: StrPath | None = None,
                 dotenv: Mapping[str, str] | None = None,
                 environ: Mapping[str, str] | None = None, file_mode: int | None = None,
                 dotenv_mode: int | None = None) -> None:
        self.path = path
        self.config_dir = config_dir  # where the .env that secrets and env names use lives
        self.dotenv: Mapping[str, str] = {} if dotenv is None else dotenv
        self.environ: Mapping[str, str] = {} if environ is None else environ
        self.file_mode = file_mode  # st_mode of the config (POSIX), None when not checked
        self.dotenv_mode = dotenv_mode  # st_mode of the .env (POSIX), None: absent/unchecked

    @property
    def dotenv_path(self) -> str:
        return ".env" if self.config_dir is None else inside(os.fspath(self.config_dir), ".env")


def issue(
    code: str,
    pointer: str,
    message: str,
    *,
    hint: str | None = None,
    severity: Severity | None = None,
) -> Finding:
    """Return a finding for ``code`` with its registered severity and default hint."""
    known = CODES[code]
    return Finding(
        severity or known.severity, code, pointer, message, known.hint if hint is None else hint
    )


def child(pointer: str, *tokens: str | int) -> str:
    """Extend a JSON pointer by ``tokens``, escaping them."""
    for token in tokens:
        text = str(token)
        if "~" in text or "/" in text:
            text = text.replace("~", "~0").replace("/", "~1")
        pointer += "/" + text
    return pointer

"""The validate core: which files, one finding per problem, positions, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from continue_setup.check import schema, validate
from continue_setup.check.findings import FileReport, Finding
from continue_setup.check.rules import RuleContext
from continue_setup.config import parsing
from continue_setup.config.bounds import MAX_DEPTH
from continue_setup.config.keys import Secret
from continue_setup.config.paths import ConfigDir
from continue_setup.errors import ConfigParseError, ExitCode, InputError
from continue_setup.setup.plan import plan_init
from continue_setup.setup.settings import REGIONS, Settings
from continue_setup.setup.templates import load_templates
from tests.conftest import GPT_CONFIG, KEY


def check(text: str, fmt: parsing.Format = "json") -> list[Finding]:
    """Return validate's findings for ``text``."""
    return validate.check_document(parsing.parse_text(text, fmt), RuleContext())


def pairs(findings: list[Finding]) -> list[tuple[str, str]]:
    """Return sorted (code, pointer) pairs."""
    return sorted((f.code, f.pointer) for f in findings)


# --- one finding per problem ----------------------------------------------------------------


def test_a_rule_replaces_the_schema_finding_at_its_pointer() -> None:
    """models-missing, title-missing and yaml headers replace the schema's 'required' findings."""
    assert pairs(check("{}")) == [("models-missing", "")]
    assert pairs(check('{"models": [{"title": "", "provider": "ollama", "model": "m"}]}')) == [
        ("title-missing", "/models/0/title")
    ]
    assert pairs(check("models: {}\n", "yaml")) == [
        ("models-mapping", "/models"),
        ("yaml-name-missing", ""),
        ("yaml-version-missing", ""),
    ]


def test_a_missing_title_does_not_hide_another_missing_key() -> None:
    """title-missing replaces the schema's missing 'title' only, not its missing 'model'."""
    findings = check('{"models": [{"provider": "ollama"}]}')
    assert [(f.code, f.pointer, f.message) for f in findings] == [
        ("title-missing", "/models/0", "the model has no 'title' (a non-empty string)"),
        ("schema-required", "/models/0", "missing required key 'model'"),
    ]


def test_warnings_never_replace_schema_errors() -> None:
    """A deprecated key with a wrong value is reported twice: deprecated, and invalid."""
    findings = check('{"models": [], "ui": {"codeBlockToolbarPosition": "left"}}')
    assert pairs(findings) == [
        ("deprecated-key", "/ui/codeBlockToolbarPosition"),
        ("schema-enum", "/ui/codeBlockToolbarPosition"),
    ]


def test_every_pointer_exists_in_the_document() -> None:
    """A finding about a missing key points at the object that should hold it."""
    findings = check('{\n  "models": [\n    {"title": "a", "provider": "ollama"}\n  ]\n}')
    assert [(f.code, f.pointer, f.line, f.column) for f in findings] == [
        ("schema-required", "/models/0", 3, 5)
    ]
    assert findings[0].message == "missing required key 'model'"


def test_every_finding_has_a_hint_and_a_place() -> None:
    """Schema findings get a hint even where schema.py has none; all get a line."""
    findings = check('{"models": [], "ui": {"fontSize": "big", "codeBlockToolbarPosition": 1}}')
    assert sorted((f.code, bool(f.hint), f.line) for f in findings) == [
        ("deprecated-key", True, 1),
        ("deprecated-key", True, 1),
        ("schema-enum", True, 1),
        ("schema-type", True, 1),
    ]


def test_yaml_version_hint() -> None:
    """version: 1.0 gets a hint that says to quote it."""
    (finding,) = check("name: x\nversion: 1.0\n", "yaml")
    assert finding.code == "schema-type" and "Quote it" in finding.hint


def test_place_falls_back_to_the_nearest_ancestor() -> None:
    """A pointer to something absent becomes the closest thing that exists, and is placed."""
    doc = parsing.parse_text('{\n  "models": [\n    {"a": 1}\n  ]\n}', "json")
    placed = validate._place(doc, Finding("error", "x", "/models/0/title/deep", "m"))
    assert (placed.pointer, placed.line, placed.column) == ("/models/0", 3, 5)
    assert validate._place(doc, Finding("error", "x", "/models/7", "m")).pointer == "/models"
    empty = parsing.parse_text("", "yaml")
    assert validate._place(empty, Finding("error", "x", "/a", "m")).pointer == ""


def test_nesting_past_the_limit_is_a_parse_error_at_its_place() -> None:
    """JSON nested past MAX_DEPTH is a parse error at the first value too deep, not a crash."""
    with pytest.raises(ConfigParseError) as caught:
        check("[" * 600 + "]" * 600)
    assert (caught.value.line, caught.value.column) == (1, MAX_DEPTH + 1)


# --- files ----------------------------------------------------------------------------------


def test_iter_config_files(tmp_path: Path) -> None:
    """Directories yield config-like files in a stable order, skipping hidden and tool folders."""
    for name in (
        "b/config.yaml",
        "a/config.json",
        "a/x.yml",
        "a/y.jsonc",
        "c.JSON",
        ".hidden.json",
        ".git/config.json",
        "node_modules/p.json",
        "a/index/globalContext.json",
        "a/readme.md",
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}")
    names = [Path(p).relative_to(tmp_path).as_posix() for p in validate.iter_config_files(tmp_path)]
    assert names == ["c.JSON", "a/config.json", "a/x.yml", "a/y.jsonc", "b/config.yaml"]


def test_paths_are_deduplicated_and_directories_must_hold_configs(tmp_path: Path) -> None:
    """A file named twice is checked once, where first named; an empty directory is an
    input error (exit 2)."""
    path = tmp_path / "config.json"
    path.write_text('{"models": []}')
    run = validate.validate_paths([path, path, tmp_path], environ={})
    assert len(run.reports) == 1
    other = tmp_path / "sub" / "other.json"
    other.parent.mkdir()
    other.write_text('{"models": []}')
    named = [other, Path(f"{tmp_path}//config.json"), other, tmp_path]
    run = validate.validate_paths(named, environ={})
    assert [r.path for r in run.reports] == [other, path]
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError) as error:
        validate.validate_paths([tmp_path / "empty"], environ={})
    assert error.value.exit_code == ExitCode.USAGE


def test_dotenv_is_read_once_per_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Many files in one directory share one read of its .env."""
    reads: list[str] = []
    real = validate.read_dotenv
    monkeypatch.setattr(validate, "read_dotenv", lambda p: reads.append(p) or real(p))
    files = []
    for index in range(5):
        files.append(tmp_path / f"c{index}.json")
        files[-1].write_text('{"models": []}')
    validate.validate_paths(files, environ={})
    assert reads == [str(tmp_path / ".env")]


# --- the run --------------------------------------------------------------------------------


def _run(*findings: Finding, strict: bool = False) -> validate.ValidationRun:
    report = FileReport(Path("c.json"), "json", False, list(findings))
    return validate.ValidationRun([report], ConfigDir(Path("."), "HOME"), strict=strict)


@pytest.mark.parametrize(
    ("severities", "strict", "exit_code"),
    [
        ((), False, ExitCode.OK),
        (("warning",), False, ExitCode.OK),
        (("warning",), True, ExitCode.INVALID),
        (("error", "warning"), False, ExitCode.INVALID),
    ],
)
def test_exit_codes(severities: tuple[str, ...], strict: bool, exit_code: ExitCode) -> None:
    """0 without errors, 1 with errors (or warnings under --strict)."""
    run = _run(*(Finding(s, "c", "", "m") for s in severities), strict=strict)  # type: ignore[arg-type]
    assert run.exit_code == exit_code
    assert run.valid is (exit_code == ExitCode.OK)


def test_unreadable_wins() -> None:
    """An unreadable file makes the run exit 2 whatever else it found."""
    run = _run(Finding("error", "unreadable", "", "gone"), Finding("error", "x", "", "m"))
    assert run.exit_code == ExitCode.USAGE and len(run.unreadable) == 1


def test_counts_by_code() -> None:
    """Counts by code come most frequent first, then by name."""
    run = _run(*(Finding("error", c, "", "m") for c in ("b", "a", "b", "c")))
    assert run.counts() == {"b": 2, "a": 1, "c": 1}


# --- the bundled templates validate clean ---------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "yaml"])
@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("storage", ["inline", "dotenv"])
@pytest.mark.parametrize(
    "base_url", ["https://api.langdock.com", "https://acme.langdock.com/api/public"]
)
def test_templates_render_to_clean_configs(
    tmp_path: Path, fmt: str, region: str, storage: str, base_url: str
) -> None:
    """Every bundled template, for every region, format and key storage, validates with nothing
    to report."""
    config_dir = ConfigDir(tmp_path / ".continue", "--config-dir")
    settings = Settings(
        api_key=Secret(KEY),
        region=region,
        base_url=base_url,
        entries=tuple(load_templates()),
        format=fmt,  # type: ignore[arg-type]
        key_storage=storage,
    )  # type: ignore[arg-type]
    plan = plan_init(settings, config_dir, load_templates())
    config_dir.path.mkdir()
    for change in (plan.config, plan.dotenv):
        if change is not None:
            change.path.write_text(change.new, encoding="utf-8")
            change.path.chmod(0o600)
    run = validate.validate_paths([plan.config.path], environ={})
    findings = [f"{f.code} {f.pointer}" for r in run.reports for f in r.findings]
    assert findings == [] and run.exit_code == ExitCode.OK
    assert len(plan.entries()) == len(load_templates())


# --- compiled once, jsonschema only when needed -------------------------------------------


def _many(tmp_path: Path, count: int) -> list[Path]:
    yaml = (
        "name: x\nversion: '1'\nmodels:\n  - name: Codestral\n    provider: mistral\n"
        "    model: codestral-2501\n    apiBase: https://api.langdock.com/mistral/eu/v1\n"
        "    apiKey: ${{ secrets.LANGDOCK_API_KEY }}\n    roles: [autocomplete]\n"
        "  - name: GPT\n    provider: openai\n    model: gpt-4o\n"
        "    apiBase: https://api.langdock.com/openai/eu/v1\n"
        "    apiKey: ${{ secrets.LANGDOCK_API_KEY }}\n"
    )
    paths = []
    for index in range(count):
        path = tmp_path / str(index) / ("config.yaml" if index % 2 else "config.json")
        path.parent.mkdir()
        path.write_text(yaml if index % 2 else json.dumps(GPT_CONFIG))
        path.chmod(0o600)
        paths.append(path)
    return paths


def test_schemas_are_compiled_once(tmp_path: Path) -> None:
    """Many valid files: each format's quick check is built once, jsonschema never."""
    schema.quick_check.cache_clear()
    schema.validator.cache_clear()
    run = validate.validate_paths(_many(tmp_path, 20), environ={"LANGDOCK_API_KEY": KEY})
    assert run.exit_code == ExitCode.OK, run.counts()
    assert schema.quick_check.cache_info().misses == 2
    assert schema.validator.cache_info().misses == 0


def test_no_file_imports_jsonschema_valid_or_not(tmp_path: Path) -> None:
    """jsonschema (~80 ms to import) is not loaded, even for a file that fails the schema:
    the explainer words the failure."""
    good = _many(tmp_path, 2)
    bad = tmp_path / "bad.json"
    bad.write_text('{"models": [{"title": 1}]}')
    script = (
        "import sys; from pathlib import Path;"
        "from continue_setup.check.validate import validate_paths;"
        "run = validate_paths([Path(p) for p in sys.argv[1:]]);"
        "print(run.exit_code.value, 'jsonschema' in sys.modules)"
    )
    answers = [
        subprocess.run(
            [sys.executable, "-c", script, *map(str, paths)],
            env=dict(os.environ, LANGDOCK_API_KEY=KEY),
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        for paths in (good, [*good, bad])
    ]
    assert answers == [["0", "False"], ["1", "False"]]

"""The organisation settings file: its model, its loader, and where errors point."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from continue_setup.errors import ExitCode, InputError
from continue_setup.setup.orgsettings import OrgSettings, load_org_settings
from tests.conftest import ROOT


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "org.json"
    path.write_text(text)
    return path


def refusal(tmp_path: Path, text: str) -> InputError:
    with pytest.raises(InputError) as info:
        load_org_settings(write(tmp_path, text))
    return info.value


def test_the_example_file_loads() -> None:
    """examples/org-settings.json is a valid settings file."""
    org = load_org_settings(ROOT / "examples" / "org-settings.json")
    assert org.models == {"gpt": "gpt-4.1"} and org.key_storage == "dotenv"
    assert org.request_options_dict()["timeout"] == 120


def test_comments_are_allowed_and_unset_options_are_left_out(tmp_path: Path) -> None:
    """The file is read as JSONC, and only the request options given are written."""
    org = load_org_settings(
        write(
            tmp_path,
            '{\n  // proxy for all\n  "request_options": '
            '{"proxy": "http://p:3128", "verifySsl": false}\n}',
        )
    )
    assert org.request_options_dict() == {"proxy": "http://p:3128", "verifySsl": False}


def test_template_dir_is_relative_to_the_file(tmp_path: Path) -> None:
    """template_dir is taken from the settings file's directory, not the working directory."""
    org = OrgSettings.model_validate({"template_dir": "templates"})
    assert org.template_path(tmp_path / "org.json") == tmp_path / "templates"
    assert OrgSettings().template_path(tmp_path / "org.json") is None


def test_malformed_json_names_the_file_line_and_column(tmp_path: Path) -> None:
    """A syntax error is an input error (exit 2) with the file, line and column."""
    error = refusal(tmp_path, '{\n  "region": "eu",\n  "models": {"gpt" "x"}\n}')
    assert error.exit_code == ExitCode.USAGE
    assert error.path and error.path.endswith("org.json")
    assert error.line == 3 and error.column is not None
    assert "not valid JSON" in error.message


@pytest.mark.parametrize(
    ("data", "pointer", "line", "words"),
    [
        ({"regoin": "eu"}, "/regoin", 2, "'regoin' is not a setting (did you mean 'region'?)"),
        ({"region": "mars"}, "/region", 2, "'eu' or 'us'"),
        ({"request_options": {"timeout": 0}}, "/request_options/timeout", 3, "above 0"),
        ({"request_options": {"timeout": True}}, "/request_options/timeout", 3, ""),
        ({"request_options": {"caBundlePath": 5}}, "/request_options/caBundlePath", 3, ""),
        ({"request_options": {"caBundlePath": []}}, "/request_options/caBundlePath", 3, "path"),
        (
            {"request_options": {"headers": {"Bad Name": "x"}}},
            "/request_options/headers",
            3,
            "header name",
        ),
        ({"request_options": {"proxy": "proxy:3128"}}, "/request_options/proxy", 3, "pattern"),
        (
            {"request_options": {"clientCertificate": {"cert": "c"}}},
            "/request_options/clientCertificate",
            3,
            "key",
        ),
        ({"models": {"gpt": "gpt 4"}}, "/models", 2, "whitespace"),
        ({"entries": []}, "/entries", 2, ""),
        ({"entries": ["GPT!"]}, "/entries", 2, "template name"),
    ],
)
def test_invalid_settings_point_at_the_place(
    tmp_path: Path, data: dict[str, Any], pointer: str, line: int, words: str
) -> None:
    """Each malformed field is refused with its JSON pointer and the line it is on."""
    error = refusal(tmp_path, json.dumps(data, indent=2))
    assert error.exit_code == ExitCode.USAGE
    assert error.pointer == pointer, error.message
    assert error.line == line and error.column is not None
    assert pointer in error.message and words in error.message


def test_every_problem_is_named_at_its_place(tmp_path: Path) -> None:
    """All problems are listed, each with its pointer, in our words: no "(and N more)"."""
    error = refusal(tmp_path, json.dumps({"region": "de", "bogus": 1, "entries": []}))
    assert "and 1 more" not in error.message and "more)" not in error.message
    for said in ("/region: must be 'eu' or 'us'", "/bogus: 'bogus' is not a setting",
                 "/entries:"):
        assert said in error.message, error.message
    assert len(error.details) == 3
    assert "examples/" not in error.hint  # the installed package has no examples folder


def test_a_secret_header_value_never_appears_in_errors(tmp_path: Path) -> None:
    """A refused file with an Authorization header does not echo the header's value."""
    error = refusal(
        tmp_path,
        json.dumps(
            {
                "request_options": {
                    "headers": {"Authorization": "Bearer sk-very-secret-1234"},
                    "timeout": -1,
                }
            }
        ),
    )
    assert "sk-very-secret" not in error.message


def test_a_missing_file_is_an_input_error(tmp_path: Path) -> None:
    """Pointing at a file that does not exist is exit 2, naming the path."""
    with pytest.raises(InputError) as info:
        load_org_settings(tmp_path / "missing.json")
    assert "missing.json" in info.value.message

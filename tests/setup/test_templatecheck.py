"""Template files are checked by hand, with the messages pydantic used to give."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from continue_setup.setup.templatecheck import TemplateDataError, check_template

GOOD = {"name": "gpt", "description": "d", "title": "GPT ({region})", "provider": "openai",
        "model": "gpt-5.2", "route": "openai", "role": "chat", "regions": ["eu", "us"]}


def test_a_good_template_is_normalised() -> None:
    """Lists become tuples; roles and fields get their defaults."""
    checked = check_template(GOOD)
    assert checked["regions"] == ("eu", "us")
    assert checked["roles"] is None and checked["fields"] == {}


@pytest.mark.parametrize(("change", "pointer", "words"), [
    ({"colour": "red"}, "/colour", "Extra inputs are not permitted"),
    ({"name": None}, "/name", "valid string"),
    ({"provider": "google"}, "/provider", "'openai', 'anthropic' or 'mistral'"),
    ({"name": "Bad Name"}, "/name", "should match pattern"),
    ({"model": "two words"}, "/model", "should match pattern"),
    ({"regions": []}, "/regions", "at least 1 item"),
    ({"regions": ["eu", 3]}, "/regions/1", "valid string"),
    ({"title": "{nope}"}, "/title", "unknown placeholder {nope}"),
    ({"fields": {"apiKey": "x"}}, "/fields", "'apiKey' is set by the template itself"),
    ({"role": "autocomplete"}, "/", "needs provider 'mistral'"),
    ({"description": ""}, "/description", "at least 1 character"),
])
def test_each_broken_rule_names_its_place(change: dict[str, Any], pointer: str,
                                          words: str) -> None:
    """Every rule the pydantic model had refuses its input with a pointer and a reason."""
    with pytest.raises(TemplateDataError) as caught:
        check_template({**GOOD, **change})
    assert caught.value.pointer == pointer and words in caught.value.message


def test_a_missing_field_is_required() -> None:
    """A template without a model says the field is required."""
    data = {k: v for k, v in GOOD.items() if k != "model"}
    with pytest.raises(TemplateDataError, match="Field required") as caught:
        check_template(data)
    assert caught.value.pointer == "/model"


def test_init_without_org_settings_does_not_import_pydantic(tmp_path: Path) -> None:
    """init --no-ping on a fresh home never loads pydantic (it was most of its start-up)."""
    script = (
        "import atexit, sys;"
        "atexit.register(lambda: print('pydantic' in sys.modules, file=sys.stderr));"
        "sys.argv = ['continue-setup', 'init', '--yes', '--no-ping', '--config-dir', sys.argv[1]];"
        "from continue_setup._start import main; main()"
    )
    proc = subprocess.run([sys.executable, "-c", script, str(tmp_path / "c")],
                          capture_output=True, text=True, timeout=60, check=False,
                          env={"HOME": str(tmp_path), "LANGDOCK_API_KEY": "sk-ld-x-123456789",
                               "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.split()[-1] == "False"

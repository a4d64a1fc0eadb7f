"""Many files in any order of JSON and YAML: the same output with workers as without."""

from __future__ import annotations

import io
import json
import os
import random
import sys
from pathlib import Path

import pytest

from continue_setup.check import validate
from continue_setup.check.validate import ValidationRun
from continue_setup.report import Output
from continue_setup.report.validate import render_validate
from tests.conftest import GPT_CONFIG

INLINE_KEY = "sk-ld-MANY-inline-0123456789abcdef"  # each "sk-ld-MANY" value is a key
ENV_KEY = "sk-ld-MANY-dotenv-0123456789abcdef"
YAML = (
    "name: x\nversion: 1.0.0\nschema: v1\nmodels:\n  - name: GPT\n    provider: openai\n"
    "    model: gpt-4o\n    apiBase: https://api.langdock.com/openai/eu/v1\n"
    "    apiKey: {key}\n"
)
needs_fork = pytest.mark.skipif(
    sys.platform != "linux" or len(os.sched_getaffinity(0)) < 2,
    reason="workers are forked on Linux with two or more cores only",
)


def tree(root: Path) -> list[Path]:
    """Write 360 files over three folders (two with a .env): valid JSON and YAML, inline and
    .env keys, broken JSON and YAML, schema errors, a non-UTF-8 file; return them JSON first."""
    json_files, yaml_files = [], []
    for number in range(3):
        folder = root / f"team{number}"
        folder.mkdir()
        if number:
            (folder / ".env").write_text(f"LANGDOCK_API_KEY={ENV_KEY}\n")
        for index in range(120):
            kind = index % 6
            if kind in (0, 1, 2):
                path = folder / f"c{index:03d}.json"
                entry = dict(GPT_CONFIG["models"][0], title=f"GPT {index}")
                body = json.dumps({**GPT_CONFIG, "models": [entry]})
                if kind == 1:
                    body = '{"models": [ {"title": "x",, } ], "apiKey": "' + INLINE_KEY + '"}'
                elif kind == 2:
                    body = json.dumps({"models": [{"title": index, "apiKey": INLINE_KEY}]})
                path.write_text(body)
                json_files.append(path)
            else:
                path = folder / f"c{index:03d}.yaml"
                # Kind 4: a key of its own, known only to the process that checks the file.
                own = f"sk-ld-MANY-own-{number}-{index:03d}-abcdefgh"
                key = "${{ secrets.LANGDOCK_API_KEY }}" if kind == 3 else own
                body = YAML.format(key=key) if kind != 5 else "models: [unclosed\n"
                if kind == 4:  # two models named by the key: a finding quotes the name
                    body = body.replace("name: GPT", f"name: {key}")
                    body += body[body.index("  - name"):]
                path.write_text(body)
                yaml_files.append(path)
            if index % 4 == 0:
                path.chmod(0o600)
    odd = root / "team0" / "latin1.json"
    odd.write_bytes(b'{"title": "caf\xe9"}')
    return [*json_files, odd, *yaml_files]


def rendered(run: ValidationRun, *, json_mode: bool) -> str:
    """Return what ``validate`` prints for ``run`` (piped, so JSON is on one line)."""
    stream = io.StringIO()
    out = Output(json_mode=json_mode, stdout=stream, command="validate", buffer=True)
    render_validate(out, run)
    out.finish(int(run.exit_code))
    return stream.getvalue()


@needs_fork
@pytest.mark.parametrize("order", ["json first", "yaml first", "shuffled"])
def test_workers_change_nothing_in_text_or_json(tmp_path: Path, order: str) -> None:
    """The output (text and --json, same order, same exit code) of a run shared over worker
    processes equals the one-process run's, and neither shows a key."""
    files = tree(tmp_path)
    if order == "yaml first":
        files.reverse()
    elif order == "shuffled":
        random.Random(18).shuffle(files)
    files.insert(100, tmp_path / "missing.json")  # unreadable: exit code 2
    shared = validate.validate_paths(files, environ={}, parallel=True)  # first: no key known
    shared_text = rendered(shared, json_mode=False)
    alone = validate.validate_paths(files, environ={}, parallel=False)
    assert [r.path for r in shared.reports] == files
    assert shared.exit_code == alone.exit_code == 2
    assert "sk-ld-MANY" not in shared_text
    for json_mode in (True, False):
        text = rendered(shared, json_mode=json_mode)
        assert text == rendered(alone, json_mode=json_mode)
        assert "sk-ld-MANY" not in text
    document = json.loads(rendered(shared, json_mode=True))
    assert [entry["path"] for entry in document["files"]] == [str(path) for path in files]
    assert document["summary"]["files"] == 362
    assert document["summary"]["unreadable"] == 1


def test_a_run_holds_each_repeated_message_once(tmp_path: Path) -> None:
    """Files with the same finding share one copy of its message; the findings are
    otherwise unchanged."""
    files = []
    for index in range(5):
        path = tmp_path / f"c{index}.json"
        path.write_text(json.dumps({**GPT_CONFIG, "models": [{"title": index}]}))
        files.append(path)
    run = validate.validate_paths(files, environ={}, parallel=False)
    messages = [f.message for report in run.reports for f in report.findings]
    assert len(messages) >= 10
    by_text: dict[str, int] = {}
    for message in messages:
        by_text.setdefault(message, id(message))
        assert id(message) == by_text[message]
    assert any(messages.count(message) == 5 for message in messages)

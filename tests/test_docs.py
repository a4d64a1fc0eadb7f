"""The README stays a short page for a newcomer, and every link in the docs leads somewhere."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from continue_setup.check.rules.codes import CODES
from continue_setup.cli import cli
from continue_setup.errors import ExitCode

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
PAGES = [README, *DOCS]

FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6} +(.+?) *$", re.MULTILINE)


def prose(text: str) -> str:
    """Return the text without code blocks, whose brackets are not links."""
    return FENCE.sub("", text)


def slug(heading: str) -> str:
    """Return the anchor GitHub gives a heading: lower case, punctuation dropped, '-' for spaces."""
    text = heading.replace("`", "").strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    """Return the anchors of every heading on a page."""
    return {slug(h) for h in HEADING.findall(prose(page.read_text(encoding="utf-8")))}


def links(page: Path) -> list[str]:
    """Return every link target on a page, code blocks left out."""
    text = CODE_SPAN.sub("", prose(page.read_text(encoding="utf-8")))
    return LINK.findall(text)


def test_readme_is_short() -> None:
    """The README stays under 250 lines; the reference lives in docs/."""
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) < 250, f"README.md has {len(lines)} lines; move reference text to docs/"


def test_docs_exist() -> None:
    """docs/ holds the reference pages, and the README links to every one of them."""
    assert DOCS, "docs/*.md is missing"
    linked = {link.split("#")[0] for link in links(README)}
    assert {f"docs/{page.name}" for page in DOCS} <= linked


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_relative_links_lead_somewhere(page: Path) -> None:
    """Every relative link points to an existing file, and every #anchor to a heading there."""
    broken = []
    for target in links(page):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # https:, mailto: are not files here
            continue
        path_part, _, anchor = target.partition("#")
        dest = (page.parent / path_part).resolve() if path_part else page
        if not dest.exists():
            broken.append(f"{target}: no such file")
        elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
            broken.append(f"{target}: no heading with anchor #{anchor}")
    assert not broken, f"{page.name}: " + "; ".join(broken)


def test_slug_matches_github() -> None:
    """The anchor rule drops backticks, colons, dots and commas as GitHub does."""
    assert slug("`continue-setup migrate`: config.json to config.yaml") == (
        "continue-setup-migrate-configjson-to-configyaml")
    assert slug("Running as root for other users: the threat model") == (
        "running-as-root-for-other-users-the-threat-model")


def test_setup_commands_stay_true() -> None:
    """The README's two set-up commands are the ones a newcomer runs, and CI runs the same tests."""
    text = README.read_text(encoding="utf-8")
    run_it = "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/continue-setup init"
    test_it = "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/pytest"
    assert run_it in text
    assert test_it in text
    assert "npm install --no-package-lock --prefix tests/node" in text
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install --quiet -e '.[test]'" in ci
    assert "--prefix tests/node" in ci
    assert ci.rstrip().splitlines()[-1] == "pytest"


def test_every_command_in_the_table() -> None:
    """The README's command table names every command, each with a link."""
    with click.Context(cli) as ctx:
        commands = cli.list_commands(ctx)
    assert "init" in commands and "demo" in commands
    rows = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\| `([a-z-]+)` \|", line)
        if match:
            rows[match.group(1)] = line
    missing = sorted(set(commands) - set(rows))
    assert not missing, f"commands missing from the README's table: {missing}"
    assert all("](" in rows[name] for name in commands)


def test_every_code_documented() -> None:
    """Every finding code validate may report is explained in docs/."""
    text = "".join(page.read_text(encoding="utf-8") for page in DOCS)
    missing = [code for code in CODES if f"`{code}`" not in text]
    assert not missing, f"codes not in docs/validate.md: {missing}"


def test_exit_codes_documented() -> None:
    """The exit-code tables in the README and docs/reference.md list every code the tool uses."""
    for page in (README, ROOT / "docs" / "reference.md"):
        text = page.read_text(encoding="utf-8")
        for code in [*ExitCode, 130]:
            assert f"\n| {int(code)} | " in text, f"{page.name} lacks exit code {int(code)}"

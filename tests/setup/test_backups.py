"""Backups: found by their exact names only, pruned oldest first, compared without values."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from continue_setup.errors import InputError
from continue_setup.setup.backups import list_backups, prune, select
from continue_setup.setup.changes import changed_places, compare


def test_only_regular_files_with_our_exact_names_count(tmp_path: Path) -> None:
    """A stranger's name, a near miss and a symlink are not backups; order is by time."""
    original = tmp_path / "config.json"
    for name in ("config.json.bak-20250102-000000", "config.json.bak-20250101-000000-2",
                 "config.json.bak-20250101-000000", "config.json.bak-2025", "config.jsonx.bak-"
                 "20250101-000000", "config.json.bak-20250101-000000.swp"):
        (tmp_path / name).write_text("{}")
    if os.name == "posix":
        (tmp_path / "config.json.bak-20250103-000000").symlink_to(tmp_path / "elsewhere")
    assert [b.path.name for b in list_backups(original)] == [
        "config.json.bak-20250101-000000", "config.json.bak-20250101-000000-2",
        "config.json.bak-20250102-000000"]


def test_prune_keeps_the_newest(tmp_path: Path) -> None:
    """prune(keep=1) deletes all but the newest; keep=0 is refused."""
    original = tmp_path / ".env"
    for day in (1, 2, 3):
        (tmp_path / f".env.bak-2025010{day}-000000").write_text("A=1\n")
    removed = prune(original, 1)
    assert sorted(p.name for p in removed) == [".env.bak-20250101-000000",
                                               ".env.bak-20250102-000000"]
    assert [b.path.name for b in list_backups(original)] == [".env.bak-20250103-000000"]
    with pytest.raises(InputError):
        prune(original, 0)


def test_select_by_prefix_and_nothing_matching(tmp_path: Path) -> None:
    """WHEN picks the newest matching backup per file; no match raises with a hint."""
    (tmp_path / "config.yaml.bak-20250101-120000").write_text("a: 1\n")
    (tmp_path / "config.yaml.bak-20250101-130000").write_text("a: 2\n")
    (chosen,) = select(tmp_path, "20250101-12")
    assert chosen.stamp == "20250101-120000"
    with pytest.raises(InputError) as caught:
        select(tmp_path, "1999")
    assert caught.value.hint and "backups" in caught.value.hint


def test_changes_name_places_never_values(tmp_path: Path) -> None:
    """A key change is the apiKey pointer; a .env change is the variable's name."""
    config = tmp_path / "config.json"
    old = '{"models": [{"title": "A", "apiKey": "sk-old-123456"}]}'
    new = '{"models": [{"title": "A", "apiKey": "sk-new-654321"}]}'
    assert changed_places(old, new, config) == ["/models/0/apiKey"]
    assert changed_places("K=1\nX=2\n", "K=3\nX=2\n", tmp_path / ".env") == ["K"]
    assert changed_places("{", "{}", config) is None
    config.write_text(new)
    (tmp_path / "config.json.bak-20250101-000000").write_text(old)
    comparison = compare(list_backups(config)[0])
    assert "sk-" not in str(comparison.to_dict())

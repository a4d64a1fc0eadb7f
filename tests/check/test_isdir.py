"""Which of many paths are directories: the folder's listing answers as isdir would."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from continue_setup.check import isdir
from continue_setup.check.isdir import directories


def crowd(folder: Path, count: int) -> list[Path]:
    """Write ``count`` small files into ``folder``; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"c{index:04d}.json" for index in range(count)]
    for path in paths:
        path.write_text("{}")
    return paths


def test_listed_folders_answer_as_isdir_for_every_kind_of_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files, folders, a folder named like a config, links to either, a broken link, missing
    names, a trailing slash, '..' and relative names: the same answers as os.path.isdir."""
    files = crowd(tmp_path / "many", 40)
    many = tmp_path / "many"
    (many / "sub").mkdir()
    (many / "looks.json").mkdir()
    (many / "to-sub").symlink_to(many / "sub")
    (many / "to-file").symlink_to(files[0])
    (many / "broken").symlink_to(many / "nowhere")
    odd = [many / name for name in ("sub", "looks.json", "to-sub", "to-file", "broken",
                                    "missing.json")]
    odd += [Path(f"{many}/sub/"), many / "..", many / "sub" / ".." / "c0001.json"]
    monkeypatch.chdir(many)
    relative = [Path(f"c{index:04d}.json") for index in range(40)] + [Path("sub")]
    paths = [*files, *odd, *relative]
    assert directories(paths) == [os.path.isdir(path) for path in paths]
    assert sum(directories(paths)) == 6  # sub, looks.json, to-sub, sub/, .., relative sub


def test_a_listing_cut_short_still_answers_every_name(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A listing stops at its cap (a huge folder costs no more than the stats would); the
    names it did not reach are asked about one by one, with the same answers."""
    files = crowd(tmp_path / "big", 300)
    (tmp_path / "big" / "zz-dir").mkdir()
    named = [*files[-40:], tmp_path / "big" / "zz-dir", *files[:5]]
    real = isdir._listing
    lengths: list[int] = []

    def short(folder: str, *, most: int) -> dict[str, bool]:
        assert most == 8 * len(named) + 1024
        found = real(folder, most=10)
        lengths.append(len(found))
        return found

    monkeypatch.setattr(isdir, "_listing", short)
    assert directories(named) == [False] * 40 + [True] + [False] * 5
    assert lengths == [10]

"""Tell which of many paths are directories with one listing per folder, not a stat per path.

``validate dir/*.json`` hands over thousands of names from the same few folders, and each
must be known to be a file or a directory (to search) before any is checked. A stat per
name cost ~4 us each, on the one core busy before the workers start; the folder's listing
says the same for every name in one pass (the kernel's entry type, a stat only for links and
file systems that do not say).
"""

from __future__ import annotations

import os
from collections.abc import Sequence

TYPE_CHECKING = False
if TYPE_CHECKING:
    from continue_setup.config.paths import StrPath

LISTING_FROM = 32  # names in one folder; below it a stat each is cheaper than its listing


def directories(paths: Sequence[StrPath]) -> list[bool]:
    """Return, for each path, whether it is a directory (following links), as isdir says."""
    by_folder: dict[str, list[int]] = {}
    for index, path in enumerate(paths):
        by_folder.setdefault(os.path.dirname(path), []).append(index)
    answers: list[bool | None] = [None] * len(paths)
    for folder, indexes in by_folder.items():
        if len(indexes) < LISTING_FROM:
            continue
        listed = _listing(folder or os.curdir, most=8 * len(indexes) + 1024)
        for index in indexes:
            answers[index] = listed.get(os.path.basename(paths[index]))
    # Not listed: few in their folder, a folder we may not list, or a name no listing holds
    # ("x/", "..", a missing file, another case on a case-insensitive disk): ask directly.
    return [os.path.isdir(path) if answer is None else answer
            for path, answer in zip(paths, answers, strict=True)]


def _listing(folder: str, *, most: int) -> dict[str, bool]:
    """Return name -> is a directory for the first ``most`` entries of ``folder`` (empty when
    it cannot be listed). The cap keeps a huge folder from costing more than the stats."""
    found: dict[str, bool] = {}
    try:
        with os.scandir(folder) as entries:
            for entry, _ in zip(entries, range(most), strict=False):
                try:
                    found[entry.name] = entry.is_dir()
                except OSError:
                    continue  # a broken link or a vanished entry: isdir decides
    except OSError:
        return {}
    return found

"""How many processes may share independent work: forked workers on Linux, else one.

Checking a thousand configs is a thousand independent jobs, and on Linux a forked worker
starts in a millisecond with everything already imported (``workqueue`` shares the work).
Anywhere a fork is not a safe, cheap copy (other threads running, macOS, Windows), or when
the work is too small to pay for a fork, everything runs in this process.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import TypeVar
    T = TypeVar("T")
    R = TypeVar("R")

MAX_WORKERS = 8


def worker_count(items: int, *, min_per_worker: int) -> int:
    """Return how many processes should share ``items`` jobs (1: do them all here)."""
    if sys.platform != "linux" or not hasattr(os, "fork") or items < 2 * min_per_worker:
        return 1  # macOS forks unsafely once system frameworks load; Windows cannot fork
    import threading  # only when there is enough work to share

    if threading.active_count() > 1:
        return 1  # a fork copies other threads' locks but not the threads
    cores = len(os.sched_getaffinity(0))
    return max(1, min(cores, MAX_WORKERS, items // min_per_worker))

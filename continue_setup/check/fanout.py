"""Spread independent work over the CPU's cores: forked workers on Linux, one process elsewhere.

Checking a thousand configs is a thousand independent jobs. On Linux a forked worker starts
in a millisecond with everything already imported, so the work is dealt round-robin into
one share per process: workers take all but the first, this process takes the first, and
the results come back in order. Anywhere a fork is not a safe, cheap copy (other threads
running, macOS, Windows), or when the work is too small to pay for a fork, everything runs
here.

A worker's results come back pickled through a pipe, with the secrets it registered: the
redactor here must mask them too. A worker that fails in any way has its chunk redone here,
so an error surfaces once, in this process, where errors become output.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Sequence

from continue_setup.config import redact

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import Any, TypeVar
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


def map_chunks(
    work: Callable[[Sequence[T]], list[R]], items: Sequence[T], *, min_per_worker: int = 100
) -> list[R]:
    """Return ``work(items)``, computed in chunks by up to one process per core.

    ``work`` maps a chunk of items to one result per item; it must not print or write.
    """
    workers = worker_count(len(items), min_per_worker=min_per_worker)
    if workers == 1:
        return work(items)
    # Dealt round-robin, not cut into contiguous runs: a tree listed JSON first and YAML
    # (about 3x costlier to read) last would otherwise hand one worker nearly all the YAML.
    chunks = [items[i::workers] for i in range(workers)]
    started: dict[int, tuple[int, int]] = {}  # chunk index -> (pid, pipe to read)
    # Python's advice for fork() without exec(): freeze what exists, so neither side's
    # collector walks (and the worker's thereby copies) every object imported so far. The
    # console script runs without the collector; this is for callers that keep it on
    # (1,000 configs over two processes: ~15 ms of ~185 ms).
    gc.freeze()
    try:
        for index in range(1, len(chunks)):
            worker = _spawn(work, chunks[index])
            if worker is not None:
                started[index] = worker
        done = {i: work(chunk) for i, chunk in enumerate(chunks) if i not in started}
        for index in sorted(started):
            part: list[R] | None = _collect(*started.pop(index))
            done[index] = part if part is not None else work(chunks[index])
    finally:
        for pid, read_end in started.values():  # only after an error here
            os.close(read_end)
            os.waitpid(pid, 0)
        gc.unfreeze()
    results: list[Any] = [None] * len(items)
    for index, part in done.items():
        results[index::workers] = part
    return results


def _spawn(work: Callable[[Sequence[T]], list[R]], chunk: Sequence[T]) -> tuple[int, int] | None:
    """Start a worker on ``chunk``; return (pid, pipe to read), or None when it cannot fork."""
    import pickle

    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # out of processes or memory: this process does the chunk itself
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # the worker
        try:
            os.close(read_end)
            try:
                payload = pickle.dumps((work(chunk), sorted(redact.known())), protocol=5)
            except BaseException:  # anything at all: the parent redoes the chunk
                payload = b""
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
        finally:
            os._exit(0)  # never run the parent's code, handlers or atexit hooks
    os.close(write_end)
    return pid, read_end


def _collect(pid: int, read_end: int) -> list[Any] | None:
    """Wait for a worker; return its results, or None when it failed."""
    import pickle

    try:
        with os.fdopen(read_end, "rb") as pipe:
            payload = pipe.read()
    finally:
        os.waitpid(pid, 0)
    try:
        part, secrets = pickle.loads(payload)  # noqa: S301 - our own fork, through our pipe
    except Exception:  # an empty or cut-off payload: the worker failed
        return None
    redact.register_all(secrets)
    return list(part)

"""Chunks taken from a shared queue come back complete, in order, with their secrets, or are
redone here; whoever is free takes the next chunk."""

from __future__ import annotations

import itertools
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence

import pytest

from continue_setup.check import workqueue
from continue_setup.config import redact

PARENT = os.getpid()
needs_fork = pytest.mark.skipif(
    sys.platform != "linux" or len(os.sched_getaffinity(0)) < 2,
    reason="workers are forked on Linux with two or more cores only",
)


class Item:
    """An item with an identity: a result that mentions it must come back as this very object."""

    def __init__(self, number: int) -> None:
        self.number = number


def tagged(chunk: Sequence[Item]) -> list[tuple[Item, int]]:
    """Tag each item with the process that handled it (a chunk takes a few ms, as real work
    does, so a worker starting up still finds chunks left)."""
    time.sleep(0.005)
    return [(item, os.getpid()) for item in chunk]


@pytest.fixture(autouse=True)
def no_stray_children() -> Iterator[None]:
    """Every worker a test starts has been waited for when the test ends."""
    yield
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_chunks_cover_every_item_once_within_their_bounds() -> None:
    """Chunks are contiguous, cover the items exactly, hold at most MAX_CHUNK items (unless
    there would be more than MAX_CHUNKS of them), and number at most MAX_CHUNKS."""
    for count, workers in ((1, 2), (200, 2), (1000, 2), (10_000, 2), (10_000, 8),
                           (1_000_003, 2)):
        bounds = workqueue.chunk_bounds(count, workers)
        assert bounds[0][0] == 0 and bounds[-1][1] == count
        assert all(a[1] == b[0] for a, b in itertools.pairwise(bounds))
        assert len(bounds) <= workqueue.MAX_CHUNKS
        if count <= workqueue.MAX_CHUNK * workqueue.MAX_CHUNKS:
            assert max(end - start for start, end in bounds) <= workqueue.MAX_CHUNK
    assert len(workqueue.chunk_bounds(10_000, 2)) >= 64  # enough to even out the processes


@needs_fork
def test_results_come_back_in_order_from_two_processes_as_the_items_themselves() -> None:
    """Both processes work; every result is in the items' order, and an item a worker's
    result mentions is this process's own object, not a copy."""
    assert threading.active_count() == 1
    items = [Item(n) for n in range(2000)]
    results = workqueue.map_queued(tagged, items, min_per_worker=100)
    assert [item for item, _ in results] == items  # identity: Item has no __eq__
    assert all(result is item for (result, _), item in zip(results, items, strict=True))
    assert len({pid for _, pid in results}) == 2


def test_small_inputs_stay_in_this_process() -> None:
    """Too little work for a second process: everything runs here, in one call."""
    items = [Item(n) for n in range(50)]
    assert {pid for _, pid in workqueue.map_queued(tagged, items)} == {PARENT}


@needs_fork
def test_a_free_process_takes_the_chunks_a_busy_one_cannot() -> None:
    """While this process is held up in its first chunk, the worker takes the rest: the
    split follows who is free, not a share fixed in advance."""
    items = [Item(n) for n in range(1000)]

    def slow_here(chunk: Sequence[Item]) -> list[tuple[Item, int]]:
        if os.getpid() == PARENT:
            time.sleep(0.3)  # a chunk of costly files, or a busy core
        return tagged(chunk)

    results = workqueue.map_queued(slow_here, items, min_per_worker=100)
    here = sum(1 for _, pid in results if pid == PARENT)
    assert [item for item, _ in results] == items
    assert here < len(items) // 4


def failing_in_workers(how: str, after: int) -> Callable[[Sequence[Item]], list[tuple[Item, int]]]:
    """Return work that fails (by ``how``) in a worker once it has done ``after`` chunks."""
    done = [0]

    def work(chunk: Sequence[Item]) -> list[tuple[Item, int]]:
        if os.getpid() != PARENT:
            if done[0] >= after:
                if how == "exit":
                    os._exit(3)
                raise RuntimeError("worker failed")
            done[0] += 1
        return tagged(chunk)

    return work


@needs_fork
@pytest.mark.parametrize("how", ["exit", "raise"])
@pytest.mark.parametrize("after", [0, 3])
def test_chunks_a_failed_worker_took_are_redone_here(how: str, after: int) -> None:
    """A worker that dies or raises, first thing or midway, costs time, not results: the
    chunks it sent count, the ones it took and never sent are done again here."""
    items = [Item(n) for n in range(1000)]
    results = workqueue.map_queued(failing_in_workers(how, after), items, min_per_worker=100)
    assert [item for item, _ in results] == items
    assert {pid for _, pid in results} - {PARENT} or after == 0


@needs_fork
def test_secrets_seen_in_a_worker_are_masked_here() -> None:
    """A key a worker registered while making a chunk is known to this process's redactor."""
    secret = "sk-ld-QUEUE-WORKER-ONLY-0123456789"

    def work(chunk: Sequence[Item]) -> list[Item]:
        if os.getpid() != PARENT:
            redact.register(secret)
        return [item for item, _ in tagged(chunk) if item.number >= 0]

    items = [Item(n) for n in range(1000)]
    results = workqueue.map_queued(work, items, min_per_worker=100)
    assert all(result is item for result, item in zip(results, items, strict=True))
    assert redact.redact(f"key={secret}") == f"key={redact.MASK}"


@needs_fork
def test_an_error_here_still_waits_for_the_workers() -> None:
    """When this process's own chunk fails, the error surfaces and no worker is left behind."""

    def work(chunk: Sequence[Item]) -> list[int]:
        if os.getpid() == PARENT:
            raise ValueError("parent failed")
        time.sleep(0.005)  # the worker cannot take every chunk before this process takes one
        return [item.number for item in chunk]

    with pytest.raises(ValueError, match="parent failed"):
        workqueue.map_queued(work, [Item(n) for n in range(1000)], min_per_worker=100)


@needs_fork
def test_more_processes_than_two_share_the_queue(monkeypatch: pytest.MonkeyPatch) -> None:
    """With four processes (as on a four-core machine) every one takes chunks, and the
    results still come back complete and in order."""
    monkeypatch.setattr(workqueue.fanout, "worker_count", lambda count, min_per_worker: 4)
    items = [Item(n) for n in range(3000)]
    results = workqueue.map_queued(tagged, items)
    assert [item for item, _ in results] == items
    assert len({pid for _, pid in results}) == 4


def resident_mib() -> float:
    """Return this process's resident memory now (Linux), in MiB."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="Linux only")
def test_free_heap_pages_go_back_to_the_os() -> None:
    """Memory freed in the middle of the C heap (as CPython's start-up leaves its argument
    copies) stops counting against this process once released; on glibc only."""
    blocks = [bytes(3000) for _ in range(6000)]  # ~18 MB of malloc'd blocks
    kept = blocks[::10]  # every tenth stays, so the free runs sit inside the heap
    del blocks
    before = resident_mib()
    if not workqueue.release_free_heap():
        pytest.skip("not glibc: nothing to release")
    assert resident_mib() < before - 4
    assert len(kept) == 600

"""Work shared over forked workers comes back complete, in order, with its secrets, or is redone."""

from __future__ import annotations

import gc
import json
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from continue_setup.check import fanout, validate
from continue_setup.config import redact
from continue_setup.report.validate import payload

PARENT = os.getpid()
needs_fork = pytest.mark.skipif(
    sys.platform != "linux" or len(os.sched_getaffinity(0)) < 2,
    reason="workers are forked on Linux with two or more cores only",
)


def pids(chunk: Sequence[int]) -> list[tuple[int, int]]:
    """Tag each item with the process that handled it."""
    return [(item, os.getpid()) for item in chunk]


@pytest.fixture(autouse=True)
def no_stray_children() -> Iterator[None]:
    """Every worker a test starts has been waited for when the test ends."""
    yield
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


@needs_fork
def test_many_items_are_shared_and_come_back_in_order() -> None:
    """Two workers' results arrive complete and in the items' order."""
    assert threading.active_count() == 1
    results = fanout.map_chunks(pids, list(range(1000)), min_per_worker=100)
    assert [item for item, _ in results] == list(range(1000))
    assert len({pid for _, pid in results}) == 2
    assert results[0][1] == PARENT  # this process does the first chunk itself


@needs_fork
def test_objects_are_frozen_while_workers_run_and_thawed_after() -> None:
    """Both sides work with the imported objects frozen (no collector walks them after the
    fork); afterwards this process's collector is back as it was."""
    assert gc.get_freeze_count() == 0

    def frozen(chunk: Sequence[int]) -> list[tuple[int, int]]:
        return [(os.getpid(), gc.get_freeze_count()) for _ in chunk]

    results = fanout.map_chunks(frozen, list(range(400)), min_per_worker=100)
    assert len({pid for pid, _ in results}) == 2
    assert all(count > 1000 for _, count in results)
    assert gc.get_freeze_count() == 0


def test_small_inputs_and_threads_stay_in_this_process() -> None:
    """Too little work, or other threads alive (a fork would copy their locks): no workers."""
    assert {pid for _, pid in fanout.map_chunks(pids, list(range(50)))} == {PARENT}
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, args=(10,))
    thread.start()
    try:
        assert fanout.worker_count(10_000, min_per_worker=1) == 1
    finally:
        stop.set()
        thread.join()


def failing_in_workers(how: str) -> Callable[[Sequence[int]], list[tuple[int, int]]]:
    """Return work that fails (by ``how``) whenever it runs outside this process."""

    def work(chunk: Sequence[int]) -> list[tuple[int, int]]:
        if os.getpid() != PARENT:
            if how == "exit":
                os._exit(3)
            raise RuntimeError("worker failed")
        return pids(chunk)

    return work


@needs_fork
@pytest.mark.parametrize("how", ["exit", "raise"])
def test_a_failed_worker_has_its_chunk_redone_here(how: str) -> None:
    """A worker that dies or raises costs time, not results: this process redoes its chunk."""
    results = fanout.map_chunks(failing_in_workers(how), list(range(400)), min_per_worker=100)
    assert results == [(item, PARENT) for item in range(400)]


@needs_fork
def test_secrets_seen_in_a_worker_are_masked_here() -> None:
    """A key a worker registered is known to this process's redactor."""
    secret = "sk-ld-WORKER-ONLY-0123456789"

    def work(chunk: Sequence[int]) -> list[int]:
        if os.getpid() != PARENT:
            redact.register(secret)
        return list(chunk)

    assert fanout.map_chunks(work, list(range(400)), min_per_worker=100) == list(range(400))
    assert redact.redact(f"key={secret}") == f"key={redact.MASK}"


@needs_fork
def test_an_error_here_still_waits_for_the_workers() -> None:
    """When this process's own chunk fails, the error surfaces and no worker is left behind."""

    def work(chunk: Sequence[int]) -> list[int]:
        if os.getpid() == PARENT:
            raise ValueError("parent failed")
        return list(chunk)

    with pytest.raises(ValueError, match="parent failed"):
        fanout.map_chunks(work, list(range(400)), min_per_worker=100)


@needs_fork
def test_validate_reports_the_same_with_and_without_workers(tmp_path: Path) -> None:
    """300 configs, some broken: the parallel run's JSON equals the one-process run's."""
    recipe = {
        "models": [
            {"title": "GPT", "provider": "openai", "model": "gpt-5.2",
             "apiKey": "sk-ld-fanout-0123456789abcdef",
             "apiBase": "https://api.langdock.com/openai/eu/v1"},
        ]
    }
    for index in range(300):
        path = tmp_path / f"config-{index:03d}.json"
        if index % 7 == 0:
            path.write_text('{"models": [ {"title": "x",, } ]}')  # a parse error
        elif index % 5 == 0:
            path.write_text(json.dumps({"models": [{"title": index}]}))  # schema errors
        else:
            recipe["models"][0]["title"] = f"GPT {index}"
            path.write_text(json.dumps(recipe))
    together = validate.validate_paths([tmp_path], environ={}, parallel=False)
    shared = validate.validate_paths([tmp_path], environ={}, parallel=True)
    assert payload(shared) == payload(together)
    assert payload(shared)["summary"]["invalid"] == 43 + 60 - 9  # multiples of 7 or 5 (35s once)


@needs_fork
def test_fanout_balances_json_and_yaml_whatever_their_order() -> None:
    """A list of all JSON files then all YAML files gives each process half of each kind."""
    items = ["json"] * 500 + ["yaml"] * 500

    def kinds(chunk: Sequence[str]) -> list[tuple[str, int]]:
        return [(kind, os.getpid()) for kind in chunk]

    results = fanout.map_chunks(kinds, items, min_per_worker=100)
    assert [kind for kind, _ in results] == items
    share: dict[int, list[str]] = {}
    for kind, pid in results:
        share.setdefault(pid, []).append(kind)
    assert len(share) == 2
    for kinds_seen in share.values():
        assert kinds_seen.count("yaml") == 250 and kinds_seen.count("json") == 250

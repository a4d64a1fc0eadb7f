"""How many processes share the work: workers only for enough work and no other threads."""

from __future__ import annotations

import json
import os
import sys
import threading
from pathlib import Path

import pytest

from continue_setup.check import fanout, validate
from continue_setup.report.validate import payload

needs_fork = pytest.mark.skipif(
    sys.platform != "linux" or len(os.sched_getaffinity(0)) < 2,
    reason="workers are forked on Linux with two or more cores only",
)


@needs_fork
def test_enough_work_gets_a_process_per_core() -> None:
    """A thousand jobs at 100 a worker use every core this process may run on (up to 8)."""
    cores = len(os.sched_getaffinity(0))
    assert fanout.worker_count(1000, min_per_worker=100) == min(cores, fanout.MAX_WORKERS, 10)
    assert fanout.worker_count(250, min_per_worker=100) == min(cores, 2)


def test_small_inputs_and_threads_stay_in_this_process() -> None:
    """Too little work, or other threads alive (a fork would copy their locks): no workers."""
    assert fanout.worker_count(50, min_per_worker=100) == 1
    assert fanout.worker_count(199, min_per_worker=100) == 1
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, args=(10,))
    thread.start()
    try:
        assert fanout.worker_count(10_000, min_per_worker=1) == 1
    finally:
        stop.set()
        thread.join()


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

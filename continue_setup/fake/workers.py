"""The fake gateway's threads: one per connection while it lasts, kept for the next one.

socketserver starts a new thread for every connection and waits until it runs; with 50
connections arriving at once that start (~0.1 ms each, under one GIL) made the accept loop
fall behind, and the last request's delay began ~15 ms after it arrived. A real gateway
takes requests in parallel, so the fake reuses threads, and each delay runs from the moment
the connection was accepted (see ``Arrivals``), not from when its thread got round to it.
"""

from __future__ import annotations

import queue
import select
import threading
import time
from collections.abc import Callable
from typing import Any

IDLE = 10.0  # seconds a thread with no connection waits for the next one, then ends

Job = tuple[Any, Any]  # (socket, client address), as socketserver hands them over


class Workers:
    """Run ``serve(request, client_address)`` for each connection in a thread of its own.

    Every connection gets a thread at once: an idle one if there is any, else a new one, so
    a stalled or slow answer never holds up another. ``close`` ends the idle threads.
    """

    def __init__(self, serve: Callable[[Any, Any], None], name: str = "fake-langdock") -> None:
        self._serve = serve
        self.name = name  # of every thread
        self._jobs: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._idle = 0  # threads waiting in _next for which no job has been put yet
        self._closed = False

    def start(self, request: Any, client_address: Any) -> None:
        """Serve this connection in an idle thread, or in a new one."""
        with self._lock:
            if self._idle and not self._closed:
                self._idle -= 1
                self._jobs.put((request, client_address))
                return
        threading.Thread(target=self._run, args=((request, client_address),), daemon=True,
                         name=self.name).start()

    @property
    def idle(self) -> int:
        """How many threads wait for a connection."""
        with self._lock:
            return self._idle

    def close(self) -> None:
        """End every idle thread now; busy ones end when their connection does."""
        with self._lock:
            self._closed = True
            for _ in range(self._idle):
                self._jobs.put(None)
            self._idle = 0

    def _run(self, job: Job | None) -> None:
        while job is not None:
            self._serve(*job)
            job = self._next()

    def _next(self) -> Job | None:
        """Wait up to IDLE seconds for another connection; None: end this thread."""
        with self._lock:
            if self._closed:
                return None
            self._idle += 1
        try:
            return self._jobs.get(timeout=IDLE)
        except queue.Empty:
            with self._lock:  # start() may have counted on this thread just now
                try:
                    return self._jobs.get_nowait()
                except queue.Empty:
                    self._idle -= 1
                    return None


class Arrivals:
    """When each connection was accepted, for the delay of its first request.

    The clock of a request's delay starts when it arrived. For the first request on a
    connection whose bytes were already waiting when its thread began, that is no later
    than the accept; otherwise (TLS, keep-alive, a client slow to send) it is when the
    request line was read.
    """

    def __init__(self) -> None:
        self._at: dict[Any, float] = {}  # by socket

    def accepted(self, request: Any) -> None:
        """Note that ``request`` (a socket) was accepted now."""
        self._at[request] = time.monotonic()

    def first(self, request: Any, *, plain: bool) -> float | None:
        """Return the accept time of ``request`` if its first request is already waiting."""
        at = self._at.pop(request, None)
        if at is None or not plain:
            return None
        return at if select.select([request], [], [], 0)[0] else None

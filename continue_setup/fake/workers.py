"""The fake gateway's threads: one per connection while it lasts, kept for the next one.

socketserver starts a new thread for every connection and waits until it runs; with 50
connections arriving at once, each start (~0.1 ms, under one GIL shared with the handlers
parsing their requests) kept the accept loop behind, and a request's delay began only when
its thread got round to it: the 50th answer came ~15 ms after the first, though a real
gateway takes requests in parallel. Here threads are reused, and a request already waiting
at the accept is timed from the accept (``Arrivals``).
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
    """When each request that was already waiting at its connection's accept arrived.

    A request's delay runs from when it arrived, and never from earlier. A request whose
    bytes were there when its connection was accepted arrived no later than the accept, so
    the accept time stands for it: its thread may start later (50 connections at once
    share one GIL) without the answer coming later. Any other request (TLS, keep-alive,
    or sent after the accept) is timed when its request line is read.
    """

    def __init__(self) -> None:
        self._at: dict[Any, float] = {}  # by socket

    def accepted(self, request: Any) -> None:
        """Note the accept time of ``request`` (a socket) if its first bytes are waiting."""
        now = time.monotonic()
        try:
            waiting = select.select([request], [], [], 0)[0]
        except (OSError, ValueError):  # e.g. a descriptor past select's 1024 on POSIX
            return  # timed from its request line instead, which is never too early
        if waiting:
            self._at[request] = now

    def first(self, request: Any, *, plain: bool) -> float | None:
        """Return when the first request on ``request`` arrived, if known by now."""
        at = self._at.pop(request, None)
        return at if plain else None

"""Share many small jobs over forked workers that each take the next chunk when free.

Dealt one fixed share each (as validate once did), whichever process holds the costlier
files (YAML reads ~3x slower than JSON) or runs on the busier core decides the wall time,
and this process, which also renders the results, finishes last. Here the items are cut into
small contiguous chunks, and every process, this one included, takes the next chunk number
from a shared pipe until none is left: whoever is free works, so all finish within a chunk
of each other, whatever the order of the files or the load on the machine.

A worker sends each chunk's results back as soon as it has them, with the secrets it
registered while making them, and keeps nothing; this process reads them between its own
chunks. Items a result mentions (a report's path) travel as their index, not a copy: this
process already holds them. A chunk that never came back (a worker died, raised, or sent
something unreadable) is done again here, so an error surfaces once, in this process.
"""

from __future__ import annotations

import gc
import io
import os
import struct
from collections.abc import Callable, Sequence

from continue_setup.check import fanout
from continue_setup.config import redact

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import Any, TypeVar
    T = TypeVar("T")
    R = TypeVar("R")

MAX_CHUNKS = 1000  # their numbers (4 bytes each) fit a pipe's smallest buffer, 4 KiB
MAX_CHUNK = 128  # items; a chunk of configs is ~20 ms, the most the processes can drift apart
_TASK = struct.Struct("=I")  # a chunk number
_HEAD = struct.Struct("=IQ")  # a result record: chunk number, length of the pickle after it
_PIPE_BYTES = 1 << 20  # room for a worker's results while this process is inside a chunk
_READ_BYTES = 1 << 18  # at a time, out of a worker's pipe


def chunk_bounds(count: int, workers: int) -> list[tuple[int, int]]:
    """Return (start, end) of each chunk: ~32 per worker, at most ``MAX_CHUNK`` items each."""
    per_worker = -(-count // (workers * 32))
    size = max(1, min(MAX_CHUNK, per_worker), -(-count // MAX_CHUNKS))
    return [(start, min(start + size, count)) for start in range(0, count, size)]


def map_queued(
    work: Callable[[Sequence[T]], list[R]], items: Sequence[T], *, min_per_worker: int = 100
) -> list[R]:
    """Return ``work(items)``, computed chunk by chunk by up to one process per core.

    ``work`` maps a chunk of items to one result per item; it must not print or write, and
    ``items`` must not change while it runs.
    """
    workers = fanout.worker_count(len(items), min_per_worker=min_per_worker)
    if workers == 1:
        return work(items)
    bounds = chunk_bounds(len(items), workers)
    tasks, feed = os.pipe()
    try:
        os.write(feed, b"".join(_TASK.pack(index) for index in range(len(bounds))))
    finally:
        os.close(feed)  # no writer left: an empty queue reads as the end, never blocks
    done: dict[int, list[R]] = {}
    readers: dict[int, _Reader] = {}  # pid -> its results
    release_free_heap()  # before the fork: each worker starts from what is left
    gc.freeze()  # neither side's collector walks (so copies) the objects imported so far
    try:
        for _ in range(workers - 1):
            reader = _spawn(work, items, bounds, tasks, [r.pipe for r in readers.values()])
            if reader is not None:
                readers[reader.pid] = reader
        while (index := _take(tasks)) is not None:
            start, end = bounds[index]
            done[index] = work(items[start:end])
            for reader in readers.values():
                reader.drain(items, bounds, done, block=False)
        for reader in readers.values():
            reader.drain(items, bounds, done, block=True)
    finally:
        os.close(tasks)
        for reader in readers.values():
            reader.close()
        gc.unfreeze()
    results: list[R] = []
    for index, (start, end) in enumerate(bounds):
        # Never came back: a worker failed. Done here, where its error (if any) surfaces.
        results.extend(done.pop(index) if index in done else work(items[start:end]))
    return results


def release_free_heap() -> bool:
    """Give the pages the C heap holds free back to the OS (glibc); tell whether it could.

    CPython's start-up copies its arguments several times and frees the copies: with
    10,000 file names that leaves ~8 MiB of free heap pages resident in this process, and
    in every worker forked from it. glibc's malloc_trim hands them back (~3 ms); elsewhere
    (musl, macOS) nothing happens.
    """
    try:
        import ctypes

        ctypes.CDLL(None).malloc_trim(0)
    except (ImportError, OSError, AttributeError):  # no ctypes, no libc, not glibc
        return False
    return True


def _take(tasks: int) -> int | None:
    """Take the next chunk number off the queue; None when it is empty."""
    # Every record is 4 bytes and a pipe read takes whole bytes under the pipe's lock, so
    # processes reading at once each get a whole, different number.
    record = os.read(tasks, _TASK.size)
    return _TASK.unpack(record)[0] if len(record) == _TASK.size else None


def _spawn(
    work: Callable[[Sequence[T]], list[R]],
    items: Sequence[T],
    bounds: list[tuple[int, int]],
    tasks: int,
    others: list[int],
) -> _Reader | None:
    """Start a worker on the queue; return how to read it, or None when it cannot fork.

    ``others`` are the pipes of the workers started before: the new one closes its copies,
    so a worker whose reader is gone gets an error when it writes, never a wait.
    """
    read_end, write_end = os.pipe()
    try:
        import fcntl

        fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, _PIPE_BYTES)
    except (ImportError, AttributeError, OSError):
        pass  # the default 64 KiB: the worker waits a little more often, that is all
    try:
        pid = os.fork()
    except OSError:  # out of processes or memory: the others do the chunks
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # the worker
        try:
            for pipe in (read_end, *others):
                os.close(pipe)
            _serve(work, items, bounds, tasks, write_end)
        finally:
            os._exit(0)  # never run the parent's code, handlers or atexit hooks
    os.close(write_end)
    os.set_blocking(read_end, False)
    return _Reader(pid, read_end)


def _serve(
    work: Callable[[Sequence[T]], list[R]],
    items: Sequence[T],
    bounds: list[tuple[int, int]],
    tasks: int,
    pipe: int,
) -> None:
    """Work through the queue, sending each chunk's results and new secrets as they come."""
    import pickle  # here, not at the top: a one-file run never pays for it

    class ByIndex(pickle.Pickler):
        """Pickle the items themselves (a report's path) as their index in ``items``."""

        indexes: dict[int, int]

        def persistent_id(self, obj: Any) -> int | None:
            return self.indexes.get(id(obj))

    sent = redact.known()  # the parent knows these already
    try:
        while (index := _take(tasks)) is not None:
            start, end = bounds[index]
            part = work(items[start:end])
            secrets = redact.known() - sent
            sent |= secrets
            buffer = io.BytesIO()
            pickler = ByIndex(buffer, protocol=5)
            pickler.indexes = {id(items[i]): i for i in range(start, end)}
            pickler.dump((part, sorted(secrets)))
            payload = buffer.getbuffer()
            _write_all(pipe, _HEAD.pack(index, len(payload)))
            _write_all(pipe, payload)
    except BaseException:  # anything at all: the parent redoes the chunks it did not get
        return


def _write_all(pipe: int, data: Any) -> None:
    view = memoryview(data)
    while view:  # bounded: each pass writes at least one byte, or raises
        view = view[os.write(pipe, view):]


class _Reader:
    """One worker's pipe: bytes in, whole chunks of results out."""

    def __init__(self, pid: int, pipe: int) -> None:
        self.pid = pid
        self.pipe = pipe
        self.buffer = bytearray()
        self.failed = False  # sent something unreadable: ignore the rest
        self.open = True

    def drain(
        self,
        items: Sequence[Any],
        bounds: list[tuple[int, int]],
        done: dict[int, Any],
        *,
        block: bool,
    ) -> None:
        """Read what the worker has sent (with ``block``: all of it, to its end) and keep
        each whole chunk of results in ``done``."""
        if not self.open:
            return
        if block:
            os.set_blocking(self.pipe, True)
        while True:  # bounded: ends at the pipe's end, or when nothing more is ready
            try:
                data = os.read(self.pipe, _READ_BYTES)
            except BlockingIOError:
                break
            if not data:
                self.close()
                break
            self.buffer += data
            self._unpack(items, bounds, done)

    def _unpack(
        self, items: Sequence[Any], bounds: list[tuple[int, int]], done: dict[int, Any]
    ) -> None:
        import pickle

        offset = 0
        while not self.failed and len(self.buffer) - offset >= _HEAD.size:
            index, length = _HEAD.unpack_from(self.buffer, offset)
            if len(self.buffer) - offset - _HEAD.size < length:
                break
            body = self.buffer[offset + _HEAD.size : offset + _HEAD.size + length]
            offset += _HEAD.size + length
            try:
                unpickler = pickle.Unpickler(io.BytesIO(body))  # noqa: S301 - our own fork
                unpickler.persistent_load = items.__getitem__  # type: ignore[method-assign]
                part, secrets = unpickler.load()
                start, end = bounds[index]
                if len(part) != end - start:
                    raise ValueError("a chunk's results do not match its items")
            except Exception:  # cut off or garbled: the chunks it owed are redone here
                self.failed = True
                break
            redact.register_all(secrets)
            done[index] = list(part)
        del self.buffer[:offset]

    def close(self) -> None:
        """Close the pipe and wait for the worker (it exits once it has written all)."""
        if self.open:
            self.open = False
            os.close(self.pipe)
            os.waitpid(self.pid, 0)

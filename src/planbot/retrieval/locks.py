"""The knowledge index's locks: who may search while whom writes.

- `SharedLock`: many searches of the vector store at once, or one reopen of it alone (closing the
  store under a search would break that search). Held by searches for one vector query only.
- `WriterLock`: one writer of a data dir at a time, in this process (a thread lock) and across
  processes (`flock` on `index.lock`: uvicorn workers, `planbot ingest` while serving). Searches
  never take it: an upload embeds its passages under it while searches answer from the published
  index, and only the final swap takes the index's own (brief) lock.
"""

from __future__ import annotations

import contextlib
import fcntl
import threading
from collections.abc import Iterator
from pathlib import Path


class SharedLock:
    """Many holders of `shared()` at once, or one holder of `exclusive()` alone."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0

    @contextlib.contextmanager
    def shared(self) -> Iterator[None]:
        with self._cond:
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: self._readers == 0)
            yield


class WriterLock:
    """One writer of the data dir: a thread of this process and a process of the machine."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._thread = threading.Lock()

    @contextlib.contextmanager
    def hold(self) -> Iterator[None]:
        with self._thread, self.path.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    @contextlib.contextmanager
    def hold_if_free(self) -> Iterator[bool]:
        """The lock if nobody writes right now (True), else nothing (False): for a reader that would save
        derived files (BM25) and must not race a writer."""
        if not self._thread.acquire(blocking=False):
            yield False
            return
        try:
            with self.path.open("a") as handle:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    got = True
                except BlockingIOError:
                    got = False
                try:
                    yield got
                finally:
                    if got:
                        fcntl.flock(handle, fcntl.LOCK_UN)
        finally:
            self._thread.release()

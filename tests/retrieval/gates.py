"""Test doubles for writes in progress: an embedding model that holds an upload mid-way on purpose.

Tests order events (the upload is embedding; a search answers; then the upload finishes) instead
of measuring time, so they hold on slow, shared machines. A wait that never ends fails after
STUCK_S: that is a deadlock guard, never a performance threshold.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from tests.retrieval.hashed_embeddings import HashedEmbeddings

STUCK_S = 120.0
T = TypeVar("T")


class GatedEmbeddings(HashedEmbeddings):
    """Passages wait at the gate once it is closed (queries never do); `entered` is set when one waits."""

    def __init__(self) -> None:
        self.closed = False
        self.entered = threading.Event()
        self.opened = threading.Event()
        self.passages = 0  # passages embedded so far

    def close(self) -> None:
        self.closed, self.entered, self.opened = True, threading.Event(), threading.Event()

    def open(self) -> None:
        self.closed = False
        self.opened.set()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if self.closed:
            self.entered.set()
            if not self.opened.wait(STUCK_S):
                raise TimeoutError("the gate was never opened")
        self.passages += len(texts)
        return super().embed_documents(texts)


class Background:
    """Run a call in a thread; `result()` is its value (or raises its exception)."""

    def __init__(self, fn: Callable[[], Any]) -> None:
        self._value: Any = None
        self._error: BaseException | None = None
        self.done = threading.Event()

        def run() -> None:
            try:
                self._value = fn()
            except BaseException as exc:  # handed to result()
                self._error = exc
            finally:
                self.done.set()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()

    def result(self) -> Any:
        if not self.done.wait(STUCK_S):
            raise TimeoutError("the call never finished")
        if self._error is not None:
            raise self._error
        return self._value


def answered(fn: Callable[[], T]) -> T:
    """`fn()` run in a thread, so a call that blocks fails the test instead of hanging it."""
    value: T = Background(fn).result()
    return value

"""Relaying a worker thread's progress to a server-sent-events stream as it happens."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any


class Relay:
    """`put` is called from the worker thread; `until(task)` yields each event on the event loop, in
    order, until the task is done and every event has been yielded."""

    def __init__(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._events: asyncio.Queue[Any] = asyncio.Queue()

    def put(self, event: Any) -> None:
        self._loop.call_soon_threadsafe(self._events.put_nowait, event)

    async def until(self, task: asyncio.Future[Any]) -> AsyncIterator[Any]:
        while not task.done() or not self._events.empty():
            try:
                yield await asyncio.wait_for(self._events.get(), timeout=0.1)
            except TimeoutError:
                continue

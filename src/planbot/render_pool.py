"""All of a plan's formats at once: what the background render job does (and `make bench` times).

With `processes` > 0 the formats are rendered in parallel by a pool of long-lived processes (spawned,
not forked: the server has threads; their libraries load once, in `_warm`): the PDF (WeasyPrint laying
out the whole plan) takes most of the time, so it starts first while the other formats share the
remaining process(es). The pool's processes run at a lower priority than the server, so rendering in
the background never slows the requests in the foreground. `processes=0` renders in the calling thread.
"""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import os
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool

from planbot.core.plan import Plan
from planbot.render import FORMATS, Format, render

COST_ORDER: tuple[Format, ...] = ("pdf", "docx", "html", "xlsx", "md", "json")  # slowest first
NICE = 5  # the pool's priority below the server's

_pool: ProcessPoolExecutor | None = None
_pool_size = 0
_lock = threading.Lock()


def _orphaned(parent: int) -> None:
    """Exit once the server that started this process is gone (killed: no shutdown to tell us)."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


def _warm(parent: int) -> None:
    """Each pool process: lower priority, then load what rendering needs once (not in the first job)."""
    threading.Thread(target=_orphaned, args=(parent,), name="planbot-render-orphan", daemon=True).start()
    with contextlib.suppress(OSError):
        os.nice(NICE)
    from planbot.render import charts, docx, pdf, xlsx  # noqa: F401, PLC0415 - imported for their load time

    charts.cjk_font()


def _render(plan: Plan, fmt: Format) -> bytes:
    return render(plan, fmt)


def pool(processes: int) -> ProcessPoolExecutor:
    """The process-wide pool (created on first use, rebuilt if a process died or the size changed)."""
    global _pool, _pool_size  # noqa: PLW0603 - one pool per process
    with _lock:
        if _pool is None or _pool_size != processes or getattr(_pool, "_broken", False):
            if _pool is not None:
                _pool.shutdown(wait=False, cancel_futures=True)
            ctx = multiprocessing.get_context("spawn")
            _pool = ProcessPoolExecutor(processes, mp_context=ctx, initializer=_warm, initargs=(os.getpid(),))
            _pool_size = processes
        return _pool


def warm(processes: int) -> None:
    """Start the pool's processes now (they load their libraries in the background)."""
    if processes > 0:
        executor = pool(processes)
        for _ in range(processes):
            executor.submit(os.getpid)


@atexit.register
def shutdown() -> None:
    """Stop the pool's processes now, a render in progress too (its job's claim goes stale and is
    taken over after a restart): a server that stops never waits for a PDF."""
    global _pool  # noqa: PLW0603
    with _lock:
        if _pool is not None:
            running = list((getattr(_pool, "_processes", None) or {}).values())
            _pool.shutdown(wait=False, cancel_futures=True)
            for proc in running:
                proc.terminate()
            _pool = None


def render_all(plan: Plan, formats: Sequence[Format] = FORMATS, processes: int = 0) -> Iterator[tuple[Format, bytes]]:
    """(format, bytes) for each of `formats`, as each is ready; a renderer's error is raised after
    the formats that rendered have been yielded (a job stores what it can, then records the error)."""
    wanted = [f for f in COST_ORDER if f in formats]
    if processes <= 0 or len(wanted) <= 1:
        failure: BaseException | None = None
        for fmt in wanted:
            try:
                data = render(plan, fmt)
            except Exception as exc:
                failure = failure or exc
                continue
            yield fmt, data
        if failure is not None:
            raise failure
        return
    try:
        futures: dict[Future[bytes], Format] = {pool(processes).submit(_render, plan, f): f for f in wanted}
    except (BrokenProcessPool, RuntimeError):  # the pool broke or is shutting down: render here
        yield from render_all(plan, formats, 0)
        return
    failure = None
    for future in as_completed(futures):
        try:
            data = future.result()
        except BrokenProcessPool:
            if _pool is None:
                raise  # shut down on purpose (the server is stopping): no rendering here instead
            data = render(plan, futures[future])  # a pool process died (out of memory?): this format here
        except Exception as exc:
            failure = failure or exc
            continue
        yield futures[future], data
    if failure is not None:
        raise failure

"""A plan version's documents: rendered once, in the background, and served from the database.

Every saved version gets a render job in the same transaction (planbot.store.models). The
`RenderWorker` (a thread the API starts with the app; `Planbot.start_worker`) claims jobs from the
shared database -- any process may, and a claim whose worker stopped is taken over after
`PLANBOT_RENDER_STALE_S` -- renders all six formats and stores them (`plan_documents`).

A download asks `Documents` for a version's document: the stored one when it is there, else it
renders it now and stores it (a download never waits on the queue, and a failed job never breaks
one). Stored documents are keyed by plan, version and format, and checked against the plan's
fingerprint, so a changed copy of a plan is never answered with another's document.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from planbot import errors
from planbot.config import Settings
from planbot.core.plan import Plan
from planbot.render import FORMATS, Format, filename, fingerprint
from planbot.render_pool import render_all
from planbot.render_pool import shutdown as shutdown_pool
from planbot.store.documents import DocumentRows, JobInfo
from planbot.store.repository import Store

log = logging.getLogger(__name__)
Renderer = Callable[[Plan, Format], bytes]


@dataclass
class Counters:
    """What the downloads and the worker did (for tests, /metrics and the benchmark)."""

    served_stored: int = 0  # downloads answered from the database
    rendered_on_demand: int = 0  # downloads that rendered (nothing stored yet)
    jobs_done: int = 0
    jobs_failed: int = 0  # failed attempts (retried while attempts remain)


class Documents:
    """Stored documents of plan versions, rendered on demand when missing."""

    def __init__(self, store: Callable[[], Store], renderer: Renderer, processes: int = 0) -> None:
        self._store = store
        self._render = renderer  # one format now (a download with nothing stored)
        self.processes = processes  # a job's formats: in this many parallel processes (0: in this thread)
        self._rows: DocumentRows | None = None
        self.counters = Counters()

    @property
    def rows(self) -> DocumentRows:
        store = self._store()
        if self._rows is None or self._rows.store is not store:
            self._rows = DocumentRows(store)
        return self._rows

    def document(self, plan: Plan, fmt: Format) -> bytes:
        """The plan's document: stored, or rendered now (and stored for the next download)."""
        mark = fingerprint(plan)
        stored = self.rows.document(plan.id, plan.version, fmt)
        if stored is not None and stored.fingerprint == mark:
            self.counters.served_stored += 1
            return stored.content
        data = self._render(plan, fmt)
        self.counters.rendered_on_demand += 1
        self.rows.put_document(plan.id, plan.version, fmt, mark, filename(plan, fmt), data)
        return data

    def owned(self, owner: str, plan_id: str, fmt: Format, version: int | None,
              load: Callable[[str, str, int], Plan]) -> tuple[bytes, str]:  # fmt: skip
        """(bytes, file name) of an owner's plan version in `fmt`: straight from the database once
        rendered (the plan itself is not even loaded), else `load`ed and rendered now. Another
        owner's plan: NotFound."""
        number, stored = self.rows.owned_document(owner, plan_id, version, fmt)
        if stored is not None:
            self.counters.served_stored += 1
            return stored.content, stored.filename
        plan = load(owner, plan_id, number)
        return self.document(plan, fmt), filename(plan, fmt)

    def render_version(self, plan: Plan, heartbeat: Callable[[], object] = lambda: None) -> list[Format]:
        """Render and store every format of a version not stored yet (a retried job keeps what it
        made before); the formats stored. Raises the first renderer's error after storing the rest."""
        mark = fingerprint(plan)
        todo = tuple(f for f in FORMATS if (d := self.rows.document(plan.id, plan.version, f)) is None
                     or d.fingerprint != mark)  # fmt: skip
        done: list[Format] = []
        for fmt, data in self._all(plan, todo):
            if self.rows.put_document(plan.id, plan.version, fmt, mark, filename(plan, fmt), data):
                done.append(fmt)  # else: a download stored it first, or the plan was deleted meanwhile
            heartbeat()
        return done

    def _all(self, plan: Plan, formats: tuple[Format, ...]) -> Iterator[tuple[Format, bytes]]:
        if self.processes > 0:
            yield from render_all(plan, formats, self.processes)
            return
        failure: Exception | None = None
        for fmt in formats:
            try:
                data = self._render(plan, fmt)
            except Exception as exc:
                failure = failure or exc
                continue
            yield fmt, data
        if failure is not None:
            raise failure


class RenderWorker:
    """Claims render jobs from the database and renders them, one at a time, in a daemon thread."""

    def __init__(self, documents: Documents, settings: Settings, name: str | None = None) -> None:
        self.documents = documents
        self.settings = settings
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> JobInfo | None:
        """Claim one job and do it; the job as claimed, or None when the queue is empty."""
        s = self.settings
        rows = self.documents.rows
        job = rows.claim(self.name, s.render_stale_s, s.render_max_attempts)
        if job is None:
            return None
        try:
            plan = rows.version_plan(job.plan_id, job.version)
            if plan is not None:  # None: deleted meanwhile (the job row went with it)
                self.documents.render_version(plan, lambda: rows.heartbeat(job.plan_id, job.version, self.name))
        except Exception as exc:  # recorded and retried; downloads render on demand meanwhile
            if self._stop.is_set():  # the server is stopping (its render processes were stopped): not a failure
                with contextlib.suppress(errors.Unavailable):
                    rows.release(job.plan_id, job.version, self.name)
                return job
            log.warning("render job %s v%s failed (attempt %s)", job.plan_id, job.version, job.attempts,
                        exc_info=True)  # fmt: skip
            self.documents.counters.jobs_failed += 1
            with contextlib.suppress(errors.Unavailable):  # else the claim goes stale and is retried
                rows.fail(job.plan_id, job.version, self.name, f"{type(exc).__name__}: {exc}", job.attempts,
                          s.render_max_attempts)  # fmt: skip
            return job
        rows.finish(job.plan_id, job.version, self.name)
        self.documents.counters.jobs_done += 1
        return job

    def drain(self, limit: int = 1000) -> int:
        """Do claimable jobs until none is left (or `limit`); how many were done."""
        count = 0
        while count < limit and self.run_once() is not None:
            count += 1
        return count

    def wake(self) -> None:
        """A version was just saved: look now rather than at the next poll."""
        self._wake.set()

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="planbot-render-worker", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5) -> None:
        """Stop taking jobs; a render in progress is abandoned (its claim goes stale and is taken over)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            if self.documents.processes > 0:
                shutdown_pool()
            self._thread.join(timeout)
            self._thread = None

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                busy = self.run_once() is not None
            except errors.Unavailable:  # the database is away: try again later
                busy = False
            except Exception:  # never let the thread die: the next poll tries again
                log.exception("render worker %s: unexpected error", self.name)
                busy = False
            if not busy:
                self._wake.wait(self.settings.render_poll_s)
                self._wake.clear()
            else:
                time.sleep(0)  # let request threads in between jobs

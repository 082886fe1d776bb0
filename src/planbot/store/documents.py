"""Rendered documents of plan versions and the render jobs that make them, in the shared database.

Every saved plan version gets a `render_jobs` row in the same transaction (planbot.store.models).
A worker of any process claims one job at a time: one statement moves it from `pending` (or from a
`running` claim whose heartbeat is older than the stale limit: its worker died) to `running` under
the worker's name, so two workers never render the same version at once; on PostgreSQL the
candidate row is picked with FOR UPDATE SKIP LOCKED, on SQLite the write lock (BEGIN IMMEDIATE)
serialises claims. A failed render goes back to `pending` until it has used its attempts, then
stays `failed` with its error. The documents themselves (`plan_documents`) are read by whoever
serves the download. Rows go with their plan (ON DELETE CASCADE on both tables).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from planbot.core.brief import STORED
from planbot.core.plan import Plan
from planbot.store.models import PlanDocument, PlanRecord, PlanVersion, RenderJob, now
from planbot.store.plans import owned_plan
from planbot.store.repository import Store


@dataclass(frozen=True)
class JobInfo:
    plan_id: str
    version: int
    status: str  # pending | running | done | failed
    attempts: int
    claimed_by: str | None
    heartbeat_at: datetime | None
    error: str | None


@dataclass(frozen=True)
class StoredDocument:
    content: bytes
    filename: str
    fingerprint: str


def _info(row: RenderJob) -> JobInfo:
    return JobInfo(row.plan_id, row.version, row.status, row.attempts, row.claimed_by, row.heartbeat_at, row.error)


class DocumentRows:
    """The documents and render jobs of `store` (a Store of any database)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # -- documents ------------------------------------------------------------------------------------
    def document(self, plan_id: str, version: int, fmt: str) -> StoredDocument | None:
        with self.store.tx() as s:
            row = s.get(PlanDocument, (plan_id, version, fmt))
            return StoredDocument(row.content, row.filename, row.fingerprint) if row else None

    def owned_document(
        self, owner_id: str, plan_id: str, version: int | None, fmt: str
    ) -> tuple[int, StoredDocument | None]:
        """The owner's plan version (the latest by default) and its stored document, if rendered.
        Another owner's plan, or none: NotFound, as for the plan itself."""
        with self.store.tx() as s:
            rec = owned_plan(s, owner_id, plan_id)
            number = version or rec.latest_version
            row = s.get(PlanDocument, (plan_id, number, fmt))
            return number, (StoredDocument(row.content, row.filename, row.fingerprint) if row else None)

    def put_document(self, plan_id: str, version: int, fmt: str, fingerprint: str, filename: str, data: bytes) -> bool:
        """Keep a rendered document; False when its plan is gone (deleted meanwhile) or another worker
        stored it first (the same version renders to the same document)."""
        try:
            with self.store.tx() as s:
                s.execute(
                    delete(PlanDocument).where(
                        PlanDocument.plan_id == plan_id, PlanDocument.version == version, PlanDocument.fmt == fmt
                    )
                )
                s.add(PlanDocument(plan_id=plan_id, version=version, fmt=fmt, fingerprint=fingerprint,
                                   filename=filename[:200], content=data, size=len(data)))  # fmt: skip
        except IntegrityError:
            return False
        return True

    def documents_of(self, plan_id: str) -> list[tuple[int, str, int]]:
        """(version, format, size) of every stored document of a plan, for listings and tests."""
        with self.store.tx() as s:
            rows = s.execute(
                select(PlanDocument.version, PlanDocument.fmt, PlanDocument.size)
                .where(PlanDocument.plan_id == plan_id)
                .order_by(PlanDocument.version, PlanDocument.fmt)
            ).all()
            return [(v, f, n) for v, f, n in rows]

    def version_plan(self, plan_id: str, version: int) -> Plan | None:
        """A stored version for a worker to render (no owner: jobs are internal); None once deleted."""
        with self.store.tx() as s:
            data = s.scalar(select(PlanVersion.data).where(PlanVersion.plan_id == plan_id,
                                                           PlanVersion.version == version))  # fmt: skip
        return None if data is None else Plan.model_validate_json(data, context={STORED: True})

    # -- jobs -----------------------------------------------------------------------------------------
    def enqueue(self, plan_id: str, version: int) -> bool:
        """A job for a version saved before jobs existed (or to render it again); False if the plan is gone."""
        try:
            with self.store.tx() as s:
                if s.get(PlanRecord, plan_id) is None:
                    return False
                row = s.get(RenderJob, (plan_id, version))
                if row is None:
                    s.add(RenderJob(plan_id=plan_id, version=version))
                elif row.status in ("done", "failed"):
                    row.status, row.attempts, row.error, row.updated_at = "pending", 0, None, now()
        except IntegrityError:
            return False
        return True

    def job(self, plan_id: str, version: int) -> JobInfo | None:
        with self.store.tx() as s:
            row = s.get(RenderJob, (plan_id, version))
            return _info(row) if row else None

    def jobs(self, plan_id: str | None = None) -> list[JobInfo]:
        with self.store.tx() as s:
            query = select(RenderJob).order_by(RenderJob.created_at, RenderJob.plan_id, RenderJob.version)
            if plan_id is not None:
                query = query.where(RenderJob.plan_id == plan_id)
            return [_info(r) for r in s.scalars(query).all()]

    def counts(self) -> dict[str, int]:
        """Jobs by status (the queue's depth for /metrics and the benchmark)."""
        with self.store.tx() as s:
            rows = s.execute(select(RenderJob.status, func.count()).group_by(RenderJob.status)).all()
            return {status: int(n) for status, n in rows}

    def claim(self, worker: str, stale_after_s: float, max_attempts: int) -> JobInfo | None:
        """The oldest claimable job, now `running` under `worker`; None when there is none.

        Claimable: `pending`, or `running` with a heartbeat older than `stale_after_s` (its worker
        stopped). A stale claim that has used its attempts becomes `failed` instead."""
        at = now()
        stale = and_(RenderJob.status == "running", RenderJob.heartbeat_at < at - timedelta(seconds=stale_after_s))
        claimable = or_(RenderJob.status == "pending", stale)
        with self.store.tx() as s:
            s.execute(
                update(RenderJob)
                .where(stale, RenderJob.attempts >= max_attempts)
                .values(status="failed", updated_at=at, error=func.coalesce(RenderJob.error, "the worker stopped"))
                .execution_options(synchronize_session=False)
            )
            key = s.execute(
                select(RenderJob.plan_id, RenderJob.version)
                .where(claimable)
                .order_by(RenderJob.created_at, RenderJob.plan_id, RenderJob.version)
                .limit(1)
                .with_for_update(skip_locked=True)  # PostgreSQL: workers claiming together take different rows
            ).first()
            if key is None:
                return None
            res = s.execute(
                update(RenderJob)
                .where(RenderJob.plan_id == key[0], RenderJob.version == key[1], claimable)
                .values(
                    status="running",
                    claimed_by=worker[:80],
                    heartbeat_at=at,
                    updated_at=at,
                    attempts=RenderJob.attempts + 1,
                )
                .execution_options(synchronize_session=False)
            )
            if int(res.rowcount) != 1:  # type: ignore[attr-defined]
                return None  # another worker took it between our read and our write
            row = s.get(RenderJob, (key[0], key[1]), populate_existing=True)
            return _info(row) if row else None

    def _mine(self, plan_id: str, version: int, worker: str, **values: object) -> bool:
        """Update a job this worker still holds (a stale claim taken over by another is not ours)."""
        with self.store.tx() as s:
            res = s.execute(
                update(RenderJob)
                .where(
                    RenderJob.plan_id == plan_id,
                    RenderJob.version == version,
                    RenderJob.claimed_by == worker,
                    RenderJob.status == "running",
                )
                .values(updated_at=now(), **values)
                .execution_options(synchronize_session=False)
            )
            return int(res.rowcount) == 1  # type: ignore[attr-defined]

    def heartbeat(self, plan_id: str, version: int, worker: str) -> bool:
        return self._mine(plan_id, version, worker, heartbeat_at=now())

    def finish(self, plan_id: str, version: int, worker: str) -> bool:
        return self._mine(plan_id, version, worker, status="done", error=None)

    def release(self, plan_id: str, version: int, worker: str) -> bool:
        """Give a job back untried (its worker is stopping): `pending` again, the attempt not counted."""
        return self._mine(plan_id, version, worker, status="pending", claimed_by=None, heartbeat_at=None,
                          attempts=RenderJob.attempts - 1)  # fmt: skip

    def fail(self, plan_id: str, version: int, worker: str, error: str, attempts: int, max_attempts: int) -> bool:
        """Record a failed render: `pending` again (retried) until `max_attempts` claims, then `failed`."""
        status = "failed" if attempts >= max_attempts else "pending"
        return self._mine(plan_id, version, worker, status=status, error=error[:2000], claimed_by=None)

"""Plans and their versions in the store: saved, read, listed and deleted, always by their owner.

A plan made in a conversation remembers it (`plans.session_id`); the conversation points back at
its plan (`sessions.plan_id` and the state's `plan_id`). Deleting a plan deletes its versions and
share links in one transaction and makes the conversation forget it, so it can draft again;
deleting a conversation deletes the plans it made the same way (`Store.delete_session`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from planbot.core.brief import STORED
from planbot.core.plan import Plan
from planbot.errors import Conflict, NotFound
from planbot.store.models import ChatSession, PlanRecord, PlanVersion, ShareLink, now

Forget = Callable[[dict[str, Any]], dict[str, Any]]  # a conversation's state without its (deleted) plan


@dataclass(frozen=True)
class PlanInfo:
    id: str
    title: str
    latest_version: int
    session_id: str | None
    updated_at: datetime


@dataclass(frozen=True)
class VersionInfo:
    version: int
    created_at: datetime
    diff: list[dict[str, Any]]  # changes from the previous version


def forget_plan_keys(state: dict[str, Any]) -> dict[str, Any]:
    """The default `Forget`: no plan, and nothing pending for one (the interview's state keys)."""
    return {**state, "plan_id": None, "plan_version": None, "pending": [], "pending_version": None}


def owned_plan(s: Session, owner_id: str, plan_id: str) -> PlanRecord:
    """The owner's plan record; another owner's, or none: NotFound (the same answer, nothing leaks)."""
    rec = s.get(PlanRecord, plan_id)
    if rec is None or rec.owner_id != owner_id:
        raise NotFound(f"no plan {plan_id!r}")
    return rec


class PlanRows:
    """The plan half of `Store` (a mixin: `Store` provides `tx`)."""

    if TYPE_CHECKING:

        def tx(self) -> AbstractContextManager[Session]: ...

    def _put_plan(
        self, s: Session, owner_id: str, plan: Plan, diff: list[dict[str, Any]], session_id: str | None
    ) -> None:
        rec = s.get(PlanRecord, plan.id)
        title = f"{plan.brief.brand or ''} {plan.period.start.isoformat()}–{plan.period.end.isoformat()}".strip()
        if rec is None:
            if plan.version > 1:  # a later version of a plan that is gone (deleted meanwhile): never revive it
                raise NotFound(f"no plan {plan.id!r}")
            s.add(
                PlanRecord(
                    id=plan.id, owner_id=owner_id, session_id=session_id, title=title, latest_version=plan.version
                )
            )
            s.flush()
        elif rec.owner_id != owner_id:
            raise NotFound(f"no plan {plan.id!r}")
        else:
            if plan.version <= rec.latest_version:
                raise Conflict(f"plan {plan.id} already has version {rec.latest_version}")
            rec.latest_version, rec.updated_at, rec.title = plan.version, now(), title
        s.add(PlanVersion(plan_id=plan.id, version=plan.version, data=plan.model_dump_json(),
                          diff=json.dumps(diff, ensure_ascii=False)))  # fmt: skip

    def save_plan(self, owner_id: str, plan: Plan, diff: list[dict[str, Any]] | None = None) -> None:
        try:
            with self.tx() as s:
                self._put_plan(s, owner_id, plan, diff or [], None)
        except StaleDataError as exc:  # deleted by another request between our read and our write
            raise NotFound(f"no plan {plan.id!r}") from exc

    _owned_plan = staticmethod(owned_plan)

    @classmethod
    def _owned_version(cls, s: Session, owner_id: str, plan_id: str, version: int | None) -> PlanVersion:
        rec = cls._owned_plan(s, owner_id, plan_id)
        row = s.get(PlanVersion, (plan_id, version or rec.latest_version))
        if row is None:
            raise NotFound(f"plan {plan_id!r} has no version {version}; the latest is {rec.latest_version}")
        return row

    def plan(self, owner_id: str, plan_id: str, version: int | None = None) -> Plan:
        with self.tx() as s:
            data = self._owned_version(s, owner_id, plan_id, version).data
            return Plan.model_validate_json(data, context={STORED: True})

    def plan_diff(self, owner_id: str, plan_id: str, version: int) -> list[dict[str, Any]]:
        with self.tx() as s:
            return list(json.loads(self._owned_version(s, owner_id, plan_id, version).diff))

    def plan_versions(self, owner_id: str, plan_id: str) -> list[VersionInfo]:
        """Every version's date and diff, oldest first, without loading the plans themselves."""
        with self.tx() as s:
            self._owned_plan(s, owner_id, plan_id)
            rows = s.execute(
                select(PlanVersion.version, PlanVersion.created_at, PlanVersion.diff)
                .where(PlanVersion.plan_id == plan_id)
                .order_by(PlanVersion.version)
            ).all()
            return [VersionInfo(v, created, list(json.loads(d))) for v, created, d in rows]

    def plans(self, owner_id: str) -> list[PlanInfo]:
        """The owner's plans, most recently changed first."""
        with self.tx() as s:
            rows = s.scalars(
                select(PlanRecord).where(PlanRecord.owner_id == owner_id).order_by(PlanRecord.updated_at.desc())
            ).all()
            return [PlanInfo(r.id, r.title, r.latest_version, r.session_id, r.updated_at) for r in rows]

    def delete_plan(self, owner_id: str, plan_id: str, forget: Forget = forget_plan_keys) -> None:
        """Delete a plan with its versions and share links; the conversation that pointed at it forgets
        it (`forget` rewrites its state) and moves to a new version, so a turn in flight retries."""
        with self.tx() as s:
            self._owned_plan(s, owner_id, plan_id)
            self._forget_plans(s, owner_id, [plan_id], forget)
            self._drop_plans(s, [plan_id])

    @staticmethod
    def _forget_plans(s: Session, owner_id: str, plan_ids: Collection[str], forget: Forget) -> None:
        made_them = select(PlanRecord.session_id).where(PlanRecord.id.in_(plan_ids))
        rows = s.scalars(
            select(ChatSession)
            .where(
                ChatSession.owner_id == owner_id,
                or_(ChatSession.plan_id.in_(plan_ids), ChatSession.id.in_(made_them)),
            )
            .with_for_update()  # PostgreSQL: wait for a turn being committed, then rewrite its result
        ).all()
        for row in rows:
            state = json.loads(row.state)
            if row.plan_id not in plan_ids and state.get("plan_id") not in plan_ids:
                continue  # it made the plan but has moved on to another one
            row.plan_id, row.version = None, row.version + 1  # a turn read before this retries on the new state
            row.state = json.dumps(forget(state), ensure_ascii=False)

    @staticmethod
    def _drop_plans(s: Session, plan_ids: Collection[str]) -> None:
        """Delete plans, their versions and their share links (children first: no reliance on cascades)."""
        if not plan_ids:
            return
        for stmt in (
            delete(ShareLink).where(ShareLink.plan_id.in_(plan_ids)),
            delete(PlanVersion).where(PlanVersion.plan_id.in_(plan_ids)),
            delete(PlanRecord).where(PlanRecord.id.in_(plan_ids)),
        ):
            s.execute(stmt.execution_options(synchronize_session=False))

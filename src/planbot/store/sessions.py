"""Conversations in the store: a session, its messages and its state, always by their owner.

A turn (both messages, the new state and any new plan version) is committed in one transaction
guarded by the session's version number, so two workers (or two threads) writing the same session
never interleave: the second one retries on the new state. Deleting a conversation deletes the plans
it made, their versions and share links, in the same transaction.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from planbot.core.plan import Plan
from planbot.errors import NotFound
from planbot.store.models import ChatSession, Message, PlanRecord, SlackThread, now
from planbot.store.plans import Forget, PlanRows, forget_plan_keys


@dataclass(frozen=True)
class MessageInfo:
    seq: int
    role: str
    text: str
    created_at: datetime


@dataclass(frozen=True)
class SessionInfo:
    id: str
    owner_id: str
    title: str
    state: dict[str, Any]
    version: int
    plan_id: str | None
    created_at: datetime
    updated_at: datetime


class SessionRows(PlanRows):
    """The conversation part of `Store` (a mixin: `Store` provides `tx`)."""

    def create_session(self, owner_id: str, state: dict[str, Any], greeting: str, title: str = "") -> SessionInfo:
        sid = secrets.token_urlsafe(16)
        with self.tx() as s:
            row = ChatSession(id=sid, owner_id=owner_id, title=title, state=json.dumps(state, ensure_ascii=False))
            s.add(row)
            s.flush()
            s.add(Message(session_id=sid, seq=1, role="assistant", text=greeting))
        return self._session_info(row)

    @staticmethod
    def _session_info(row: ChatSession) -> SessionInfo:
        return SessionInfo(
            row.id, row.owner_id, row.title, json.loads(row.state), row.version, row.plan_id, row.created_at,
            row.updated_at,
        )  # fmt: skip

    def _owned_session(self, s: Session, owner_id: str, session_id: str) -> ChatSession:
        row = s.get(ChatSession, session_id)
        if row is None or row.owner_id != owner_id:
            raise NotFound(f"no session {session_id!r}")
        return row

    def session(self, owner_id: str, session_id: str) -> SessionInfo:
        with self.tx() as s:
            return self._session_info(self._owned_session(s, owner_id, session_id))

    def messages(self, owner_id: str, session_id: str) -> list[MessageInfo]:
        with self.tx() as s:
            self._owned_session(s, owner_id, session_id)
            rows = s.scalars(select(Message).where(Message.session_id == session_id).order_by(Message.seq)).all()
            return [MessageInfo(r.seq, r.role, r.text, r.created_at) for r in rows]

    def sessions(self, owner_id: str) -> list[SessionInfo]:
        with self.tx() as s:
            rows = s.scalars(
                select(ChatSession).where(ChatSession.owner_id == owner_id).order_by(ChatSession.updated_at.desc())
            ).all()
            return [self._session_info(r) for r in rows]

    def rename_session(self, owner_id: str, session_id: str, title: str) -> None:
        with self.tx() as s:
            self._owned_session(s, owner_id, session_id).title = title

    def delete_session(self, owner_id: str, session_id: str, forget: Forget = forget_plan_keys) -> None:
        """Delete a conversation with its messages, its Slack threads and the plans it made (their
        versions and share links), in one transaction; `forget` is for a conversation that still
        points at one of those plans (none does, unless a plan's session moved)."""
        with self.tx() as s:
            row = self._owned_session(s, owner_id, session_id)
            plan_ids = set(
                s.scalars(
                    select(PlanRecord.id).where(
                        PlanRecord.owner_id == owner_id,
                        (PlanRecord.session_id == session_id) | (PlanRecord.id == row.plan_id),
                    )
                ).all()
            )
            s.query(Message).filter(Message.session_id == session_id).delete()
            s.query(SlackThread).filter(SlackThread.session_id == session_id).delete()
            s.delete(row)
            s.flush()
            self._forget_plans(s, owner_id, plan_ids, forget)
            self._drop_plans(s, plan_ids)

    def commit_turn(
        self,
        owner_id: str,
        session_id: str,
        expected_version: int,
        user_text: str,
        reply: str,
        state: dict[str, Any],
        plan: Plan | None = None,
        diff: list[dict[str, Any]] | None = None,
        title: str | None = None,
    ) -> bool:
        """Store one exchange atomically; False if the session moved on meanwhile (the caller retries)."""
        with self.tx() as s:
            row = self._owned_session(s, owner_id, session_id)
            if row.version != expected_version:
                return False
            res = s.execute(
                update(ChatSession)
                .where(ChatSession.id == session_id, ChatSession.version == expected_version)
                .values(
                    state=json.dumps(state, ensure_ascii=False),
                    version=expected_version + 1,
                    updated_at=now(),
                    plan_id=plan.id if plan is not None else row.plan_id,
                    title=title if title is not None and not row.title else row.title,
                )
            )
            if res.rowcount != 1:  # type: ignore[attr-defined]
                s.rollback()
                return False
            seq = s.scalar(select(func.coalesce(func.max(Message.seq), 0)).where(Message.session_id == session_id))
            s.add(Message(session_id=session_id, seq=(seq or 0) + 1, role="user", text=user_text))
            s.add(Message(session_id=session_id, seq=(seq or 0) + 2, role="assistant", text=reply))
            if plan is not None:
                self._put_plan(s, owner_id, plan, diff or [], session_id)
        return True

"""Tables. Ids of sessions and plans are random and unguessable; every row belongs to an owner."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint, event, insert
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)  # stored as naive UTC: same on SQLite and PostgreSQL


class Base(DeclarativeBase):
    pass


class Owner(Base):
    """Who a session or plan belongs to: an API key's holder, a web browser, a Slack team+user, local use."""

    __tablename__ = "owners"
    __table_args__ = (UniqueConstraint("kind", "external_id"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=now)


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    owner_id: Mapped[str] = mapped_column(ForeignKey("owners.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16), index=True)  # shown in listings; narrows the lookup
    key_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=now)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class ChatSession(Base):
    __tablename__ = "sessions"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    owner_id: Mapped[str] = mapped_column(ForeignKey("owners.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    state: Mapped[str] = mapped_column(Text)  # the interview's Conversation as JSON
    version: Mapped[int] = mapped_column(Integer, default=1)  # optimistic concurrency across workers
    plan_id: Mapped[str | None] = mapped_column(String(40), default=None)
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (UniqueConstraint("session_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(16))  # user | assistant
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=now)


class PlanRecord(Base):
    __tablename__ = "plans"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    owner_id: Mapped[str] = mapped_column(ForeignKey("owners.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[str | None] = mapped_column(String(40), default=None)
    title: Mapped[str] = mapped_column(String(200), default="")
    latest_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)


class PlanVersion(Base):
    __tablename__ = "plan_versions"

    plan_id: Mapped[str] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[str] = mapped_column(Text)  # the Plan as JSON
    diff: Mapped[str] = mapped_column(Text, default="[]")  # changes from the previous version
    created_at: Mapped[datetime] = mapped_column(default=now)


class KnowledgeDocument(Base):
    """Who added which guide: the index keeps chunks; this keeps the catalogue surfaces list."""

    __tablename__ = "knowledge_documents"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    lang: Mapped[str] = mapped_column(String(8))
    source: Mapped[str] = mapped_column(String(300))
    chunks: Mapped[int] = mapped_column(Integer)
    added_by: Mapped[str | None] = mapped_column(String(40), default=None)
    added_at: Mapped[datetime] = mapped_column(default=now)


class SlackThread(Base):
    """A Slack thread carries one conversation: the session it continues and the user who started it."""

    __tablename__ = "slack_threads"

    team_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    thread_ts: Mapped[str] = mapped_column(String(40), primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    owner_id: Mapped[str] = mapped_column(ForeignKey("owners.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(String(40))  # the Slack user who started it
    created_at: Mapped[datetime] = mapped_column(default=now)


class SlackEvent(Base):
    """Slack deliveries already handled (a message's channel and ts): retries must not redo work."""

    __tablename__ = "slack_events"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=now, index=True)


Index("ix_messages_session_seq", Message.session_id, Message.seq)


class ShareLink(Base):
    """A read-only link to a plan that its owner handed out; revoked (or gone with its plan) it opens nothing."""

    __tablename__ = "share_links"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)  # random; the signed token carries it
    plan_id: Mapped[str] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    owner_id: Mapped[str] = mapped_column(ForeignKey("owners.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class RateCount(Base):
    """Requests counted per key (owner, client address, failed logins) and time window, shared by all workers."""

    __tablename__ = "rate_counts"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    window: Mapped[int] = mapped_column(Integer, primary_key=True, index=True)  # epoch seconds // window length
    count: Mapped[int] = mapped_column(Integer, default=0)


class RenderJob(Base):
    """One plan version's documents to render (every format), claimed by one worker at a time.

    Recorded in the same transaction as the version (the `after_insert` hook below), so no version is
    ever saved without its job; any worker of any process claims it (planbot.store.documents).
    """

    __tablename__ = "render_jobs"

    plan_id: Mapped[str] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)  # pending|running|done|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # claims so far (a crashed worker's included)
    claimed_by: Mapped[str | None] = mapped_column(String(80), default=None)
    heartbeat_at: Mapped[datetime | None] = mapped_column(default=None)  # set at the claim, renewed per format
    error: Mapped[str | None] = mapped_column(Text, default=None)  # the last failure
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)


class PlanDocument(Base):
    """A plan version rendered in one format, served as the download (any worker reads it)."""

    __tablename__ = "plan_documents"

    plan_id: Mapped[str] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    fmt: Mapped[str] = mapped_column(String(8), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))  # planbot.render.fingerprint of the plan rendered
    filename: Mapped[str] = mapped_column(String(200))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=now)


@event.listens_for(PlanVersion, "after_insert")
def _enqueue_render(_mapper: Any, connection: Any, target: PlanVersion) -> None:
    """Every new plan version (draft, redraft, revision) gets its render job in the same transaction."""
    at = now()
    connection.execute(
        insert(RenderJob).values(plan_id=target.plan_id, version=target.version, status="pending", attempts=0,
                                 created_at=at, updated_at=at)
    )  # fmt: skip

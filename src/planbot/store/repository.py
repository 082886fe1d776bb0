"""The store every surface shares: owners and keys, sessions and their messages, plans and versions,
share links, Slack threads and the knowledge catalogue (conversations in `store.sessions`, plans in
`store.plans`, share links in `store.share_links`: mixins of `Store`).

SQLite (WAL, one writer at a time via BEGIN IMMEDIATE) in the data dir by default; PostgreSQL
when PLANBOT_DATABASE_URL says so. The schema is created and upgraded by Alembic at start.
A turn is committed in one transaction guarded by the session's version number, so two workers
(or two threads) writing the same session never interleave: the second one retries on the new state.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, Update, create_engine, event, func, select, text, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from planbot.errors import Conflict, NotFound, Unavailable
from planbot.store.models import (
    ApiKey,
    ChatSession,
    KnowledgeDocument,
    Message,
    Owner,
    PlanRecord,
    PlanVersion,
    ShareLink,
    SlackEvent,
    SlackThread,
    now,
)
from planbot.store.plans import PlanInfo, VersionInfo
from planbot.store.sessions import MessageInfo, SessionInfo, SessionRows
from planbot.store.share_links import LinkInfo, ShareLinkRows

__all__ = [  # the names surfaces and tests import from here (some live in the modules above)
    "KEY_PREFIX", "LOCAL_OWNER", "Adopted", "KeyInfo", "LinkInfo", "MessageInfo", "PlanInfo", "SessionInfo",
    "SlackThreadInfo", "Store", "VersionInfo", "hash_key", "new_id",
]  # fmt: skip

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
KEY_PREFIX = "pb_"
LOCAL_OWNER = ("local", "default")  # (kind, external_id) of the open loopback user while no keys exist


def new_id(nbytes: int = 16) -> str:
    return secrets.token_urlsafe(nbytes)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


log = logging.getLogger(__name__)


@dataclass(frozen=True)
class KeyInfo:
    id: str
    name: str
    prefix: str
    created_at: datetime
    revoked: bool


@dataclass(frozen=True)
class Adopted:
    """What moved from one owner to another. Messages and versions travel with their session and plan."""

    sessions: int = 0
    messages: int = 0
    plans: int = 0
    plan_versions: int = 0
    documents: int = 0  # knowledge uploads (knowledge_documents.added_by)
    slack_threads: int = 0
    share_links: int = 0  # links handed out for the moved plans (they keep working)

    @property
    def total(self) -> int:
        """Owned things moved (sessions, plans, documents, Slack threads); 0 means nothing was adopted."""
        return self.sessions + self.plans + self.documents + self.slack_threads


@dataclass(frozen=True)
class SlackThreadInfo:
    thread_ts: str
    session_id: str
    owner_id: str
    user_id: str


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # let SQLAlchemy's "begin" event below start transactions
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # take the write lock up front: no upgrade deadlocks


class Store(SessionRows, ShareLinkRows):
    """Owners and keys, Slack threads and the knowledge catalogue here; conversations in
    `planbot.store.sessions`, plans in `planbot.store.plans`, share links in `planbot.store.share_links`."""

    def __init__(self, url: str) -> None:
        self.url = url
        kwargs: dict[str, Any] = {"pool_pre_ping": True}
        if url.startswith("sqlite"):
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        self.engine = create_engine(url, **kwargs)
        if url.startswith("sqlite"):
            _sqlite_pragmas(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.migrate()

    @classmethod
    def for_data_dir(cls, data_dir: Path, url: str | None = None) -> Store:
        if url is None:
            data_dir.mkdir(parents=True, exist_ok=True)
            url = f"sqlite:///{(data_dir / 'planbot.db').resolve()}"
        return cls(url)

    def migrate(self) -> None:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        try:
            with self.engine.begin() as conn:
                if conn.dialect.name == "postgresql":  # workers starting together migrate one at a time
                    conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7305041)")
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        except OperationalError as exc:
            log.warning("database unavailable at start: %s", exc.orig)
            raise Unavailable("the database is unavailable; try again in a moment") from exc

    @contextmanager
    def tx(self) -> Iterator[Session]:
        try:
            with self._sessions.begin() as s:
                yield s
        except OperationalError as exc:
            log.warning("database busy or unavailable: %s", exc.orig)
            raise Unavailable("the database is busy or unavailable; try again in a moment") from exc

    def ping(self) -> None:
        with self.tx() as s:
            s.execute(text("SELECT 1"))

    def close(self) -> None:
        self.engine.dispose()

    # -- owners and keys ------------------------------------------------------------------------------
    def owner(self, kind: str, external_id: str) -> str:
        """The owner id for a web cookie, Slack team+user or local user; created on first sight."""
        for _ in range(2):
            with self.tx() as s:
                found = s.scalar(select(Owner.id).where(Owner.kind == kind, Owner.external_id == external_id))
                if found:
                    return found
            try:
                with self.tx() as s:
                    oid = new_id(12)
                    s.add(Owner(id=oid, kind=kind, external_id=external_id))
                return oid
            except IntegrityError:
                continue  # another request created it first
        raise Conflict("could not create the owner")

    def owner_kind(self, owner_id: str) -> str | None:
        """ "api_key", "web", "slack" or "local" (None for an unknown id): who may upload guides depends on it."""
        with self.tx() as s:
            return s.scalar(select(Owner.kind).where(Owner.id == owner_id))

    def create_key(self, name: str) -> tuple[str, KeyInfo]:
        """A new API key (returned once, stored hashed) with an owner of its own."""
        key, info, _ = self.create_key_adopting(name, adopt_local=False)
        return key, info

    def create_key_adopting(self, name: str, *, adopt_local: bool) -> tuple[str, KeyInfo, Adopted]:
        """A new API key, as `create_key`; with `adopt_local`, everything the local owner owns now
        (sessions and their messages, plans and their versions, uploaded guides, Slack threads) moves
        to the key's owner in the same transaction: a failure leaves neither the key nor any move.
        No local owner, or one that owns nothing, adopts nothing (all counts 0)."""
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        kid = new_id(9)
        adopted = Adopted()
        with self.tx() as s:
            owner = Owner(id=new_id(12), kind="api_key", external_id=kid)
            s.add(owner)
            s.flush()  # the new owner must exist before rows point at it
            if adopt_local:
                kind, external_id = LOCAL_OWNER
                local = s.scalar(select(Owner.id).where(Owner.kind == kind, Owner.external_id == external_id))
                if local is not None:
                    adopted = self._adopt(s, local, owner.id)
            row = ApiKey(id=kid, owner_id=owner.id, name=name, prefix=key[:11], key_hash=hash_key(key))
            s.add(row)
            s.flush()  # a bad key row fails here, inside the transaction, undoing the moves too
        return key, KeyInfo(kid, name, key[:11], row.created_at, False), adopted

    @staticmethod
    def _adopt(s: Session, from_owner: str, to_owner: str) -> Adopted:
        """Move every owned row from one owner to another within the caller's transaction.

        API keys stay with their own owner (each key has one); messages and plan versions have no
        owner column of their own and follow their session and plan."""
        own_sessions = select(ChatSession.id).where(ChatSession.owner_id == from_owner)
        own_plans = select(PlanRecord.id).where(PlanRecord.owner_id == from_owner)
        messages = s.scalar(select(func.count()).select_from(Message).where(Message.session_id.in_(own_sessions)))
        versions = s.scalar(select(func.count()).select_from(PlanVersion).where(PlanVersion.plan_id.in_(own_plans)))

        def move(stmt: Update) -> int:
            res = s.execute(stmt.execution_options(synchronize_session=False))
            return int(res.rowcount)  # type: ignore[attr-defined]

        return Adopted(
            sessions=move(update(ChatSession).where(ChatSession.owner_id == from_owner).values(owner_id=to_owner)),
            messages=int(messages or 0),
            plans=move(update(PlanRecord).where(PlanRecord.owner_id == from_owner).values(owner_id=to_owner)),
            plan_versions=int(versions or 0),
            documents=move(
                update(KnowledgeDocument).where(KnowledgeDocument.added_by == from_owner).values(added_by=to_owner)
            ),
            slack_threads=move(update(SlackThread).where(SlackThread.owner_id == from_owner).values(owner_id=to_owner)),
            share_links=move(update(ShareLink).where(ShareLink.owner_id == from_owner).values(owner_id=to_owner)),
        )

    def keys(self) -> list[KeyInfo]:
        with self.tx() as s:
            rows = s.scalars(select(ApiKey).order_by(ApiKey.created_at)).all()
            return [KeyInfo(r.id, r.name, r.prefix, r.created_at, r.revoked_at is not None) for r in rows]

    def revoke_key(self, id_or_name: str) -> int:
        with self.tx() as s:
            res = s.execute(
                update(ApiKey)
                .where((ApiKey.id == id_or_name) | (ApiKey.name == id_or_name), ApiKey.revoked_at.is_(None))
                .values(revoked_at=now())
            )
            count = int(res.rowcount)  # type: ignore[attr-defined]
        if count == 0:
            raise NotFound(f"no active key with id or name {id_or_name!r}")
        return count

    def has_keys(self) -> bool:
        with self.tx() as s:
            return bool(s.scalar(select(func.count()).select_from(ApiKey).where(ApiKey.revoked_at.is_(None))))

    def owner_for_key(self, key: str) -> str | None:
        """Constant-time check of a presented key against the stored hashes with its prefix."""
        if not key.startswith(KEY_PREFIX) or len(key) > 200:
            return None
        digest = hash_key(key)
        with self.tx() as s:
            rows = s.scalars(select(ApiKey).where(ApiKey.prefix == key[:11], ApiKey.revoked_at.is_(None))).all()
            for r in rows:
                if hmac.compare_digest(r.key_hash, digest):
                    return r.owner_id
        return None

    # -- Slack ------------------------------------------------------------------------------------------
    def link_slack_thread(
        self, team: str, channel: str, thread_ts: str, session_id: str, owner_id: str, user_id: str
    ) -> None:
        with self.tx() as s:
            s.merge(SlackThread(team_id=team, channel_id=channel, thread_ts=thread_ts, session_id=session_id,
                                owner_id=owner_id, user_id=user_id))  # fmt: skip

    def slack_thread(self, team: str, channel: str, thread_ts: str) -> SlackThreadInfo | None:
        with self.tx() as s:
            row = s.get(SlackThread, (team, channel, thread_ts))
            return SlackThreadInfo(row.thread_ts, row.session_id, row.owner_id, row.user_id) if row else None

    def latest_slack_thread(self, owner_id: str, team: str, channel: str) -> SlackThreadInfo | None:
        """The owner's most recent conversation in a channel (what `/plan draft` and `status` act on)."""
        with self.tx() as s:
            row = s.scalars(
                select(SlackThread)
                .where(SlackThread.owner_id == owner_id, SlackThread.team_id == team, SlackThread.channel_id == channel)
                .order_by(SlackThread.created_at.desc())
                .limit(1)
            ).first()
            return SlackThreadInfo(row.thread_ts, row.session_id, row.owner_id, row.user_id) if row else None

    def claim_slack_event(self, key: str, keep_days: int = 7) -> bool:
        """True the first time a delivery is seen (in any worker); False for Slack's retries of it."""
        try:
            with self.tx() as s:
                s.add(SlackEvent(key=key[:120]))
        except IntegrityError:
            return False
        if secrets.randbelow(100) == 0:  # now and then, forget deliveries too old to be retried
            with self.tx() as s:
                cutoff = now() - timedelta(days=keep_days)
                s.query(SlackEvent).filter(SlackEvent.created_at < cutoff).delete()
        return True

    # -- knowledge catalogue --------------------------------------------------------------------------
    def record_document(
        self, doc_id: str, title: str, lang: str, source: str, chunks: int, added_by: str | None
    ) -> None:
        with self.tx() as s:
            row = s.get(KnowledgeDocument, doc_id)
            if row is None:
                s.add(KnowledgeDocument(id=doc_id, title=title, lang=lang, source=source[:300], chunks=chunks,
                                        added_by=added_by))  # fmt: skip
            else:
                row.title, row.lang, row.source, row.chunks, row.added_at = title, lang, source[:300], chunks, now()

    def forget_document(self, doc_id: str) -> None:
        with self.tx() as s:
            row = s.get(KnowledgeDocument, doc_id)
            if row is not None:
                s.delete(row)

    def document_owners(self) -> dict[str, str | None]:
        with self.tx() as s:
            return {r.id: r.added_by for r in s.scalars(select(KnowledgeDocument)).all()}

"""Share links in the store: one row per link a plan's owner handed out, revocable one by one.

The signed token a link holder presents carries only the row id (planbot.web.cookies.ShareLinks);
it opens the plan while the row exists, is not revoked and its plan still exists. Deleting the plan
(or the conversation that made it) deletes its links. Who may list, make and revoke links follows
the plan: its owner now (after `keys create --adopt-local` too), whoever made the link.
"""

from __future__ import annotations

import secrets
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from planbot.errors import NotFound
from planbot.store.models import PlanRecord, ShareLink, now
from planbot.store.plans import owned_plan


@dataclass(frozen=True)
class LinkInfo:
    id: str
    plan_id: str
    created_at: datetime
    revoked_at: datetime | None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


class LinkRows(Protocol):
    """What the token signer (planbot.web.cookies.ShareLinks) needs of the store."""

    def create_share_link(self, owner_id: str, plan_id: str) -> LinkInfo: ...

    def share_link_target(self, link_id: str) -> tuple[str, str] | None: ...


def _info(row: ShareLink) -> LinkInfo:
    return LinkInfo(row.id, row.plan_id, row.created_at, row.revoked_at)


class ShareLinkRows:
    """The share-link half of `Store` (a mixin: `Store` provides `tx`)."""

    if TYPE_CHECKING:

        def tx(self) -> AbstractContextManager[Session]: ...

    def create_share_link(self, owner_id: str, plan_id: str) -> LinkInfo:
        """A new link to one of the owner's plans (another owner's plan: NotFound)."""
        with self.tx() as s:
            owned_plan(s, owner_id, plan_id)
            row = ShareLink(id=secrets.token_urlsafe(12), plan_id=plan_id, owner_id=owner_id, created_at=now())
            s.add(row)
            s.flush()
            return _info(row)

    def share_links(self, owner_id: str, plan_id: str) -> list[LinkInfo]:
        """Every link to the plan, revoked ones too, oldest first."""
        with self.tx() as s:
            owned_plan(s, owner_id, plan_id)
            rows = s.scalars(
                select(ShareLink).where(ShareLink.plan_id == plan_id).order_by(ShareLink.created_at, ShareLink.id)
            ).all()
            return [_info(r) for r in rows]

    def revoke_share_link(self, owner_id: str, plan_id: str, link_id: str) -> LinkInfo:
        """Revoke one link (again: no change); a link of another plan or owner is NotFound."""
        with self.tx() as s:
            owned_plan(s, owner_id, plan_id)
            row = s.get(ShareLink, link_id, with_for_update=True)
            if row is None or row.plan_id != plan_id:
                raise NotFound(f"plan {plan_id!r} has no link {link_id!r}")
            if row.revoked_at is None:
                row.revoked_at = now()
            return _info(row)

    def share_link_target(self, link_id: str) -> tuple[str, str] | None:
        """(owner, plan id) a live link opens; None when it was revoked or its plan is gone."""
        with self.tx() as s:
            found = s.execute(
                select(PlanRecord.owner_id, PlanRecord.id)
                .join(ShareLink, ShareLink.plan_id == PlanRecord.id)
                .where(ShareLink.id == link_id, ShareLink.revoked_at.is_(None))
            ).first()
            return (found[0], found[1]) if found is not None else None

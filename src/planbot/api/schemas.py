"""Request and response bodies of the REST API (design.md, "Contract of the surfaces")."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from planbot.core.brief import Brief
from planbot.core.interview import MAX_MESSAGE_CHARS
from planbot.core.plan import Plan, PlanIssue
from planbot.core.plan_diff import Change
from planbot.retrieval.index import DocumentInfo


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorBody(BaseModel):
    code: str
    message: str
    details: Any = None


class ErrorResponse(BaseModel):
    error: ErrorBody


class NewSession(_In):
    text: str | None = Field(default=None, max_length=MAX_MESSAGE_CHARS * 5)
    language: str | None = Field(default=None, pattern="^(zh|en)$")


class NewMessage(_In):
    # longer than the interview's limit on purpose: an over-long message gets a helpful reply, not a 422
    text: str = Field(max_length=MAX_MESSAGE_CHARS * 5)


class PlanRefOut(BaseModel):
    id: str
    version: int


class TurnOut(BaseModel):
    id: str
    reply: str
    brief: Brief
    missing: list[str]
    plan: PlanRefOut | None = None
    changes: list[Change] = Field(default_factory=list)


class MessageOut(BaseModel):
    seq: int
    role: str
    text: str
    created_at: datetime


class SessionOut(BaseModel):
    id: str
    title: str
    brief: Brief
    missing: list[str]
    messages: list[MessageOut]
    plan: PlanRefOut | None
    created_at: datetime
    updated_at: datetime


class SessionSummary(BaseModel):
    id: str
    title: str
    plan_id: str | None
    updated_at: datetime


class RenameSession(_In):
    title: str = Field(min_length=1, max_length=200)


class NewPlan(_In):
    brief: Brief | None = None
    text: str | None = Field(default=None, min_length=1, max_length=MAX_MESSAGE_CHARS)

    @model_validator(mode="after")
    def _one(self) -> NewPlan:
        if (self.brief is None) == (self.text is None):
            raise ValueError("send either a brief (structured fields) or text (a description in words)")
        return self


class PlanOut(BaseModel):
    id: str
    version: int
    plan: Plan
    issues: list[PlanIssue] = Field(default_factory=list)


class PlanSummary(BaseModel):
    """A plan in the caller's list: its title, latest version and the conversation that made it (if any)."""

    id: str
    title: str
    latest_version: int
    session_id: str | None
    updated_at: datetime


class ShareLinkOut(BaseModel):
    """A link to a plan as its owner sees it: no token (it is shown once, when the link is made)."""

    id: str
    created_at: datetime
    revoked_at: datetime | None = None
    revoked: bool = False


class NewShareLinkOut(ShareLinkOut):
    path: str  # /shared/<token>
    url: str  # the path on PLANBOT_PUBLIC_URL, else on the address this request came to


class VersionOut(BaseModel):
    version: int
    created_at: datetime
    diff: list[Change]  # from the previous version


class Revision(_In):
    instruction: str = Field(min_length=1, max_length=2000)


class RevisionOut(BaseModel):
    version: int
    diff: list[Change]
    plan: Plan


class ValidateIn(_In):
    plan: dict[str, Any]


class ValidateOut(BaseModel):
    valid: bool
    issues: list[PlanIssue]


class DocumentOut(BaseModel):
    """A knowledge document as the list shows it; an upload's answer adds `status` and `reason`."""

    id: str
    title: str
    chunks: int
    status: str | None = None  # uploads only: added | updated | unchanged
    lang: str | None = None
    tags: list[str] = Field(default_factory=list)
    reason: str = ""
    mine: bool = False  # uploaded by the caller, who may update and remove it
    shipped: bool = False  # a guide shipped with the server: read-only here (planbot.guides)

    @classmethod
    def of(
        cls, doc: DocumentInfo, mine: set[str], shipped: set[str], status: str | None = None, reason: str = ""
    ) -> DocumentOut:
        """The one place a document becomes JSON: from the index's record and who uploaded what."""
        return cls(id=doc.doc_id, title=doc.title, chunks=doc.chunks, lang=doc.lang, tags=list(doc.tags),
                   mine=doc.doc_id in mine, shipped=doc.doc_id in shipped, status=status, reason=reason)  # fmt: skip


class Hit(BaseModel):
    chunk_id: str
    doc_id: str
    title: str
    score: float
    text: str
    source: Literal["uploaded", "shipped"]  # an owner's upload, or a guide shipped with planbot


class SearchOut(BaseModel):
    hits: list[Hit]

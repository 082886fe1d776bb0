"""Plan routes: draft, list, read, export, revise, delete, and the owner's share links.

Every route is scoped to the caller's owner: another owner's plan (or link) answers 404, for reads,
deletes and link changes alike. A deleted plan is gone everywhere: its versions, exports, preview
and shared links all answer 404 (deleting the conversation that made it does the same).

Share links: `POST /v1/plans/{id}/links` makes one (its `path` is `/shared/<token>`), `GET` lists
them (ids and dates, never the token again), `DELETE .../links/{link_id}` revokes one. A link holder
sees the plan as a document only (planbot.web.routes: the HTML page and the md, html, pdf, docx
and xlsx downloads of the latest version), never its JSON with the brief, overrides and generation.
"""

from __future__ import annotations

from fastapi import FastAPI, Request, Response
from pydantic import ValidationError

from planbot import errors
from planbot.api import schemas as S
from planbot.api.deps import Bot, Owner, Version
from planbot.api.exports import check_format, owned_export_response
from planbot.config import Settings
from planbot.core.plan import Plan, PlanIssue
from planbot.core.plan_diff import Change
from planbot.inputs import brief_from_prose, describe_validation_error
from planbot.render import MEDIA_TYPES
from planbot.store.repository import LinkInfo


def _link_out(link: LinkInfo) -> S.ShareLinkOut:
    return S.ShareLinkOut(id=link.id, created_at=link.created_at, revoked_at=link.revoked_at, revoked=link.revoked)


def install_plans(app: FastAPI, settings: Settings) -> None:
    @app.post("/v1/plans/validate", response_model=S.ValidateOut, tags=["plans"])
    def validate_plan(body: S.ValidateIn, b: Bot, _who: Owner) -> S.ValidateOut:
        try:
            plan = Plan.model_validate(body.plan)
        except ValidationError as exc:
            issue = PlanIssue(severity="error", rule="schema", path="", message=describe_validation_error(exc)[:2000])
            return S.ValidateOut(valid=False, issues=[issue])
        issues = b.validate(plan)
        return S.ValidateOut(valid=not any(i.severity == "error" for i in issues), issues=issues)

    @app.post("/v1/plans", status_code=201, response_model=S.PlanOut, tags=["plans"])
    def new_plan(body: S.NewPlan, b: Bot, who: Owner) -> S.PlanOut:
        brief = body.brief if body.brief is not None else brief_from_prose(body.text or "", b.today())
        plan, issues = b.create_plan(who, brief)
        return S.PlanOut(id=plan.id, version=plan.version, plan=plan, issues=issues)

    @app.get("/v1/plans", response_model=list[S.PlanSummary], tags=["plans"])
    def list_plans(b: Bot, who: Owner) -> list[S.PlanSummary]:
        """The caller's plans, most recently changed first (`session_id`: the conversation that made it)."""
        return [S.PlanSummary(id=p.id, title=p.title, latest_version=p.latest_version, session_id=p.session_id,
                              updated_at=p.updated_at) for p in b.plans(who)]  # fmt: skip

    @app.get("/v1/plans/{plan_id}", response_model=S.PlanOut, tags=["plans"])
    def get_plan(plan_id: str, b: Bot, who: Owner, version: Version = None) -> S.PlanOut:
        plan = b.get_plan(who, plan_id, version)
        warnings = [i for i in b.validate(plan) if i.severity == "warning"]  # the same list the draft answered with
        return S.PlanOut(id=plan.id, version=plan.version, plan=plan, issues=warnings)

    @app.delete("/v1/plans/{plan_id}", status_code=204, tags=["plans"])
    def delete_plan(plan_id: str, b: Bot, who: Owner) -> Response:
        """Delete a plan with every version and share link; the conversation that made it forgets it
        (and can draft again)."""
        b.delete_plan(who, plan_id)
        return Response(status_code=204)

    @app.get(
        "/v1/plans/{plan_id}/export/{fmt}",
        tags=["plans"],
        responses={200: {"content": {m: {} for m in MEDIA_TYPES.values()}}},
    )
    def export(plan_id: str, fmt: str, b: Bot, who: Owner, version: Version = None) -> Response:
        check_format(fmt)  # before the plan: an unknown format is the caller's first problem
        return owned_export_response(b, who, plan_id, fmt, version)  # rendered once, then from the store

    @app.get("/v1/plans/{plan_id}/versions", response_model=list[S.VersionOut], tags=["plans"])
    def versions(plan_id: str, b: Bot, who: Owner) -> list[S.VersionOut]:
        return [
            S.VersionOut(version=v.version, created_at=v.created_at, diff=[Change.model_validate(c) for c in v.diff])
            for v in b.plan_versions(who, plan_id)
        ]

    @app.post("/v1/plans/{plan_id}/revisions", status_code=201, response_model=S.RevisionOut, tags=["plans"])
    def revise(plan_id: str, body: S.Revision, b: Bot, who: Owner) -> S.RevisionOut:
        plan, changes = b.revise_plan(who, plan_id, body.instruction)
        return S.RevisionOut(version=plan.version, diff=changes, plan=plan)

    # -- share links ----------------------------------------------------------------------------------
    @app.post("/v1/plans/{plan_id}/links", status_code=201, response_model=S.NewShareLinkOut, tags=["plans"])
    def new_link(plan_id: str, request: Request, b: Bot, who: Owner) -> S.NewShareLinkOut:
        """A read-only link to the plan's latest version, as a document (page and downloads, no JSON);
        valid 90 days unless revoked. `path` is `/shared/<token>`; `url` adds this server's address."""
        if not settings.web_enabled:
            raise errors.Conflict("shared links are pages of the web UI, which is off here (PLANBOT_WEB_ENABLED)")
        link = b.share_plan(who, plan_id)
        path = f"/shared/{request.app.state.share_links.sign(link.id)}"
        base = (settings.public_url or str(request.base_url)).rstrip("/")
        return S.NewShareLinkOut(**_link_out(link).model_dump(), path=path, url=base + path)

    @app.get("/v1/plans/{plan_id}/links", response_model=list[S.ShareLinkOut], tags=["plans"])
    def links(plan_id: str, b: Bot, who: Owner) -> list[S.ShareLinkOut]:
        """Every link made to the plan (from the API or Slack), revoked ones too, oldest first."""
        return [_link_out(link) for link in b.share_links(who, plan_id)]

    @app.delete("/v1/plans/{plan_id}/links/{link_id}", status_code=204, tags=["plans"])
    def revoke_link(plan_id: str, link_id: str, b: Bot, who: Owner) -> Response:
        """Revoke a link: it opens nothing from now on (revoking it again changes nothing)."""
        b.revoke_share_link(who, plan_id, link_id)
        return Response(status_code=204)

"""The browser UI, served by the API's own app.

Pages are Jinja2 templates (autoescaped) with plain scripts from /static: no inline script, no
CDN, no build step. Pages and fragments only read; every write goes through the REST API, which
knows the browser by its signed cookie and checks the CSRF token the page carries.

Shared links (`/shared/<token>`) need no cookie: a live link shows its plan's latest version as a
document (the page, and md, html, pdf, docx, xlsx downloads), never the plan JSON with its brief,
overrides and generation record. Revoked, expired, old-style links and deleted plans answer 404.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from planbot import errors
from planbot.api.deps import Bot, Owner, Version
from planbot.api.exports import check_format, export_response
from planbot.config import Settings
from planbot.core.interview import brief_rows
from planbot.core.plan import Plan
from planbot.render import FORMATS
from planbot.service import Planbot
from planbot.web.cookies import COOKIE, LANG_COOKIE, MAX_AGE_S, WebAuth

UiLanguage = Literal["zh", "en"]
HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "frame-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"
)
# the plan preview is a whole document with its own styles and inline SVG charts; it runs no script
PREVIEW_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
    "frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
)
SHARED_CSP = PREVIEW_CSP.replace("frame-ancestors 'self'", "frame-ancestors 'none'")  # a page of its own
_ENV = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


@cache
def texts() -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = yaml.safe_load((HERE / "i18n.yaml").read_text(encoding="utf-8"))
    return data


@cache
def asset_version() -> str:
    """Changes whenever a static file does, so browsers never run a stale script."""
    digest = hashlib.sha256()
    for path in sorted(STATIC.iterdir()):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def accepted_language(header: str | None) -> UiLanguage:
    """zh or en, whichever the browser prefers (RFC 9110 quality values); English when it names neither."""
    best: tuple[float, UiLanguage] = (0.0, "en")
    for part in (header or "").split(","):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in ("zh", "en"):
            continue
        match = re.search(r"q\s*=\s*([^\s;,]*)", params)
        try:
            q = float(match.group(1)) if match else 1.0
        except ValueError:
            continue
        if q > best[0]:
            best = (q, "zh" if primary == "zh" else "en")
    return best[1]


def ui_language(request: Request) -> UiLanguage:
    for choice in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if choice in ("zh", "en"):
            return "zh" if choice == "zh" else "en"
    return accepted_language(request.headers.get("accept-language"))


def _html(body: str, csp: str, **headers: str) -> HTMLResponse:
    return HTMLResponse(body, headers={"Content-Security-Policy": csp, "Cache-Control": "no-store", **headers})


SHARED_FORMATS = ("md", "html", "pdf", "docx", "xlsx")  # a link holder gets documents, never the plan's JSON
GONE = "this link was revoked or has expired; ask the plan's owner for a new one"


def _shared(request: Request, token: str, b: Planbot) -> Plan:
    """The latest version of the plan a live link opens; 404 for a forged, expired, revoked or old-style
    link and for a deleted plan (the same answer for all: a link holder learns nothing more)."""
    found = request.app.state.share_links.resolve(token)
    if found is None:
        raise errors.NotFound(GONE)
    try:
        return b.get_plan(*found)
    except errors.NotFound:  # deleted since the link was resolved
        raise errors.NotFound(GONE) from None


def install_web(app: FastAPI, settings: Settings) -> None:
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    def page(request: Request, template: str, **extra: Any) -> HTMLResponse:
        web: WebAuth = request.app.state.web_auth
        browser = web.browser(request.cookies.get(COOKIE))
        cookie = None
        if browser is None:
            cookie, browser = web.new_cookie()
        lang = ui_language(request)
        body = _ENV.get_template(template).render(
            lang=lang, t=texts()[lang], csrf=web.csrf_token(browser), v=asset_version(), path=request.url.path, **extra
        )
        response = _html(body, PAGE_CSP)
        secure = request.url.scheme == "https"
        if cookie:
            response.set_cookie(COOKIE, cookie, max_age=MAX_AGE_S, httponly=True, samesite="lax", secure=secure)
        if request.query_params.get("lang") == lang:
            response.set_cookie(LANG_COOKIE, lang, max_age=MAX_AGE_S, samesite="lax", secure=secure)
        return response

    @app.get("/", include_in_schema=False)
    def chat_page(request: Request) -> HTMLResponse:
        return page(request, "chat.html.j2", formats=list(FORMATS))

    @app.get("/knowledge", include_in_schema=False)
    def knowledge_page(request: Request) -> HTMLResponse:
        return page(request, "knowledge.html.j2", max_upload_mb=f"{settings.max_upload_mb:g}")

    @app.get("/ui/sessions/{session_id}/brief", include_in_schema=False)
    def brief_panel(session_id: str, request: Request, b: Bot, who: Owner) -> HTMLResponse:
        lang = ui_language(request)
        brief = b.conversation(who, session_id).brief
        body = _ENV.get_template("brief.html.j2").render(t=texts()[lang], rows=brief_rows(brief, lang))
        return _html(body, PAGE_CSP)

    @app.get("/shared/{token}", include_in_schema=False)
    def shared(token: str, request: Request, b: Bot) -> HTMLResponse:
        """A plan opened from a link (Slack's `link`, POST /v1/plans/{id}/links): the latest version as a
        read-only document, no cookie needed."""
        plan = _shared(request, token, b)
        return _html(b.render(plan, "html").decode(), SHARED_CSP)

    @app.get("/shared/{token}/export/{fmt}", include_in_schema=False)
    def shared_export(token: str, fmt: str, request: Request, b: Bot) -> Response:
        """The same plan as a download: md, html, pdf, docx or xlsx. Not json: the brief, overrides and
        generation record stay with the owner (404, naming the formats a link offers)."""
        plan = _shared(request, token, b)
        if fmt not in SHARED_FORMATS:
            check_format(fmt)  # an unknown format: 400 as on the API
            raise errors.NotFound(
                f"a shared link offers the plan as a document: {', '.join(SHARED_FORMATS)}", {"formats": SHARED_FORMATS}
            )
        return export_response(b, plan, fmt)

    @app.get("/plans/{plan_id}/preview", include_in_schema=False)
    def preview(plan_id: str, b: Bot, who: Owner, version: Version = None) -> HTMLResponse:
        plan = b.get_plan(who, plan_id, version)
        return _html(b.render(plan, "html").decode(), PREVIEW_CSP, **{"X-Frame-Options": "SAMEORIGIN"})

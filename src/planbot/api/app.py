"""The REST API: a thin adapter over the Planbot service (design.md, "Contract of the surfaces").

Errors are always `{"error": {"code", "message", "details"}}` with a fitting status; every
session and plan route is scoped to the caller's owner, so another owner's ids answer 404.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import FastAPI, Header, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from sse_starlette.sse import EventSourceResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from planbot import errors
from planbot.api import schemas as S
from planbot.api.deps import Bot, Owner
from planbot.api.docs import install_docs
from planbot.api.history_routes import install_history
from planbot.api.hosts import SETTING as HOSTS_SETTING
from planbot.api.hosts import AllowedHosts, HostRules
from planbot.api.knowledge_routes import install_knowledge
from planbot.api.plan_routes import install_plans
from planbot.api.ratelimit import RateLimiter
from planbot.api.sse import Relay
from planbot.config import Settings
from planbot.service import Planbot, TurnResult
from planbot.web.cookies import ShareLinks, WebAuth, load_secret
from planbot.web.routes import install_web

STATUS = {
    "bad_input": 400,
    "unauthorized": 401,
    "forbidden": 403,
    "forbidden_host": 403,
    "not_found": 404,
    "conflict": 409,
    "too_large": 413,
    "unreadable_file": 422,
    "rate_limited": 429,
    "upstream": 502,
    "unavailable": 503,
}
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": S.ErrorResponse} for code in (400, 401, 403, 404, 409, 413, 422, 429, 503)
}


def error_response(code: str, message: str, details: Any = None, status: int | None = None) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "details": details}}
    headers = None
    if code == "unavailable":
        headers = {"Retry-After": "2"}
    elif code == "rate_limited" and isinstance(details, dict):
        headers = {"Retry-After": str(details.get("retry_after", 1))}
    return JSONResponse(body, status_code=status or STATUS.get(code, 400), headers=headers)


class BodyLimit:
    """413 for request bodies over the limit, counted as they arrive (Content-Length may be absent)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._reject(scope, receive, send)
            return
        seen, over = 0, False

        async def counted() -> Message:
            nonlocal seen, over
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    over = True
                    raise _TooLarge
            return message

        started = False

        async def guarded(message: Message) -> None:
            # a body parser may catch _TooLarge and answer 400 itself: the answer is still 413
            nonlocal started
            if over:
                return
            started = True
            await send(message)

        try:
            await self.app(scope, counted, guarded)
        except Exception:  # _TooLarge, or what a middleware wrapped it in
            if not over:
                raise
        if over and not started:
            await self._reject(scope, receive, send)

    async def _reject(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = f"{self.max_bytes / 1024 / 1024:g} MB"
        await error_response("too_large", f"the request body is larger than {limit}")(scope, receive, send)


class _TooLarge(Exception):
    pass


def _foreign_host(host: str) -> JSONResponse:
    return error_response(
        "forbidden_host",
        f"this server does not answer to the host name {host!r}: if it is this server's address, add it to "
        f"{HOSTS_SETTING} (comma-separated; .example.com allows a domain and its subdomains) or set PLANBOT_PUBLIC_URL",
        {"host": host, "setting": HOSTS_SETTING},
    )


def _turn_out(result: TurnResult) -> S.TurnOut:
    plan = S.PlanRefOut(id=result.plan.id, version=result.plan.version) if result.plan else None
    return S.TurnOut(id=result.session_id, reply=result.reply, brief=result.brief, missing=result.missing,
                     plan=plan, changes=result.changes)  # fmt: skip


def create_app(settings: Settings | None = None, bot: Planbot | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.bot = bot or await run_in_threadpool(Planbot, settings)
        await run_in_threadpool(app.state.bot.ensure_knowledge)
        if settings.slack_enabled:
            from planbot.slack.app import SlackSurface  # noqa: PLC0415 - slack-bolt loads only when configured

            links = app.state.share_links if settings.web_enabled else None
            app.state.slack = SlackSurface(settings, app.state.bot, links)
        if settings.warm_up:
            threading.Thread(target=app.state.bot.warm_up, name="planbot-warm-up", daemon=True).start()
        if app.state.bot.settings.render_worker:  # new versions' documents, rendered in the background
            app.state.bot.worker.start()
        yield
        await run_in_threadpool(app.state.bot.worker.stop)

    app = FastAPI(
        title="planbot",
        version="0.1.0",
        description="Drafts e-commerce marketing plans from a conversation, grounded in a knowledge base of guides.",
        lifespan=lifespan,
        responses=ERRORS,
        docs_url=None,  # served offline by install_docs
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.limiter = RateLimiter.from_settings(settings)
    secret = load_secret(settings.data_dir, settings.secret_key.get_secret_value() if settings.secret_key else None)
    app.state.web_auth = WebAuth(secret) if settings.web_enabled else None
    app.state.share_links = ShareLinks(secret, lambda: app.state.bot.store)  # a link is a row: revocable
    app.state.slack = None
    registry = CollectorRegistry()
    requests = Counter("planbot_requests", "HTTP requests", ["method", "route", "status"], registry=registry)
    latency = Histogram("planbot_request_seconds", "HTTP request latency", ["route"], registry=registry)
    turns = Counter("planbot_chat_turns", "Chat turns by action", ["action"], registry=registry)
    app.add_middleware(BodyLimit, max_bytes=int(settings.max_body_mb * 1024 * 1024))
    app.add_middleware(AllowedHosts, rules=HostRules.from_settings(settings), reject=_foreign_host)

    @app.middleware("http")
    async def metrics(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        start = time.perf_counter()
        response = await call_next(request)
        route = getattr(request.scope.get("route"), "path", "unmatched")
        requests.labels(request.method, route, str(response.status_code)).inc()
        latency.labels(route).observe(time.perf_counter() - start)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        # pages that need more (web UI, /docs, /redoc) set their own policy
        response.headers.setdefault("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
        return response

    @app.exception_handler(errors.PlanbotError)
    async def _planbot_error(_r: Request, exc: errors.PlanbotError) -> JSONResponse:
        return error_response(exc.code, exc.message, exc.details)

    @app.exception_handler(RequestValidationError)
    async def _validation(_r: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            {"field": ".".join(str(x) for x in e["loc"] if x != "body"), "message": str(e["msg"])} for e in exc.errors()
        ]
        message = "; ".join(f"{p['field'] or 'body'}: {p['message']}" for p in problems[:5])
        return error_response("bad_input", f"the request is not valid: {message}", problems, status=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_r: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed", 401: "unauthorized"}.get(exc.status_code, "bad_input")
        return error_response(code, str(exc.detail), status=exc.status_code)

    install_docs(app)
    if settings.web_enabled:
        install_web(app, settings)
    else:

        @app.get("/", include_in_schema=False)
        def root() -> RedirectResponse:
            return RedirectResponse("/docs")

    @app.post("/slack/events", include_in_schema=False)
    async def slack_events(request: Request) -> Response:
        if request.app.state.slack is None:
            return error_response(
                "not_found", "Slack is not configured: set PLANBOT_SLACK_SIGNING_SECRET and PLANBOT_SLACK_BOT_TOKEN"
            )
        response: Response = await request.app.state.slack.handle(request)
        return response

    # -- health -------------------------------------------------------------------------------------
    @app.get("/healthz", tags=["ops"])
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", tags=["ops"])
    def readyz(b: Bot) -> JSONResponse:
        try:
            b.store.ping()
            chunks = b.index.check_ready()  # the vector store answers and holds every chunk
        except errors.PlanbotError as exc:
            return error_response("unavailable", exc.message)
        return JSONResponse({"status": "ready", "chunks": chunks})

    @app.get("/metrics", tags=["ops"], response_class=PlainTextResponse)
    def metrics_text() -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    # -- sessions -----------------------------------------------------------------------------------
    @app.post("/v1/sessions", status_code=201, response_model=S.TurnOut, tags=["sessions"])
    def new_session(b: Bot, who: Owner, body: S.NewSession | None = None) -> S.TurnOut:
        body = body or S.NewSession()
        result = b.start_session(who, body.text, body.language)
        turns.labels(result.action).inc()
        return _turn_out(result)

    @app.get("/v1/sessions", response_model=list[S.SessionSummary], tags=["sessions"])
    def list_sessions(b: Bot, who: Owner) -> list[S.SessionSummary]:
        return [S.SessionSummary(id=s.id, title=s.title, plan_id=s.plan_id, updated_at=s.updated_at)
                for s in b.sessions(who)]  # fmt: skip

    @app.post(
        "/v1/sessions/{session_id}/messages",
        response_model=S.TurnOut,
        tags=["sessions"],
        responses={200: {"content": {"text/event-stream": {}}}},
    )
    async def send(
        session_id: str, body: S.NewMessage, b: Bot, who: Owner, accept: Annotated[str | None, Header()] = None
    ) -> Any:
        if accept and "text/event-stream" in accept:
            await run_in_threadpool(b.session, who, session_id)  # 404 before the stream starts
            return EventSourceResponse(_stream(b, who, session_id, body.text, turns))
        result = await run_in_threadpool(b.send_message, who, session_id, body.text)
        turns.labels(result.action).inc()
        return _turn_out(result)

    @app.get("/v1/sessions/{session_id}", response_model=S.SessionOut, tags=["sessions"])
    def get_session(session_id: str, b: Bot, who: Owner) -> S.SessionOut:
        v = b.session(who, session_id)
        plan = S.PlanRefOut(id=v.plan.id, version=v.plan.version) if v.plan else None
        return S.SessionOut(
            id=v.info.id, title=v.info.title, brief=v.brief, missing=v.missing, plan=plan,
            messages=[S.MessageOut(seq=m.seq, role=m.role, text=m.text, created_at=m.created_at) for m in v.messages],
            created_at=v.info.created_at, updated_at=v.info.updated_at,
        )  # fmt: skip

    @app.patch("/v1/sessions/{session_id}", status_code=204, tags=["sessions"])
    def rename_session(session_id: str, body: S.RenameSession, b: Bot, who: Owner) -> Response:
        b.rename_session(who, session_id, body.title)
        return Response(status_code=204)

    @app.delete("/v1/sessions/{session_id}", status_code=204, tags=["sessions"])
    def delete_session(session_id: str, b: Bot, who: Owner) -> Response:
        b.delete_session(who, session_id)
        return Response(status_code=204)

    install_plans(app, settings)
    install_knowledge(app, settings)
    install_history(app)
    return app


async def _stream(b: Planbot, who: str, session_id: str, text: str, turns: Counter) -> AsyncIterator[dict[str, str]]:
    """Server-sent events: `progress` while a draft is written (each section as the model finishes it),
    then the committed reply in `delta` pieces, then the whole turn as `done` (or one `error`)."""
    relay = Relay()
    task = asyncio.ensure_future(run_in_threadpool(b.send_message, who, session_id, text, relay.put))
    async for event in relay.until(task):
        yield {"event": "progress", "data": json.dumps(event, ensure_ascii=False)}
    try:
        result = task.result()
    except errors.PlanbotError as exc:
        body = {"code": exc.code, "message": exc.message, "details": exc.details}
        yield {"event": "error", "data": json.dumps({"error": body}, ensure_ascii=False)}
        return
    turns.labels(result.action).inc()
    out = _turn_out(result)
    # sentence by sentence; the pieces join back into the reply exactly (line breaks included)
    for piece in [p for p in re.findall(r"[^。！？!?\n]*(?:[。！？!?\n]|$)", out.reply) if p] or [out.reply]:
        yield {"event": "delta", "data": json.dumps({"text": piece}, ensure_ascii=False)}
    yield {"event": "done", "data": out.model_dump_json()}

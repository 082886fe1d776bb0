"""Who is calling: FastAPI dependencies shared by the REST API and the web pages.

An API key wins; else a browser's signed cookie (writes also need its CSRF token); else, for
loopback use while no keys exist, the local owner. Writes started by another site are refused.
Requests are limited per client address and per owner, in the database (api/ratelimit.py).
"""

from __future__ import annotations

import ipaddress
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Header, Query, Request

from planbot import errors
from planbot.api.ratelimit import RateLimiter, retry_after_s
from planbot.config import Settings
from planbot.service import Planbot
from planbot.web.cookies import COOKIE, WebAuth

# a plan version in a query string; the bound keeps absurd numbers away from the database's integers
Version = Annotated[int | None, Query(ge=1, le=1_000_000)]


def _is_loopback(host: str | None) -> bool:
    try:
        return host is not None and ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host in ("localhost", "testclient")


def the_bot(request: Request) -> Planbot:
    bot: Planbot = request.app.state.bot
    return bot


Bot = Annotated[Planbot, Depends(the_bot)]


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def _cross_site(request: Request) -> bool:
    """A write started by a page on another site (browsers say so in Sec-Fetch-Site or Origin)."""
    if request.headers.get("sec-fetch-site") == "cross-site":
        return True
    origin = request.headers.get("origin")
    return origin is not None and urlsplit(origin).netloc != request.headers.get("host")


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _limiter(request: Request) -> RateLimiter:
    limiter: RateLimiter = request.app.state.limiter
    return limiter


def _refuse(wait_s: float, what: str, limit: int) -> None:
    if wait_s > 0:
        retry = retry_after_s(wait_s)
        raise errors.RateLimited(f"too many {what} (limit {limit} per minute); retry in {retry} s",
                                 {"retry_after": retry})  # fmt: skip


def _limit_owner(request: Request, b: Planbot, found: str) -> str:
    limiter = _limiter(request)
    _refuse(limiter.owner(b.store, found), "requests", limiter.per_minute)
    return found


def owner(
    request: Request,
    b: Bot,
    authorization: Annotated[str | None, Header()] = None,
    x_csrf_token: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> str:
    """The caller's owner: an API key, else a browser's signed cookie (writes need its CSRF token),
    else the local owner for loopback use while no keys exist. Every request is counted against its
    client address first (before the caller is known), then against its owner (api/ratelimit.py)."""
    settings: Settings = request.app.state.settings
    limiter = _limiter(request)
    client = _client(request)
    _refuse(limiter.address(b.store, client), "requests from this address", limiter.per_address)
    if authorization:
        _refuse(limiter.auth_blocked(b.store, client), "failed API keys from this address", limiter.auth_failures)
        scheme, _, key = authorization.partition(" ")
        found = b.owner_for_key(key.strip()) if scheme.lower() == "bearer" else None
        if found is None:
            limiter.auth_failed(b.store, client)
            raise errors.Unauthorized("the API key is not valid (send Authorization: Bearer <key>)")
        return _limit_owner(request, b, found)
    write = request.method not in SAFE_METHODS
    if write and _cross_site(request):
        raise errors.Forbidden("requests from other sites are refused")
    web: WebAuth | None = request.app.state.web_auth
    browser = web.browser(request.cookies.get(COOKIE)) if web else None
    if web is not None and browser is not None:
        if write and not web.csrf_ok(browser, x_csrf_token):
            raise errors.Forbidden("the page's security token is missing or out of date: reload the page")
        return _limit_owner(request, b, b.web_owner(browser))
    if settings.open_local and _is_loopback(client) and not b.store.has_keys():
        return _limit_owner(request, b, b.local_owner())
    raise errors.Unauthorized("an API key is required: create one with `planbot keys create NAME`")


Owner = Annotated[str, Depends(owner)]

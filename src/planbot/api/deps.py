"""Who is calling: FastAPI dependencies shared by the REST API and the web pages.

An API key wins; else a browser's signed cookie (writes also need its CSRF token); else, for
loopback use while no keys exist, the local owner. Writes started by another site are refused.
"""

from __future__ import annotations

import ipaddress
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Header, Query, Request

from planbot import errors
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


def _rate_limit(request: Request, who: str) -> None:
    wait_s = request.app.state.limiter.retry_after(who)
    if wait_s > 0:
        limit = request.app.state.settings.rate_limit_per_minute
        raise errors.RateLimited(
            f"too many requests (limit {limit} per minute); retry in {wait_s:.0f} s",
            {"retry_after": max(1, round(wait_s + 0.5))},
        )


def owner(
    request: Request,
    b: Bot,
    authorization: Annotated[str | None, Header()] = None,
    x_csrf_token: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> str:
    """The caller's owner: an API key, else a browser's signed cookie (writes need its CSRF token),
    else the local owner for loopback use while no keys exist."""
    settings: Settings = request.app.state.settings
    if authorization:
        scheme, _, key = authorization.partition(" ")
        found = b.owner_for_key(key.strip()) if scheme.lower() == "bearer" else None
        if found is None:
            raise errors.Unauthorized("the API key is not valid (send Authorization: Bearer <key>)")
        _rate_limit(request, found)
        return found
    write = request.method not in SAFE_METHODS
    if write and _cross_site(request):
        raise errors.Forbidden("requests from other sites are refused")
    web: WebAuth | None = request.app.state.web_auth
    browser = web.browser(request.cookies.get(COOKIE)) if web else None
    if web is not None and browser is not None:
        if write and not web.csrf_ok(browser, x_csrf_token):
            raise errors.Forbidden("the page's security token is missing or out of date: reload the page")
        found = b.web_owner(browser)
        _rate_limit(request, found)
        return found
    client = request.client.host if request.client else None
    if settings.open_local and _is_loopback(client) and not b.store.has_keys():
        return b.local_owner()
    raise errors.Unauthorized("an API key is required: create one with `planbot keys create NAME`")


Owner = Annotated[str, Depends(owner)]

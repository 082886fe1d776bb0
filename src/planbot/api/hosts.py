"""Which `Host` names this server answers to: the guard against DNS rebinding.

A page on evil.example can make its own name resolve to 127.0.0.1 and then call this server from the
browser as a same-origin page: the requests arrive from loopback, with no key, and would be served
as the open local owner's. The browser cannot hide the name it used, though: it is the `Host`
header. So every request must name a host this server is meant for:

- loopback: `localhost` (and `*.localhost`, which browsers resolve to loopback themselves), any
  127.x address, `[::1]`;
- the address the connection arrived on (covers `planbot serve --host ADDR` and the LAN address of
  a `0.0.0.0` bind, which a rebinding attacker cannot send: a rebound request names the attacker's
  domain, never an IP address);
- `PLANBOT_HOST` unless it is a wildcard (`0.0.0.0`, `::`, empty);
- the host of `PLANBOT_PUBLIC_URL`;
- `PLANBOT_ALLOWED_HOSTS`: comma-separated names; `.example.com` allows example.com and every
  subdomain, `*` allows every name (turning the guard off). Ports are ignored everywhere.

Others get 403 `forbidden_host` in the API's JSON error format, naming the host and the setting.

`GET /healthz` answers any host: load balancers and orchestrators probe it by IP address or an
internal name, and it says nothing but `{"status": "ok"}`. `/readyz` (database and index state) and
`/metrics` (request counts) say more, so they are guarded like every other route. A request with
no `Host` header at all (HTTP/1.0) is served: no browser sends one, so it cannot be a rebound page.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

from planbot.config import Settings

WILDCARD_BINDS = ("", "0.0.0.0", "::", "[::]")
OPEN_PATHS = ("/healthz",)
SETTING = "PLANBOT_ALLOWED_HOSTS"


def normalize_host(value: str) -> str:
    """`Host` header or setting entry → bare lower-case name: no port, no brackets, no final dot."""
    host = value.strip().lower()
    if host.startswith("["):  # [::1]:8000
        return host[1 : host.find("]")] if "]" in host else host[1:]
    if host.count(":") == 1:  # name:port (a bare IPv6 address has several colons)
        host = host.split(":", 1)[0]
    return host.rstrip(".")


def is_loopback_name(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class HostRules:
    """The names configured for one server; loopback and the connection's own address come on top."""

    exact: frozenset[str]
    domains: tuple[str, ...]  # ".example.com": the domain and its subdomains
    any_host: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> HostRules:
        entries = [e for e in (settings.allowed_hosts or "").split(",") if e.strip()]
        if settings.host.strip().lower() not in WILDCARD_BINDS:
            entries.append(settings.host)
        if settings.public_url:
            public = urlsplit(settings.public_url if "//" in settings.public_url else f"//{settings.public_url}")
            if public.hostname:
                entries.append(public.hostname)
        return cls.parse(entries)

    @classmethod
    def parse(cls, entries: Iterable[str]) -> HostRules:
        exact: set[str] = set()
        domains: list[str] = []
        any_host = False
        for entry in entries:
            raw = entry.strip().lower()
            if raw == "*":
                any_host = True
            elif raw.startswith("*."):  # the common spelling of a wildcard subdomain
                domains.append(normalize_host(raw[2:]))
            elif raw.startswith("."):
                domains.append(normalize_host(raw[1:]))
            elif raw:
                exact.add(normalize_host(raw))
        return cls(frozenset(exact), tuple(d for d in domains if d), any_host)

    def allows(self, host: str, local_address: str | None = None) -> bool:
        """`host` is a normalized name (see `normalize_host`); `local_address` the socket it came in on."""
        if self.any_host or is_loopback_name(host) or host in self.exact:
            return True
        if local_address is not None and host == normalize_host(local_address):
            return True
        return any(host == d or host.endswith("." + d) for d in self.domains)


Reject = Callable[[str], ASGIApp]


class AllowedHosts:
    """Pure ASGI middleware: refuses requests whose `Host` names no host this server is meant for."""

    def __init__(self, app: ASGIApp, rules: HostRules, reject: Reject) -> None:
        self.app, self.rules, self.reject = app, rules, reject

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or scope.get("path") in OPEN_PATHS:
            await self.app(scope, receive, send)
            return
        raw = next((v for k, v in scope.get("headers") or [] if k == b"host"), None)
        if raw is None:
            await self.app(scope, receive, send)
            return
        host = normalize_host(raw.decode("latin-1"))
        server = scope.get("server")
        if self.rules.allows(host, server[0] if server else None):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        await self.reject(host[:200])(scope, receive, send)

"""Request limits, counted in the database so every worker shares them (store/rate_limits.py).

Three budgets per rolling minute:
- `owner:<id>`: every owner, whatever proves it (API key, browser cookie, the local owner, a Slack user);
- `addr:<client address>`: everything from one address (an IPv6 client: its /64) together, checked before
  the caller is known, so minting cookies (or trying keys) does not buy fresh budgets; loopback included;
- `authfail:<client address>`: failed API keys; past the limit the address gets 429 before any key is
  looked at, so keys cannot be guessed at speed.

The address budget defaults to 5x the owner's and the failed-key budget to 10, both off when the owner
limit is 0 (PLANBOT_RATE_LIMIT_PER_MINUTE=0) unless set explicitly.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable

from planbot.config import Settings
from planbot.store.rate_limits import Limit, RateCounts
from planbot.store.repository import Store

ADDRESS_FACTOR = 5
AUTH_FAILURES = 10


class RateLimiter:
    def __init__(self, per_minute: int, per_address: int | None = None, auth_failures: int | None = None,
                 clock: Callable[[], float] = time.time) -> None:  # fmt: skip
        self.per_minute = max(per_minute, 0)
        self.per_address = ADDRESS_FACTOR * self.per_minute if per_address is None else max(per_address, 0)
        default_failures = AUTH_FAILURES if self.per_minute > 0 else 0
        self.auth_failures = default_failures if auth_failures is None else max(auth_failures, 0)
        self.clock = clock
        self._counts: RateCounts | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> RateLimiter:
        return cls(settings.rate_limit_per_minute, settings.rate_limit_per_address_per_minute,
                   settings.rate_limit_auth_failures_per_minute)  # fmt: skip

    def counts(self, store: Store) -> RateCounts:
        """The counter over this store (made on first use: the store opens after the app is built)."""
        if self._counts is None or self._counts.store is not store:
            self._counts = RateCounts(store, self.clock)
        return self._counts

    # -- the checks; each returns 0.0 to go ahead, else the seconds to wait -----------------------------
    def address(self, store: Store, address: str) -> float:
        """One more request from `address`, counted unless refused."""
        return self.counts(store).take([Limit(f"addr:{client_network(address)}", self.per_address)])

    def owner(self, store: Store, owner: str) -> float:
        """One more request by `owner`, counted unless refused."""
        return self.counts(store).take([Limit(f"owner:{owner}", self.per_minute)])

    def auth_blocked(self, store: Store, address: str) -> float:
        """Whether `address` failed too many keys lately (counts nothing)."""
        return self.counts(store).wait(f"authfail:{client_network(address)}", self.auth_failures)

    def auth_failed(self, store: Store, address: str) -> None:
        if self.auth_failures > 0:
            self.counts(store).add(f"authfail:{client_network(address)}")


def client_network(address: str) -> str:
    """What one client is: its IPv4 address, or its IPv6 /64 (one host is handed a whole /64)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:100]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def retry_after_s(wait_s: float) -> int:
    """Whole seconds for Retry-After, never 0 while refused."""
    return max(1, int(wait_s + 0.999))

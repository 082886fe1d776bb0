"""The counts behind the limits: shared in the database, atomic across threads, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

import pytest

from planbot.api.ratelimit import RateLimiter, client_network, retry_after_s
from planbot.config import Settings
from planbot.store.models import RateCount
from planbot.store.rate_limits import SPAN, WINDOW_S, Limit, RateCounts, wait_until_below
from planbot.store.repository import Store


class Clock:
    def __init__(self, at: float = 1_000_000.0) -> None:
        self.at = at

    def __call__(self) -> float:
        return self.at


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.for_data_dir(tmp_path)


def test_a_limit_counts_in_the_database_and_expires_window_by_window(store: Store) -> None:
    clock = Clock(1_000_005.0)
    counts = RateCounts(store, clock)
    assert [counts.take([Limit("a", 3)]) for _ in range(3)] == [0.0, 0.0, 0.0]
    # refused, and told when the window of the first three stops being summed (60 to 70 s later)
    assert counts.take([Limit("a", 3)]) == (100_000 + SPAN) * WINDOW_S - 1_000_005.0 == 65.0
    assert counts.total("a") == 3  # a refused request is not counted
    assert counts.take([Limit("b", 3)]) == 0.0  # other keys are untouched
    clock.at += 59  # still within the summed windows: no 60-second stretch lets more than 3 through
    assert counts.take([Limit("a", 3)]) == 6.0
    clock.at += 6
    assert counts.take([Limit("a", 3)]) == 0.0
    assert counts.total("a") == 1
    # a second RateCounts (another worker) sees the same rows
    assert RateCounts(store, clock).total("a") == 1


def test_all_or_none_and_off_at_zero(store: Store) -> None:
    counts = RateCounts(store, Clock())
    assert counts.take([Limit("addr", 2), Limit("owner", 1)]) == 0.0
    assert counts.take([Limit("addr", 2), Limit("owner", 1)]) > 0  # the owner is full ...
    assert counts.total("addr") == 1  # ... so the address was not charged either
    assert counts.take([Limit("off", 0)] * 5) == 0.0 and counts.total("off") == 0


def test_events_are_counted_and_waited_on(store: Store) -> None:
    counts = RateCounts(store, Clock())
    assert counts.wait("fail", 2) == 0.0
    counts.add("fail")
    assert counts.wait("fail", 2) == 0.0
    counts.add("fail")
    assert counts.wait("fail", 2) > 0
    counts.add("fail")  # past the limit still counts
    assert counts.total("fail") == 3 and counts.wait("fail", 0) == 0.0


def test_old_windows_are_deleted(store: Store) -> None:
    clock = Clock()
    counts = RateCounts(store, clock)
    counts.take([Limit("old", 5)])
    clock.at += SPAN * WINDOW_S
    counts.take([Limit("new", 5)])
    with store.tx() as s:
        assert {r.key for r in s.query(RateCount)} == {"new"}


def test_wait_until_below() -> None:
    assert wait_until_below({}, 0, 5.0) == 0.0
    assert wait_until_below({10: 2, 11: 1}, 1, 110.0) == (10 + SPAN) * WINDOW_S - 110.0  # dropping window 10 is enough
    assert wait_until_below({10: 2, 11: 1}, 0, 110.0) == (11 + SPAN) * WINDOW_S - 110.0
    assert retry_after_s(0.2) == 1 and retry_after_s(4.5) == 5 and retry_after_s(5.0) == 5


def _race(store: Store, key: str, limit: int, threads: int = 8, each: int = 10) -> int:
    allowed: list[int] = []
    lock = threading.Lock()

    def hammer() -> None:
        counts = RateCounts(store)  # one per thread, like one per worker
        for _ in range(each):
            if counts.take([Limit(key, limit)]) == 0.0:
                with lock:
                    allowed.append(1)

    workers = [threading.Thread(target=hammer) for _ in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    return len(allowed)


def test_concurrent_takes_never_exceed_the_limit_on_sqlite(store: Store) -> None:
    assert _race(store, "race", 25) == 25


def test_concurrent_takes_never_exceed_the_limit_on_postgresql(pg_url: str) -> None:
    store = Store(pg_url)
    try:
        key = f"race:{uuid.uuid4()}"
        assert _race(store, key, 25) == 25
        assert RateCounts(store).total(key) == 25
    finally:
        store.close()


def test_budgets_follow_the_owner_limit_unless_set() -> None:
    unset = {"rate_limit_per_address_per_minute": None, "rate_limit_auth_failures_per_minute": None}
    default = RateLimiter.from_settings(Settings(rate_limit_per_minute=120, **unset))
    assert (default.per_minute, default.per_address, default.auth_failures) == (120, 600, 10)
    off = RateLimiter.from_settings(Settings(rate_limit_per_minute=0, **unset))
    assert (off.per_minute, off.per_address, off.auth_failures) == (0, 0, 0)
    explicit = RateLimiter.from_settings(
        Settings(rate_limit_per_minute=0, rate_limit_per_address_per_minute=7, rate_limit_auth_failures_per_minute=2)
    )
    assert (explicit.per_minute, explicit.per_address, explicit.auth_failures) == (0, 7, 2)


def test_a_client_is_its_ipv4_address_or_ipv6_64() -> None:
    assert client_network("203.0.113.7") == "203.0.113.7"
    assert client_network("2001:db8:1:2:aaaa::1") == client_network("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert client_network("::ffff:203.0.113.7") == "203.0.113.7"
    assert client_network("::1") == "::/64" and client_network("unknown") == "unknown"

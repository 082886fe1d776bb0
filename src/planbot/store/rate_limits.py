"""Request counts every worker shares: one row of `rate_counts` per key and 10-second window.

A hit is an atomic upsert-increment in the database (INSERT ... ON CONFLICT (key, window) DO UPDATE
SET count = rate_counts.count + 1 RETURNING count; SQLite >= 3.35 and PostgreSQL), so processes and
threads never lose a count and all of them see one total, whatever `--workers` says.

The window is sliding, approximated by sub-windows: a key's total is the sum of its current
10-second window and the six before it, so it covers the last 60 to 70 seconds and no 60-second
stretch ever lets more than the limit through. A refused request is not counted (its increment is
undone in the same transaction) and is told how long until enough old windows have expired.
Windows too old to count are deleted by each process once per window.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from planbot.store.models import RateCount
from planbot.store.repository import Store

WINDOW_S = 10  # seconds per row
SPAN = 7  # windows summed: the current one and the six before it (60 to 70 s)
MAX_KEY = 200  # rate_counts.key is String(200)


@dataclass(frozen=True)
class Limit:
    """At most `per_minute` requests for `key`; 0 or less: no limit."""

    key: str
    per_minute: int


def _window(at: float) -> int:
    return int(at // WINDOW_S)


def wait_until_below(counts: dict[int, int], allowed: int, at: float) -> float:
    """Seconds from `at` until the windows still summed hold at most `allowed` (0.0: already so)."""
    remaining = sum(counts.values())
    wait = 0.0
    for window in sorted(counts):
        if remaining <= allowed:
            break
        remaining -= counts[window]
        wait = (window + SPAN) * WINDOW_S - at  # the moment this window stops being summed
    return max(wait, 0.0)


class RateCounts:
    def __init__(self, store: Store, clock: Callable[[], float] = time.time) -> None:
        self.store, self.clock = store, clock
        self._postgres = store.engine.dialect.name == "postgresql"
        self._pruned = 0  # the last window this process cleaned up in

    # -- the three operations ---------------------------------------------------------------------------
    def take(self, limits: Sequence[Limit]) -> float:
        """Count one request against every limit, all or none. 0.0: there was room in each, and it is
        counted; else the seconds until the fullest has room again, and nothing is counted."""
        active = {lim.key[:MAX_KEY]: lim.per_minute for lim in limits if lim.per_minute > 0}
        if not active:
            return 0.0
        at = self.clock()
        current = _window(at)
        wait = 0.0
        with self.store.tx() as s:
            # one order for every caller: two transactions never wait for each other's rows crosswise
            for key in sorted(active):
                counts = self._windows(s, key, current)
                counts[current] = self._increment(s, key, current, 1) - 1  # what was there before this request
                wait = max(wait, wait_until_below(counts, active[key] - 1, at))
            if wait > 0:
                for key in sorted(active):
                    s.execute(
                        update(RateCount)
                        .where(RateCount.key == key, RateCount.window == current)
                        .values(count=RateCount.count - 1)
                    )
        self._prune(current)
        return wait

    def add(self, key: str) -> None:
        """Count one event (a failed login) whatever the total."""
        at = self.clock()
        with self.store.tx() as s:
            self._increment(s, key[:MAX_KEY], _window(at), 1)
        self._prune(_window(at))

    def wait(self, key: str, per_minute: int) -> float:
        """Without counting anything: 0.0 while `key` is under `per_minute`, else the seconds until it is."""
        if per_minute <= 0:
            return 0.0
        at = self.clock()
        current = _window(at)
        with self.store.tx() as s:
            counts = self._windows(s, key[:MAX_KEY], current)
        return wait_until_below(counts, per_minute - 1, at)

    def total(self, key: str) -> int:
        """The key's count over the summed windows (tests and diagnostics)."""
        with self.store.tx() as s:
            return sum(self._windows(s, key[:MAX_KEY], _window(self.clock())).values())

    # -- SQL ----------------------------------------------------------------------------------------------
    def _increment(self, s: Session, key: str, window: int, by: int) -> int:
        insert = pg_insert if self._postgres else sqlite_insert
        stmt = insert(RateCount).values(key=key, window=window, count=by)
        stmt = stmt.on_conflict_do_update(
            index_elements=[RateCount.key, RateCount.window], set_={"count": RateCount.count + by}
        )
        return int(s.execute(stmt.returning(RateCount.count)).scalar_one())

    @staticmethod
    def _windows(s: Session, key: str, current: int) -> dict[int, int]:
        """The key's counts in the windows summed at `current` (window -> count)."""
        rows = s.execute(
            select(RateCount.window, RateCount.count).where(
                RateCount.key == key, RateCount.window > current - SPAN, RateCount.window <= current
            )
        )
        return {int(w): int(c) for w, c in rows if c > 0}

    def _prune(self, current: int) -> None:
        if current == self._pruned:
            return
        self._pruned = current
        with self.store.tx() as s:
            s.execute(delete(RateCount).where(RateCount.window <= current - SPAN))

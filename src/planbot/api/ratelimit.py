"""Per-key request limits: a token bucket per owner, refilled continuously (per process)."""

from __future__ import annotations

import threading
import time


class RateLimiter:
    def __init__(self, per_minute: int) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self._buckets: dict[str, tuple[float, float]] = {}  # owner -> (tokens, last refill)
        self._lock = threading.Lock()

    def retry_after(self, owner: str) -> float:
        """0 when the request may go ahead (and is counted); else the seconds until it may."""
        if self.capacity <= 0:
            return 0.0
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(owner, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens >= 1:
                self._buckets[owner] = (tokens - 1, now)
                return 0.0
            self._buckets[owner] = (tokens, now)
            return (1 - tokens) / self.rate

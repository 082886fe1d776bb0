"""The token bucket behind the per-key limits."""

from __future__ import annotations

from planbot.api.ratelimit import RateLimiter


def test_rate_limiter_token_bucket() -> None:
    limiter = RateLimiter(per_minute=3)
    assert [limiter.retry_after("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert 0 < limiter.retry_after("a") <= 20  # one token refills every 20 s
    assert limiter.retry_after("b") == 0.0
    assert RateLimiter(per_minute=0).retry_after("a") == 0.0  # off

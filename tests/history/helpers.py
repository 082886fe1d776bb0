"""Shared bits of the history-reader tests: fixture bytes, a fixed today, look-ups into a Reading."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from planbot.core.history.model import AdMonth, MonthFigures
from planbot.history_read import Reading, read_history

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = date(2025, 6, 15)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def read(name: str, data: bytes | None = None, currency: str | None = None) -> Reading:
    return read_history(name, fixture(name) if data is None else data, currency=currency, today=TODAY)


def month(r: Reading, y: int, m: int) -> MonthFigures:
    return next(x for x in r.history.months if x.month == date(y, m, 1))


def ad(r: Reading, y: int, m: int, channel: str, platform: str | None = None) -> AdMonth:
    return next(
        a
        for a in r.history.ads
        if a.month == date(y, m, 1) and a.channel == channel and (platform is None or a.platform == platform)
    )

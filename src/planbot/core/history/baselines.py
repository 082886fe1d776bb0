"""What a plan takes from the brand's own history: baselines, seasonality, last year and ad returns.

The reference window is the latest twelve months of the file that end before the plan starts (all of
them when the file holds fewer): AOV = GMV / orders, CVR = orders / visitors and the returning share =
(buyers - new buyers) / buyers, each over the window's months that carry both figures, so one odd month
cannot set the plan. The month-by-month seasonality is the brand's own GMV by calendar month (the
latest year that has the month); a month the file lacks takes the category's index scaled to the
brand's level, so the curve keeps its shape where the brand has no data. ROAS per platform and
channel is attributed sales over spend in the window.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from planbot.core.history.model import AdMonth, History, MonthFigures

WINDOW = 12
MIN_SEASON_MONTHS = 3  # fewer of the brand's own months than this say nothing about its seasons
MIN_ORDERS = 30  # a window with fewer orders gives no AOV or CVR worth planning on
RATE_BOUNDS = (0.0001, 0.5)


@dataclass(frozen=True)
class Window:
    first: date
    last: date
    months: int


@dataclass(frozen=True)
class Roas:
    """Attributed sales over spend, and the spread of the months that had spend."""

    value: float
    low: float
    high: float
    spend: int


@dataclass(frozen=True)
class Growth:
    """GMV of one span of twelve months against the twelve before it."""

    year_from: int
    year_to: int
    rate: float


@dataclass(frozen=True)
class Baselines:
    window: Window | None
    aov: int | None = None
    cvr: float | None = None
    returning_share: float | None = None
    season: list[float] | None = None  # 12 monthly indices, Jan..Dec, mean 1
    season_own: list[bool] = field(default_factory=list)  # which of the 12 are the brand's own months
    roas_platform: dict[str, Roas] = field(default_factory=dict)
    roas_channel: dict[str, Roas] = field(default_factory=dict)
    growth: list[Growth] = field(default_factory=list)  # complete calendar years, oldest first
    paid_share: float | None = None  # ad-attributed sales over GMV in the window's months that have both
    ad_spend: int = 0  # ad spend in the window's months that have GMV
    ad_spend_share: float | None = None  # that spend over those months' GMV


def _add_months(d: date, n: int) -> date:
    k = d.year * 12 + d.month - 1 + n
    return date(k // 12, k % 12 + 1, 1)


def window(history: History, plan_start: date) -> list[MonthFigures]:
    """The latest WINDOW months before the plan's first month (the file's latest months if none are)."""
    before = [m for m in history.months if m.month < plan_start.replace(day=1)]
    rows = before or history.months
    if not rows:
        return []
    first = _add_months(rows[-1].month, -(WINDOW - 1))
    return [m for m in rows if m.month >= first]


def _ratio(num: Iterable[int], den: Iterable[int]) -> float | None:
    n, d = sum(num), sum(den)
    return n / d if d > 0 and n > 0 else None


def aov(rows: Sequence[MonthFigures]) -> int | None:
    both = [m for m in rows if m.gmv and m.orders]
    if sum(m.orders or 0 for m in both) < MIN_ORDERS:
        return None
    value = _ratio((m.gmv or 0 for m in both), (m.orders or 0 for m in both))
    return max(1, round(value)) if value else None


def cvr(rows: Sequence[MonthFigures]) -> float | None:
    both = [m for m in rows if m.orders and m.visitors]
    if sum(m.orders or 0 for m in both) < MIN_ORDERS:
        return None
    value = _ratio((m.orders or 0 for m in both), (m.visitors or 0 for m in both))
    if value is None or not RATE_BOUNDS[0] <= value <= RATE_BOUNDS[1]:
        return None
    return round(value, 4)


def returning_share(rows: Sequence[MonthFigures]) -> float | None:
    both = [m for m in rows if m.buyers and m.new_buyers is not None and m.new_buyers <= m.buyers]
    value = _ratio(((m.buyers or 0) - (m.new_buyers or 0) for m in both), (m.buyers or 0 for m in both))
    if value is None or not 0.01 <= value <= 0.9:
        return None
    return round(value, 4)


def season(history: History, category: Sequence[float]) -> tuple[list[float], list[bool]] | None:
    """The brand's GMV by calendar month (latest year with the month), the category's index filling gaps."""
    own: dict[int, float] = {}
    for m in history.months:  # in order: a later year's month replaces an earlier one
        if m.gmv:
            own[m.month.month] = m.gmv  # a month's index, as the category's (the plan weighs partial months)
    if len(own) < MIN_SEASON_MONTHS:
        return None
    level = sum(own[k] / category[k - 1] for k in own) / len(own)  # the brand's level in category units
    curve = [own.get(k, category[k - 1] * level) for k in range(1, 13)]
    mean = sum(curve) / 12
    return [x / mean for x in curve], [k in own for k in range(1, 13)]


def _roas(lines: Iterable[AdMonth], key: str) -> dict[str, Roas]:
    by: dict[str, dict[date, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for a in lines:
        name = getattr(a, key)
        if name and a.sales is not None and a.spend > 0:
            cell = by[name][a.month]
            cell[0] += a.spend
            cell[1] += a.sales
    out: dict[str, Roas] = {}
    for name in sorted(by):
        months = by[name]
        spend = sum(s for s, _ in months.values())
        sales = sum(v for _, v in months.values())
        monthly = [v / s for s, v in months.values() if s > 0]
        if spend > 0 and sales > 0:
            out[name] = Roas(round(sales / spend, 2), round(min(monthly), 2), round(max(monthly), 2), spend)
    return out


def paid_share(rows: Sequence[MonthFigures], ads: Sequence[AdMonth]) -> float | None:
    """The share of GMV the brand's ads drove: attributed sales over GMV, in the months that have both."""
    sales: dict[date, int] = defaultdict(int)
    for a in ads:
        if a.sales is not None:
            sales[a.month] += a.sales
    both = [m for m in rows if m.gmv and m.month in sales]
    value = _ratio((sales[m.month] for m in both), (m.gmv or 0 for m in both))
    return round(value, 4) if value is not None and 0.01 <= value <= 0.95 else None


def spend_share(rows: Sequence[MonthFigures], ads: Sequence[AdMonth]) -> dict[str, Any]:
    """What the brand spent on ads against the GMV of the same months."""
    months = {m.month: m.gmv for m in rows if m.gmv}
    spend = sum(a.spend for a in ads if a.month in months)
    gmv = sum(g or 0 for m, g in months.items() if any(a.month == m for a in ads))
    return {"ad_spend": spend, "ad_spend_share": round(spend / gmv, 4) if spend and gmv else None}


def growth(history: History) -> list[Growth]:
    """Year-on-year GMV growth between complete calendar years of the file."""
    years: dict[int, list[int]] = defaultdict(list)
    for m in history.months:
        if m.gmv is not None:
            years[m.month.year].append(m.gmv)
    full = {y: sum(v) for y, v in years.items() if len(v) == 12 and sum(v) > 0}
    return [Growth(y - 1, y, round(full[y] / full[y - 1] - 1, 4)) for y in sorted(full) if y - 1 in full]


def baselines(history: History, plan_start: date, category_season: Sequence[float]) -> Baselines:
    rows = window(history, plan_start)
    ads_first = _add_months(plan_start.replace(day=1), -WINDOW)
    ads = [a for a in history.ads if ads_first <= a.month < plan_start.replace(day=1)] or list(history.ads)
    shaped = season(history, category_season)
    win = Window(rows[0].month, rows[-1].month, len(rows)) if rows else None
    return Baselines(
        window=win,
        aov=aov(rows),
        cvr=cvr(rows),
        returning_share=returning_share(rows),
        season=shaped[0] if shaped else None,
        season_own=shaped[1] if shaped else [],
        roas_platform=_roas(ads, "platform"),
        roas_channel=_roas(ads, "channel"),
        growth=growth(history),
        paid_share=paid_share(rows, ads),
        **spend_share(rows, ads),
    )


def same_months_last_year(history: History, start: date, end: date, attr: str = "gmv") -> int | None:
    """A figure over the plan's period one year earlier, when the file holds every one of those months
    (a month the period only touches counts by its days in the period)."""
    by_month = {m.month: getattr(m, attr) for m in history.months}
    total = 0.0
    month = start.replace(day=1)
    while month <= end:
        nxt = _add_months(month, 1)
        value = by_month.get(date(month.year - 1, month.month, 1))
        if value is None:
            return None
        days = (nxt - month).days
        inside = (min(end, nxt - timedelta(days=1)) - max(start, month)).days + 1
        total += value * inside / days
        month = nxt
    return round(total) if total > 0 else None

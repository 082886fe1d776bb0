"""New and returning customers: who places the plan's orders.

A buyer base (last year's buyers, none for a launch) returns at the category's repurchase rate per
repurchase cycle; each cycle only those who bought again can buy again, so a buyer brings r + r^2 + ...
returning orders a year (one term per cycle that fits). A buyer won in the plan joins the base once
one cycle has passed, so a launch has no returning orders in its first months. Returning orders never
exceed the cap's share of a month's orders (playbook/media.yaml customers); the rest are new customers,
so orders = new + returning in every row. A brief's new-customer target is the KPI; the rows show what
the orders imply (a target above it is a warning, not returning customers turned into new ones).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Month:
    start: date
    days: int
    orders: float  # the month's GMV over the AOV


def repeat_orders_per_buyer(rate: float, cycle_days: float) -> float:
    """Returning orders a buyer brings in a year: r + r^2 + ... for each cycle that fits in 365 days."""
    cycles = max(1, int(365 // max(cycle_days, 1)))
    return sum(rate**j for j in range(1, cycles + 1))


def buyers_from_orders(orders: float, rate: float, cycle_days: float) -> float:
    """Last year's distinct buyers from its orders: each buyer placed one first order plus its repeats."""
    return orders / (1 + repeat_orders_per_buyer(rate, cycle_days))


def returning_by_month(
    months: Sequence[Month], base_buyers: float, rate: float, cycle_days: float, cap: float
) -> list[float]:
    """Expected returning orders per month (floats; rows round them).

    Last year's buyers are a settled base: they bring their yearly repeats evenly. A buyer won in the
    plan (mid-month) makes a k-th repeat with probability r^k, spread over the k-th cycle after one full
    cycle has passed, so the first months of a launch have none and its later months grow with it."""
    per_day = repeat_orders_per_buyer(rate, cycle_days) / 365
    cycle = max(cycle_days, 1.0)
    out: list[float] = []
    won: list[tuple[float, float]] = []  # (day of the purchase from the plan's start, new buyers won)
    origin = months[0].start if months else None
    for m in months:
        start = float((m.start - origin).days) if origin is not None else 0.0
        end = start + m.days
        ret = base_buyers * per_day * m.days
        for day, n in won:
            k = 1
            while day + k * cycle < end and rate**k * n > 1e-9:
                lo, hi = day + k * cycle, day + (k + 1) * cycle
                ret += n * rate**k * max(0.0, min(hi, end) - max(lo, start)) / cycle
                k += 1
        ret = min(ret, cap * m.orders)
        out.append(ret)
        won.append((start + m.days / 2, m.orders - ret))
    return out


def split_rows(orders: Sequence[int], returning: Sequence[float]) -> list[tuple[int, int]]:
    """(new, returning) per row with new + returning == orders."""
    ret = [min(o, max(0, round(r))) for o, r in zip(orders, returning, strict=True)]
    return [(o - r, r) for o, r in zip(orders, ret, strict=True)]

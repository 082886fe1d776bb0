"""Which figures a plan holds, for checking that its prose states no other (issue 20).

A figure in the prose is held when the plan's data has a value it rounds from: an amount, a count, a
rate or a share stored in the plan, or a ratio of two of the plan's headline amounts (a share of the
budget the prose states, like "活动占可分配预算的61.4%"). The tolerance is the figure's own precision
(¥1,324万 stands for 13,235,000–13,245,000), never a percentage of slack.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from itertools import permutations
from typing import Any

from planbot.core.numbers import Amount, find_amounts, find_percents
from planbot.core.plan import Plan

SMALL = 31  # days, months, counts of phases: not figures a plan computes


def _numbers(value: Any) -> Iterator[float]:
    if isinstance(value, bool):
        return
    if isinstance(value, int | float):
        yield float(value)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _numbers(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _numbers(v)


def held_values(plan: Plan) -> tuple[list[float], list[float]]:
    """(amounts and counts, fractions) the plan stores, plus the ratios of its headline amounts."""
    data = plan.model_dump(mode="json")
    values = sorted(set(_numbers(data)))
    b, f = plan.budget, plan.funnel
    campaigns = sum(c.budget for c in plan.calendar.campaigns)
    heads = [b.total, b.allocated, b.reserve, b.always_on, b.media or 0, campaigns, f.year.gmv, f.paid_gmv or 0]
    heads += [line.amount for line in b.by_category]
    ratios = [x / y for x, y in permutations([h for h in heads if h], 2) if x < y]
    if plan.brief.gmv_last_year:  # year-on-year growth: the target over last year's GMV
        ratios.append(f.year.gmv / plan.brief.gmv_last_year - 1)
    fractions = sorted({v for v in values if 0 <= v <= 10} | set(ratios))
    return values, fractions


def _precision(text: str) -> Decimal:
    """Half a unit of the last digit the figure shows, in the figure's own units."""
    digits = text.replace(",", "")
    places = len(digits.split(".", 1)[1].rstrip("%万亿KMBx倍 ")) if "." in digits else 0
    return Decimal(1).scaleb(-places) / 2


def _is_a_name(a: Amount, plan: Plan) -> bool:
    """A year (2027) or a number in a campaign's name (618, 520, 双11): words, not figures."""
    if a.currency or a.scale != 1 or "." in a.text or "," in a.text:
        return False
    names = " ".join(c.name for c in plan.calendar.campaigns)
    return 1900 <= a.value <= 2100 or a.text in names


def unheld_figures(text: str, plan: Plan) -> list[str]:
    """The figures in `text` that the plan does not hold."""
    values, fractions = held_values(plan)
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    for p in find_percents(text):
        spans.append((p.start, p.end))
        tol = float(_precision(p.text)) / 100 + 1e-9
        if not any(abs(float(p.value) - v) <= tol for v in fractions):
            out.append(p.text)
    for a in find_amounts(text):
        if any(s <= a.start < e for s, e in spans):
            continue
        v = float(a.value)
        if v <= SMALL or _is_a_name(a, plan):
            continue
        tol = float(_precision(a.text) * (a.scale or 1)) + 1e-6
        if not any(abs(v - x) <= tol for x in values):
            out.append(a.text)
    return out

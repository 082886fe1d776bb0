"""Budget allocation: integer amounts that always sum exactly to their total.

Shares are whole basis points (largest remainder over 10,000), amounts are whole base units
(largest remainder over the total), so every table sums exactly and every share matches its
amount to within one basis point.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from planbot.core.brief import SHORT_PLAN_DAYS
from planbot.core.calendar import CampaignDates, months_in

BP = 10_000
PHASE_INTENSITY = {"warm_up": 1.0, "burst": 3.0, "follow_through": 0.7}
ALWAYS_ON_PER_30_DAYS = 1.0
SHORT_PLAN_ALWAYS_ON = 0.3  # a campaign plan spends on its campaign; always-on work is a small share

GOAL_BOOSTS: dict[str, dict[str, float]] = {
    "brand": {"kol": 1.5, "short_video": 1.4, "feed_ads": 1.2, "search": 0.85},
    "sales": {"search": 1.15, "livestream": 1.2},
    "users": {"private_domain": 1.8, "crm": 1.5},
    "conversion": {"search": 1.1, "livestream": 1.2, "crm": 1.2},
}


def largest_remainder(total: int, weights: Sequence[float]) -> list[int]:
    """Split a non-negative integer in proportion to weights; the parts sum exactly to total."""
    if total < 0:
        raise ValueError("cannot allocate a negative total")
    if not weights:
        return []
    if any(w < 0 or math.isnan(w) or math.isinf(w) for w in weights):
        raise ValueError("weights must be finite and non-negative")
    s = math.fsum(weights)
    if s == 0:
        weights = [1.0] * len(weights)
        s = float(len(weights))
    exact = [total * w / s for w in weights]
    parts = [math.floor(x) for x in exact]
    short = total - sum(parts)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[:short]:
        parts[i] += 1
    return parts


def shares(weights: Sequence[float]) -> list[float]:
    """Fractions in whole basis points that sum to exactly 1."""
    return [p / BP for p in largest_remainder(BP, weights)]


@dataclass(frozen=True)
class Allocation:
    key: str
    share: float
    amount: int


def allocate(total: int, weights: Mapping[str, float]) -> list[Allocation]:
    keys = list(weights)
    bps = largest_remainder(BP, [weights[k] for k in keys])
    amounts = largest_remainder(total, [float(b) for b in bps])
    return [Allocation(k, b / BP, a) for k, b, a in zip(keys, bps, amounts, strict=True)]


def split_reserve(total: int, reserve_share: float) -> tuple[int, int]:
    """(reserve, allocated) with reserve + allocated == total."""
    reserve = round(total * reserve_share)
    return reserve, total - reserve


def channel_weights(
    base: Mapping[str, float],
    tilts: Iterable[Mapping[str, float]],
    goal_focus: Iterable[str],
    allowed: Iterable[str] = (),
) -> dict[str, float]:
    """The market's base weights (playbook/market) tilted by the category's and platforms' multipliers
    (playbook/category, playbook/platform) and by the goals, limited to the allowed channels."""
    weights = dict(base)
    for tilt in tilts:
        for ch, f in tilt.items():
            if ch in weights:
                weights[ch] *= f
    for goal in goal_focus:
        for ch, f in GOAL_BOOSTS.get(goal, {}).items():
            if ch in weights:
                weights[ch] *= f
    allowed_set = set(allowed)
    if allowed_set:
        weights = {k: v for k, v in weights.items() if k in allowed_set} or weights
    return {k: round(v, 6) for k, v in weights.items()}


def apply_share_overrides(weights: Mapping[str, float], fixed: Mapping[str, float]) -> dict[str, float]:
    """Pin some channels' shares; the others share what is left in their existing proportions."""
    fixed = {k: v for k, v in fixed.items() if k in weights}
    rest = 1.0 - sum(fixed.values())
    free = {k: w for k, w in weights.items() if k not in fixed}
    free_sum = sum(free.values())
    out: dict[str, float] = {}
    for k, w in weights.items():
        if k in fixed:
            out[k] = fixed[k]
        else:
            out[k] = rest * w / free_sum if free_sum > 0 else 0.0
    return out


def month_bounds(y: int, m: int, start: date, end: date) -> tuple[date, date]:
    ms = date(y, m, 1)
    me = date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1)
    return max(ms, start), min(me, end)


@dataclass(frozen=True)
class Intensity:
    """How much of the period's effort sits in each month and each campaign."""

    months: list[tuple[int, int]]
    always_on: list[float]  # per month
    campaign: dict[str, list[float]]  # campaign uid -> per month

    def month_totals(self) -> list[float]:
        return [self.always_on[i] + sum(c[i] for c in self.campaign.values()) for i in range(len(self.months))]

    def campaign_totals(self) -> dict[str, float]:
        return {k: sum(v) for k, v in self.campaign.items()}


def intensity(start: date, end: date, campaigns: Sequence[CampaignDates], weights: Mapping[str, float]) -> Intensity:
    """Always-on effort is one unit per 30 days; a campaign adds its weight (by uid) over its phases."""
    months = months_in(start, end)
    bounds = [month_bounds(y, m, start, end) for y, m in months]
    short = (end - start).days + 1 < SHORT_PLAN_DAYS
    per_30 = SHORT_PLAN_ALWAYS_ON if short else ALWAYS_ON_PER_30_DAYS
    always_on = [((b[1] - b[0]).days + 1) / 30.0 * per_30 for b in bounds]
    ov = Overlaps.of(start, end, months, campaigns)
    per_campaign = {c.uid: [weights[c.uid] * x for x in ov.weights(c.uid, PHASE_INTENSITY)] for c in campaigns}
    return Intensity(months, always_on, per_campaign)


@dataclass(frozen=True)
class Overlaps:
    """Days of each campaign's phases in each month, and in its unclipped phases: computed once per plan and
    weighted per use (campaign effort, each channel's timing); clipping shrinks a campaign's share, it does
    not concentrate it."""

    month_days: list[float]
    in_month: dict[str, dict[str, list[int]]]  # uid -> phase kind -> days per month
    unclipped: dict[str, dict[str, int]]  # uid -> phase kind -> days

    @classmethod
    def of(
        cls, start: date, end: date, months: Sequence[tuple[int, int]], campaigns: Sequence[CampaignDates]
    ) -> Overlaps:
        bounds = [month_bounds(y, m, start, end) for y, m in months]
        in_month: dict[str, dict[str, list[int]]] = {}
        unclipped: dict[str, dict[str, int]] = {}
        for c in campaigns:
            rows: dict[str, list[int]] = {}
            for p in c.phases:
                row = rows.setdefault(p.kind, [0] * len(bounds))
                for i, (ms, me) in enumerate(bounds):
                    row[i] += max(0, (min(me, p.end) - max(ms, p.start)).days + 1)
            in_month[c.uid] = rows
            totals: dict[str, int] = {}
            for p in c.unclipped or c.phases:
                totals[p.kind] = totals.get(p.kind, 0) + (p.end - p.start).days + 1
            unclipped[c.uid] = totals
        return cls([float((e - s).days + 1) for s, e in bounds], in_month, unclipped)

    def weights(self, uid: str, phase: Mapping[str, float]) -> list[float]:
        """A campaign's share of its unclipped effort in each month, its phases weighted by `phase`."""
        units = sum(d * phase[k] for k, d in self.unclipped[uid].items())
        row = [0.0] * len(self.month_days)
        if units <= 0:
            return row
        for kind, days in self.in_month[uid].items():
            w = phase[kind] / units
            for i, d in enumerate(days):
                row[i] += d * w
        return row


def month_key(y: int, m: int) -> str:
    return f"{y}-{m:02d}"


def quarter_key(y: int, q: int) -> str:
    return f"{y}-Q{q}"


def seasonal_weights(months: Sequence[tuple[int, int]], start: date, end: date, curve: Sequence[float]) -> list[float]:
    """Each month's share of demand: the category's monthly index times the part of the month in the period."""
    out = []
    for y, m in months:
        s, e = month_bounds(y, m, start, end)
        full = month_bounds(y, m, date.min, date.max)
        out.append(curve[m - 1] * ((e - s).days + 1) / ((full[1] - full[0]).days + 1))
    return out


def campaign_month_gmv(month_gmv: Sequence[int], inten: Intensity, uids: Sequence[str]) -> dict[str, list[int]]:
    """Each campaign's part of each month's GMV (by its share of the month's effort), so no campaign
    promises more than its months hold; the rest of a month is always-on GMV."""
    out = {u: [0] * len(month_gmv) for u in uids}
    totals = inten.month_totals()
    for i, gmv in enumerate(month_gmv):
        parts = largest_remainder(gmv, [inten.always_on[i]] + [inten.campaign[u][i] for u in uids]) if totals[i] else []
        for u, part in zip(uids, parts[1:], strict=False):
            out[u][i] = part
    return out

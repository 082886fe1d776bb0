"""One budget model: platform x channel x month, with cost categories as its second view.

The money after the one reserve is split into cost categories by plan type (playbook/media.yaml);
the media category is what the channels spend, split into platform x channel cells (a channel sits on
the platforms whose own tools run it, else off-platform), then each channel's money over the months by
its timing (seeding before a peak, search and live in the burst, CRM after it) on top of an always-on
floor. Campaign budgets are the campaign parts of those channel-months plus their content production:
nothing is added on top, so every view sums exactly to the same integers (budget.largest_remainder).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from planbot.core import budget as B
from planbot.core.brief import SHORT_PLAN_DAYS
from planbot.core.calendar import CampaignDates
from planbot.core.playbook.media import ChannelRule, MediaRules, PlanType

OFF_PLATFORM = "off_platform"
CONTENT = "content"
SEEDING_TIMING = "short_video"  # content production follows the seeding channels' timing
# a channel under test runs evenly through its test weeks, at the plan's average return
TEST_RULE = ChannelRule.model_validate({"warm_up": 1, "burst": 1, "follow_through": 1, "floor": 0.5, "return": 1})


@dataclass(frozen=True)
class Platform:
    key: str
    channels: frozenset[str]  # channels its own tools run
    tilt: Mapping[str, float]  # how strong it is at each (playbook/platform channel_tilt)


@dataclass(frozen=True)
class Inputs:
    total: int
    plan_type: PlanType
    start: date
    end: date
    months: list[tuple[int, int]]
    channel_weights: Mapping[str, float]  # after goals, tests and the user's share overrides
    platforms: Sequence[Platform]
    platform_shares: Mapping[str, float]  # the user's pinned platform shares of media
    campaigns: Sequence[CampaignDates]
    campaign_weight: Mapping[str, float]  # uid -> role x seasonality
    launch: bool


@dataclass
class MediaPlan:
    reserve: int
    allocated: int
    costs: list[B.Allocation]  # cost categories, sum to allocated
    media: int
    channels: list[B.Allocation]  # shares of media
    platforms: list[B.Allocation]  # shares of media
    cells: dict[tuple[str, str], int]  # (platform, channel) -> amount
    month_amounts: list[int]  # every category, sums to allocated
    channel_months: dict[str, list[int]]
    camp_lines: dict[str, dict[str, int]] = field(default_factory=dict)  # uid -> channel / content -> amount
    always_on: int = 0

    def camp_budget(self, uid: str) -> int:
        return sum(self.camp_lines[uid].values())


def rule_for(rules: MediaRules, key: str) -> ChannelRule:
    by_key: dict[str, ChannelRule] = {str(k): v for k, v in rules.channels.items()}
    return by_key.get(key, TEST_RULE)


@dataclass(frozen=True)
class Overlaps:
    """Days of each campaign's phases in each month, and in its unclipped phases: computed once per plan,
    weighted per channel (clipping shrinks a campaign's share, it does not concentrate it)."""

    month_days: list[float]
    in_month: dict[str, dict[str, list[int]]]  # uid -> phase kind -> days per month
    unclipped: dict[str, dict[str, int]]  # uid -> phase kind -> days

    @classmethod
    def of(cls, inp: Inputs) -> Overlaps:
        bounds = [B.month_bounds(y, m, inp.start, inp.end) for y, m in inp.months]
        in_month: dict[str, dict[str, list[int]]] = {}
        unclipped: dict[str, dict[str, int]] = {}
        for c in inp.campaigns:
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

    def weights(self, uid: str, rule: ChannelRule) -> list[float]:
        units = sum(d * rule.phase(k) for k, d in self.unclipped[uid].items())
        row = [0.0] * len(self.month_days)
        if units <= 0:
            return row
        for kind, days in self.in_month[uid].items():
            w = rule.phase(kind) / units
            for i, d in enumerate(days):
                row[i] += d * w
        return row


def timing(
    inp: Inputs, ov: Overlaps, rule: ChannelRule, floor_scale: float
) -> tuple[list[float], dict[str, list[float]]]:
    """(always-on weight per month, campaign uid -> weight per month) for one channel; their sum over
    months and campaigns is 1."""
    days = (inp.end - inp.start).days + 1
    floor = rule.floor * floor_scale if inp.campaigns else 1.0
    camp = {c.uid: ov.weights(c.uid, rule) for c in inp.campaigns}
    weight_sum = sum(inp.campaign_weight[u] * sum(row) for u, row in camp.items())
    if weight_sum <= 0:
        floor = 1.0
    always = [floor * d / days for d in ov.month_days]
    parts = {
        u: [(1 - floor) * inp.campaign_weight[u] * x / weight_sum if weight_sum > 0 else 0.0 for x in row]
        for u, row in camp.items()
    }
    return always, parts


def launch_ramp(n: int, ramp: Sequence[float], launch: bool) -> list[float]:
    return [ramp[i] if launch and i < len(ramp) else 1.0 for i in range(n)]


def _split(
    amount: int, always: list[float], parts: dict[str, list[float]], ramp: list[float]
) -> tuple[list[int], list[int], dict[str, int]]:
    """An amount over months (ramped), and each month's money into its always-on and campaign parts."""
    uids = list(parts)
    months = B.largest_remainder(amount, [(always[i] + sum(parts[u][i] for u in uids)) * ramp[i]
                                          for i in range(len(always))])  # fmt: skip
    ao_months = []
    camp = dict.fromkeys(uids, 0)
    for i, m in enumerate(months):
        pieces = B.largest_remainder(m, [always[i], *(parts[u][i] for u in uids)])
        ao_months.append(pieces[0])
        for u, x in zip(uids, pieces[1:], strict=True):
            camp[u] += x
    return months, ao_months, camp


def _carriers(inp: Inputs, ch: str) -> dict[str, float]:
    """The platforms whose own tools run a channel, by their tilt for it; off-platform when none does."""
    tilt = {p.key: p.tilt.get(ch, 1.0) for p in inp.platforms if ch in p.channels}
    return tilt if sum(tilt.values()) > 0 else {OFF_PLATFORM: 1.0}


def cells(inp: Inputs, media: int) -> dict[tuple[str, str], int]:
    """Channel money onto platforms. Without pinned platform shares each channel keeps its exact share
    of media (the same integers as a channel-only split, so re-stating a share changes nothing) and is
    split over its platforms; pinned platform shares rescale the platform rows instead."""
    pinned = dict(inp.platform_shares)
    if not pinned:
        out: dict[tuple[str, str], int] = {}
        for a in B.allocate(media, dict(inp.channel_weights)):
            carriers = _carriers(inp, a.key)
            for p, x in zip(carriers, B.largest_remainder(a.amount, list(carriers.values())), strict=True):
                out[p, a.key] = x
        return out
    weights: dict[tuple[str, str], float] = {}
    total_w = sum(inp.channel_weights.values()) or 1.0
    for ch, w in inp.channel_weights.items():
        carriers = _carriers(inp, ch)
        tsum = sum(carriers.values())
        for p, t in carriers.items():
            weights[p, ch] = w / total_w * t / tsum
    rows: dict[str, float] = {}
    for (pk, _), w in weights.items():
        rows[pk] = rows.get(pk, 0.0) + w
    pinned = {k: v for k, v in pinned.items() if k in rows}
    free = sum(w for pk, w in rows.items() if pk not in pinned)
    rest = max(0.0, 1.0 - sum(pinned.values()))
    weights = {
        (pk, ch): w * (pinned[pk] / rows[pk] if pk in pinned else (rest / free if free > 0 else 0.0))
        for (pk, ch), w in weights.items()
    }
    keys = list(weights)
    return dict(zip(keys, B.largest_remainder(media, [weights[k] for k in keys]), strict=True))


def exact(keys: list[str], amounts: Mapping[str, int]) -> list[B.Allocation]:
    """Lines that keep the model's integers; their shares are whole basis points summing to 1."""
    values = [amounts.get(k, 0) for k in keys]
    return [B.Allocation(k, s, a) for k, s, a in zip(keys, B.shares([float(v) for v in values]), values, strict=True)]


def plan_media(inp: Inputs, rules: MediaRules) -> MediaPlan:
    reserve, allocated = B.split_reserve(inp.total, rules.reserve.share)
    costs = B.allocate(allocated, {str(k): v for k, v in rules.cost_split[inp.plan_type].items()})
    by_cost = {a.key: a.amount for a in costs}
    media = by_cost["media"]
    cell = cells(inp, media)
    n = len(inp.months)
    short = (inp.end - inp.start).days + 1 < SHORT_PLAN_DAYS
    floor_scale = rules.short_plan_floor if short else 1.0
    spend_ramp = launch_ramp(n, rules.launch.spend, inp.launch)
    overlaps = Overlaps.of(inp)

    channel_total: dict[str, int] = {}
    for (_, ch), a in cell.items():
        channel_total[ch] = channel_total.get(ch, 0) + a
    month_amounts = [0] * n
    channel_months: dict[str, list[int]] = {}
    camp_lines: dict[str, dict[str, int]] = {c.uid: {} for c in inp.campaigns}

    def spread(key: str, amount: int, rule: ChannelRule | None) -> None:
        if rule is None:  # people, fees and tools: evenly by day
            bounds = [B.month_bounds(y, m, inp.start, inp.end) for y, m in inp.months]
            months = B.largest_remainder(
                amount, [((e - s).days + 1) * spend_ramp[i] for i, (s, e) in enumerate(bounds)]
            )
            camp: dict[str, int] = {}
        else:
            always, parts = timing(inp, overlaps, rule, floor_scale)
            months, _, camp = _split(amount, always, parts, spend_ramp)
            channel_months[key] = months
        for i, x in enumerate(months):
            month_amounts[i] += x
        for u, x in camp.items():
            if x:
                camp_lines[u][key] = camp_lines[u].get(key, 0) + x

    for ch in inp.channel_weights:
        spread(ch, channel_total.get(ch, 0), rule_for(rules, ch))
    spread(CONTENT, by_cost["content"], rule_for(rules, SEEDING_TIMING))
    spread("people", by_cost["people"], None)
    spread("fees_tools", by_cost["fees_tools"], None)

    channels = exact(list(inp.channel_weights), channel_total)
    rows: dict[str, int] = {}
    for (p, _), a in cell.items():
        rows[p] = rows.get(p, 0) + a
    order = [p.key for p in inp.platforms if p.key in rows] + ([OFF_PLATFORM] if OFF_PLATFORM in rows else [])
    platforms = exact(order, rows)
    mp = MediaPlan(reserve, allocated, costs, media, channels, platforms, cell, month_amounts, channel_months)
    mp.camp_lines = camp_lines
    mp.always_on = allocated - sum(mp.camp_budget(u) for u in camp_lines)
    return mp

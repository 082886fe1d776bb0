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
from dataclasses import dataclass
from datetime import date

from planbot.core import budget as B
from planbot.core.brief import SHORT_PLAN_DAYS
from planbot.core.calendar import CampaignDates
from planbot.core.playbook.media import ChannelRule, MediaRules, PlanType
from planbot.core.playbook.schema import CHANNEL_KEYS

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
    camp_lines: dict[str, dict[str, int]]  # uid -> channel / content -> amount

    def camp_budget(self, uid: str) -> int:
        return sum(self.camp_lines[uid].values())

    @property
    def always_on(self) -> int:
        """The allocated money no campaign holds: always-on media and content, people, fees and tools."""
        return self.allocated - sum(self.camp_budget(u) for u in self.camp_lines)


def rule_for(rules: MediaRules, key: str) -> ChannelRule:
    """A channel's rule; a channel under test (not one of the eight) runs on TEST_RULE."""
    return rules.channels[key] if key in CHANNEL_KEYS else TEST_RULE


def timing(
    inp: Inputs, ov: B.Overlaps, rule: ChannelRule, floor_scale: float
) -> tuple[list[float], dict[str, list[float]]]:
    """(always-on weight per month, campaign uid -> weight per month) for one channel; their sum over
    months and campaigns is 1."""
    days = (inp.end - inp.start).days + 1
    floor = rule.floor * floor_scale if inp.campaigns else 1.0
    camp = {c.uid: ov.weights(c.uid, rule.phases()) for c in inp.campaigns}
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
) -> tuple[list[int], dict[str, int]]:
    """An amount over months (ramped), and each campaign's part of those months (the rest is always-on)."""
    uids = list(parts)
    months = B.largest_remainder(amount, [(always[i] + sum(parts[u][i] for u in uids)) * ramp[i]
                                          for i in range(len(always))])  # fmt: skip
    camp = dict.fromkeys(uids, 0)
    for i, m in enumerate(months):
        pieces = B.largest_remainder(m, [always[i], *(parts[u][i] for u in uids)])
        for u, x in zip(uids, pieces[1:], strict=True):
            camp[u] += x
    return months, camp


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


def platform_order(
    channel_weights: Mapping[str, float], platforms: Sequence[Platform], pinned: Mapping[str, float]
) -> list[str]:
    """The brief's platforms by their share of media, largest first (ties keep the brief's order): a big sale
    follows the waves of the platform the plan spends most on."""
    inp = Inputs(0, "annual", date.min, date.min, [], channel_weights, platforms, pinned, [], {}, False)
    money: dict[str, int] = {}
    for (p, _), x in cells(inp, 1_000_000).items():
        money[p] = money.get(p, 0) + x
    return sorted((p.key for p in platforms), key=lambda k: -money.get(k, 0))


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
    overlaps = B.Overlaps.of(inp.start, inp.end, inp.months, inp.campaigns)

    channel_total: dict[str, int] = {}
    for (_, ch), a in cell.items():
        channel_total[ch] = channel_total.get(ch, 0) + a
    month_amounts = [0] * n
    camp_lines: dict[str, dict[str, int]] = {c.uid: {} for c in inp.campaigns}

    def spread(key: str, amount: int, rule: ChannelRule | None) -> None:
        if rule is None:  # people, fees and tools: evenly by day
            months = B.largest_remainder(amount, [d * r for d, r in zip(overlaps.month_days, spend_ramp, strict=True)])
            camp: dict[str, int] = {}
        else:
            always, parts = timing(inp, overlaps, rule, floor_scale)
            months, camp = _split(amount, always, parts, spend_ramp)
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
    return MediaPlan(reserve, allocated, costs, media, channels, platforms, cell, month_amounts, camp_lines)

"""Returns named right: ad ROAS (attributable GMV / media spend) per channel and platform, MER (GMV /
total marketing budget) for the plan, and whether the media money can buy the target at the category's
returns.

Paid media drives a share of the GMV that depends on how traffic reaches each platform (playbook/media.yaml
paid_share); that paid GMV is spread over the channels by spend x expected return, so awareness money
(creators) shows a lower ROAS than search and CRM, as a planner would plan it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from planbot.core import budget as B
from planbot.core.media_plan import OFF_PLATFORM, MediaPlan, rule_for
from planbot.core.plan import Feasibility
from planbot.core.playbook.media import MediaRules
from planbot.core.playbook.schema import Range

CLICK_CHANNELS = ("search", "feed_ads")  # the money bought by the click, at the category's CPC


@dataclass(frozen=True)
class Returns:
    paid_share: float
    paid_gmv: int
    by_channel: dict[str, int]  # channel -> attributable GMV
    by_platform: dict[str, int]


def roas(gmv: int | None, spend: int) -> float | None:
    """Ad ROAS as the plan states it (two decimals); None without attributed GMV or spend."""
    return round(gmv / spend, 2) if gmv is not None and spend > 0 else None


def paid_share(mp: MediaPlan, traffic: Mapping[str, str], rules: MediaRules) -> float:
    """The media-weighted paid share of GMV over the plan's platforms (off-platform money: the mixed model)."""
    shares = {a.key: a.share for a in mp.platforms}
    if not shares or mp.media <= 0:
        return rules.paid_share["mixed"]
    total = sum(shares.values()) or 1.0
    by_model: dict[str, float] = {str(k): v for k, v in rules.paid_share.items()}
    mixed = by_model["mixed"]
    value = sum(s * (by_model.get(traffic.get(p, "mixed"), mixed) if p != OFF_PLATFORM else mixed)
                for p, s in shares.items()) / total  # fmt: skip
    return round(value, 4)


def expected_return(rules: MediaRules, key: str, launch: bool) -> float:
    """A channel's return relative to the plan's average; a launch has no base for retention to work on."""
    lr = rules.launch_retention
    if launch and key in lr.channels:
        return min(lr.return_, rule_for(rules, key).return_)
    return rule_for(rules, key).return_


def attribute(mp: MediaPlan, gmv: int, share: float, rules: MediaRules, launch: bool = False) -> Returns:
    paid = round(gmv * share)
    keys = [a.key for a in mp.channels]
    weights = [a.amount * expected_return(rules, a.key, launch) for a in mp.channels]
    by_channel = dict(zip(keys, B.largest_remainder(paid, weights) if sum(weights) > 0 else [0] * len(keys),
                          strict=True))  # fmt: skip
    by_platform: dict[str, int] = {a.key: 0 for a in mp.platforms}
    for ch in keys:
        cells = [(p, a) for (p, c), a in mp.cells.items() if c == ch]
        if not cells or by_channel[ch] == 0:
            continue
        parts = B.largest_remainder(by_channel[ch], [float(a) for _, a in cells])
        for (p, _), x in zip(cells, parts, strict=True):
            by_platform[p] = by_platform.get(p, 0) + x
    return Returns(share, paid, by_channel, by_platform)


def _round_sig(x: float, *, up: bool, digits: int = 3) -> int:
    """A figure a planner would say (3 significant digits), rounded up for a budget, down for a target."""
    if x <= 0:
        return 0
    step = 10 ** max(0, math.floor(math.log10(x)) + 1 - digits)
    return int((math.ceil(x / step) if up else math.floor(x / step)) * step)


def feasibility(mp: MediaPlan, ret: Returns, gmv: int, total: int, roas: Range, cpc: Range, cvr: float) -> Feasibility:
    """The ad ROAS the target needs against the category's range, and both honest alternatives when it
    falls outside: the budget the target needs, and the target this budget reaches."""
    required = ret.paid_gmv / mp.media if mp.media > 0 else math.inf
    status = "above_range" if required > roas.high else "below_range" if required < roas.low else "ok"
    needed = reachable = None
    if status != "ok" and math.isfinite(required):
        edge = roas.high if status == "above_range" else roas.low
        needed = _round_sig(total * required / edge, up=True)
        # the GMV paid media does not drive stays; the media buys its part at the edge of the range
        reachable = _round_sig(gmv - ret.paid_gmv + mp.media * edge, up=False)
    click_money = sum(a.amount for a in mp.channels if a.key in CLICK_CHANNELS)
    cpc_mid = (cpc.low + cpc.high) / 2
    clicks = round(click_money / cpc_mid) if cpc_mid > 0 else 0
    return Feasibility(
        status=status,
        paid_share=ret.paid_share,
        paid_gmv=ret.paid_gmv,
        required_roas=round(required, 2) if math.isfinite(required) else 0.0,
        roas_low=roas.low,
        roas_high=roas.high,
        budget_needed=needed,
        reachable_gmv=reachable,
        clicks=clicks,
        click_orders=round(clicks * cvr),
    )

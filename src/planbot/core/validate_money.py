"""Release-2 money rules (issue 18): the budget's views agree and returns are named right.

Channels and platforms are two views of the media cost category; campaigns spend their channels'
money, never more; the ad ROAS KPI is paid GMV over media spend and MER is GMV over the whole budget.
"""

from __future__ import annotations

from collections.abc import Callable

from planbot.core.plan import Plan

Report = Callable[[str, str, str], None]  # (rule, path, message) -> an error


def media_views(plan: Plan, error: Report) -> None:
    """The release-2 budget model: channels and platforms are two views of the media cost category, and
    the campaigns' channel money never exceeds the channel's line."""
    b = plan.budget
    media = b.media or 0
    category = next((line for line in b.by_category if line.key == "media"), None)
    channels = sum(line.amount for line in b.by_channel)
    if category is None or category.amount != media or channels != media:
        shown = "none" if category is None else f"{category.amount:,}"
        error(
            "channel_category",
            "budget.by_channel",
            f"the channels spend {channels:,} but the media cost category is {shown} (media {media:,}): "
            "the two views of the budget disagree",
        )
    spent: dict[str, int] = {}
    for c in plan.calendar.campaigns:
        for line in c.budget_by_purpose:
            spent[line.key] = spent.get(line.key, 0) + line.amount
    for line in b.by_channel:
        if spent.get(line.key, 0) > line.amount:
            error(
                "campaign_channel",
                "calendar.campaigns.budget_by_purpose",
                f"campaigns spend {spent[line.key]:,} on {line.label}, more than its line of {line.amount:,}",
            )


def returns_named(plan: Plan, error: Report) -> None:
    """Returns named right: the ad ROAS KPI is attributable GMV over media spend, MER is GMV over the budget."""
    f, b = plan.funnel, plan.budget
    for i, k in enumerate(plan.kpis):
        if k.scope != "year" or k.scope_ref is not None:
            continue
        if k.metric == "mer" and abs(k.target - f.roas) > 0.005:
            error("returns", f"kpis[{i}]", f"MER {k.target:g} is not GMV / total budget ({f.roas:g})")
        if k.metric == "roas" and f.ad_roas is not None and abs(k.target - f.ad_roas) > 0.005:
            error("returns", f"kpis[{i}]", f"ad ROAS {k.target:g} is not paid GMV / media spend ({f.ad_roas:g})")
    if f.ad_roas is not None and f.paid_gmv is not None and b.media:
        expected = round(f.paid_gmv / b.media, 2)
        if abs(expected - f.ad_roas) > 0.005:
            error("returns", "funnel.ad_roas", f"ad ROAS {f.ad_roas:g} is not paid GMV / media ({expected:g})")
    attributed = [c.attributed_gmv for c in plan.channels.items if c.attributed_gmv is not None]
    if f.paid_gmv is not None and attributed and sum(attributed) != f.paid_gmv:
        error("returns", "channels.items", f"channels' attributed GMV sums to {sum(attributed):,}, "
                                             f"not the paid GMV {f.paid_gmv:,}")  # fmt: skip

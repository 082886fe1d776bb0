"""The plan's numbers, computed once before any section is written: campaigns, budget splits, funnel.

Campaigns come from the category's moments for the market (platform-only events such as Prime Day
only where the brief sells on that platform); month GMV follows the category's seasonality curve and
spend follows the campaigns' intensity, so a snack plan peaks at 年货节 and a pet plan at its pet days.
Every split is an exact integer split (budget.largest_remainder).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from planbot.core import budget as B
from planbot.core import calendar as C
from planbot.core.brief import Brief
from planbot.core.catalog import ad_channel_key, channel_key
from planbot.core.kpi import CAMPAIGN_CVR_LIFT, Derivation, Note, Targets
from planbot.core.kpi import funnel_row as make_funnel
from planbot.core.numbers import format_percent
from planbot.core.plan import FunnelRow, PlanOverrides
from planbot.core.playbook.library import Resolved, library
from planbot.core.sections import test_channels as T

GOAL_DEFAULT = "sales"


@dataclass
class Figures:
    d: Derivation
    goals: list[str]
    campaigns: list[C.CampaignDates] = field(default_factory=list)
    reserve: int = 0
    allocated: int = 0
    tests: dict[str, str] = field(default_factory=dict)  # channels under test: key -> the user's name
    named: dict[str, str] = field(default_factory=dict)  # core channel key -> the name the brief gave it
    by_channel: list[B.Allocation] = field(default_factory=list)
    by_category: list[B.Allocation] = field(default_factory=list)
    inten: B.Intensity | None = None
    month_amounts: list[int] = field(default_factory=list)
    month_gmv: list[int] = field(default_factory=list)
    always_on_amount: int = 0
    camp_budget: dict[str, int] = field(default_factory=dict)
    camp_gmv: dict[str, int] = field(default_factory=dict)
    quarter_rows: list[FunnelRow] = field(default_factory=list)
    quarter_amounts: list[int] = field(default_factory=list)
    year_row: FunnelRow | None = None

    @property
    def t(self) -> Targets:
        return self.d.targets

    def months(self) -> list[tuple[int, int]]:
        assert self.inten is not None
        return self.inten.months

    def year(self) -> FunnelRow:
        assert self.year_row is not None
        return self.year_row

    def campaign_funnel(self, c: C.CampaignDates) -> FunnelRow:
        cvr = min(self.t.cvr * CAMPAIGN_CVR_LIFT, 0.5)
        return make_funnel(c.uid, c.name, self.t.currency, self.camp_gmv[c.uid], self.t.aov, cvr)


def campaign_choices(pb: Resolved) -> tuple[list[str], list[str]]:
    """(defaults, fallbacks) for the calendar: the category's moments first, then the market's generic ones.

    A campaign some platform runs on its own (Prime Day, 双12) is kept only where the brief sells there.
    """
    market = pb.market.key
    platform_only = {k for p in library().platforms.values() for k in p.events}
    own = {k for p in pb.platforms for k in p.events}

    def fits(key: str) -> bool:
        sold_here = key not in platform_only or key in own
        return market in C.SPECS[key].markets and sold_here and pb.moment_fits(key)

    defaults = [k for k in pb.category.moments[market] if fits(k)]
    generic = [k for k in pb.market.default_campaigns if fits(k)]
    rest = [k for k in C.SPECS if fits(k)]  # a quarter neither fills (a lunar date moved) takes any that fits
    return defaults, list(dict.fromkeys([*defaults, *generic, *rest]))


def select_campaigns(
    brief: Brief, ov: PlanOverrides, pb: Resolved, fig: Figures, labels: dict[str, Any], notes: list[Note]
) -> list[Note]:
    """Choose the campaigns; returns the warnings (clipped or estimated dates) to show."""
    assert brief.period is not None
    requested = [k for c in brief.campaigns if (k := C.match_campaign(c))]
    custom = [C.CustomCampaign(c.name, c.day) for c in ov.custom_campaigns]
    defaults, fallbacks = campaign_choices(pb)
    fig.campaigns, added = C.select_campaigns(
        brief.market,
        requested,
        brief.period.start,
        brief.period.end,
        brief.language,
        custom=custom,
        excluded=ov.excluded_campaigns,
        defaults=defaults,
        fallbacks=fallbacks,
    )
    sep = "、" if brief.language == "zh" else ", "
    if added:
        names = sep.join(dict.fromkeys(c.name for c in fig.campaigns if c.key in added))
        key = "campaigns" if (requested or custom) else "category_campaigns"
        args = {"names": names, "category": pb.category.names.in_(brief.language)}
        notes.append(Note(key, "campaigns", names, args))
    warnings = []
    for c in fig.campaigns:
        if c.clipped:
            warnings.append(Note("clipped", args={"name": c.name}))
        if c.estimated:
            warnings.append(Note("estimated", args={"name": c.name, "note": labels["estimated_note"]}))
    return warnings


def named_channels(channels: list[str]) -> dict[str, str]:
    """Core channels the brief names in its own words ("Meta ads" is paid social): key -> those words."""
    out: dict[str, str] = {}
    for name in channels:
        key = channel_key(name)
        if key and key not in out:
            out[key] = name.strip()
    return out


def channel_weights(pb: Resolved, goals: list[str]) -> dict[str, float]:
    tilts = [
        {str(k): v for k, v in t.items()} for t in (pb.category.channel_tilt, *(p.channel_tilt for p in pb.platforms))
    ]
    return B.channel_weights({str(k): v for k, v in pb.market.channel_weights.items()}, tilts, goals)


def compute_budget(brief: Brief, ov: PlanOverrides, pb: Resolved, fig: Figures, notes: list[Note]) -> list[Note]:
    assert brief.period is not None and brief.budget_total is not None
    lang = brief.language
    t = fig.t
    fig.reserve, fig.allocated = B.split_reserve(brief.budget_total)
    warnings: list[Note] = []
    fig.tests = {k: v for k, v in T.channels_to_test(brief.channels, brief.platforms).items() if channel_key(v) is None}
    fig.named = named_channels(brief.channels)
    unknown = [c for c in brief.channels if not (ad_channel_key(c) or channel_key(c))]
    if unknown:
        warnings.append(Note("allowed_channels", args={"channels": ", ".join(unknown)}))
    if fig.tests:
        names = ("、" if lang == "zh" else ", ").join(fig.tests.values())
        notes.append(Note("test_channels", "channels", names, {"names": names, "share": format_percent(T.TEST_SHARE)}))
    weights = T.with_tests(channel_weights(pb, fig.goals), fig.tests)
    if ov.channel_shares:
        total_w = sum(weights.values())
        weights = B.apply_share_overrides({k: v / total_w for k, v in weights.items()}, ov.channel_shares)
    fig.by_channel = B.allocate(fig.allocated, weights)
    fig.by_category = B.allocate(fig.allocated, B.CATEGORY_SHARES)

    start, end = brief.period.start, brief.period.end
    fig.inten = inten = B.intensity(start, end, fig.campaigns)
    month_w = inten.month_totals()
    fig.month_amounts = B.largest_remainder(fig.allocated, month_w)
    season = pb.category.seasonality[pb.market.key]
    fig.month_gmv = B.largest_remainder(t.gmv, B.seasonal_weights(inten.months, start, end, season))
    camp_totals = inten.campaign_totals()
    buckets = [sum(inten.always_on)] + [camp_totals[c.uid] for c in fig.campaigns]
    amounts = B.largest_remainder(fig.allocated, buckets)
    fig.always_on_amount = amounts[0]
    fig.camp_budget = {c.uid: a for c, a in zip(fig.campaigns, amounts[1:], strict=True)}
    fig.camp_gmv = B.campaign_gmv(fig.month_gmv, inten, [c.uid for c in fig.campaigns])
    return warnings


def compute_funnel(brief: Brief, fig: Figures, labels: dict[str, Any]) -> None:
    assert brief.period is not None
    t = fig.t
    quarters = C.quarters_in(brief.period.start, brief.period.end)
    for y, q in quarters:
        idx = [i for i, (my, mm) in enumerate(fig.months()) if my == y and (mm - 1) // 3 + 1 == q]
        gmv = sum(fig.month_gmv[i] for i in idx)
        fig.quarter_amounts.append(sum(fig.month_amounts[i] for i in idx))
        label = labels["quarter_label"].format(year=y, q=q)
        fig.quarter_rows.append(make_funnel(B.quarter_key(y, q), label, t.currency, gmv, t.aov, t.cvr))
    uv = sum(r.uv for r in fig.quarter_rows)
    fig.year_row = FunnelRow(
        scope="year",
        label=labels["whole_period"],
        currency=t.currency,
        gmv=t.gmv,
        aov=t.aov,
        cvr=t.cvr,
        uv=uv,
        orders=round(uv * t.cvr),
    )

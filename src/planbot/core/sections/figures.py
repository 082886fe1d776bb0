"""The plan's numbers, computed once before any section is written: campaigns, the budget model,
returns, the funnel and the customer model.

Campaigns come from the category's moments for the market (platform-only events such as Prime Day
only where the brief sells on that platform); month GMV follows the category's seasonality curve (and a
launch's ramp); the money is one model (core/media_plan.py) timed by channel, so seeding spends before
a peak and CRM after it. Every split is an exact integer split (budget.largest_remainder).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from planbot.core import budget as B
from planbot.core import calendar as C
from planbot.core import customers as CU
from planbot.core import media_plan as MP
from planbot.core import returns as R
from planbot.core import trade_calendar as TC
from planbot.core.brief import Brief, PlanType
from planbot.core.catalog import ad_channel_key, channel_key
from planbot.core.history.baselines import Baselines
from planbot.core.kpi import CAMPAIGN_CVR_LIFT, MEMBER_SHARE, Derivation, Note, Targets
from planbot.core.kpi import funnel_row as make_funnel
from planbot.core.numbers import format_count, format_percent
from planbot.core.plan import Feasibility, FunnelRow, PlanOverrides
from planbot.core.playbook import playbook
from planbot.core.playbook.library import Resolved, library
from planbot.core.playbook.media import MediaRules, rules
from planbot.core.playbook.schema import Benchmark
from planbot.core.playbook.trade import trade
from planbot.core.sections import history as H
from planbot.core.sections import months as MO
from planbot.core.sections import test_channels as T
from planbot.core.sections.feasibility import feasibility_note, roas_basis, weighted_range
from planbot.core.workdays import work_calendar

GOAL_DEFAULT = "sales"


@dataclass
class Figures:
    d: Derivation
    goals: list[str]
    rules: MediaRules = field(default_factory=rules)
    plan_type: PlanType = "annual"
    campaigns: list[C.CampaignDates] = field(default_factory=list)
    tests: dict[str, str] = field(default_factory=dict)  # channels under test: key -> the user's name
    named: dict[str, str] = field(default_factory=dict)  # core channel key -> the name the brief gave it
    mp: MP.MediaPlan | None = None
    inten: B.Intensity | None = None
    month_gmv: list[int] = field(default_factory=list)
    camp_month_gmv: dict[str, list[int]] = field(default_factory=dict)
    returns: R.Returns | None = None
    feasibility: Feasibility | None = None
    bench: Benchmark | None = None
    cvr_scale: float = 1.0  # always-on CVR = target x scale; campaign CVR = that x the campaign lift
    month_returning: list[float] = field(default_factory=list)
    camp_rows: dict[str, FunnelRow] = field(default_factory=dict)
    quarter_rows: list[FunnelRow] = field(default_factory=list)
    month_rows: list[FunnelRow] = field(default_factory=list)
    own: Baselines | None = None  # the brand's own history (core/history), when the brief carries one
    quarter_amounts: list[int] = field(default_factory=list)
    year_row: FunnelRow | None = None

    @property
    def t(self) -> Targets:
        return self.d.targets

    @property
    def m(self) -> MP.MediaPlan:
        assert self.mp is not None
        return self.mp

    @property
    def reserve(self) -> int:
        return self.m.reserve

    @property
    def allocated(self) -> int:
        return self.m.allocated

    @property
    def by_channel(self) -> list[B.Allocation]:
        return self.m.channels

    @property
    def month_amounts(self) -> list[int]:
        return self.m.month_amounts

    @property
    def launch(self) -> bool:
        return self.plan_type == "launch"

    def months(self) -> list[tuple[int, int]]:
        assert self.inten is not None
        return self.inten.months

    def year(self) -> FunnelRow:
        assert self.year_row is not None
        return self.year_row

    def campaign_cvr(self) -> float:
        return min(self.t.cvr * self.cvr_scale * CAMPAIGN_CVR_LIFT, 0.5)

    def campaign_funnel(self, c: C.CampaignDates) -> FunnelRow:
        return self.camp_rows[c.uid]


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


def select_campaigns(brief: Brief, ov: PlanOverrides, pb: Resolved, fig: Figures, notes: list[Note]) -> None:
    """Choose the campaigns (shaped by the trade's calendar in compute_budget, once the platforms' money is
    known)."""
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


def shape_campaigns(
    brief: Brief, ov: PlanOverrides, pb: Resolved, fig: Figures, order: list[str], notes: list[Note]
) -> list[Note]:
    """The chosen campaigns as the trade runs them (trade_calendar.shape): big sales in the waves of the
    platform with the most media, carrier stops, the period's edges. Returns the warnings to show."""
    assert brief.period is not None
    excluded = set(ov.excluded_campaigns)
    sells = {*pb.category.moments[pb.market.key], *(c.key for c in fig.campaigns)}  # the category sells for it
    carry = [k for k in trade().edges.carry if k in sells and k not in excluded]
    fig.campaigns = TC.shape(
        fig.campaigns,
        market=brief.market,
        platforms=order,
        plan_type=brief.kind(),
        start=brief.period.start,
        end=brief.period.end,
        language=brief.language,
        carry=carry,
    )
    for c in fig.campaigns:
        if c.carried:
            notes.append(Note("carried", "calendar", c.name, {"name": c.name, "day": c.day.isoformat()}))
        elif c.clipped:
            notes.append(Note("clipped", "calendar", c.name, {"name": c.name}))
    # one line for every estimated date (a reader needs to know which, not to read it six times)
    estimated = [c.name for c in fig.campaigns if c.estimated]
    names = ("、" if brief.language == "zh" else ", ").join(estimated)
    warnings = [Note("estimated", args={"names": names})] if estimated else []
    years = work_calendar(brief.market).estimated(brief.period.start, brief.period.end)
    if years:
        shown = "/".join(map(str, years))
        notes.append(Note("workdays_estimated", "calendar", shown, {"years": shown}))
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


def fold_small(weights: dict[str, float], floor: float) -> dict[str, float]:
    """Channels too small to do real work are folded into the others (the rest keep their proportions)."""
    total = sum(weights.values()) or 1.0
    kept = {k: w for k, w in weights.items() if w / total >= floor}
    return kept or weights


def campaign_weights(pb: Resolved, fig: Figures) -> dict[str, float]:
    """A campaign's weight: its role (hero or supporting) x the category's demand in its month."""
    season = H.season_curve(pb, fig.own)
    return {c.uid: fig.rules.campaign_roles[c.tier] * season[c.day.month - 1] for c in fig.campaigns}


def compute_budget(
    brief: Brief, ov: PlanOverrides, pb: Resolved, fig: Figures, notes: list[Note], bench: Benchmark
) -> list[Note]:
    assert brief.period is not None and brief.budget_total is not None
    lang = brief.language
    t = fig.t
    fig.plan_type = brief.kind()
    fig.bench = bench
    warnings: list[Note] = []
    fig.tests = {k: v for k, v in T.channels_to_test(brief.channels, brief.platforms).items() if channel_key(v) is None}
    fig.named = named_channels(brief.channels)
    unknown = [c for c in brief.channels if not (ad_channel_key(c) or channel_key(c))]
    if unknown:
        warnings.append(Note("allowed_channels", args={"channels": ", ".join(unknown)}))
    if fig.tests:
        names = ("、" if lang == "zh" else ", ").join(fig.tests.values())
        notes.append(Note("test_channels", "channels", names, {"names": names, "share": format_percent(T.TEST_SHARE)}))
    base = channel_weights(pb, fig.goals)
    kept = fold_small(base, fig.rules.min_channel.share)
    if folded := [k for k in base if k not in kept]:
        names = ("、" if lang == "zh" else ", ").join(str(pb.market.channels[k].name.in_(lang)) for k in folded)  # type: ignore[index]
        share = format_percent(fig.rules.min_channel.share)
        notes.append(Note("folded_channels", "channels", names, {"names": names, "share": share}))
    weights = T.with_tests(kept, fig.tests)
    if ov.channel_shares:
        total_w = sum(weights.values())
        weights = B.apply_share_overrides({k: v / total_w for k, v in weights.items()}, ov.channel_shares)

    platforms = [
        MP.Platform(p.key, frozenset(a.channel for a in p.ad_tools), {str(k): v for k, v in p.channel_tilt.items()})
        for p in pb.platforms
    ]
    warnings += shape_campaigns(brief, ov, pb, fig, MP.platform_order(weights, platforms, ov.platform_shares), notes)
    start, end = brief.period.start, brief.period.end
    camp_w = campaign_weights(pb, fig)
    fig.inten = inten = B.intensity(start, end, fig.campaigns, camp_w)
    inp = MP.Inputs(
        total=brief.budget_total,
        plan_type=fig.plan_type,
        start=start,
        end=end,
        months=inten.months,
        channel_weights=weights,
        platforms=platforms,
        platform_shares=ov.platform_shares,
        campaigns=fig.campaigns,
        campaign_weight=camp_w,
        launch=fig.launch,
    )
    fig.mp = mp = MP.plan_media(inp, fig.rules)
    season = B.seasonal_weights(inten.months, start, end, H.season_curve(pb, fig.own))
    ramp = MP.launch_ramp(len(season), fig.rules.launch.gmv, fig.launch)
    fig.month_gmv = B.largest_remainder(t.gmv, [s * r for s, r in zip(season, ramp, strict=True)])
    fig.camp_month_gmv = B.campaign_month_gmv(fig.month_gmv, inten, [c.uid for c in fig.campaigns])

    traffic = {p.key: p.traffic_model for p in pb.platforms}
    paid = fig.own.paid_share if fig.own is not None and fig.own.paid_share else None
    if paid is not None and brief.history is not None:
        notes.append(
            Note(
                "paid_share_history",
                "paid_share",
                format_percent(paid),
                H.file_args(brief.history, playbook(lang), fig.own),
            )
        )
    paid = paid or R.paid_share(mp, traffic, fig.rules)
    fig.returns = ret = R.attribute(mp, t.gmv, paid, fig.rules, fig.launch)
    roas, cpc = weighted_range(pb, mp, "roas", H.own_roas(fig.own)), weighted_range(pb, mp, "cpc")
    feas = R.feasibility(mp, ret, t.gmv, brief.budget_total, roas, cpc, t.cvr)
    fig.feasibility = feas = feas.model_copy(update={"basis": roas_basis(mp, H.own_roas(fig.own))})
    if feas.status != "ok":
        warnings.append(feasibility_note(brief, feas))
    return warnings


def _base_buyers(brief: Brief, fig: Figures, cycle: float) -> tuple[float, Note | None]:
    """Last year's buyers the plan can bring back: none for a launch; from last year's GMV where known;
    else the plan's own orders a year (stated as an assumption)."""
    t = fig.t
    if fig.launch:
        return 0.0, None
    days = brief.period.days if brief.period is not None else 365
    if last_year := brief.last_year_gmv():
        orders_ly = last_year / t.aov
        return CU.buyers_from_orders(orders_ly, t.repurchase_rate, cycle), None
    orders_ly = t.gmv / t.aov * 365 / days
    return CU.buyers_from_orders(orders_ly, t.repurchase_rate, cycle), Note("returning_base", "gmv_last_year", "")


def _row(scope: str, label: str, fig: Figures, gmv: int, cvr: float) -> FunnelRow:
    return make_funnel(scope, label, fig.t.currency, gmv, fig.t.aov, cvr)


def compute_funnel(brief: Brief, fig: Figures, labels: dict[str, Any], notes: list[Note], notes_w: list[Note]) -> None:
    """Quarters carry the CVR their campaign and always-on days imply (campaign days convert at the lift,
    the rest at a rate that keeps the whole period on the target); every row splits its orders into new
    and returning customers."""
    assert brief.period is not None and fig.bench is not None
    t = fig.t
    camp_gmv = {u: sum(row) for u, row in fig.camp_month_gmv.items()}
    camp_total = sum(camp_gmv.values())
    fig.cvr_scale = (t.gmv - camp_total + camp_total / CAMPAIGN_CVR_LIFT) / t.gmv if t.gmv > 0 else 1.0
    cvr_ao, cvr_c = t.cvr * fig.cvr_scale, fig.campaign_cvr()
    month_camp = [sum(row[i] for row in fig.camp_month_gmv.values()) for i in range(len(fig.month_gmv))]
    month_uv = [
        (g - c) / (cvr_ao * t.aov) + c / (cvr_c * t.aov) for g, c in zip(fig.month_gmv, month_camp, strict=True)
    ]

    cycle = (fig.bench.repurchase_cycle_days.low + fig.bench.repurchase_cycle_days.high) / 2
    base, note = _base_buyers(brief, fig, cycle)
    if note is not None:
        notes.append(note)
    days = f"{fig.bench.repurchase_cycle_days.low:g}–{fig.bench.repurchase_cycle_days.high:g}"
    notes.append(Note("customer_model", "new_customers_target", "", {"rate": format_percent(t.repurchase_rate),
                                                                     "cycle": days}))  # fmt: skip
    bounds = [B.month_bounds(y, m, brief.period.start, brief.period.end) for y, m in fig.months()]
    months = [CU.Month(s, (e - s).days + 1, g / t.aov) for (s, e), g in zip(bounds, fig.month_gmv, strict=True)]
    cap = fig.rules.customers.max_returning_share
    fig.month_returning = CU.returning_by_month(months, base, t.repurchase_rate, cycle, cap)

    rows: list[FunnelRow] = []
    returning: list[float] = []
    for y, q in C.quarters_in(brief.period.start, brief.period.end):
        idx = [i for i, (my, mm) in enumerate(fig.months()) if my == y and (mm - 1) // 3 + 1 == q]
        gmv = sum(fig.month_gmv[i] for i in idx)
        uv = sum(month_uv[i] for i in idx)
        fig.quarter_amounts.append(sum(fig.month_amounts[i] for i in idx))
        cvr = gmv / (uv * t.aov) if uv > 0 else t.cvr
        row = _row(B.quarter_key(y, q), labels["quarter_label"].format(year=y, q=q), fig, gmv, cvr)
        rows.append(row.model_copy(update={"campaign_gmv": sum(month_camp[i] for i in idx)}))
        returning.append(sum(fig.month_returning[i] for i in idx))
    uv = sum(r.uv for r in rows)
    year_cvr = t.gmv / (uv * t.aov) if uv > 0 else t.cvr
    year = FunnelRow(scope="year", label=labels["whole_period"], currency=t.currency, gmv=t.gmv, aov=t.aov,
                     cvr=round(year_cvr, 4), uv=uv, orders=round(uv * round(year_cvr, 4)))  # fmt: skip
    splits = CU.split_rows([r.orders for r in rows], returning)
    fig.quarter_rows = [
        r.model_copy(update={"new_orders": n, "returning_orders": o}) for r, (n, o) in zip(rows, splits, strict=True)
    ]
    new_total = min(sum(n for n, _ in splits), year.orders)
    fig.year_row = year.model_copy(update={"new_orders": new_total, "returning_orders": year.orders - new_total})
    target = brief.new_customers_target
    if target is not None and target > new_total * 1.05:
        notes_w.append(Note("new_customers_high", args={"target": format_count(target, brief.language),
                                                        "model": format_count(new_total, brief.language)}))  # fmt: skip
    new_customers = target if target is not None else max(1, new_total)
    members = max(1, round(new_customers * MEMBER_SHARE))
    fig.d = replace(fig.d, targets=replace(t, new_customers=new_customers, members=members))

    fig.month_rows = MO.month_rows(brief, fig, labels, month_uv, month_camp)
    share = [fig.month_returning[i] / m.orders if m.orders > 0 else 0.0 for i, m in enumerate(months)]
    for c in fig.campaigns:
        row = _row(c.uid, c.name, fig, camp_gmv[c.uid], cvr_c)
        gmv_row = fig.camp_month_gmv[c.uid]
        ret_share = sum(g * s for g, s in zip(gmv_row, share, strict=True)) / max(1, camp_gmv[c.uid])
        ret = min(row.orders, round(row.orders * ret_share))
        fig.camp_rows[c.uid] = row.model_copy(update={"new_orders": row.orders - ret, "returning_orders": ret})

"""Funnel math (GMV = UV x CVR x AOV), target derivation and feasibility checks.

Every figure a plan states is derived here or in budget.py from the brief and documented
defaults; anything filled in is returned as an assumption for the plan to list.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from dataclasses import field as dc_field

from planbot.core.brief import (
    CVR_DECIMALS,
    MAX_CVR,
    MIN_CVR,
    NEW_CUSTOMER_SHARE,
    Brief,
    baseline_cvr,
    goal,
    planned_aov,
    unplannable,
)

# the defaults live with the brief's limits (its validator needs them); re-exported for the interview
from planbot.core.brief import DEFAULT_AOV as DEFAULT_AOV  # noqa: PLC0414
from planbot.core.brief import DEFAULT_CVR as DEFAULT_CVR  # noqa: PLC0414
from planbot.core.plan import FunnelRow

CVR_UPLIFT = 0.10  # goal guide: CVR uplift >= 10%
MAX_CVR_UPLIFT = 0.50
CAMPAIGN_CVR_LIFT = 1.2  # campaign CVR uplift (real-time optimisation lifted CVR by 20%+)
DEFAULT_REPURCHASE = 0.15  # example KPI table: member repurchase >= 15%
TRAFFIC_GROWTH = 0.20  # planned UV growth over last year when last year's UV is known
BRAND_SEARCH_GROWTH = 0.15  # launch goals: brand search +15%
MEMBER_SHARE = 0.30  # share of new customers who join the owned community
FUNNEL_TOLERANCE = 0.01
LAUNCH_NEW_SHARE = 1.0  # a launch's orders are first orders until a repurchase cycle has passed (media guide)


@dataclass(frozen=True)
class Note:
    """An assumption or warning as a key into the playbook plus format arguments."""

    key: str
    field: str = ""
    value: str = ""
    args: dict[str, str] = dc_field(default_factory=dict)


@dataclass(frozen=True)
class Targets:
    currency: str
    gmv: int
    aov: int
    baseline_cvr: float
    cvr: float
    new_customers: int
    repurchase_rate: float
    members: int
    growth: float | None
    gmv_last_year: int | None


@dataclass(frozen=True)
class Defaults:
    """What a plan assumes for an AOV or CVR the brief lacks: the category's benchmark on its platforms
    (playbook/category), instead of one figure for every category."""

    aov: int
    cvr: float
    repurchase: float
    args: dict[str, str]  # category, where, and the ranges, for the assumption's reason
    keys: dict[str, str] = dc_field(  # the assumption each default is stated as (the brand's history has its own)
        default_factory=lambda: {"aov": "aov_category", "cvr": "cvr_category", "repurchase": "repurchase_category"}
    )


@dataclass(frozen=True)
class Derivation:
    targets: Targets
    assumptions: list[Note]
    warnings: list[Note]


def _pct(x: float) -> str:
    return f"{round(x * 100, 1):g}%"


def stated_cvr(cvr: float) -> float:
    """A conversion rate as the funnel states it (four decimals), never rounded down to zero.

    Every figure of a funnel row is computed from the stated rate, so the row stays exact; a rate
    that is not a positive number is a bug in the caller, refused here rather than divided by.
    """
    if not (math.isfinite(cvr) and cvr > 0):
        raise ValueError(f"a conversion rate must be a positive number, not {cvr!r}")
    return max(round(cvr, CVR_DECIMALS), MIN_CVR)


def funnel_row(scope: str, label: str, currency: str, gmv: int, aov: int, cvr: float) -> FunnelRow:
    if aov <= 0:
        raise ValueError(f"an average order value must be positive, not {aov!r}")
    cvr = stated_cvr(cvr)
    uv = round(gmv / (cvr * aov)) if gmv > 0 else 0
    return FunnelRow(
        scope=scope, label=label, currency=currency, gmv=gmv, aov=aov, cvr=cvr, uv=uv, orders=round(uv * cvr)
    )


def funnel_error(row: FunnelRow) -> float:
    """Relative gap between GMV and UV x CVR x AOV."""
    implied = row.uv * row.cvr * row.aov
    return abs(implied - row.gmv) / max(row.gmv, 1)


def orders_error(row: FunnelRow) -> float:
    """Gap between orders and UV x CVR, in orders (rounding allows up to one)."""
    return abs(row.orders - row.uv * row.cvr)


def derive_targets(brief: Brief, defaults: Defaults | None = None) -> Derivation:
    """Fill the figures a plan needs from the brief, recording every default used."""
    assumptions: list[Note] = []
    warnings: list[Note] = []
    currency = brief.currency
    target = goal(brief)
    if target is None:
        raise ValueError("the brief has no GMV target, growth rate with last year's GMV, or new-customer target")
    problems = unplannable(brief)  # a brief loaded without its plannability checks (a stored record)
    if problems:
        raise ValueError("; ".join(p.message for p in problems))
    aov = planned_aov(brief)
    if brief.aov is None:
        if defaults is not None:
            aov = defaults.aov
            assumptions.append(Note(defaults.keys["aov"], "aov", str(aov), defaults.args))
        else:
            assumptions.append(Note("aov", "aov", str(aov)))
    baseline = baseline_cvr(brief)
    if brief.cvr is None:
        if defaults is not None:
            baseline = defaults.cvr
            assumptions.append(Note(defaults.keys["cvr"], "cvr", _pct(baseline), defaults.args))
        else:
            assumptions.append(Note("cvr", "cvr", _pct(baseline)))

    growth = brief.growth_rate
    gmv = target.gmv
    last_year = brief.last_year_gmv()
    if target.field == "gmv_target":
        if last_year:
            growth = gmv / last_year - 1
    elif target.field == "growth_rate":
        assumptions.append(Note("gmv_from_growth", "gmv_target", str(gmv)))
    else:
        share = LAUNCH_NEW_SHARE if brief.kind() == "launch" else NEW_CUSTOMER_SHARE  # a launch has no base yet
        gmv = round((brief.new_customers_target or 0) / share * aov)  # at the AOV the plan uses
        assumptions.append(Note("gmv_from_new_customers", "gmv_target", str(gmv), {"share": _pct(share)}))

    cvr = min(baseline * (1 + CVR_UPLIFT), MAX_CVR)
    assumptions.append(Note("cvr_uplift", "cvr_target", _pct(cvr), {"uplift": _pct(CVR_UPLIFT)}))
    uv_last_year = brief.last_year_uv()
    if uv_last_year:
        planned_uv = uv_last_year * (1 + TRAFFIC_GROWTH)
        required = gmv / (planned_uv * aov)
        if required > baseline * (1 + MAX_CVR_UPLIFT):
            warnings.append(Note("cvr_uplift", args={"uplift": _pct(required / baseline - 1)}))
            cvr = min(baseline * (1 + MAX_CVR_UPLIFT), MAX_CVR)
        else:
            cvr = min(max(required, baseline), MAX_CVR)
        uv = gmv / (cvr * aov)
        if uv / uv_last_year - 1 > 1.0:
            warnings.append(Note("traffic_growth", args={"growth": _pct(uv / uv_last_year - 1)}))
    cvr = stated_cvr(cvr)

    orders = gmv / aov
    new_customers = brief.new_customers_target
    if new_customers is None:  # a first estimate; the customer model (sections/figures.py) sets the plan's
        new_customers = max(1, round(orders * NEW_CUSTOMER_SHARE))
    repurchase = brief.repurchase_rate
    if repurchase is None and defaults is not None:
        repurchase = defaults.repurchase
        assumptions.append(Note(defaults.keys["repurchase"], "repurchase_rate", _pct(repurchase), defaults.args))
    elif repurchase is None:
        repurchase = DEFAULT_REPURCHASE
        assumptions.append(Note("repurchase", "repurchase_rate", _pct(repurchase)))
    members = max(1, round(new_customers * MEMBER_SHARE))

    if brief.budget_total is not None:
        ratio = brief.budget_total / gmv
        if ratio > 0.30:
            warnings.append(Note("budget_ratio_high", args={"ratio": _pct(ratio)}))
        elif ratio < 0.03:
            warnings.append(Note("budget_ratio_low", args={"ratio": _pct(ratio)}))
    if growth is not None and growth > 1.0:
        warnings.append(Note("growth_high", args={"growth": _pct(growth)}))

    targets = Targets(
        currency,
        gmv,
        aov,
        round(baseline, CVR_DECIMALS),
        cvr,
        new_customers,
        repurchase,
        members,
        growth,
        last_year,
    )
    return Derivation(targets, assumptions, warnings)

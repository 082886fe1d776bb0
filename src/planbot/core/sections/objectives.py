"""Objectives (SMART, by goal dimension) and the funnel section: both restate the computed targets."""

from __future__ import annotations

from planbot.core.brief import GoalDimension
from planbot.core.datefmt import long_date
from planbot.core.kpi import BRAND_SEARCH_GROWTH
from planbot.core.numbers import format_count, format_percent
from planbot.core.plan import Funnel, Objective, Objectives
from planbot.core.sections.context import Context
from planbot.core.sections.history import growth_phrase
from planbot.core.sections.kpis import benchmark

GOAL_ORDER = ("sales", "users", "conversion", "brand")


def objectives_section(ctx: Context) -> Objectives:
    o, t = ctx.labels["objectives"], ctx.fig.t
    assert ctx.brief.period is not None
    end = ctx.brief.period.end  # a target counts to the period's last day; its review falls on a working day
    due = long_date(end, ctx.lang)
    growth = o["growth"].format(growth=format_percent(t.growth)) if t.growth is not None else ""
    growth = growth_phrase(ctx.brief, ctx.fig.own, t.growth, ctx.labels) or growth
    specs: dict[GoalDimension, tuple[str, str, float, str]] = {
        "sales": (o["sales"].format(gmv=ctx.money(t.gmv), due=due, growth=growth), "gmv", t.gmv, ctx.cur),
        "brand": (
            o["brand"].format(value=format_percent(BRAND_SEARCH_GROWTH)),
            "brand_search",
            BRAND_SEARCH_GROWTH,
            "%",
        ),
        "users": (
            o["users"].format(
                new_customers=format_count(t.new_customers, ctx.lang),
                due=due,
                repurchase=format_percent(t.repurchase_rate),
            ),
            "new_customers",
            t.new_customers,
            "count",
        ),
        "conversion": (
            o["conversion"].format(
                baseline=format_percent(t.baseline_cvr, 2), target=format_percent(t.cvr, 2), due=due
            ),
            "cvr",
            t.cvr,
            "%",
        ),
    }
    goals = ctx.fig.goals
    items = [
        Objective(dimension=g, statement=st, metric=metric, target=target, unit=unit, due=end, core=g in goals[:2])
        for g in sorted(goals, key=GOAL_ORDER.index)
        for st, metric, target, unit in [specs[g]]  # type: ignore[index]
    ]
    end_mark = "。" if ctx.lang == "zh" else "."
    core_sentence = ("" if ctx.lang == "zh" else " ").join(i.statement + end_mark for i in items if i.core)
    text, cites = ctx.prose("objectives", {"core_goal_sentence": core_sentence})
    return Objectives(text=text, citations=cites, items=items)


def funnel_section(ctx: Context) -> Funnel:
    fig, t = ctx.fig, ctx.fig.t
    bench, _ = benchmark(ctx)
    year = fig.year()
    facts = {
        "baseline_cvr": format_percent(t.baseline_cvr, 2),
        "cvr": format_percent(t.cvr, 2),
        "campaign_cvr": format_percent(round(fig.campaign_cvr(), 4), 2),
        "always_on_cvr": format_percent(round(t.cvr * fig.cvr_scale, 4), 2),
    }
    counts = {
        "new": format_count(year.new_orders or 0, ctx.lang),
        "returning": format_count(year.returning_orders or 0, ctx.lang),
    }
    facts["customers"] = ctx.labels["customers_line"]["launch" if fig.launch else "base"].format(**counts)
    text, cites = ctx.prose("funnel", facts, ctx.cite([bench.source, fig.rules.customers.source]))
    budget = ctx.brief.budget_total or 1
    feas = fig.feasibility
    return Funnel(
        text=text,
        citations=cites,
        year=year,
        quarters=fig.quarter_rows,
        months=fig.month_rows,
        baseline_cvr=t.baseline_cvr,
        campaign_cvr=round(fig.campaign_cvr(), 4),
        always_on_cvr=round(t.cvr * fig.cvr_scale, 4),
        roas=round(t.gmv / budget, 2),
        ad_roas=feas.required_roas if feas is not None else None,
        paid_gmv=feas.paid_gmv if feas is not None else None,
    )

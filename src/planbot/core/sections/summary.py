"""The summary: the plan's headline figures and its campaigns, from the computed numbers."""

from __future__ import annotations

from planbot.core.numbers import format_count, format_percent
from planbot.core.plan import Section
from planbot.core.sections.context import Context
from planbot.core.sections.feasibility import feasibility_args


def summary_section(ctx: Context) -> Section:
    fig, t = ctx.fig, ctx.fig.t
    budget = ctx.brief.budget_total or 1
    facts = {
        "brand": ctx.brand_name(),
        "period_label": ctx.period_label(),
        "platforms": ctx.platforms_label(),
        "category": ctx.category_label(),
        "budget": ctx.money(budget),
        "reserve": ctx.money(fig.reserve),
        "core_goal": ctx.labels["goal_names"][fig.goals[0]],
        "gmv": ctx.money(t.gmv),
        "uv": format_count(fig.year().uv, ctx.lang),
        "cvr": format_percent(t.cvr, 2),
        "aov": ctx.money(t.aov),
        "roas": f"{t.gmv / budget:.1f}" + ("" if ctx.lang == "zh" else "x"),
        "ad_roas": f"{fig.feasibility.required_roas:g}" if fig.feasibility else "",
        "plan_type": ctx.labels["plan_types"][fig.plan_type],
        "feasibility": feasibility_sentence(ctx),
        "n_campaigns": str(len(fig.campaigns)),
        "campaigns": ctx.sep.join(c.name for c in fig.campaigns),
    }
    text, cites = ctx.prose("summary", facts)
    return Section(text=text, citations=cites)


def feasibility_sentence(ctx: Context) -> str:
    """Whether the media money buys the target at the category's returns; outside the range, both options."""
    f = ctx.fig.feasibility
    if f is None:
        return ""
    return str(ctx.labels["feasibility"][f.status]).format(**feasibility_args(f, ctx.cur, ctx.lang))

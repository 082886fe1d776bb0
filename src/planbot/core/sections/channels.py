"""The channel plan and the budget section.

A channel's role and tactics are the market playbook's (platform-neutral); the tools it uses are the
brief's platforms' own (万相台无界 on Tmall, 巨量千川 on Douyin, Sponsored Products on Amazon), so a plan
never names a tool of a platform it does not sell on. A channel the brief names in its own words
("Meta ads") keeps those words next to the plan's name for it.
"""

from __future__ import annotations

from datetime import date

from planbot.core import budget as B
from planbot.core import calendar as C
from planbot.core import returns as R
from planbot.core.numbers import format_count, format_percent
from planbot.core.plan import Budget, BudgetLine, ChannelPlan, Channels, PeriodBudget
from planbot.core.playbook.schema import AdTool, PlatformPlaybook, Source
from planbot.core.sections import sizing as S
from planbot.core.sections.context import Context
from planbot.core.sections.history import own_channel_kpi, own_roas
from planbot.core.sections.kpis import range_text

TOOLS_PER_PLATFORM = 2
MARKET_TACTICS_WITH_CATEGORY = 1  # the market's generic tactics a channel keeps next to the category's own


def channel_name(ctx: Context, key: str) -> str:
    name = str(ctx.channel_info(key)["name"])
    own = ctx.fig.named.get(key)
    if own and own.lower() not in name.lower():
        return f"{name}（{own}）" if ctx.lang == "zh" else f"{name} ({own})"
    return name


def tool_line(ctx: Context, p: PlatformPlaybook, a: AdTool) -> str:
    """ "万相台无界版：…"; the platform is named only when the plan has several and the tool's name lacks it."""
    lang = ctx.lang
    name, platform = a.name.in_(lang), p.names.in_(lang)
    if len(ctx.pb.platforms) > 1 and platform.lower() not in name.lower():
        name = f"{platform}·{name}" if lang == "zh" else f"{name} ({platform})"
    return f"{name}：{a.use.zh}" if lang == "zh" else f"{name}: {a.use.en}"


def sized_lines(ctx: Context) -> dict[str, S.Sized]:
    """Each priced channel's sizing: what its line buys, and the tactics it cannot pay for."""
    return {a.key: z for a in ctx.fig.by_channel if (z := S.size(ctx, a.key, a.amount)) is not None}


def channels_section(ctx: Context) -> Channels:
    items, used = [], []
    ret = ctx.fig.returns
    sized = sized_lines(ctx)
    drops = S.unpaid(sized)
    for a in ctx.fig.by_channel:
        ch = ctx.channel_info(a.key)
        tools: list[str] = []
        for p in ctx.pb.platforms:
            for tool in [t for t in p.ad_tools if t.channel == a.key][:TOOLS_PER_PLATFORM]:
                tools.append(tool_line(ctx, p, tool))
                used.append(tool.source)
        market_tactics = list(ch["tactics"])
        own = ctx.pb.category.channel_tactics.get(a.key)  # type: ignore[call-overload]
        if own is not None and ctx.keep([own], lambda t: " ".join(t.tactics.in_(ctx.lang))):
            tools += own.tactics.in_(ctx.lang)
            used.append(own.source)
            market_tactics = market_tactics[:MARKET_TACTICS_WITH_CATEGORY]
        tactics = [t for t in [*tools, *market_tactics] if S.affordable(t, drops)]
        if a.key in sized:
            tactics.insert(0, sized[a.key].line)
            used.append(ctx.fig.rules.tactic_costs_source[ctx.pb.market.key])
        attributed = ret.by_channel.get(a.key) if ret is not None else None
        items.append(
            ChannelPlan(
                key=a.key,
                name=channel_name(ctx, a.key),
                role=ch["role"],
                share=a.share,
                amount=a.amount,
                tactics=tactics,
                kpis=[*ch["kpis"], *own_channel_kpi(ctx, a.key)],
                attributed_gmv=attributed,
                roas=R.roas(attributed, a.amount),
            )
        )
    top = max(ctx.fig.by_channel, key=lambda a: a.share)
    used += [p.traffic.source for p in ctx.pb.platforms]
    used += [ctx.fig.rules.timing_source, ctx.fig.rules.return_source]
    facts = {
        "top_channel": channel_name(ctx, top.key),
        "top_share": format_percent(top.share),
        "n_channels": str(len(items)),
        "media": ctx.money(ctx.fig.m.media),
        "platform_traffic": " ".join(p.traffic.text.in_(ctx.lang) for p in ctx.pb.platforms),
    }
    text, cites = ctx.prose("channels", facts, ctx.cite(used))
    return Channels(text=text, citations=cites, items=items)


def activities(ctx: Context, s: date, e: date) -> list[str]:
    names = [
        f"{c.name} · {ctx.labels['phase_names'][p.kind]}"
        for c in ctx.fig.campaigns
        for p in c.phases
        if p.start <= e and p.end >= s
    ]
    return [*names, ctx.labels["always_on_activity"]]


def budget_section(ctx: Context) -> Budget:
    fig, lab = ctx.fig, ctx.labels
    assert ctx.brief.period is not None and ctx.brief.budget_total is not None
    start, end = ctx.brief.period.start, ctx.brief.period.end
    months = []
    month_shares = B.shares([float(a) for a in fig.month_amounts])
    for i, (y, m) in enumerate(fig.months()):
        s, e = B.month_bounds(y, m, start, end)
        label = lab["month_label"].format(year=y, month=m, month_name=lab["month_names"][m - 1])
        months.append(
            PeriodBudget(
                key=B.month_key(y, m),
                label=label,
                start=s,
                end=e,
                share=month_shares[i],
                amount=fig.month_amounts[i],
                activities=activities(ctx, s, e),
            )
        )
    quarters = []
    q_shares = B.shares([float(a) for a in fig.quarter_amounts])
    for i, row in enumerate(fig.quarter_rows):
        qs, qe = C.quarter_bounds(int(row.scope[:4]), int(row.scope[-1]))
        s, e = max(qs, start), min(qe, end)
        quarters.append(
            PeriodBudget(
                key=row.scope,
                label=row.label,
                start=s,
                end=e,
                share=q_shares[i],
                amount=fig.quarter_amounts[i],
                activities=activities(ctx, s, e),
            )
        )
    mp, feas = fig.m, fig.feasibility
    camp_total = fig.allocated - mp.always_on
    facts = {
        "budget": ctx.money(ctx.brief.budget_total),
        "reserve": ctx.money(fig.reserve),
        "reserve_share": format_percent(fig.rules.reserve.share),
        "allocated": ctx.money(fig.allocated),
        "media": ctx.money(mp.media),
        "plan_type": lab["plan_types"][fig.plan_type],
        "campaign_share": format_percent(camp_total / fig.allocated if fig.allocated else 0),
        "clicks": format_count(feas.clicks if feas else 0, ctx.lang),
        "click_orders": format_count(feas.click_orders if feas else 0, ctx.lang),
    }
    r = fig.rules
    sources: list[Source] = [ctx.pb.category.seasonality_source, r.reserve.source, r.cost_split_source, r.floor_source]
    if fig.launch:
        sources.append(r.launch.source)
    text, cites = ctx.prose("budget", facts, ctx.cite(sources))
    return Budget(
        text=text,
        citations=cites,
        currency=ctx.cur,
        total=ctx.brief.budget_total,
        reserve=fig.reserve,
        reserve_share=r.reserve.share,
        allocated=fig.allocated,
        always_on=mp.always_on,
        by_category=[
            BudgetLine(key=a.key, label=lab["categories"][a.key], share=a.share, amount=a.amount) for a in mp.costs
        ],
        by_channel=[
            BudgetLine(key=a.key, label=channel_name(ctx, a.key), share=a.share, amount=a.amount)
            for a in fig.by_channel
        ],
        by_quarter=quarters,
        by_month=months,
        media=mp.media,
        by_platform=platform_lines(ctx),
        plan_type=fig.plan_type,
        feasibility=feas,
    )


def platform_lines(ctx: Context) -> list[BudgetLine]:
    """Media money by platform, with the GMV it is expected to drive and the category's ROAS range there."""
    ret = ctx.fig.returns
    by_key = {p.key: p for p in ctx.pb.platforms}
    rows = ctx.pb.category.benchmarks[ctx.pb.market.key]
    own = own_roas(ctx.fig.own)
    out = []
    for a in ctx.fig.m.platforms:
        p = by_key.get(a.key)
        if p is None:
            label = ctx.labels["off_platform"]
        elif p.key == "generic":
            label = ctx.platforms_label()
        else:
            label = p.names.in_(ctx.lang)
        bench = rows.get(a.key, rows["default"])
        attributed = ret.by_platform.get(a.key, 0) if ret is not None else None
        out.append(
            BudgetLine(
                key=a.key,
                label=label,
                share=a.share,
                amount=a.amount,
                attributed_gmv=attributed,
                roas=R.roas(attributed, a.amount),
                benchmark=""
                if p is None
                else range_text(
                    own.get(a.key, bench.roas), "x", ctx.cur, ctx.lang, ctx.labels["own_data"] if a.key in own else ""
                ),
            )
        )
    return out

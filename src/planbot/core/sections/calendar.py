"""The campaign calendar: each campaign's phases with actions per channel, its offer mechanics, budget,
funnel and KPIs. Actions are the market playbook's for the plan's biggest channels; the offers are
sized from the AOV (a 满减 threshold just above one order)."""

from __future__ import annotations

import math

from planbot.core import budget as B
from planbot.core import calendar as C
from planbot.core.numbers import format_money_compact
from planbot.core.plan import KPI, Action, BudgetLine, CalendarSection, Campaign, Mechanic, Phase
from planbot.core.playbook.schema import CHANNEL_KEYS
from planbot.core.sections.channels import channel_name, sized_lines
from planbot.core.sections.context import Context
from planbot.core.sections.kpis import benchmark
from planbot.core.sections.sizing import affordable, unpaid


def _nice_step(x: float) -> int:
    if x < 10:
        return 1
    digits = len(str(int(x)))
    return 10 if digits == 2 else 5 * 10 ** (digits - 2)


def threshold_offer(aov: int, factor: float, rate: float, language: str) -> tuple[int, int]:
    """A threshold discount (满减) sized from the AOV: 满299减50 style in Chinese, round numbers in English."""
    raw = max(aov * factor, 2)
    step = _nice_step(raw)
    threshold = math.ceil(raw / step) * step
    if language == "zh" and step >= 10:
        threshold -= 1  # 299, not 300
    dstep = max(1, step // 5)
    discount = int(((threshold + 1) * rate) / dstep + 0.5) * dstep
    discount = min(max(discount, 1), threshold - 1) if threshold > 1 else 0
    return threshold, discount


def _amount(ctx: Context, x: int) -> str:
    return format_money_compact(x, ctx.cur, "en") if ctx.lang == "en" else str(x)


def mechanics(ctx: Context, c: C.CampaignDates) -> list[Mechanic]:
    m, aov = ctx.labels["mechanics"], ctx.fig.t.aov

    def threshold(kind: str, template: str, factor: float, rate: float) -> Mechanic:
        th, di = threshold_offer(aov, factor, rate, ctx.lang)
        text = m[template].format(threshold=_amount(ctx, th), discount=_amount(ctx, di))
        return Mechanic(kind=kind, description=text, threshold=th, discount=di)

    out = [threshold("threshold_discount", "threshold", 1.15, 0.17)]
    if c.tier == "S":
        high = threshold("threshold_discount", "threshold_high", 2.3, 0.2)
        if (high.threshold or 0) > (out[0].threshold or 0):
            out.append(high)
        out.append(Mechanic(kind="percent_off", percent=0.5, description=m["percent_off"].format(percent="50%", zhe=5)))
        out.append(Mechanic(kind="flash_sale", description=m["flash_sale"]))
    if c.tier in ("S", "A"):
        out.append(Mechanic(kind="second_item", description=m["second_item"]))
    out.append(Mechanic(kind="gift", description=m["gift"]))
    out.append(threshold("coupon", "coupon", 0.8, 0.15))
    return out


def product_actions(ctx: Context) -> dict[str, str]:
    """Per phase, what the category's own price ladder and repurchase cycle ask for (playbook/category)."""
    lang, lab = ctx.lang, ctx.labels["campaign_product"]
    rungs = {r.tier: r.text.in_(lang) for r in ctx.keep(ctx.pb.category.product_ladder, lambda r: r.text.in_(lang))}
    out: dict[str, str] = {}
    if lead := rungs.get("trial") or rungs.get("traffic"):
        out["warm_up"] = lab["warm_up"].format(text=lead)
    if profit := rungs.get("profit"):
        out["burst"] = lab["burst"].format(text=profit)
    bench, _ = benchmark(ctx)
    cycle = bench.repurchase_cycle_days
    out["follow_through"] = lab["follow_through"].format(low=f"{cycle.low:g}", high=f"{cycle.high:g}")
    return out


def phases(ctx: Context, c: C.CampaignDates) -> list[Phase]:
    ranked = [a.key for a in sorted(ctx.fig.by_channel, key=lambda a: -a.share) if a.key in CHANNEL_KEYS]
    acts = ctx.pb.market.phase_actions
    product = product_actions(ctx)
    drops = unpaid(sized_lines(ctx))
    out = []
    for p in c.phases:
        chosen = ranked[:5]
        if p.kind == "follow_through":
            chosen += [k for k in ("crm", "private_domain") if k in ranked and k not in chosen]
        texts = [(k, acts[p.kind][k].in_(ctx.lang)) for k in chosen]
        actions = [Action(channel=k, text=t) for k, t in texts if affordable(t, drops)]
        if p.kind in product:
            actions.insert(0, Action(channel="product", text=product[p.kind]))
        if p.kind == "warm_up" and any(c.key in pl.presale for pl in ctx.pb.platforms):
            actions.insert(0, Action(channel="platform", text=ctx.pb.market.presale_action.in_(ctx.lang)))
        out.append(
            Phase(kind=p.kind, name=ctx.labels["phase_names"][p.kind], start=p.start, end=p.end, actions=actions)
        )
    return out


def money_lines(ctx: Context, c: C.CampaignDates) -> list[BudgetLine]:
    """A campaign's money by channel and its content production: its parts of the plan's one model
    (its contingency is the plan's reserve, never added on top)."""
    parts = ctx.fig.m.camp_lines[c.uid]
    order = [a.key for a in ctx.fig.by_channel if parts.get(a.key)] + (["content"] if parts.get("content") else [])
    amount = sum(parts.values())
    lines = B.allocate(amount, {k: float(parts[k]) for k in order}) if order else []
    names = {a.key: channel_name(ctx, a.key) for a in ctx.fig.by_channel}
    names["content"] = ctx.labels["categories"]["content"]
    return [BudgetLine(key=a.key, label=names[a.key], share=a.share, amount=a.amount) for a in lines]


def campaigns(ctx: Context, kpis: list[KPI]) -> list[Campaign]:
    out = []
    for c in ctx.fig.campaigns:
        amount = ctx.fig.m.camp_budget(c.uid)
        out.append(
            Campaign(
                id=c.uid,
                key=c.key,
                name=c.name,
                day=c.day,
                tier=c.tier,
                estimated=c.estimated,
                phases=phases(ctx, c),
                mechanics=mechanics(ctx, c),
                currency=ctx.cur,
                budget=amount,
                budget_by_purpose=money_lines(ctx, c),
                funnel=ctx.fig.campaign_funnel(c),
                kpis=[k.id for k in kpis if k.scope_ref == c.uid],
            )
        )
    return out


def calendar_section(ctx: Context, items: list[Campaign]) -> CalendarSection:
    dates = ctx.sep.join(
        f"{c.name} {c.day:%m-%d}" if ctx.lang == "en" else f"{c.name}（{c.day.month}月{c.day.day}日）" for c in items
    )
    assert ctx.brief.period is not None
    years = sorted({c.day.year for c in items}) or [ctx.brief.period.start.year]
    moments = [k for k in ctx.pb.category.moments[ctx.pb.market.key] if any(c.key == k for c in items)]
    cited = ctx.cite([ctx.pb.category.seasonality_source]) if moments else []
    text, cites = ctx.prose("calendar", {"years": "/".join(map(str, years)), "campaigns": dates}, cited)
    return CalendarSection(text=text, citations=cites, campaigns=items)

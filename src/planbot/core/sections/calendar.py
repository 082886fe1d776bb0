"""The campaign calendar: each campaign's phases with actions per channel, its offer mechanics, budget,
funnel and KPIs. Actions are the market playbook's for the plan's biggest channels; the offers are
sized from the AOV (a 满减 threshold just above one order)."""

from __future__ import annotations

import math
from datetime import date, timedelta

from planbot.core import budget as B
from planbot.core import calendar as C
from planbot.core import trade_calendar as TC
from planbot.core.datefmt import short_date
from planbot.core.numbers import format_money_compact
from planbot.core.plan import KPI, Action, BudgetLine, CalendarSection, Campaign, Mechanic, Milestone, Phase
from planbot.core.playbook.schema import CHANNEL_KEYS, Source
from planbot.core.playbook.trade import trade
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

    if c.logistics == "virtual":  # couriers are stopped: stocked gift boxes, e-gift cards, vouchers
        lines = ctx.labels["trade"]["virtual_mechanics"]
        th, di = threshold_offer(aov, 1.15, 0.17, ctx.lang)
        return [
            Mechanic(kind="gift", description=lines[0]),
            Mechanic(
                kind="coupon",
                description=lines[1].format(threshold=_amount(ctx, th), discount=_amount(ctx, di)),
                threshold=th,
                discount=di,
            ),
            Mechanic(kind="gift", description=lines[2]),
        ]
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
        if p.kind in product and not (c.logistics == "virtual" and p.kind != "warm_up"):  # no parcels in a stop
            actions.insert(0, Action(channel="product", text=product[p.kind]))
        final_wave = (c.wave or "").endswith("/final")  # the deposit presale opens with the first wave
        if p.kind == "warm_up" and not final_wave and any(c.key in pl.presale for pl in ctx.pb.platforms):
            actions.insert(0, Action(channel="platform", text=ctx.pb.market.presale_action.in_(ctx.lang)))
        if p.kind == "warm_up" and (opens := wave_opens(ctx, c)):
            actions.insert(0, Action(channel="platform", text=ctx.labels["trade"]["wave_action"].format(opens=opens)))
        if note := logistics_note(ctx, c, p):
            actions.insert(0, Action(channel="logistics", text=note))
        out.append(
            Phase(kind=p.kind, name=ctx.labels["phase_names"][p.kind], start=p.start, end=p.end, actions=actions)
        )
    return out


def _day(ctx: Context, d: date) -> str:
    return short_date(d, ctx.lang)


def logistics_note(ctx: Context, c: C.CampaignDates, p: C.PhaseDates) -> str:
    """What a phase must tell buyers about delivery: virtual goods in a stop, gift cards after a cut-off, or
    that orders placed while carriers are stopped ship after the holiday."""
    lab = ctx.labels["trade"]
    stops = [s for s in TC.stops_near(ctx.brief.market, p.start, p.end) if p.start < s.resume and p.end >= s.stop]
    if c.logistics == "virtual" and p.kind == "burst":
        resume = stops[0].resume if stops else p.end
        return str(lab["virtual_action"].format(resume=_day(ctx, resume)))
    if c.logistics == "ends_before_cutoff" and p.kind == "follow_through":
        return str(lab["after_cutoff_action"])
    if stops and ctx.brief.market == "cn" and c.logistics == "normal":
        s = stops[0]
        return str(lab["stop_action"].format(stop=_day(ctx, s.stop), resume=_day(ctx, s.resume - timedelta(days=1))))
    return ""


def _opens(ctx: Context, c: C.CampaignDates) -> list[tuple[str, date]]:
    """(platform name, opening day) of the brief's platforms that open the sale as a platform event."""
    if c.wave is None:
        return []
    names = {p.key: p.names.in_(ctx.lang) for p in ctx.pb.platforms}
    found = [(names[k], w.open) for k in names if (w := TC.wave_dates(c.key, k, c.day.year)) is not None and w.opens]
    return sorted(found, key=lambda x: x[1])


def wave_opens(ctx: Context, c: C.CampaignDates) -> str:
    """The openings when the brief's platforms open a sale on different days (on the first wave's warm-up)."""
    found = _opens(ctx, c)
    if len({d for _, d in found}) < 2 or not (c.wave or "").endswith("/first"):
        return ""
    return ctx.sep.join(
        f"{n} {short_date(d, ctx.lang)}" if ctx.lang == "en" else f"{n}{short_date(d, ctx.lang)}" for n, d in found
    )


def milestones(ctx: Context, c: C.CampaignDates) -> list[Milestone]:
    """Stock and creative lead times before the warm-up, the platforms' openings, and the carrier stops the
    campaign runs into, in date order."""
    lab, market = ctx.labels["trade"]["milestones"], ctx.brief.market
    full = c.unclipped or c.phases
    out: list[Milestone] = []
    first_in_plan = any(x.key == c.key and (x.wave or "").endswith("/first") for x in ctx.fig.campaigns)
    if not ((c.wave or "").endswith("/final") and first_in_plan):  # the final push sells the first wave's stock
        lead = TC.lead_dates(full[0].start, market)
        stock_text = lab["stock_order_stop" if lead.across_stop else "stock_order"].format(name=c.name)
        out.append(Milestone(kind="stock_order", day=lead.stock, text=stock_text))
        out.append(Milestone(kind="creative_final", day=lead.creative, text=lab["creative_final"].format(name=c.name)))
        name = C.SPECS[c.key].name(ctx.lang) if c.key in C.SPECS else c.name
        for platform, day in _opens(ctx, c):
            text = lab["platform_open"].format(platform=platform, name=name)
            out.append(Milestone(kind="platform_open", day=day, text=text))
    for s in TC.stops_near(market, full[0].start, full[-1].end):
        dates = [
            ("ground_cutoff", s.ground, lab["ground_cutoff"]),
            ("last_order", s.last_order, lab["last_order"][market]),
        ]
        if market == "cn":
            dates += [
                ("carrier_stop", s.stop, lab["carrier_stop"]),
                ("carrier_resume", s.resume, lab["carrier_resume"]),
            ]
        out += [Milestone(kind=k, day=d, text=t) for k, d, t in dates if d is not None]
    assert ctx.brief.period is not None
    start = ctx.brief.period.start
    out = [m if m.day >= start else m.model_copy(update={"text": lab["before_start"].format(text=m.text)}) for m in out]
    return sorted(out, key=lambda m: (m.day, m.kind))


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
                wave=c.wave,
                carried=c.carried,
                logistics=c.logistics,
                milestones=milestones(ctx, c),
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


def trade_sentences(ctx: Context, items: list[Campaign]) -> str:
    """What the calendar says about waves, carrier stops and working days: only what the campaigns hold."""
    lab, out = ctx.labels["trade"], []
    waves = [c for c in items if c.wave is not None]
    if waves:
        names = ctx.sep.join(dict.fromkeys(C.SPECS[c.key].name(ctx.lang) for c in waves))
        lead = (waves[0].wave or "").split("/")[0]
        platform = next((p.names.in_(ctx.lang) for p in ctx.pb.platforms if p.key == lead), lead)
        out.append(lab["calendar_waves"].format(names=names, platform=platform))
    if any(c.logistics != "normal" for c in items):
        out.append(lab["calendar_stops"])
    out.append(lab["calendar_deadlines"])
    return "".join(out)


def trade_sources(ctx: Context, items: list[Campaign]) -> list[Source]:
    """The trade-calendar rules the campaigns follow: lead times, the waves they run in, the stops they meet."""
    rules = trade()
    out = [rules.lead_times.source]
    for c in items:
        if c.wave is not None and (w := rules.waves_for(c.key, c.wave.split("/")[0])) is not None:
            out += [rules.waves_source, w.source]
    stops = rules.logistics.get(ctx.brief.market, [])
    if any(c.logistics != "normal" for c in items):
        out += [x for s in stops for x in (s.source, s.stop_source, s.virtual_source)]
    return list(dict.fromkeys(out))


def calendar_section(ctx: Context, items: list[Campaign]) -> CalendarSection:
    if ctx.lang == "zh":
        dates = ctx.sep.join(f"{c.name}（{short_date(c.day, 'zh')}）" for c in items)
    else:
        dates = "; ".join(f"{c.name}, {short_date(c.day, 'en')}" for c in items)
    assert ctx.brief.period is not None
    years = sorted({c.day.year for c in items}) or [ctx.brief.period.start.year]
    moments = [k for k in ctx.pb.category.moments[ctx.pb.market.key] if any(c.key == k for c in items)]
    cited = ctx.cite([ctx.pb.category.seasonality_source]) if moments else []
    cited += ctx.cite(trade_sources(ctx, items))
    facts = {"years": "/".join(map(str, years)), "campaigns": dates, "trade": trade_sentences(ctx, items)}
    text, cites = ctx.prose("calendar", facts, cited)
    return CalendarSection(text=text, citations=cites, campaigns=items)

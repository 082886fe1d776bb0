"""Sections 2 to 7 of the Word document (situation to budget): the same content as the HTML and PDF."""

from __future__ import annotations

from planbot.core.numbers import format_percent
from planbot.render.docx_base import Writer


def pct(x: float, places: int = 2) -> str:
    return format_percent(x, places)


def situation(w: Writer) -> None:
    s, L, sep = w.plan.situation, w.L, w.ctx["sep"]
    w.section("situation", s)
    a, P = s.audience, L["persona"]
    audience = " · ".join([a.description, f"{P['age']} {a.age}", f"{P['regions']} {a.regions}",
                           f"{P['interests']} {sep.join(a.interests)}"])  # fmt: skip
    for label, value in ((L["market"], s.market), (L["competitors"], s.competitors), (L["audience"], audience),
                         (L["data_sources"], sep.join(s.data_sources))):  # fmt: skip
        w.labelled(label, value, style="List Bullet")
    swot = ["strengths", "weaknesses", "opportunities", "threats"]
    w.table([L["swot"][k] for k in swot], [["\n".join(f"• {x}" for x in getattr(s.swot, k)) for k in swot]])


def objectives(w: Writer) -> None:
    """The objectives, and the whole-period KPIs (the quarter and campaign ones are in appendix A)."""
    plan, L, date = w.plan, w.L, w.ctx["date"]
    w.section("objectives", plan.objectives)
    ob = L["objective"]
    w.table([ob["dimension"], ob["statement"], ""],
            [[L["dimensions"][o.dimension], o.statement, ob["core" if o.core else "supporting"]]
             for o in plan.objectives.items], widths=[2.4, 11.4, 2.2])  # fmt: skip
    k = L["kpi"]
    w.table([k["metric"], k["target"], k["benchmark"], k["owner"], k["due"], k["source"]],
            [[x.label, w.ctx["target"](x), x.benchmark, x.owner_role, date(x.due), x.data_source]
             for x in plan.kpis if x.scope == "year"], numeric=[1], widths=[3.4, 2.2, 3.0, 2.4, 2.8, 3.2])  # fmt: skip


def funnel(w: Writer) -> None:
    plan, ctx = w.plan, w.ctx
    money, ratio, opt_count = ctx["money"], ctx["ratio"], ctx["opt_count"]
    w.section("funnel", plan.funnel)
    f = w.L["funnel"]
    mix = ctx["order_mix"]  # new/returning orders: release-2 plans only
    w.table([f["scope"], f["gmv"], f["uv"], f["cvr"], f["aov"], f["orders"],
             *([f["new_orders"], f["returning_orders"]] if mix else [])],
            [[r.label, money(r.gmv), f"{r.uv:,}", pct(r.cvr), money(r.aov), f"{r.orders:,}",
              *([opt_count(r.new_orders), opt_count(r.returning_orders)] if mix else [])]
             for r in [plan.funnel.year, *plan.funnel.quarters]], numeric=[1, 2, 3, 4, 5, 6, 7],
            widths=[2.0, 2.6, 2.2, 1.5, 1.4, 1.9, 2.7, 2.7] if mix else [2.6, 3.2, 3.0, 2.4, 2.4, 3.4])  # fmt: skip
    ratios = [w.label(f["baseline"], pct(plan.funnel.baseline_cvr)), w.label(f["roas"], ratio(plan.funnel.roas))]
    if plan.funnel.ad_roas is not None:
        ratios.append(w.label(f["ad_roas"], ratio(plan.funnel.ad_roas)))
    w.muted(" · ".join(ratios))
    w.picture("funnel")
    months(w)


def months(w: Writer) -> None:
    """The monthly targets (a plan stored without months has none): the chart, where last year's months
    come from, and one row per month with last year's GMV and the change where the history has them."""
    t = w.ctx["months"]
    if t is None:
        return
    money, opt_count, opt_money, change = (w.ctx[k] for k in ("money", "opt_count", "opt_money", "change"))
    f, M = w.L["funnel"], w.L["months"]
    w.heading(M["title"], 2)
    w.picture("gmv_by_month")
    if t.source:
        w.muted(t.source)
    mix, ly = (
        [f["new_orders"], f["returning_orders"]] if t.mix else [],
        [M["gmv_last_year"], M["change"]] if t.last_year else [],
    )
    rows = [
        [
            r.label,
            money(r.gmv),
            f"{r.uv:,}",
            pct(r.cvr),
            money(r.aov),
            f"{r.orders:,}",
            *([opt_count(r.new_orders), opt_count(r.returning_orders)] if mix else []),
            *([opt_money(r.gmv_last_year), change(r.gmv, r.gmv_last_year)] if ly else []),
        ]
        for r in t.rows
    ]
    total = [
        M["total"],
        money(t.total_gmv),
        "",
        "",
        "",
        "",
        *([""] * len(mix)),
        *([opt_money(t.total_last_year), change(t.total_gmv, t.total_last_year)] if ly else []),
    ]
    # 8 pt, and the widths that keep "2027年12月" and "¥12,345,678" on one line in the 17 cm of text width
    widths = [1.9, 2.3, 1.7, 1.3, 1.1, 1.4, *([1.5, 1.5] if mix else []), *([2.3, 1.6] if ly else [])]
    scale = 16.6 / sum(widths) if len(widths) < 10 else 1.0  # fewer columns: the same table width
    w.table(
        [M["month"], M["gmv"], f["uv"], f["cvr"], f["aov"], f["orders"], *mix, *ly],
        [*rows, total],
        numeric=range(1, len(widths)),
        total=True,
        widths=[x * scale for x in widths],
        size=8,
    )


def strategy(w: Writer) -> None:
    plan, S = w.plan, w.L["strategy"]
    w.section("strategy", plan.strategy)
    for key in ("product", "price", "place", "promotion", "traffic_loop"):
        w.heading(S[key], 2)
        for item in getattr(plan.strategy, key):
            w.para(item, style="List Bullet")
    w.heading(S["segments"], 2)
    for seg in plan.strategy.segments:
        w.labelled(seg.name, seg.approach, style="List Bullet")


def channels(w: Writer) -> None:
    plan, ctx, c = w.plan, w.ctx, w.L["channel"]
    money, opt_money, opt_ratio, sep = ctx["money"], ctx["opt_money"], ctx["opt_ratio"], ctx["sep"]
    w.section("channels", plan.channels)
    returns = ctx["channel_returns"]  # attributed GMV and ad ROAS: release-2 plans only
    # a row of figures per channel, its role and tactics in a full-width row under it (room for the returns)
    figures = [[x.name, pct(x.share), money(x.amount),
                *([opt_money(x.attributed_gmv), opt_ratio(x.roas)] if returns else []), sep.join(x.kpis)]
               for x in plan.channels.items]  # fmt: skip
    details = [["\n".join([w.label(c["role"], x.role), w.label(c["tactics"], ""), *(f"• {t}" for t in x.tactics)])]
               for x in plan.channels.items]  # fmt: skip
    w.table([c["name"], c["share"], c["amount"], *([c["attributed_gmv"], c["roas"]] if returns else []), c["kpis"]],
            [row for pair in zip(figures, details, strict=True) for row in pair],
            numeric=[1, 2, 3, 4] if returns else [1, 2], spans=range(1, 2 * len(figures), 2),
            widths=[3.0, 1.8, 2.6, 2.8, 1.8, 5.0] if returns else [3.4, 2.0, 2.8, 8.8])  # fmt: skip


def budget(w: Writer) -> None:
    """Totals, the target check, the charts and the tables; the month table is in appendix B."""
    plan, ctx, b = w.plan, w.ctx, w.L["budget"]
    money, money_c, opt_money, opt_ratio = ctx["money"], ctx["money_c"], ctx["opt_money"], ctx["opt_ratio"]
    B = plan.budget
    w.section("budget", B)
    for label, value in ctx["facts"]:
        w.para(w.label(label, value), style="List Bullet")
    w.para(w.label(b["total"], money(B.total) + w.paren(money_c(B.total))), style="List Bullet")
    w.para(w.label(b["reserve"], money(B.reserve) + w.paren(format_percent(B.reserve_share))), style="List Bullet")
    w.para(f"{w.label(b['allocated'], money(B.allocated))} · {w.label(b['always_on'], money(B.always_on))}",
           style="List Bullet")  # fmt: skip
    if ctx["feasibility"]:
        w.para().add_run(b["feasibility"]).bold = True
        for label, value in ctx["feasibility"]:
            w.para(w.label(label, value), style="List Bullet")
    w.picture("budget_by_channel")
    w.picture("budget_by_month")
    for title, lines, total in ((b["by_category"], B.by_category, B.allocated),
                                (ctx["channel_title"], B.by_channel, ctx["media_total"])):  # fmt: skip
        w.heading(title, 2)
        w.table([b["item"], b["share"], b["amount"]],
                [*[[x.label, pct(x.share), money(x.amount)] for x in lines],
                 [b["total_row"], "100%", money(total)]], numeric=[1, 2], total=True)  # fmt: skip
    if B.by_platform:
        w.heading(b["by_platform"], 2)
        w.table([b["item"], b["share"], b["amount"], b["attributed_gmv"], b["roas"], b["benchmark"]],
                [*[[x.label, pct(x.share), money(x.amount), opt_money(x.attributed_gmv), opt_ratio(x.roas), x.benchmark]
                   for x in B.by_platform],
                 [b["total_row"], "100%", money(ctx["media_total"]), "", "", ""]],
                numeric=[1, 2, 3, 4], total=True, widths=[4.2, 1.8, 2.6, 2.8, 2.2, 3.4])  # fmt: skip
    w.heading(b["by_quarter"], 2)
    period_table(w, "by_quarter")


def period_table(w: Writer, key: str) -> None:
    """The budget by quarter or by month, with the allocated total."""
    plan, ctx, b = w.plan, w.ctx, w.L["budget"]
    money, sep = ctx["money"], ctx["sep"]
    w.table([b["period"], b["share"], b["amount"], b["activities"]],
            [*[[x.label, pct(x.share), money(x.amount), sep.join(x.activities)] for x in getattr(plan.budget, key)],
             [b["total_row"], "100%", money(plan.budget.allocated), ""]], numeric=[1, 2], total=True,
            widths=[2.6, 2.0, 3.2, 8.2])  # fmt: skip

"""The KPI table: whole-period, quarter and campaign targets, each with its owner, due date, data source
(the plan's own platforms' back-ends) and, where the category playbook has one, its benchmark range.

A target outside the category's range on these platforms is a warning the plan shows, not an error:
the marketer may know better, but should see that the plan asks for more than the category usually gives.
"""

from __future__ import annotations

from datetime import date, timedelta

from planbot.core import calendar as C
from planbot.core import returns as R
from planbot.core.brief import Brief
from planbot.core.kpi import BRAND_SEARCH_GROWTH, MEMBER_SHARE, Defaults, Note
from planbot.core.numbers import format_money_compact, format_percent
from planbot.core.plan import KPI, FollowUp, Scope
from planbot.core.playbook.library import Resolved
from planbot.core.playbook.schema import Benchmark, Range
from planbot.core.sections.context import Context


def benchmark_for(pb: Resolved, lang: str) -> tuple[Benchmark, str]:
    """The category's benchmark for the first of the brief's platforms that has one, else the market default."""
    rows = pb.category.benchmarks[pb.market.key]
    for p in pb.platforms:
        if p.key in rows:
            return rows[p.key], p.names.in_(lang)
    return rows["default"], ""


def benchmark(ctx: Context) -> tuple[Benchmark, str]:
    return benchmark_for(ctx.pb, ctx.lang)


def range_text(r: Range, kind: str, cur: str, lang: str, where: str) -> str:
    if kind == "%":
        text = f"{format_percent(r.low)}–{format_percent(r.high)}"
    elif kind == "money":
        low, high = (format_money_compact(round(x), cur, lang) for x in (r.low, r.high))
        text = f"{low}–{high}"
    elif r.low == r.high:
        text = f"{r.low:g}{kind}"
    else:
        text = f"{r.low:g}–{r.high:g}{kind}"
    return f"{text}（{where}）" if where and lang == "zh" else (f"{text} ({where})" if where else text)


def _nice(x: float) -> int:
    step = 1 if x < 100 else 10 if x < 1000 else 100
    return max(1, round(x / step) * step)


def category_defaults(brief: Brief, pb: Resolved) -> Defaults | None:
    """The AOV and CVR a plan assumes when the brief has none: the middle of the category's range on
    its platforms (money in the market's currency only)."""
    if brief.currency != pb.market.currency:
        return None
    bench, where = benchmark_for(pb, brief.language)
    lang, cur = brief.language, brief.currency
    args = {
        "category": pb.category.names.in_(lang),
        "where": where or pb.market.names.in_(lang),
        "aov_range": range_text(bench.aov, "money", cur, lang, ""),
        "cvr_range": range_text(bench.cvr, "%", cur, lang, ""),
        "rep_range": range_text(bench.repurchase_rate, "%", cur, lang, ""),
    }
    cvr = round((bench.cvr.low + bench.cvr.high) / 2, 4)
    repurchase = round(bench.repurchase_rate.low, 4)  # the low end: a floor the plan commits to
    return Defaults(aov=_nice((bench.aov.low + bench.aov.high) / 2), cvr=cvr, repurchase=repurchase, args=args)


def _check(ctx: Context, metric: str, value: float, r: Range, shown: str, where: str) -> None:
    if r.low <= value <= r.high:
        return
    key = "benchmark_high" if value > r.high else "benchmark_low"
    label = ctx.labels["kpi_labels"][metric]
    ctx.warn_notes.append(Note(key, args={"metric": label, "value": shown, "range": where}))


def _borne_out(own: float | None, said: float) -> bool:
    """The brand's history holds (within 10%) the figure the marketer gave."""
    return own is not None and abs(own / said - 1) <= 0.10


def kpis(ctx: Context) -> tuple[list[KPI], list[str]]:
    """The KPI rows, and the citations of the benchmark they are compared with."""
    lab, end, fig, t = ctx.labels["kpi_labels"], ctx.brief.period.end, ctx.fig, ctx.fig.t  # type: ignore[union-attr]
    src = dict(ctx.labels["data_sources"])
    shop = [d.name.in_(ctx.lang) for p in ctx.pb.platforms if (d := p.sales_data())]
    for metric in ("gmv", "uv", "cvr", "aov", "orders"):
        src[metric] = " / ".join(dict.fromkeys(shop)) or src[metric]
    crm_tools = [a.name.in_(ctx.lang) for p in ctx.pb.platforms for a in p.ad_tools if a.channel == "private_domain"]
    if crm_tools:
        src["members"] = " / ".join(dict.fromkeys(crm_tools[:2]))
    bench, where = benchmark(ctx)
    ranges = {
        "cvr": range_text(bench.cvr, "%", ctx.cur, ctx.lang, where),
        "aov": range_text(bench.aov, "money", ctx.cur, ctx.lang, where),
        "repurchase_rate": range_text(bench.repurchase_rate, "%", ctx.cur, ctx.lang, where),
    }
    if (f := fig.feasibility) is not None:  # the range the plan's media is judged by: weighted over its platforms
        ranges["roas"] = range_text(Range(low=f.roas_low, high=f.roas_high), "x", ctx.cur, ctx.lang, "")
    share = bench.budget_share_of_gmv  # MER is GMV over the whole budget: the inverse of the budget's share
    if share.low > 0:
        mer = Range(low=round(1 / share.high, 1), high=round(1 / share.low, 1))
        ranges["mer"] = range_text(mer, "x", ctx.cur, ctx.lang, where)
    b = ctx.brief  # only the marketer's own figures are checked: planbot's defaults come from these ranges
    own = fig.own  # a figure the brand's own history bears out is not "outside the category's range"
    if b.cvr is not None and not _borne_out(own.cvr if own else None, b.cvr):
        _check(ctx, "cvr", t.cvr, bench.cvr, format_percent(t.cvr, 2), ranges["cvr"])
    if b.aov is not None and not _borne_out(own.aov if own else None, b.aov):
        _check(ctx, "aov", t.aov, bench.aov, ctx.money(t.aov), ranges["aov"])
    if b.repurchase_rate is not None and not _borne_out(own.returning_share if own else None, b.repurchase_rate):
        shown = format_percent(t.repurchase_rate)
        _check(ctx, "repurchase_rate", t.repurchase_rate, bench.repurchase_rate, shown, ranges["repurchase_rate"])
    budget = ctx.brief.budget_total or 0  # its share of GMV is judged by the feasibility check (returns.py)
    rows: list[KPI] = []

    def add(
        metric: str,
        target: float,
        unit: str,
        owner: str,
        due: date,
        scope: Scope = "year",
        ref: str | None = None,
        label: str | None = None,
        bench_text: str | None = None,
    ) -> None:
        if bench_text is None:
            bench_text = ranges.get(metric, "") if scope == "year" else ""
        rows.append(
            KPI(
                id=f"{metric}-{ref or 'year'}",
                metric=metric,
                label=label or lab[metric],
                target=target,
                unit=unit,
                owner_role=ctx.role(owner),
                due=due,
                data_source=src[metric],
                scope=scope,
                scope_ref=ref,
                benchmark=bench_text,
            )
        )

    year = fig.year()
    add("gmv", t.gmv, ctx.cur, "lead", end)
    add("uv", year.uv, "count", "performance", end)
    add("cvr", t.cvr, "%", "lead", end)
    add("aov", t.aov, ctx.cur, "lead", end)
    add("orders", year.orders, "count", "lead", end)
    add("new_customers", t.new_customers, "count", "crm", end)
    add("repurchase_rate", t.repurchase_rate, "%", "crm", end)
    feas = fig.feasibility
    add("roas", feas.required_roas if feas is not None else 0.0, "x", "performance", end)
    add("mer", round(t.gmv / budget, 2) if budget else 0.0, "x", "lead", end)
    rows_by_platform = ctx.pb.category.benchmarks[ctx.pb.market.key]
    ret = fig.returns
    names = {p.key: p.names.in_(ctx.lang) for p in ctx.pb.platforms if p.key != "generic"}
    if ret is not None and len([a for a in fig.m.platforms if a.key in names and a.amount > 0]) > 1:
        for a in fig.m.platforms:
            if a.key not in names or a.amount <= 0:
                continue
            pb_bench = rows_by_platform.get(a.key, rows_by_platform["default"])
            target = R.roas(ret.by_platform.get(a.key, 0), a.amount) or 0.0
            there = range_text(pb_bench.roas, "x", ctx.cur, ctx.lang, names[a.key])
            add("roas", target, "x", "performance", end, "year", a.key, f"{lab['roas']} · {names[a.key]}", there)
    add("members", t.members, "count", "crm", end)
    ctx.notes.append(Note("members", "members", str(t.members), {"share": format_percent(MEMBER_SHARE)}))
    if "brand" in fig.goals:
        add("brand_search", BRAND_SEARCH_GROWTH, "%", "content", end)
        value = format_percent(BRAND_SEARCH_GROWTH)
        ctx.notes.append(Note("brand_search", "brand_search", value, {"value": value}))
    for row in fig.quarter_rows:
        y, q = int(row.scope[:4]), int(row.scope[-1])
        due = min(C.quarter_bounds(y, q)[1], end)
        add("gmv", row.gmv, ctx.cur, "lead", due, "quarter", row.scope, f"{lab['gmv']} · {row.label}")
        add("uv", row.uv, "count", "performance", due, "quarter", row.scope, f"{lab['uv']} · {row.label}")
    cycle = round((bench.repurchase_cycle_days.low + bench.repurchase_cycle_days.high) / 2)  # measured a cycle on
    for c in fig.campaigns:
        if c.carried:  # next year's campaign, warmed up here: its targets belong to the next plan
            continue
        row = fig.campaign_funnel(c)
        add("gmv", row.gmv, ctx.cur, "lead", c.end, "campaign", c.uid, f"{lab['gmv']} · {c.name}")
        add("uv", row.uv, "count", "performance", c.end, "campaign", c.uid, f"{lab['uv']} · {c.name}")
        add("orders", row.orders, "count", "lead", c.end, "campaign", c.uid, f"{lab['orders']} · {c.name}")
        check = c.end + timedelta(days=cycle)
        if check > end:  # due after the plan: a follow-up, not a KPI the plan can be held to
            text = ctx.labels["trade"]["follow_ups"]["repurchase"].format(campaign=c.name)
            ctx.follow_ups.append(FollowUp(campaign=c.uid, due=ctx.work.on_or_after(check), text=text))
            continue
        label = f"{lab['repurchase_rate']} · {c.name}"
        add("repurchase_rate", t.repurchase_rate, "%", "crm", check, "campaign", c.uid, label)
    return rows, ctx.cite([bench.source])

"""The three decisions an executive summary asks of its reader, read off the plan.

1. The target against the money, when the category's returns cannot carry it (or leave room);
   otherwise the budget and where the media goes.
2. The biggest sale, with both of its waves when a platform runs it in two (the stock order sits on
   the first wave), and the date its stock must be ordered.
3. The one open call the plan cannot settle itself, in this order: channels under test; the
   platform mix when the platform with the most media is not the one with the best return; work
   due before the plan starts; otherwise who releases the reserve.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from planbot.core.numbers import format_money_compact, format_percent
from planbot.core.plan import DEADLINE_KINDS, Campaign, Plan
from planbot.core.sections.feasibility import feasibility_args
from planbot.render.formatting import fmt_date, fmt_ratio, fmt_short_date, labels

CLEARLY_BETTER = 1.15  # a platform's return worth a decision: 15% above the one with the most media


@dataclass(frozen=True)
class Sale:
    """A campaign, or a big sale's waves taken together."""

    name: str
    waves: list[Campaign]
    budget: int
    gmv: int
    stock: date | None


def _shared_start(names: list[str]) -> str:
    n = 0
    while all(len(x) > n for x in names) and len({x[n] for x in names}) == 1:
        n += 1
    return names[0][:n].rstrip("·: ")


def sales(plan: Plan) -> list[Sale]:
    """The plan's own campaigns grouped by sale (a first wave's id is the sale's with "-first-")."""
    groups: dict[str, list[Campaign]] = {}
    for c in plan.calendar.campaigns:
        if not c.carried and c.phases:
            groups.setdefault(c.id.replace("-first-", "-"), []).append(c)
    out = []
    for waves in groups.values():
        names = [c.name for c in waves]
        shared = _shared_start(names) if len(names) > 1 else names[0]
        name = shared if len(shared) >= 2 else ("与" if plan.language == "zh" else " and ").join(names)
        stocks = [m.day for c in waves for m in c.milestones if m.kind == "stock_order"]
        gmv = sum(c.funnel.gmv for c in waves)
        out.append(Sale(name, waves, sum(c.budget for c in waves), gmv, min(stocks) if stocks else None))
    return out


def before_start(plan: Plan) -> list[tuple[date, str]]:
    """The team's deadlines that fall before the plan's first day (stock orders, final creative)."""
    found = [
        (m.day, f"{c.name}{'：' if plan.language == 'zh' else ': '}{labels(plan.language)['trade']['kinds'][m.kind]}")
        for c in plan.calendar.campaigns
        for m in c.milestones
        if m.kind in DEADLINE_KINDS and m.day < plan.period.start
    ]
    return sorted(found)


def _money(plan: Plan) -> Callable[[int], str]:
    return lambda amount: format_money_compact(amount, plan.currency, plan.language)


def _first(plan: Plan) -> str:
    D = labels(plan.language)["executive"]["decision_list"]
    money, b, f = _money(plan), plan.budget, plan.budget.feasibility
    gmv = money(plan.funnel.year.gmv)
    if f is not None and f.status != "ok":
        return str(D[f.status]).format(
            **feasibility_args(f, plan.currency, plan.language), budget=money(b.total), gmv=gmv
        )
    top = b.by_platform[0] if b.by_platform else (b.by_channel[0] if b.by_channel else None)
    return str(D["approve_budget"]).format(
        budget=money(b.total), gmv=gmv, top=top.label if top else "", top_share=format_percent(top.share) if top else ""
    )


def _second(plan: Plan) -> str | None:
    D = labels(plan.language)["executive"]["decision_list"]
    every = sales(plan)
    if not every:
        return None
    money, lang = _money(plan), plan.language
    big = max(every, key=lambda s: (s.budget, -s.waves[0].day.toordinal()))
    sep = "、" if lang == "zh" else " and "
    named_waves = len(big.waves) > 1 and all(c.name.startswith(big.name) for c in big.waves)
    kind = "commit_sale" if named_waves else "commit_pair" if len(big.waves) > 1 else "commit_campaign"
    key = kind + ("_stock" if big.stock else "")
    return str(D[key]).format(
        name=big.name,
        waves=sep.join(c.name.removeprefix(big.name).strip("·: ") or c.name for c in big.waves),
        budget=money(big.budget),
        gmv=money(big.gmv),
        stock=fmt_short_date(big.stock, lang) if big.stock else "",
    )


def _third(plan: Plan) -> str:
    D = labels(plan.language)["executive"]["decision_list"]
    money, lang, b = _money(plan), plan.language, plan.budget
    sep = "、" if lang == "zh" else ", "
    tests = [c for c in plan.channels.items if c.key.startswith("test_")]
    if tests:
        return str(D["tests"]).format(
            channels=sep.join(c.name for c in tests), amount=money(sum(c.amount for c in tests))
        )
    shops = [x for x in b.by_platform if x.key != "off_platform" and x.roas is not None]
    if len(shops) > 1:
        top = max(shops, key=lambda x: (x.amount, x.key))
        best = max(shops, key=lambda x: (x.roas or 0.0, x.key))
        if best.key != top.key and (best.roas or 0.0) >= CLEARLY_BETTER * (top.roas or 0.0):
            return str(D["platform_mix"]).format(
                top=top.label,
                top_share=format_percent(top.share),
                best=best.label,
                best_roas=fmt_ratio(best.roas or 0.0),
                top_roas=fmt_ratio(top.roas or 0.0),
            )
    early = before_start(plan)
    if early:
        items = sep.join(f"{text}{'（' if lang == 'zh' else ' ('}{fmt_date(day, lang)}{'）' if lang == 'zh' else ')'}"
                         for day, text in early)  # fmt: skip
        return str(D["before_start"]).format(items=items)
    return str(D["reserve"]).format(reserve=money(b.reserve), share=format_percent(b.reserve_share))


def decisions(plan: Plan) -> list[str]:
    return [d for d in (_first(plan), _second(plan), _third(plan)) if d]

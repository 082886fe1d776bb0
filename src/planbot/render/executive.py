"""The one-page executive summary every document opens with: the goal and its KPI tree, where the money
goes, the key campaigns on a timeline, and the three decisions the reader must make.

Everything here is read off the plan (numbers computed by core, wording from labels.yaml's
`executive` block), so the summary can never disagree with the sections that follow it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from planbot.core.numbers import format_count, format_money_compact, format_percent
from planbot.core.plan import Campaign, Plan
from planbot.render.decisions import before_start, decisions
from planbot.render.formatting import fmt_date, fmt_short_date, labels


@dataclass(frozen=True)
class TreeNode:
    """One KPI and what it is made of (GMV = visitors × CVR × AOV; orders = new + returning)."""

    label: str
    value: str
    children: tuple[TreeNode, ...] = ()
    operator: str = ""  # how the children combine: "×" or "+"


@dataclass(frozen=True)
class KeyCampaign:
    id: str
    name: str
    start: date
    end: date
    dates: str
    budget: str
    gmv: str


@dataclass(frozen=True)
class Executive:
    headline: str
    goals: list[str]
    tree: TreeNode  # GMV and its factors
    budget: list[tuple[str, str, str]]  # (label, share, amount) of the biggest lines, reserve last
    campaigns: list[KeyCampaign]
    decisions: list[str] = field(default_factory=list)
    orders: TreeNode | None = None  # orders and their new/returning split
    before_start: list[str] = field(default_factory=list)  # deadlines that fall before the plan starts


MAX_KEY_CAMPAIGNS = 6
TIERS = {"S": 0, "A": 1, "B": 2}


def campaign_span(c: Campaign, plan: Plan) -> tuple[date, date]:
    start = max(min(p.start for p in c.phases), plan.period.start)
    end = min(max(p.end for p in c.phases), plan.period.end)
    return start, max(start, end)


def key_campaign_list(plan: Plan) -> list[Campaign]:
    """The hero campaigns: by tier (S first), then by budget, at most `MAX_KEY_CAMPAIGNS`, in date order;
    a next year's campaign (only its warm-up in the plan) only when there is nothing else."""
    camps = [c for c in plan.calendar.campaigns if c.phases and not c.carried]
    if not camps:
        camps = [c for c in plan.calendar.campaigns if c.phases]
    ranked = sorted(camps, key=lambda c: (TIERS.get(c.tier, 3), -c.budget))[:MAX_KEY_CAMPAIGNS]
    return sorted(ranked, key=lambda c: (campaign_span(c, plan), c.day))


def _tree(plan: Plan) -> tuple[TreeNode, TreeNode]:
    """GMV = visitors × CVR × AOV, and orders = new + returning (when the plan splits them)."""
    lang, cur = plan.language, plan.currency
    L = labels(lang)["funnel"]
    year = plan.funnel.year
    gmv = TreeNode(
        "GMV",
        format_money_compact(year.gmv, cur, lang),
        (
            TreeNode(L["uv"], format_count(year.uv, lang)),
            TreeNode(L["cvr"], format_percent(year.cvr, 2)),
            TreeNode(L["aov"], format_money_compact(year.aov, cur, lang)),
        ),
        "×",
    )
    orders = TreeNode(L["orders"], format_count(year.orders, lang))
    if year.new_orders is not None and year.returning_orders is not None:
        parts = (
            TreeNode(L["new_orders"], format_count(year.new_orders, lang)),
            TreeNode(L["returning_orders"], format_count(year.returning_orders, lang)),
        )
        orders = TreeNode(L["orders"], format_count(year.orders, lang), parts, "+")
    return gmv, orders


def _budget_lines(plan: Plan) -> list[tuple[str, str, str]]:
    b, lang, cur = plan.budget, plan.language, plan.currency
    L = labels(lang)
    lines = [(x.label, format_percent(x.amount / b.total if b.total else 0), format_money_compact(x.amount, cur, lang))
             for x in b.by_category]  # fmt: skip
    reserve = (L["budget"]["reserve"], format_percent(b.reserve_share), format_money_compact(b.reserve, cur, lang))
    return [*lines, reserve]


def executive(plan: Plan) -> Executive:
    lang, cur = plan.language, plan.currency
    E = labels(lang)["executive"]
    lp, rp = ("（", "）") if lang == "zh" else (" (", ")")
    # the shops the brand sells in (the media table's off-platform row is where it advertises, not sells)
    shops = [x.label for x in plan.budget.by_platform if x.key != "off_platform"]
    platforms = "、".join(shops) if lang == "zh" else " and ".join(filter(None, [", ".join(shops[:-1]), *shops[-1:]]))
    headline = (
        str(E["headline"])
        .strip()
        .format(
            plan_type=labels(lang)["plan_types"][plan.budget.plan_type or "annual"],
            budget=format_money_compact(plan.budget.total, cur, lang),
            gmv=format_money_compact(plan.funnel.year.gmv, cur, lang),
            platforms=platforms or ("、" if lang == "zh" else ", ").join(plan.brief.platforms),
        )
    )
    chosen = key_campaign_list(plan)
    campaigns = [
        KeyCampaign(
            id=c.id,
            name=c.name,
            start=c.phases[0].start,
            end=c.phases[-1].end,
            dates=f"{fmt_short_date(c.phases[0].start, lang)} – {fmt_short_date(c.phases[-1].end, lang)}",
            budget=format_money_compact(c.budget, cur, lang),
            gmv=format_money_compact(c.funnel.gmv, cur, lang),
        )
        for c in chosen
    ]
    gmv, orders = _tree(plan)
    decided, early = decisions(plan), before_start(plan)
    due_early = [f"{text}{lp}{fmt_date(day, lang)}{rp}" for day, text in early]
    return Executive(
        headline=headline[:1].upper() + headline[1:],
        goals=[o.statement for o in plan.objectives.items if o.core],
        tree=gmv,
        orders=orders,
        budget=_budget_lines(plan),
        campaigns=campaigns,
        decisions=decided,
        before_start=[] if any(text in d for d in decided for _, text in early) else due_early,
    )

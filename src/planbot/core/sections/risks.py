"""Risks: the category's own and the platforms' first, its compliance rules as pre-publication checks,
then the market's generic risks (budget overrun, stock-outs) so every plan keeps them."""

from __future__ import annotations

from planbot.core.plan import Risk, Risks
from planbot.core.playbook.schema import RiskItem, Source
from planbot.core.sections.context import Context

GENERIC_RISKS = 5


def _risk(ctx: Context, r: RiskItem) -> Risk:
    lang = ctx.lang
    return Risk(
        risk=r.risk.in_(lang),
        trigger=r.trigger.in_(lang),
        impact=r.impact.in_(lang),
        response=r.response.in_(lang),
        owner_role=ctx.role(r.owner_role),
    )


def risks_section(ctx: Context) -> Risks:
    cat, lang, c = ctx.pb.category, ctx.lang, ctx.labels["compliance"]
    data: list[RiskItem] = [*cat.risks, *(r for p in ctx.pb.platforms for r in p.risks)]
    data = ctx.keep(data, lambda r: " ".join(x.in_(lang) for x in (r.risk, r.trigger, r.impact, r.response)))
    items = [_risk(ctx, r) for r in data]
    compliance = ctx.keep(cat.compliance, lambda f: f.text.in_(lang))
    for f in compliance:
        items.append(
            Risk(
                risk=c["risk"].format(rule=f.text.in_(lang)),
                trigger=c["trigger"],
                impact=c["impact"],
                response=c["response"],
                owner_role=ctx.role("lead"),
            )
        )
    generic = ctx.pb.market.risks[:GENERIC_RISKS]
    items += [_risk(ctx, r) for r in generic]
    used: list[Source] = [r.source for r in data] + [f.source for f in compliance]
    text, cites = ctx.prose("risks", {"reserve": ctx.money(ctx.fig.reserve)}, ctx.cite(used))
    return Risks(text=text, citations=cites, items=items)

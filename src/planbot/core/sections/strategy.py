"""The strategy (4P, traffic loop, segments): the market's way of planning, the category's price ladder,
and the platforms' own mechanics and rules, so a Tmall plan speaks of 跨店满减 and an Amazon plan of
Lightning Deals."""

from __future__ import annotations

from planbot.core.plan import Segment, Strategy
from planbot.core.playbook.schema import Source
from planbot.core.sections.context import Context

MECHANICS_PER_PLATFORM = 3


def strategy_section(ctx: Context) -> Strategy:
    lang, m = ctx.lang, ctx.pb.market
    args = {"hero": ctx.category_label(), "aov": ctx.money(ctx.fig.t.aov), "platforms": ctx.platforms_label()}
    colon = "：" if lang == "zh" else ": "
    used: list[Source] = []

    def fill(key: str) -> list[str]:
        return [x.format(**args) for x in m.strategy[key].in_(lang)]  # type: ignore[index]

    tiers = ctx.labels["ladder"]
    rungs = ctx.keep(ctx.pb.category.product_ladder, lambda r: r.text.in_(lang))
    ladder = [f"{tiers[r.tier]}{colon}{r.text.in_(lang)}" for r in rungs]
    used += [r.source for r in rungs]
    native = []
    for p in ctx.pb.platforms:
        for f in ctx.keep(p.mechanics, lambda f: f.text.in_(lang))[:MECHANICS_PER_PLATFORM]:
            native.append(f"{p.names.in_(lang)}{colon}{f.text.in_(lang)}")
            used.append(f.source)
    rules = []
    for p in ctx.pb.platforms:
        for f in ctx.keep(p.rules, lambda f: f.text.in_(lang)):
            rules.append(ctx.labels["rule"].format(platform=p.names.in_(lang), rule=f.text.in_(lang)))
            used.append(f.source)
    place = fill("place") + [f"{p.names.in_(lang)}{colon}{p.traffic.text.in_(lang)}" for p in ctx.pb.platforms]
    segs = [
        Segment(segment=k, name=m.segments[k].name.in_(lang), approach=m.segments[k].approach.in_(lang))
        for k in ("new", "active", "dormant")
    ]
    text, cites = ctx.prose("strategy", {"category": ctx.category_label()}, ctx.cite(used))
    return Strategy(
        text=text,
        citations=cites,
        product=[*ladder, *fill("product")],
        price=fill("price"),
        place=place,
        promotion=[*native, *fill("promotion"), *rules],
        traffic_loop=m.strategy["traffic_loop"].in_(lang),
        segments=segs,
    )

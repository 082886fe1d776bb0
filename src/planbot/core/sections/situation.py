"""The situation: the category's facts, the personas, the data pulls to make on these platforms, and a
SWOT that states only what the brief says (anything else is marked to be confirmed).

A brand with no shop history is not given an established brand's strengths: planbot cannot know them.
"""

from __future__ import annotations

import re

from planbot.core.numbers import format_percent
from planbot.core.plan import Persona, Situation, Swot
from planbot.core.playbook.schema import Source
from planbot.core.sections.context import Context

AGE_RANGE = re.compile(r"(\d{2})\s*[-–~到至]\s*(\d{2})\s*(?:岁|years|yrs|y/o)?")
MAX_FACTS = 3


def sentences(parts: list[str], lang: str) -> str:
    """Phrases joined as sentences: 。 after each in Chinese, ". " in English (no doubled stops)."""
    if lang == "zh":
        return "".join(p.rstrip("。；，") + "。" for p in parts)
    return " ".join(p.rstrip(".;, ") + "." for p in parts)


def strengths(ctx: Context) -> list[str]:
    s, b, t = ctx.labels["swot"], ctx.brief, ctx.fig.t
    out = []
    if last_year := b.last_year_gmv():
        out.append(s["history"].format(gmv=ctx.money(last_year)))
    if b.repurchase_rate:
        out.append(s["repurchase"].format(rate=format_percent(b.repurchase_rate)))
    if b.aov:
        out.append(s["aov"].format(aov=ctx.money(t.aov)))
    if b.audience:
        out.append(s["audience"].format(audience=b.audience))
    if b.channels:
        out.append(s["channels"].format(channels=ctx.sep.join(b.channels)))
    return out or [s["strengths_tbc"]]


def weaknesses(ctx: Context) -> list[str]:
    s, b = ctx.labels["swot"], ctx.brief
    out = []
    if not b.last_year_gmv() and not b.last_year_uv():
        out.append(s["no_history"])
    if not b.brand:
        out.append(s["no_brand"])
    return [*out, s["weaknesses_tbc"]]


def situation_section(ctx: Context) -> Situation:
    lab, cat, lang = ctx.labels["situation"], ctx.pb.category, ctx.lang
    market = ctx.pb.market.key
    used: list[Source] = []
    facts = ctx.keep(cat.facts, lambda f: f.text.in_(lang))[:MAX_FACTS]
    personas = ctx.keep(cat.personas, lambda p: p.description.in_(lang)) or cat.personas[:1]
    risks = ctx.keep(cat.risks, lambda r: r.risk.in_(lang))[:2]
    used += [f.source for f in facts]
    persona_pb = personas[0]
    used.append(persona_pb.source)
    age = persona_pb.age.in_(lang)
    if ctx.brief.audience and (m := AGE_RANGE.search(ctx.brief.audience)):
        age = f"{m[1]}-{m[2]}岁" if lang == "zh" else f"{m[1]}-{m[2]}"
    others = ctx.sep.join(p.name.in_(lang) for p in personas[1:])
    colon = "：" if lang == "zh" else ": "
    persona = Persona(
        description=ctx.brief.audience or f"{persona_pb.name.in_(lang)}{colon}{persona_pb.description.in_(lang)}",
        age=age,
        regions=lab["regions"][market],
        interests=persona_pb.interests.in_(lang),
    )
    pulls = []
    for p in ctx.pb.platforms:
        for d in p.data_sources:
            pulls.append(lab["pull"].format(source=d.name.in_(lang), pulls=ctx.sep.join(d.pulls.in_(lang))))
            used.append(d.source)
    moments = [c.name for c in ctx.fig.campaigns if c.key in cat.moments[market]]
    swot = Swot(
        strengths=strengths(ctx),
        weaknesses=weaknesses(ctx),
        opportunities=[
            *([ctx.labels["swot"]["moments"].format(moments=ctx.sep.join(dict.fromkeys(moments)))] if moments else []),
            *(p.traffic.text.in_(lang) for p in ctx.pb.platforms),
        ],
        threats=[*(r.risk.in_(lang) for r in risks), ctx.labels["swot"]["cost_threat"]],
    )
    used += [p.traffic.source for p in ctx.pb.platforms] + [r.source for r in risks]
    args = {
        "market_name": ctx.pb.market.names.in_(lang),
        "category": ctx.category_label(),
        "platforms": ctx.platforms_label(),
        "facts": sentences([f.text.in_(lang) for f in facts], lang),
    }
    prose_facts = {"audience": ctx.brief.audience or persona_pb.name.in_(lang), "other_personas": others}
    text, cites = ctx.prose("situation", prose_facts, ctx.cite(used))
    return Situation(
        text=text,
        citations=cites,
        market=lab["market"].format(**args),
        competitors=lab["competitors"].format(**args),
        audience=persona,
        swot=swot,
        data_sources=[*pulls, *ctx.pb.market.research_sources.in_(lang)],
    )

"""Always-on work, measurement and the team: the market's routines plus the platforms' and the
category's own (seeding notes on 小红书, brand livestreams on 抖音, email flows on Shopify, reviews on Amazon)."""

from __future__ import annotations

from planbot.core.plan import Alert, AlwaysOn, AlwaysOnItem, Campaign, FollowUp, Measurement, Review, Team, TeamRole
from planbot.core.playbook.schema import AlwaysOnItem as AlwaysOnData
from planbot.core.playbook.trade import trade
from planbot.core.sections.context import Context


def always_on_section(ctx: Context) -> AlwaysOn:
    lang = ctx.lang
    rows: list[tuple[str, AlwaysOnData]] = [("", i) for i in ctx.pb.market.always_on]
    several = len(ctx.pb.platforms) > 1
    rows += [(p.names.in_(lang) if several else "", i) for p in ctx.pb.platforms for i in p.always_on]
    rows += [("", i) for i in ctx.pb.category.always_on]
    rows = ctx.keep(
        rows,
        lambda r: " ".join(
            [r[1].area.in_(lang), r[1].cadence.in_(lang), *r[1].actions.in_(lang), r[1].source.quote(lang)]
        ),
    )
    items = []
    for where, i in rows:
        area = i.area.in_(lang)
        items.append(
            AlwaysOnItem(
                area=(f"{where}·{area}" if lang == "zh" else f"{where}: {area}") if where else area,
                cadence=i.cadence.in_(lang),
                actions=i.actions.in_(lang),
                owner_role=ctx.role(i.owner_role),
            )
        )
    text, cites = ctx.prose("always_on", {}, ctx.cite([i.source for _, i in rows]))
    return AlwaysOn(text=text, citations=cites, items=items)


def measurement_section(ctx: Context, campaigns: list[Campaign]) -> Measurement:
    m, follow = ctx.labels["measurement"], ctx.labels["trade"]["follow_ups"]
    assert ctx.brief.period is not None
    days = trade().workdays.review_days
    reviews = []
    for c in (c for c in campaigns if not c.carried):  # a carried campaign is reviewed in the next plan
        due = ctx.work.add(c.phases[-1].end, days)  # "within 3 working days" counts working days
        nxt = next((x.name for x in campaigns if x.key == c.key and (x.wave or "").endswith("/final")), None)
        first = (c.wave or "").endswith("/first") and nxt is not None  # the first wave hands over to the peak
        agenda = (
            m["review_agenda_wave"].format(campaign=c.name, next=nxt)
            if first
            else m["review_agenda"].format(campaign=c.name)
        )
        if due <= ctx.brief.period.end:
            reviews.append(Review(campaign=c.id, due=due, agenda=agenda))
        else:
            text = follow["review"].format(campaign=c.name, days=days)
            ctx.follow_ups.append(FollowUp(campaign=c.id, due=due, text=text))
    sources = [d.name.in_(ctx.lang) for p in ctx.pb.platforms for d in p.data_sources]
    dashboards = list(m["dashboards"])
    if sources:
        dashboards.append(m["sources_line"].format(sources=ctx.sep.join(dict.fromkeys(sources))))
    text, cites = ctx.prose("measurement", {})
    return Measurement(
        text=f"{text}{'' if ctx.lang == 'zh' else ' '}{m['process_metrics']}",
        citations=cites,
        dashboards=dashboards,
        alerts=[Alert(**a) for a in m["alerts"]],
        ab_tests=list(m["ab_tests"]),
        reviews=reviews,
        follow_ups=sorted(ctx.follow_ups, key=lambda f: (f.due, f.campaign or "")),
    )


def team_section(ctx: Context) -> Team:
    items = [
        TeamRole(role=ctx.role(r["role"]), responsibilities=list(r["responsibilities"])) for r in ctx.labels["team"]
    ]
    # the roles shown with the prose: what a cited passage must speak to
    shown = "；".join(f"{r.role}：{'、'.join(r.responsibilities)}" for r in items)
    text, cites = ctx.prose("team", {"roles": shown})
    return Team(text=text, citations=cites, items=items)

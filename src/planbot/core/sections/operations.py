"""Always-on work, measurement and the team: the market's routines plus the platforms' and the
category's own (seeding notes on 小红书, brand livestreams on 抖音, email flows on Shopify, reviews on Amazon)."""

from __future__ import annotations

from datetime import date, timedelta

from planbot.core.plan import Alert, AlwaysOn, AlwaysOnItem, Campaign, Measurement, Review, Team, TeamRole
from planbot.core.playbook.schema import AlwaysOnItem as AlwaysOnData
from planbot.core.sections.context import Context


def add_working_days(d: date, n: int) -> date:
    while n > 0:
        d += timedelta(days=1)
        if d.weekday() < 5:
            n -= 1
    return d


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
    m = ctx.labels["measurement"]
    reviews = [
        Review(
            campaign=c.id, due=add_working_days(c.phases[-1].end, 3), agenda=m["review_agenda"].format(campaign=c.name)
        )
        for c in campaigns
    ]
    sources = [d.name.in_(ctx.lang) for p in ctx.pb.platforms for d in p.data_sources]
    dashboards = list(m["dashboards"])
    if sources:
        dashboards.append(m["sources_line"].format(sources=ctx.sep.join(dict.fromkeys(sources))))
    text, cites = ctx.prose("measurement", {})
    return Measurement(
        text=text + " " + m["process_metrics"],
        citations=cites,
        dashboards=dashboards,
        alerts=[Alert(**a) for a in m["alerts"]],
        ab_tests=list(m["ab_tests"]),
        reviews=reviews,
    )


def team_section(ctx: Context) -> Team:
    items = [
        TeamRole(role=ctx.role(r["role"]), responsibilities=list(r["responsibilities"])) for r in ctx.labels["team"]
    ]
    text, cites = ctx.prose("team", {})
    return Team(text=text, citations=cites, items=items)

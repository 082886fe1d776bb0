"""The calendar as the trade runs it (playbook/trade.yaml): a big sale split into its platform's waves,
physical-goods bursts that end before carriers stop, the warm-up a campaign plan's period gives,
next year's campaign warmed up in an annual plan's December, and the dated lead times around them.

Pure: works on core/calendar.py's CampaignDates, with the phases before clipping, and clips at the end.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal

from planbot.core import calendar as C
from planbot.core.playbook.trade import Waves, trade
from planbot.core.workdays import work_calendar

ONE = timedelta(days=1)


@dataclass(frozen=True)
class WaveDates:
    platform: str
    open: date
    first: tuple[date, date]
    final: tuple[date, date]
    opens: bool = True  # the platform opens an event on `open` (a brand's own store does not)


@dataclass(frozen=True)
class StopDates:
    key: str
    last_order: date  # the last day a physical-goods burst may run
    stop: date
    resume: date
    ground: date | None = None


def wave_dates(campaign: str, platform: str, year: int) -> WaveDates | None:
    w = trade().waves_for(campaign, platform)
    return None if w is None else _dates(w, platform, year)


def _dates(w: Waves, platform: str, year: int) -> WaveDates:
    first = (w.first[0].on(year), w.first[1].on(year))
    final = (w.final[0].on(year), w.final[1].on(year))
    return WaveDates(platform, w.open.on(year), first, final, w.opens)


def lead_platform(campaign: str, platforms: Sequence[str]) -> str | None:
    """The platform whose waves the plan follows: the first of the brief's with a wave plan for the sale."""
    return next((p for p in platforms if trade().waves_for(campaign, p) is not None), None)


def stops(market: str, year: int) -> list[StopDates]:
    """The market's carrier stops whose rules fall in `year` (the Spring Festival's, the Christmas cut-offs)."""
    out = []
    for s in trade().logistics.get("cn" if market == "cn" else "global", []):
        last_order, stop, resume = s.window(year)
        out.append(StopDates(s.key, last_order, stop, resume, s.ground.on(year) if s.ground is not None else None))
    return out


def stops_near(market: str, start: date, end: date) -> list[StopDates]:
    """Stops whose window (last order to resume) meets [start, end]."""
    found = [s for y in range(start.year - 1, end.year + 2) for s in stops(market, y)]
    return [s for s in found if s.last_order <= end and s.resume >= start]


@dataclass(frozen=True)
class LeadDates:
    stock: date  # order stock by then (on a working day)
    creative: date  # final key visual and videos by then
    across_stop: bool  # a carrier stop inside the stock's lead time lengthened it


def lead_dates(start: date, market: str) -> LeadDates:
    """The stock-order and final-creative deadlines before a campaign starts, each on a working day. A carrier
    stop inside the stock's lead time lengthens it by the stopped days; creative is final before the stop."""
    lt, wc = trade().lead_times, work_calendar(market)
    stock = start - timedelta(days=lt.stock_days)
    creative = start - timedelta(days=lt.creative_days)
    across = False
    for s in stops_near(market, stock - timedelta(days=30), start):
        overlap = (min(s.resume, start) - max(s.stop, stock)).days
        if overlap > 0:
            stock -= timedelta(days=overlap)
            across = True
        if s.stop <= creative < s.resume:
            creative = s.stop - ONE
    return LeadDates(wc.on_or_before(stock), wc.on_or_before(creative), across)


def _phase(phases: Sequence[C.PhaseDates], kind: str) -> C.PhaseDates | None:
    return next((p for p in phases if p.kind == kind), None)


def split_waves(c: C.CampaignDates, platform: str | None, language: str) -> list[C.CampaignDates]:
    """A big sale as its lead platform's two waves (each its own campaign), or the campaign unchanged."""
    rule = trade().waves_for(c.key, platform) if platform is not None else None
    if rule is None or platform is None:
        return [c]
    spec, plan = C.SPECS[c.key], trade().wave_plan
    w = _dates(rule, platform, c.day.year)
    (a, b), (f0, f1) = w.first, w.final
    first = [C.PhaseDates("warm_up", min(w.open, a - timedelta(days=plan.warm_up_days)), a - ONE)]
    first.append(C.PhaseDates("burst", a, b))
    follow_end = min(b + timedelta(days=plan.between_follow_days), f0 - ONE)
    if b + ONE <= follow_end:
        first.append(C.PhaseDates("follow_through", b + ONE, follow_end))
    final: list[C.PhaseDates] = []
    warm_start = max(b, follow_end, f0 - timedelta(days=plan.final_warm_up_days + 1)) + ONE  # the gap: always-on
    if warm_start <= f0 - ONE:
        final.append(C.PhaseDates("warm_up", warm_start, f0 - ONE))
    final.append(C.PhaseDates("burst", f0, f1))
    final.append(C.PhaseDates("follow_through", f1 + ONE, f1 + timedelta(days=spec.follow_days)))
    names = rule.names or plan.names
    parts: list[tuple[Literal["first", "final"], date, C.Tier, list[C.PhaseDates]]] = [
        ("first", b, plan.first_tier, first),
        ("final", c.day, spec.tier, final),
    ]
    return [
        C.CampaignDates(
            c.key, names[part].in_(language).format(name=spec.name(language)), day, tier, tuple(ph),
            rule.estimated, False, tuple(ph), f"{platform}/{part}",
        )
        for part, day, tier, ph in parts
    ]  # fmt: skip


def apply_logistics(c: C.CampaignDates, market: str) -> C.CampaignDates:
    """A burst of physical goods ends on the last order day before a carrier stop (the follow-through keeps
    its end); a burst that would start after that day sells stocked or virtual goods instead."""
    full = list(c.unclipped or c.phases)
    burst = _phase(full, "burst")
    if burst is None:
        return c
    for s in stops_near(market, burst.start, burst.end):
        if burst.end <= s.last_order or burst.start >= s.resume:
            continue
        if burst.start > s.last_order:
            return replace(c, logistics="virtual")
        follow = _phase(full, "follow_through")
        follow_end = max(follow.end if follow else burst.end, s.last_order + ONE)
        full = [p for p in full if p.kind == "warm_up"]
        full += [
            C.PhaseDates("burst", burst.start, s.last_order),
            C.PhaseDates("follow_through", s.last_order + ONE, follow_end),
        ]
        return replace(c, unclipped=tuple(full), phases=tuple(full), logistics="ends_before_cutoff")
    return c


def stretch_warm_up(c: C.CampaignDates, start: date) -> C.CampaignDates:
    """In a single-campaign plan the warm-up starts on the period's first day when the period gives the time."""
    full = list(c.unclipped or c.phases)
    first = full[0]
    gap = (first.start - start).days
    if gap <= 0 or gap > trade().edges.campaign_warm_up_max_days:
        return c
    if first.kind == "warm_up":
        full[0] = C.PhaseDates("warm_up", start, first.end)
    else:
        full.insert(0, C.PhaseDates("warm_up", start, first.start - ONE))
    return replace(c, unclipped=tuple(full), phases=tuple(full))


def carried(keys: Iterable[str], start: date, end: date, language: str) -> list[C.CampaignDates]:
    """Next year's campaigns (of `keys`) whose warm-up starts inside the period: warmed up in its last weeks."""
    out = []
    for key in keys:
        year = end.year + 1
        spec = C.SPECS[key]
        if spec.day(year) <= end:
            continue
        full = tuple(C.full_phases(key, year))
        if full[0].start > end:
            continue
        name = trade().edges.carried_name.in_(language).format(name=spec.name(language), year=year)
        cd = C.CampaignDates(key, name, spec.day(year), spec.tier, full, spec.estimated, True, full)
        out.append(replace(cd, carried=True))
    return out


def shape(
    chosen: Sequence[C.CampaignDates],
    *,
    market: str,
    platforms: Sequence[str],
    plan_type: str,
    start: date,
    end: date,
    language: str,
    carry: Iterable[str] = (),
) -> list[C.CampaignDates]:
    """The selected campaigns as the trade runs them, clipped to the period, in date order."""
    out: list[C.CampaignDates] = []
    for c in chosen:
        platform = lead_platform(c.key, platforms)
        out.extend(apply_logistics(w, market) for w in split_waves(c, platform, language))
    if plan_type == "annual":
        have = {c.uid for c in out}
        out.extend(apply_logistics(c, market) for c in carried(carry, start, end, language) if c.uid not in have)
    if plan_type == "campaign" and out:
        first = min(range(len(out)), key=lambda i: (out[i].unclipped or out[i].phases)[0].start)
        out[first] = stretch_warm_up(out[first], start)
    kept = []
    for c in out:
        phases, clipped = C.clip(list(c.unclipped or c.phases), start, end)
        if not phases or (not c.carried and not start <= c.day <= end):
            continue
        if not c.carried and _phase(phases, "burst") is None:
            continue
        kept.append(replace(c, phases=phases, clipped=clipped or c.clipped))
    kept.sort(key=lambda c: (c.day, c.key, c.uid))
    return kept

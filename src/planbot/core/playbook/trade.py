"""How the trade runs around the festivals, as data (playbook/trade.yaml): China's statutory holiday rule
for the years chinese-calendar does not cover, the logistics stops (the Spring Festival courier pause, US
Christmas cut-offs), lead times for stock and creative, the platforms' waves for 618, Double 11 and BFCM,
and the period's edges. Each rule cites its guide sentence (knowledge/trade-calendar-*.md)."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from planbot.core.calendar import SPECS, DayRule
from planbot.core.playbook.schema import Market, Model, Source, Text, load_data

PATH = Path(__file__).resolve().parent / "trade.yaml"


class HolidayRule(Model):
    key: str
    day: DayRule
    days: int = Field(ge=1, le=10)


class Workdays(Model):
    cn_estimate: list[HolidayRule] = Field(min_length=1)
    cn_source: Source
    global_source: Source
    review_days: int = Field(ge=1, le=10)
    deadline_source: Source


class Stop(Model):
    """Physical goods can be ordered for delivery until `last_order`; carriers stop from `stop` to `resume`."""

    key: str
    last_order: DayRule
    stop: DayRule
    resume: DayRule
    ground: DayRule | None = None  # the earlier cut-off for standard shipping, listed as a milestone
    source: Source
    stop_source: Source
    virtual_source: Source

    def window(self, year: int) -> tuple[date, date, date]:
        """(last order, stop, resume) in a year."""
        return self.last_order.on(year), self.stop.on(year), self.resume.on(year)


class LeadTimes(Model):
    stock_days: int = Field(ge=1, le=120)
    creative_days: int = Field(ge=1, le=60)
    source: Source
    stop_source: Source  # a stop inside the lead time lengthens it


class Waves(Model):
    """A platform's big sale in two waves: the first (kick-off) and the final push ending on the festival."""

    campaign: str
    platforms: list[str] = Field(min_length=1)
    open: DayRule
    first: tuple[DayRule, DayRule]
    final: tuple[DayRule, DayRule]
    estimated: bool = True  # the platform announces the dates each year
    opens: bool = True  # the platform opens an event (a brand's own store has none to list)
    names: dict[Literal["first", "final"], Text] | None = None  # the waves' own names, else wave_plan's
    source: Source

    @model_validator(mode="after")
    def _ordered(self) -> Waves:
        if self.campaign not in SPECS:
            raise ValueError(f"waves for an unknown campaign {self.campaign!r}")
        for year in (2000, 2027, 2100):
            day = SPECS[self.campaign].day(year)
            o, (a, b), (c, d) = self.open.on(year), (r.on(year) for r in self.first), (r.on(year) for r in self.final)
            if not (o <= a <= b < c <= day <= d):
                raise ValueError(f"{self.campaign} {self.platforms}: waves out of order in {year}")
        return self


class WavePlan(Model):
    warm_up_days: int = Field(ge=1, le=30)
    between_follow_days: int = Field(ge=0, le=14)
    final_warm_up_days: int = Field(ge=1, le=30)
    first_tier: Literal["S", "A", "B"]
    names: dict[Literal["first", "final"], Text]


class Edges(Model):
    campaign_warm_up_max_days: int = Field(ge=7, le=90)
    campaign_source: Source
    carry: list[str]
    carried_name: Text  # {name} {year}
    carry_source: Source
    follow_up_source: Source


class TradeRules(Model):
    workdays: Workdays
    logistics: dict[Market, list[Stop]]
    lead_times: LeadTimes
    waves_source: Source
    wave_plan: WavePlan
    waves: list[Waves]
    edges: Edges

    @model_validator(mode="after")
    def _consistent(self) -> TradeRules:
        seen: set[tuple[str, str]] = set()
        for w in self.waves:
            for p in w.platforms:
                if (w.campaign, p) in seen:
                    raise ValueError(f"two wave plans for {w.campaign} on {p}")
                seen.add((w.campaign, p))
        for stops in self.logistics.values():
            for s in stops:
                for year in (2000, 2027, 2100):
                    last, stop, resume = s.window(year)
                    if not last < stop < resume:
                        raise ValueError(f"{s.key}: last order, stop and resume out of order in {year}")
        unknown = [k for k in self.edges.carry if k not in SPECS]
        if unknown:
            raise ValueError(f"edges.carry: unknown campaigns {unknown}")
        return self

    def waves_for(self, campaign: str, platform: str) -> Waves | None:
        return next((w for w in self.waves if w.campaign == campaign and platform in w.platforms), None)

    def sources(self) -> list[Source]:
        w, e = self.workdays, self.edges
        out = [w.cn_source, w.global_source, w.deadline_source, self.lead_times.source, self.lead_times.stop_source]
        out.append(self.waves_source)
        out += [x for stops in self.logistics.values() for s in stops for x in (s.source, s.stop_source)]
        out += [s.virtual_source for stops in self.logistics.values() for s in stops]
        out += [v.source for v in self.waves] + [e.campaign_source, e.carry_source, e.follow_up_source]
        return out


class TradeRulesError(ValueError):
    """trade.yaml does not load."""


def load_trade(path: Path = PATH) -> TradeRules:
    return load_data(path, TradeRules, TradeRulesError)


@cache
def trade() -> TradeRules:
    return load_trade()

"""The commercial calendar: festival and platform-sale dates for any year, and campaign phases.

The campaigns are data (playbook/campaigns.yaml: names, markets, tier, a rule for the day, phase
lengths, aliases). Lunar festivals move every year, so they are computed (lunar-python), never hard-coded.
Each campaign gets warm-up / burst / follow-through phases sized as the guides teach
(warm-up 7-10 days, longer for 618 and the Double 11 presale; a 3-5 day burst that covers
the day itself; about 7 days of follow-through), clipped to the plan period.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from lunar_python import Lunar, Solar
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator

from planbot.core.catalog import match_alias

PhaseKind = Literal["warm_up", "burst", "follow_through"]
PHASE_ORDER: tuple[PhaseKind, ...] = ("warm_up", "burst", "follow_through")
Tier = Literal["S", "A", "B"]
SPECS_FILE = Path(__file__).resolve().parent / "playbook" / "campaigns.yaml"


@cache  # lunar-python takes about a millisecond a conversion; the trade calendar asks for the same days often
def lunar_to_solar(year: int, month: int, day: int) -> date:
    solar = Lunar.fromYmd(year, month, day).getSolar()
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def spring_festival(year: int) -> date:
    return lunar_to_solar(year, 1, 1)


@cache
def qingming(year: int) -> date:
    """The Qingming solar term (4 or 5 April), a public holiday in China."""
    term = Solar.fromYmd(year, 4, 15).getLunar().getJieQiTable()["清明"]
    return date(term.getYear(), term.getMonth(), term.getDay())


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th given weekday (Monday=0) of a month; n=-1 for the last one."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = (date(year + (month == 12), month % 12 + 1, 1)) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def thanksgiving_us(year: int) -> date:
    return nth_weekday(year, 11, 3, 4)


@dataclass(frozen=True)
class CampaignSpec:
    key: str
    zh: str
    en: str
    markets: tuple[str, ...]
    tier: Tier
    day: Callable[[int], date]
    burst: tuple[int, int]  # days before and after the day
    warm_up_days: int = 10
    follow_days: int = 7
    warm_up_from: Callable[[int], date] | None = None  # fixed warm-up start (618, Double 11 presale)
    aliases: tuple[str, ...] = ()
    estimated: bool = False  # dates the organiser announces each year (Prime Day)

    def name(self, language: str) -> str:
        return self.zh if language == "zh" else self.en


class DayRule(BaseModel):
    """How a campaign's day (or fixed warm-up start) falls in a given year."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: Literal["fixed", "nth_weekday", "lunar", "spring_festival", "thanksgiving", "qingming"]
    month: int | None = Field(default=None, ge=1, le=12)
    day: int | None = Field(default=None, ge=1, le=31)
    weekday: int | None = Field(default=None, ge=0, le=6)
    n: int | None = Field(default=None, ge=-1, le=5)
    offset: int = Field(default=0, ge=-60, le=60)
    year_offset: int = Field(default=0, ge=-1, le=0)  # a warm-up that starts the year before (年货节 from Dec 20)

    @model_validator(mode="after")
    def _complete(self) -> DayRule:
        need = {"fixed": ("month", "day"), "lunar": ("month", "day"), "nth_weekday": ("month", "weekday", "n")}
        missing = [f for f in need.get(self.rule, ()) if getattr(self, f) is None]
        if missing:
            raise ValueError(f"rule {self.rule} needs {missing}")
        return self

    def on(self, year: int) -> date:
        year += self.year_offset
        if self.rule == "fixed":
            return date(year, self.month or 1, self.day or 1)
        if self.rule == "lunar":
            return lunar_to_solar(year, self.month or 1, self.day or 1)
        if self.rule == "nth_weekday":
            return nth_weekday(year, self.month or 1, self.weekday or 0, self.n or 1)
        if self.rule == "qingming":
            return qingming(year)
        base = spring_festival(year) if self.rule == "spring_festival" else thanksgiving_us(year)
        return base + timedelta(days=self.offset)


class CampaignEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(pattern=r"^[a-z0-9_]+$")
    zh: str
    en: str
    markets: tuple[Literal["cn", "global"], ...] = Field(min_length=1)
    tier: Tier
    day: DayRule
    burst: tuple[int, int]
    warm_up_days: int = Field(default=10, ge=1, le=60)
    follow_days: int = Field(default=7, ge=1, le=30)
    warm_up_from: DayRule | None = None
    estimated: bool = False
    aliases: tuple[str, ...] = ()

    def spec(self) -> CampaignSpec:
        warm = self.warm_up_from.on if self.warm_up_from is not None else None
        return CampaignSpec(self.key, self.zh, self.en, self.markets, self.tier, self.day.on, self.burst,
                            self.warm_up_days, self.follow_days, warm, self.aliases, self.estimated)  # fmt: skip


def load_specs(path: Path = SPECS_FILE) -> dict[str, CampaignSpec]:
    """The campaigns file, validated; a malformed entry fails at import, never in a plan."""
    entries = TypeAdapter(list[CampaignEntry]).validate_python(yaml.safe_load(path.read_text(encoding="utf-8")))
    keys = [e.key for e in entries]
    if len(set(keys)) != len(keys):
        raise ValueError(f"{path.name}: duplicate campaign keys")
    return {e.key: e.spec() for e in entries}


SPECS: dict[str, CampaignSpec] = load_specs()

CUSTOM_PREFIX = "custom-"


@dataclass(frozen=True)
class PhaseDates:
    kind: PhaseKind
    start: date
    end: date


@dataclass(frozen=True)
class CampaignDates:
    key: str
    name: str
    day: date
    tier: Tier
    phases: tuple[PhaseDates, ...]
    estimated: bool = False
    clipped: bool = False
    unclipped: tuple[PhaseDates, ...] = ()  # the phases before clipping to the period
    wave: str | None = None  # "tmall/first", "tmall/final": a platform wave (core/trade_calendar.py)
    carried: bool = False  # next year's campaign whose warm-up starts inside the period
    logistics: str = "normal"  # "ends_before_cutoff" | "virtual" around a carrier stop

    @property
    def uid(self) -> str:
        """Unique within a plan even when a two-year period holds the same festival twice (a first wave
        gets its own id; the final push keeps the festival's)."""
        first = "-first" if self.wave is not None and self.wave.endswith("/first") else ""
        return f"{self.key}{first}-{self.day.year}"

    @property
    def start(self) -> date:
        return self.phases[0].start

    @property
    def end(self) -> date:
        return self.phases[-1].end


@dataclass(frozen=True)
class CustomCampaign:
    """A campaign the user adds on a date of their choosing (brand day, store anniversary)."""

    name: str
    day: date
    key: str = field(default="")

    def resolved_key(self) -> str:
        slug = re.sub(r"[^0-9a-z\u4e00-\u9fff]+", "-", self.name.lower()).strip("-")[:40] or "campaign"
        return self.key or f"{CUSTOM_PREFIX}{slug}"


def festival_date(key: str, year: int) -> date:
    return SPECS[key].day(year)


CAMPAIGN_ALIASES: dict[str, tuple[str, ...]] = {
    k: tuple(dict.fromkeys(a.lower() for a in (*s.aliases, s.zh, s.en))) for k, s in SPECS.items()
}


def match_campaign(text: str) -> str | None:
    """The campaign key a name refers to (双十一 -> double11, BFCM -> bfcm), or None."""
    return match_alias(text, CAMPAIGN_ALIASES)


def find_campaigns(text: str) -> list[str]:
    """Every campaign mentioned in free text, in order of appearance."""
    low = text.lower()
    hits: list[tuple[int, str]] = []
    for spec in SPECS.values():
        positions = [low.find(a.lower()) for a in spec.aliases]
        positions = [p for p in positions if p >= 0 and not _inside_number(low, p, spec)]
        if positions:
            hits.append((min(positions), spec.key))
    return [k for _, k in sorted(hits)]


def _inside_number(text: str, pos: int, spec: CampaignSpec) -> bool:
    """'38' in '3800' or '618' in '6180万' is a number, not a campaign."""
    for a in spec.aliases:
        if text.startswith(a.lower(), pos) and a[0].isdigit():
            end = pos + len(a)
            before = text[pos - 1] if pos > 0 else " "
            after = text[end] if end < len(text) else " "
            return before.isdigit() or before in ".$¥€£￥" or after.isdigit() or after in "万亿kwm%"
    return False


def _phases(spec_day: date, burst: tuple[int, int], warm_up_start: date, follow_days: int) -> list[PhaseDates]:
    burst_start = spec_day - timedelta(days=burst[0])
    burst_end = spec_day + timedelta(days=burst[1])
    return [
        PhaseDates("warm_up", warm_up_start, burst_start - timedelta(days=1)),
        PhaseDates("burst", burst_start, burst_end),
        PhaseDates("follow_through", burst_end + timedelta(days=1), burst_end + timedelta(days=follow_days)),
    ]


def clip(phases: list[PhaseDates], start: date, end: date) -> tuple[tuple[PhaseDates, ...], bool]:
    out: list[PhaseDates] = []
    clipped = False
    for p in phases:
        s, e = max(p.start, start), min(p.end, end)
        if (s, e) != (p.start, p.end):
            clipped = True
        if s <= e:
            out.append(PhaseDates(p.kind, s, e))
    return tuple(out), clipped


def full_phases(key: str, year: int) -> list[PhaseDates]:
    """A catalogue campaign's phases in one year, before any clipping."""
    spec = SPECS[key]
    day = spec.day(year)
    burst_start = day - timedelta(days=spec.burst[0])
    warm_from = spec.warm_up_from(year) if spec.warm_up_from else burst_start - timedelta(days=spec.warm_up_days)
    return _phases(day, spec.burst, warm_from, spec.follow_days)


def campaign_dates(key: str, year: int, language: str, start: date, end: date) -> CampaignDates | None:
    """A catalogue campaign in one year, clipped to [start, end]; None when its day is outside."""
    spec = SPECS[key]
    day = spec.day(year)
    if not start <= day <= end:
        return None
    full = full_phases(key, year)
    phases, clipped = clip(full, start, end)
    return CampaignDates(key, spec.name(language), day, spec.tier, phases, spec.estimated, clipped, tuple(full))


def custom_campaign_dates(custom: CustomCampaign, start: date, end: date) -> CampaignDates | None:
    if not start <= custom.day <= end:
        return None
    full = _phases(custom.day, (1, 1), custom.day - timedelta(days=8), 7)
    phases, clipped = clip(full, start, end)
    return CampaignDates(custom.resolved_key(), custom.name, custom.day, "B", phases, False, clipped, tuple(full))


def occurrences(key: str, start: date, end: date, language: str) -> list[CampaignDates]:
    out = []
    for year in range(start.year, end.year + 1):
        c = campaign_dates(key, year, language, start, end)
        if c is not None:
            out.append(c)
    return out


def quarter_of(d: date) -> tuple[int, int]:
    return d.year, (d.month - 1) // 3 + 1


def quarters_in(start: date, end: date) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for y, m in months_in(start, end):
        q = (y, (m - 1) // 3 + 1)
        if q not in out:
            out.append(q)
    return out


def months_in(start: date, end: date) -> list[tuple[int, int]]:
    out = []
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def quarter_bounds(year: int, q: int) -> tuple[date, date]:
    start = date(year, 3 * q - 2, 1)
    end = date(year + (q == 4), (3 * q) % 12 + 1, 1) - timedelta(days=1)
    return start, end


def full_quarters(start: date, end: date) -> list[tuple[int, int]]:
    """Quarters wholly inside the period: each must carry at least one campaign."""
    out = []
    for y, q in quarters_in(start, end):
        qs, qe = quarter_bounds(y, q)
        if start <= qs and qe <= end:
            out.append((y, q))
    return out


def select_campaigns(
    market: str,
    requested: Iterable[str],
    start: date,
    end: date,
    language: str,
    *,
    defaults: Sequence[str],
    fallbacks: Sequence[str] = (),
    custom: Iterable[CustomCampaign] = (),
    excluded: Iterable[str] = (),
) -> tuple[list[CampaignDates], list[str]]:
    """Campaigns for a period: the ones asked for (else the defaults), plus fallbacks so no full quarter is empty.

    `defaults` and `fallbacks` come from the playbooks (the category's moments, then the market's
    generic campaigns; sections/figures.campaign_choices). Returns the campaigns in date order and the keys added on the
    user's behalf (to be listed as assumptions).
    """
    excluded_keys = set(excluded)
    custom = list(custom)
    requested_keys = [k for k in dict.fromkeys(requested) if k in SPECS and k not in excluded_keys]
    chosen: list[CampaignDates] = []
    for key in requested_keys:
        chosen.extend(occurrences(key, start, end, language))
    for cc in custom:
        cd = custom_campaign_dates(cc, start, end)
        if cd is not None:
            chosen.append(cd)

    defaults = [k for k in defaults if k in SPECS and k not in excluded_keys]
    added: list[str] = []
    long_period = (end - start).days + 1 >= 120
    if not requested_keys and not custom:
        for key in defaults:
            found = occurrences(key, start, end, language)
            if found:
                chosen.extend(found)
                added.append(key)
    if long_period:
        fallbacks = list(dict.fromkeys([*defaults, *(k for k in fallbacks if k in SPECS and k not in excluded_keys)]))
        for y, q in full_quarters(start, end):
            qs, qe = quarter_bounds(y, q)
            if any(c.day <= qe and c.day >= qs for c in chosen):
                continue
            for key in fallbacks:
                if campaign_dates(key, y, language, qs, qe) is not None:
                    # re-derive with the full period so the phases are clipped to the plan, not the quarter
                    full = campaign_dates(key, y, language, start, end)
                    if full is not None:
                        chosen.append(full)
                        added.append(key)
                    break
    if not chosen:
        # a short period with no festival: one always-on push on the period's middle day
        mid = start + timedelta(days=(end - start).days // 2)
        name = "品牌推广周" if language == "zh" else "Brand push week"
        cd = custom_campaign_dates(CustomCampaign(name, mid, key=CUSTOM_PREFIX + "brand-push"), start, end)
        if cd is not None:
            chosen.append(cd)
            added.append(cd.key)
    chosen.sort(key=lambda c: (c.day, c.key))
    return chosen, list(dict.fromkeys(added))


def commercial_calendar(market: str, year: int, language: str) -> list[tuple[str, str, date]]:
    """(key, name, day) of every catalogue moment of a market in a year, in date order."""
    rows = [(s.key, s.name(language), s.day(year)) for s in SPECS.values() if market in s.markets]
    return sorted(rows, key=lambda r: r[2])

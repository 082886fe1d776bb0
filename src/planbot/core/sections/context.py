"""What every section module reads: the brief, the resolved playbooks, the computed figures, and two
callbacks into the build (prose from the writer, citations of playbook facts).

Sections are pure functions of a Context; the only state they touch is the notes lists (assumptions
and warnings they add for the plan to state) and the citations they register.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from planbot.core.brief import Brief
from planbot.core.catalog import platform_key, platform_name
from planbot.core.kpi import Note
from planbot.core.numbers import format_money_compact
from planbot.core.plan import FollowUp, PlanOverrides
from planbot.core.playbook.library import ForeignScan, Resolved
from planbot.core.playbook.schema import Source
from planbot.core.sections import test_channels as T
from planbot.core.sections.figures import Figures
from planbot.core.workdays import WorkCalendar, work_calendar

T_ = TypeVar("T_")
ProseFn = Callable[[str, dict[str, str]], tuple[str, list[str]]]
CiteFn = Callable[[Source], str | None]


@dataclass
class Context:
    brief: Brief
    overrides: PlanOverrides
    labels: dict[str, Any]  # playbook/<lang>.yaml: labels and prose templates in the plan's language
    pb: Resolved
    fig: Figures
    write: ProseFn
    cite_source: CiteFn
    scan: ForeignScan  # names of platforms the brief does not sell on: playbook text naming one is left out
    notes: list[Note] = field(default_factory=list)
    warn_notes: list[Note] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)  # due after the period: listed, never KPIs

    @property
    def lang(self) -> str:
        return self.brief.language

    @property
    def sep(self) -> str:
        return "、" if self.lang == "zh" else ", "

    @property
    def work(self) -> WorkCalendar:
        return work_calendar(self.brief.market)

    @property
    def cur(self) -> str:
        return self.brief.currency

    def money(self, amount: int) -> str:
        return format_money_compact(amount, self.cur, self.lang)

    def role(self, key: str) -> str:
        return str(self.labels["roles"][key])

    def prose(self, section: str, facts: dict[str, str], cited: list[str] | None = None) -> tuple[str, list[str]]:
        """The writer's text for a section, its citations after the playbook facts the section used."""
        text, cites = self.write(section, facts)
        return text, list(dict.fromkeys([*(cited or []), *cites]))

    def cite(self, sources: list[Source]) -> list[str]:
        """Chunk ids of the guide passages behind the facts a section shows (those found in the index)."""
        return list(dict.fromkeys(c for s in sources if (c := self.cite_source(s))))

    def keep(self, items: Sequence[T_], text: Callable[[T_], str]) -> list[T_]:
        """The playbook items for this plan's market whose text, and the guide sentence they cite, name no
        platform the brief does not sell on."""

        def fits(item: T_) -> bool:
            markets = getattr(item, "markets", None)
            if markets and self.pb.market.key not in markets:
                return False
            only = getattr(item, "categories", None)
            if only and self.pb.catalogue_key not in only:
                return False
            source = getattr(item, "source", None)
            quote = source.quote(self.lang) if isinstance(source, Source) else ""
            return self.scan.fits(text(item)) and self.scan.fits(quote)

        return [i for i in items if fits(i)]

    def period_label(self) -> str:
        assert self.brief.period is not None
        s, e = self.brief.period.start, self.brief.period.end
        if s.month == 1 and s.day == 1 and e.month == 12 and e.day == 31 and s.year == e.year:
            return f"{s.year}年" if self.lang == "zh" else str(s.year)
        if self.lang == "zh":
            return f"{s.year}年{s.month}月{s.day}日至{e.year}年{e.month}月{e.day}日"
        return f"{s:%b %-d, %Y} – {e:%b %-d, %Y}"

    def platforms_label(self) -> str:
        names = list(
            dict.fromkeys(platform_name(k, self.lang) if (k := platform_key(p)) else p for p in self.brief.platforms)
        )
        if self.lang == "zh" or len(names) < 2:
            return "、".join(names)
        return ", ".join(names[:-1]) + " and " + names[-1]

    def category_label(self) -> str:
        return self.brief.category or self.pb.category.names.in_(self.lang)

    def brand_name(self) -> str:
        """The brand as the user named it, else a placeholder the reader sees must be filled in."""
        return self.brief.brand or str(self.labels["brand_placeholder"])

    def channel_info(self, key: str) -> dict[str, Any]:
        """A channel's name, role, tactics and KPIs: the market's entry, or a channel under test."""
        if key in self.fig.tests:
            return T.test_entry(self.fig.tests[key], self.labels)
        ch = self.pb.market.channels[key]  # type: ignore[index]
        return {
            "name": ch.name.in_(self.lang),
            "role": ch.role.in_(self.lang),
            "tactics": ch.tactics.in_(self.lang),
            "kpis": ch.kpis.in_(self.lang),
        }

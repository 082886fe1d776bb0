"""Working days per market, so "within 3 working days" and every deadline mean what the team lives by.

China: the State Council's holidays and make-up working days from chinese-calendar for the years it
covers; after that, the statutory rule in playbook/trade.yaml (weekends plus the holiday weeks, no
make-up days), which the plan states as an assumption. The US (the global market): weekdays that are not
federal holidays, observed dates included (the holidays library).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import chinese_calendar
import holidays

from planbot.core.playbook.trade import trade


@cache  # is_working asks once a day it counts; an uncovered year answers by raising
def _cn_covered(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@cache
def _cn_estimated_holidays(year: int) -> frozenset[date]:
    out: set[date] = set()
    for rule in trade().workdays.cn_estimate:
        first = rule.day.on(year)
        out.update(first + timedelta(days=i) for i in range(rule.days))
    # the Spring Festival week of next year's calendar can start on 31 December (a late 除夕 never does,
    # but the rule is general): only this year's days count here
    return frozenset(d for d in out if d.year == year)


@cache
def _us_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("US", years=year, observed=True).keys())


class WorkCalendar:
    """The working days of one market."""

    def __init__(self, market: str) -> None:
        self.market = market

    def is_working(self, d: date) -> bool:
        if self.market == "cn":
            if _cn_covered(d.year):
                return bool(chinese_calendar.is_workday(d))
            return d.weekday() < 5 and d not in _cn_estimated_holidays(d.year)
        return d.weekday() < 5 and d not in _us_holidays(d.year)

    def estimated(self, start: date, end: date) -> list[int]:
        """The years of [start, end] whose holidays are estimated from the statutory rule (China only)."""
        if self.market != "cn":
            return []
        return [y for y in range(start.year, end.year + 1) if not _cn_covered(y)]

    def add(self, d: date, n: int) -> date:
        """The n-th working day after d ("within 3 working days" of a campaign's end)."""
        while n > 0:
            d += timedelta(days=1)
            if self.is_working(d):
                n -= 1
        return d

    def on_or_after(self, d: date) -> date:
        while not self.is_working(d):
            d += timedelta(days=1)
        return d

    def on_or_before(self, d: date) -> date:
        while not self.is_working(d):
            d -= timedelta(days=1)
        return d


@cache
def work_calendar(market: str) -> WorkCalendar:
    return WorkCalendar("cn" if market == "cn" else "global")

"""The plan's months as every renderer shows them (issue 23): one row per month of the period with its
funnel, and, where the brand's history file holds them, last year's same months and the change.

A plan stored before release 2 has no months (`funnel.months == []`): `month_table` is then None and
the renderers leave the table, the chart and the source line out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from planbot.core.plan import FunnelRow, Plan
from planbot.render.formatting import labels


def change(gmv: int, last_year: int | None) -> float | None:
    """The month's target against last year's same days (0.33 for +33%); None without a comparable figure."""
    return gmv / last_year - 1 if last_year else None


def change_text(x: float | None) -> str:
    """The change as a marketer writes it, "+33.0%" or "-4.2%"; "—" where there is nothing to compare with."""
    return "—" if x is None else f"{x:+.1%}"


def month_name(d: date, language: str) -> str:
    """The month as the tables name it: 2025年1月, Jan 2025."""
    return f"{d.year}年{d.month}月" if language == "zh" else f"{d:%b} {d.year}"


@dataclass(frozen=True)
class MonthTable:
    rows: list[FunnelRow]
    last_year: bool  # any month has last year's GMV: the two comparison columns are shown
    mix: bool  # the months split orders into new and returning
    total_gmv: int  # the months' GMV: the plan's whole-period GMV
    total_last_year: int | None  # last year's same months, where every month has one
    source: str  # where last year's months come from ("" without a history file)

    @property
    def total_change(self) -> float | None:
        return change(self.total_gmv, self.total_last_year)


def source_text(plan: Plan) -> str:
    """Where last year's months come from, as the tables' note says it (去年同期数据来自 生意参谋.csv（48行，
    2025年1月–2026年12月）); empty where the brief has no history."""
    h = plan.brief.history
    if h is None:
        return ""
    s, lang = h.source, plan.language
    period = f"{month_name(s.first, lang)}–{month_name(s.last, lang)}"
    text: str = labels(lang)["months"]["source"]
    return text.format(file=s.file, rows=f"{s.rows:,}", period=period)


def month_table(plan: Plan) -> MonthTable | None:
    """The months of the plan with their comparison, or None for a plan stored without months."""
    rows = plan.funnel.months
    if not rows:
        return None
    last_year = any(r.gmv_last_year is not None for r in rows)
    complete = all(r.gmv_last_year is not None for r in rows)
    return MonthTable(
        rows=rows,
        last_year=last_year,
        mix=any(r.new_orders is not None or r.returning_orders is not None for r in rows),
        total_gmv=sum(r.gmv for r in rows),
        total_last_year=sum(r.gmv_last_year or 0 for r in rows) if complete else None,
        source=source_text(plan) if last_year else "",
    )

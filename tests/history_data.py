"""A brand history whose seasons differ from its category's: a sunscreen-led beauty brand peaking in
July, where the beauty category peaks at 618 and Double 11. Built in code (the file readers have their
own fixtures under tests/history/), for the plans built from a history."""

from __future__ import annotations

from datetime import date

from planbot.core.brief import Brief
from planbot.core.history.model import AdMonth, History, HistorySource, MonthFigures

SUMMER = (0.7, 0.6, 0.8, 0.9, 1.0, 1.6, 1.9, 1.5, 0.9, 0.8, 0.7, 0.6)  # the brand's months, Jan..Dec
LEVELS = {2025: 1.0, 2026: 1.18}  # 2025 -> 2026: +18%
FILE = "生意参谋_2025-2026.csv"


def summer_history(level: int = 7_000_000) -> History:
    months, ads = [], []
    for year, grow in LEVELS.items():
        for m in range(1, 13):
            gmv = round(level * SUMMER[m - 1] * grow)
            orders = round(gmv / 180)
            buyers = round(orders * 0.9)
            months.append(MonthFigures(month=date(year, m, 1), gmv=gmv, visitors=round(orders / 0.031),
                                       orders=orders, buyers=buyers, new_buyers=round(buyers * 0.62)))  # fmt: skip
            tmall_spend, douyin_spend = round(gmv * 0.05), round(gmv * 0.04)
            ads.append(AdMonth(month=date(year, m, 1), channel="search", platform="tmall", spend=tmall_spend,
                               sales=round(tmall_spend * (4.0 + 0.2 * (m % 3)))))  # fmt: skip
            ads.append(AdMonth(month=date(year, m, 1), channel="short_video", platform="douyin", spend=douyin_spend,
                               sales=round(douyin_spend * 2.9)))  # fmt: skip
    source = HistorySource(file=FILE, rows=48, style="sycm", first=date(2025, 1, 1), last=date(2026, 12, 1))
    return History(currency="CNY", source=source, months=months, ads=ads)


def history_brief(base: Brief) -> Brief:
    """The beauty brief with the history attached and the figures it answers left out: last year's GMV,
    AOV, CVR and repurchase come from the file; the target is +33% on 2026."""
    h = summer_history()
    last = sum(m.gmv or 0 for m in h.months if m.month.year == 2026)
    return base.model_copy(
        update={
            "history": h,
            "gmv_last_year": None,
            "aov": None,
            "cvr": None,
            "repurchase_rate": None,
            "gmv_target": int(round(last * 1.33, -4)),
        }
    )

"""The brand's own figures from its history (core/history/baselines.py): window, rates, curve, ROAS."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planbot.core.history.baselines import baselines, growth, same_months_last_year, season, window
from planbot.core.history.model import AdMonth, History, HistorySource, MonthFigures
from tests.history_data import SUMMER, summer_history

FLAT = [1.0] * 12
SOURCE = HistorySource(file="h.csv", rows=3, first=date(2026, 1, 1), last=date(2026, 3, 1))


def _history(months: list[MonthFigures], ads: list[AdMonth] | None = None) -> History:
    return History(source=SOURCE, months=months, ads=ads or [])


def test_window_is_the_last_twelve_months_before_the_plan() -> None:
    rows = window(summer_history(), date(2027, 1, 1))
    assert [r.month for r in rows] == [date(2026, m, 1) for m in range(1, 13)]
    rows = window(summer_history(), date(2026, 7, 15))  # a plan inside the file: only the months before it
    assert rows[0].month == date(2025, 7, 1) and rows[-1].month == date(2026, 6, 1)


def test_rates_are_totals_over_the_window_not_averages_of_months() -> None:
    months = [
        MonthFigures(
            month=date(2026, 1, 1), gmv=1_000_000, visitors=100_000, orders=5_000, buyers=4_000, new_buyers=3_000
        ),
        MonthFigures(month=date(2026, 2, 1), gmv=100_000, visitors=50_000, orders=500, buyers=400, new_buyers=100),
    ]
    b = baselines(_history(months), date(2027, 1, 1), FLAT)
    assert b.aov == round(1_100_000 / 5_500)  # 200, not the mean of 200 and 200
    assert b.cvr == round(5_500 / 150_000, 4)  # 3.67%, not the mean of 5% and 1%
    assert b.returning_share == round((1_000 + 300) / 4_400, 4)


def test_too_few_orders_give_no_rates() -> None:
    months = [MonthFigures(month=date(2026, 1, 1), gmv=1_000, visitors=900, orders=5)]
    b = baselines(_history(months), date(2027, 1, 1), FLAT)
    assert b.aov is None and b.cvr is None


def test_season_is_the_brands_own_shape() -> None:
    curve, own = season(summer_history(), FLAT) or ([], [])
    assert all(own)
    assert curve.index(max(curve)) == 6  # July, as the brand sells
    mean = sum(SUMMER) / 12
    assert curve == pytest.approx([x / mean for x in SUMMER], abs=1e-3)


def test_missing_months_take_the_category_index_at_the_brands_level() -> None:
    category = [0.5, 0.5, 1, 1, 1, 2, 1, 1, 1, 1, 1.5, 0.5]
    months = [MonthFigures(month=date(2026, m, 1), gmv=gmv) for m, gmv in ((3, 300), (4, 300), (5, 300))]
    curve, own = season(_history(months), category) or ([], [])
    assert own == [m in (3, 4, 5) for m in range(1, 13)]
    # the brand sells 300 where the category's index is 1: June (index 2) is filled at 600, Jan at 150
    raw = [150, 150, 300, 300, 300, 600, 300, 300, 300, 300, 450, 150]
    assert curve == pytest.approx([x / (sum(raw) / 12) for x in raw], abs=1e-3)


def test_two_months_say_nothing_about_seasons() -> None:
    months = [MonthFigures(month=date(2026, m, 1), gmv=100) for m in (1, 2)]
    assert season(_history(months), FLAT) is None


def test_growth_between_complete_years_only() -> None:
    g = growth(summer_history())
    assert [(x.year_from, x.year_to) for x in g] == [(2025, 2026)]
    assert g[0].rate == pytest.approx(0.18, abs=1e-3)
    partial = _history([MonthFigures(month=date(2026, m, 1), gmv=100) for m in range(1, 12)])
    assert growth(partial) == []


def test_roas_per_platform_with_its_monthly_spread() -> None:
    b = baselines(summer_history(), date(2027, 1, 1), FLAT)
    tmall, douyin = b.roas_platform["tmall"], b.roas_platform["douyin"]
    assert (tmall.low, tmall.high) == (4.0, 4.4)
    assert douyin.value == douyin.low == douyin.high == 2.9
    assert set(b.roas_channel) == {"search", "short_video"}


def test_same_months_last_year_counts_partial_months_by_days() -> None:
    h = summer_history()
    full = same_months_last_year(h, date(2027, 1, 1), date(2027, 12, 31))
    assert full == sum(m.gmv or 0 for m in h.months if m.month.year == 2026)
    half = same_months_last_year(h, date(2027, 7, 1), date(2027, 7, 16))
    july = next(m.gmv for m in h.months if m.month == date(2026, 7, 1))
    assert half == round((july or 0) * 16 / 31)
    assert same_months_last_year(h, date(2028, 1, 1), date(2028, 3, 31)) is None  # 2027 is not in the file


@given(
    gmv=st.lists(st.integers(min_value=1, max_value=10**9), min_size=12, max_size=12),
    category=st.lists(st.floats(min_value=0.2, max_value=3), min_size=12, max_size=12),
    known=st.sets(st.integers(min_value=1, max_value=12), min_size=3),
)
def test_season_keeps_the_brands_ratios_and_averages_one(
    gmv: list[int], category: list[float], known: set[int]
) -> None:
    months = [MonthFigures(month=date(2026, m, 1), gmv=gmv[m - 1]) for m in sorted(known)]
    shaped = season(_history(months), category)
    assert shaped is not None
    curve, own = shaped
    assert sum(curve) / 12 == pytest.approx(1, abs=1e-3)
    a, b = min(known), max(known)
    assert curve[a - 1] / curve[b - 1] == pytest.approx(gmv[a - 1] / gmv[b - 1], rel=1e-3)
    assert [i + 1 for i, o in enumerate(own) if o] == sorted(known)

"""Weekly and daily rows summed into calendar months, exactly, with integer months summing to the total."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from planbot.history_read.reader import largest_remainder
from tests.history.helpers import TODAY, month, read


def _csv(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


days = st.dates(min_value=date(2023, 1, 1), max_value=date(2025, 5, 31))


@given(st.lists(st.tuples(days, st.integers(0, 10**7), st.integers(0, 10**6)), min_size=1, max_size=60))
def test_daily_rows_sum_to_their_months(rows: list[tuple[date, int, int]]) -> None:
    lines = ["日期,支付金额(元),访客数"] + [f"{d.isoformat()},{g},{v}" for d, g, v in rows]
    r = read("daily.csv", _csv(lines))
    gmv: dict[date, int] = defaultdict(int)
    visitors: dict[date, int] = defaultdict(int)
    for d, g, v in rows:
        gmv[d.replace(day=1)] += g
        visitors[d.replace(day=1)] += v
    assert {m.month: m.gmv for m in r.history.months} == dict(gmv)
    assert {m.month: m.visitors for m in r.history.months} == dict(visitors)
    assert r.granularity == "day"


@given(
    st.lists(
        st.tuples(days, st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False)), min_size=1, max_size=40
    )
)
def test_daily_money_with_cents_rounds_to_the_file_total(rows: list[tuple[date, object]]) -> None:
    lines = ["Date,Ordered Product Sales"] + [f'{d.strftime("%m/%d/%Y")},"${v:,.2f}"' for d, v in rows]
    r = read("amazon.csv", _csv(lines))
    total = sum(Fraction(str(v)) for _, v in rows)
    assert sum(m.gmv or 0 for m in r.history.months) == round(total + Fraction(1, 10**9))  # half up
    exact: dict[date, Fraction] = defaultdict(Fraction)
    for d, v in rows:
        exact[d.replace(day=1)] += Fraction(str(v))
    for m in r.history.months:
        assert abs((m.gmv or 0) - exact[m.month]) < 1


@given(
    st.lists(st.tuples(st.integers(0, 120), st.integers(0, 10**5)), min_size=1, max_size=30, unique_by=lambda x: x[0])
)
def test_weeks_split_by_days_and_months_add_up(weeks: list[tuple[int, int]]) -> None:
    start = date(2024, 1, 1)  # a Monday
    lines = ["统计周期,成交订单数"]
    for n, orders in weeks:
        first = start + timedelta(weeks=n)
        lines.append(f"{first.isoformat()}~{(first + timedelta(days=6)).isoformat()},{orders}")
    r = read("weekly.csv", _csv(lines))
    assert sum(m.orders or 0 for m in r.history.months) == sum(o for _, o in weeks)
    exact: dict[date, Fraction] = defaultdict(Fraction)
    for n, orders in weeks:
        for k in range(7):
            d = start + timedelta(weeks=n, days=k)
            exact[d.replace(day=1)] += Fraction(orders, 7)
    for m in r.history.months:
        assert abs((m.orders or 0) - exact[m.month]) < 1
    assert r.granularity == "week"


def test_week_column_of_start_dates() -> None:
    r = read("w.csv", _csv(["Week,Orders", "2025-01-27,700", "2025-02-03,70"]))
    assert (month(r, 2025, 1).orders, month(r, 2025, 2).orders) == (500, 270)  # 5 of 7 days in January


@given(st.dictionaries(st.dates(), st.fractions(min_value=0, max_value=10**6, max_denominator=97), min_size=1))
def test_largest_remainder_is_exact(values: dict[date, Fraction]) -> None:
    out = largest_remainder(values)
    total = sum(values.values(), Fraction(0))
    assert sum(out.values()) in (int(total), int(total) + 1)
    assert abs(sum(out.values()) - total) <= Fraction(1, 2)
    assert all(abs(out[k] - v) < 1 for k, v in values.items())


def test_rates_are_not_summed_but_rebuild_missing_counts() -> None:
    lines = ["日期,访客数,支付转化率,客单价(元)", "2025-01-01,1000,2.5%,200", "2025-01-02,3000,3%,100"]
    r = read("rates.csv", _csv(lines))
    jan = month(r, 2025, 1)
    assert jan.visitors == 4000
    assert jan.orders == 25 + 90  # visitors × CVR per day, then summed
    assert jan.gmv == 25 * 200 + 90 * 100  # visitors × CVR × AOV
    assert jan.buyers == 115  # GMV ÷ AOV
    assert "orders = visitors × CVR" in r.derived


def test_roas_rebuilds_ad_sales_and_future_months_are_noted() -> None:
    lines = ["月份,推广工具,花费,投入产出比", "2025-05,直通车,1000,3.5", "2025-08,直通车,2000,4"]
    r = read("ads.csv", _csv(lines))
    assert [(a.spend, a.sales) for a in r.history.ads] == [(1000, 3500), (2000, 8000)]
    assert r.future_months == [date(2025, 8, 1)]  # TODAY is 2025-06-15
    assert TODAY.month == 6


def test_identical_duplicate_month_row_is_read_once() -> None:
    r = read("dup.csv", _csv(["月份,成交额", "2025-01,100", "2025-01,100"]))
    assert month(r, 2025, 1).gmv == 100
    assert r.skipped_rows == [3]


def test_same_month_for_different_ad_lines_and_platforms() -> None:
    lines = [
        "月份,平台,广告渠道,广告花费,成交额",
        "2025-01,天猫,直通车,100,",
        "2025-01,天猫,引力魔方,50,",
        "2025-01,天猫,,,1000",
        "2025-01,京东,,,500",
    ]
    r = read("lines.csv", _csv(lines))
    assert month(r, 2025, 1).gmv == 1500  # both shops' GMV make the brand's month
    assert {(a.channel, a.platform, a.spend) for a in r.history.ads} == {
        ("search", "tmall", 100),
        ("feed_ads", "tmall", 50),
    }


def test_start_and_end_date_columns_make_a_range() -> None:
    lines = [
        "Start Date,End Date,Campaign Name,Spend,7 Day Total Sales",
        '01/01/2025,01/31/2025,SP - Auto,"$1,000.00","$4,000.00"',
        "01/01/2025,01/31/2025,SP - Exact,500,1500",
        "02/01/2025,02/28/2025,SP - Auto,800,3000",
    ]
    r = read("sp_summary.csv", _csv(lines))
    assert r.granularity == "month" and r.history.source.style == "amazon_ads"
    assert [(a.month.month, a.spend, a.sales) for a in r.history.ads] == [(1, 1500, 5500), (2, 800, 3000)]


def test_ad_lines_named_by_the_catalog_or_kept_as_exported() -> None:
    lines = [
        "Month,Channel,Ad spend,Ad sales",
        "2025-01,Google Ads,100,300",
        "2025-01,Klaviyo,20,90",
        "2025-01,Influencers,50,",
        "2025-01,Sponsored Brands,40,120",
        "2025-01,Podcast sponsorship,70,",
    ]
    r = read("mix.csv", _csv(lines))
    assert r.channels == {
        "Google Ads": "google",
        "Klaviyo": "email",
        "Influencers": "influencers",
        "Sponsored Brands": "search",
        "Podcast sponsorship": "Podcast sponsorship",
    }
    sb = next(a for a in r.history.ads if a.channel == "search")
    assert (sb.platform, sb.spend, sb.sales) == ("amazon", 40, 120)

"""The plan period a message states, and years no plan can cover (issue 16)."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planbot.core.extract.periods import extract_period, rejected_year

TODAY = date(2026, 12, 6)


def period(text: str, today: date = TODAY, campaigns: list[str] | None = None) -> tuple[date, date] | None:
    return extract_period(text, today, campaigns or [])


def d(y: int, m: int, day: int) -> date:
    return date(y, m, day)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        # a year, said or relative
        ("明年全年", d(2027, 1, 1), d(2027, 12, 31)),
        ("2027年全年，GMV目标3000万", d(2027, 1, 1), d(2027, 12, 31)),
        ("plan for next year pls", d(2027, 1, 1), d(2027, 12, 31)),
        ("budgt is like 40k for next yr", d(2027, 1, 1), d(2027, 12, 31)),
        ("calendar year 2027", d(2027, 1, 1), d(2027, 12, 31)),
        # halves
        ("2027年上半年", d(2027, 1, 1), d(2027, 6, 30)),
        ("主要做明年下半年", d(2027, 7, 1), d(2027, 12, 31)),
        ("H1 2027", d(2027, 1, 1), d(2027, 6, 30)),
        ("second half of next year", d(2027, 7, 1), d(2027, 12, 31)),
        # quarters, one or a run
        ("Q3", d(2027, 7, 1), d(2027, 9, 30)),
        ("先做明年一季度的", d(2027, 1, 1), d(2027, 3, 31)),
        ("2027年第二季度，重点是618", d(2027, 4, 1), d(2027, 6, 30)),
        ("Q4旺季", d(2027, 10, 1), d(2027, 12, 31)),
        ("Q2-Q3 2027", d(2027, 4, 1), d(2027, 9, 30)),
        ("Q1 and Q2 next year", d(2027, 1, 1), d(2027, 6, 30)),
        ("Q3+Q4 2027.", d(2027, 7, 1), d(2027, 12, 31)),
        # month ranges
        ("2027年3月到5月", d(2027, 3, 1), d(2027, 5, 31)),
        ("Q4旺季，明年10月到12月", d(2027, 10, 1), d(2027, 12, 31)),
        ("时间是明年4月1号到6月30号", d(2027, 4, 1), d(2027, 6, 30)),
        ("周期：2027.04-2027.09", d(2027, 4, 1), d(2027, 9, 30)),
        ("March to May 2027", d(2027, 3, 1), d(2027, 5, 31)),
        ("Period: April 1 – September 30, 2027", d(2027, 4, 1), d(2027, 9, 30)),
        ("period: Feb 2027 - Jan 2028 (our fiscal year)", d(2027, 2, 1), d(2028, 1, 31)),
        ("the whole of 2027 please, Jan to Dec", d(2027, 1, 1), d(2027, 12, 31)),
        # N months from a start
        ("从明年2月开始，做半年", d(2027, 2, 1), d(2027, 7, 31)),
        ("six months starting in April 2027", d(2027, 4, 1), d(2027, 9, 30)),
    ],
)
def test_periods(text: str, start: date, end: date) -> None:
    assert period(text) == (start, end)


def test_next_quarter_is_relative_to_the_reading_date() -> None:
    assert period("下个季度想冲一下", d(2027, 3, 15)) == (d(2027, 4, 1), d(2027, 6, 30))
    assert period("plan for next quarter") == (d(2027, 1, 1), d(2027, 3, 31))
    assert period("this quarter", d(2027, 5, 2)) == (d(2027, 4, 1), d(2027, 6, 30))


def test_a_quarter_about_something_else_is_no_period() -> None:
    assert period("Q3的时候我们上了3个新品，反响一般") is None
    assert period("we launch version 2 of the app in Q3, the 2027 plan stays as is") == (d(2027, 1, 1), d(2027, 12, 31))
    assert period("- 2027 budget approx 180k\n- 2 new hires in Q1, 14 SKUs launching") == (
        d(2027, 1, 1),
        d(2027, 12, 31),
    )


def test_years_that_are_not_the_plans() -> None:
    assert period("we've been around since 2019, 4 founders") is None
    assert period("联系电话 13800138000") is None
    assert period("call me at +1 (303) 555-2027") is None
    # the year of a campaign dates the campaign, not a full-year plan
    assert period("Prime Day 2027 is key for us, also BFCM", campaigns=["Prime Day", "BFCM"]) is None


def test_campaign_only_plans_get_the_campaign_window() -> None:
    assert period("京东2027年双11活动", campaigns=["双11"]) == (d(2027, 10, 20), d(2027, 11, 18))
    window = period("we want a Prime Day 2027 plan", campaigns=["Prime Day"])
    assert window is not None and window[0].year == 2027 and window[1] - window[0] < (d(2027, 3, 1) - d(2027, 1, 1))
    assert period("只做双11活动期间，预算100万", campaigns=["双11"]) is None  # no year said: the interview asks
    assert period("2027年全年，重点双11活动", campaigns=["双11"]) == (d(2027, 1, 1), d(2027, 12, 31))


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("方案周期：1999年全年", "1999年"),
        ("时间范围就写2200年吧", "2200年"),
        ("plan for 1999 please, amazon, 200k budget", "1999"),
        ("we want a plan for 2200 on shopify", "2200"),
        ("in 2200", "2200"),
    ],
)
def test_a_year_no_plan_can_cover_is_rejected_as_written(text: str, written: str) -> None:
    assert rejected_year(text) == written
    assert period(text) is None


@pytest.mark.parametrize(
    "text",
    ["成立于1998年", "we started in 1995", "5000年历史的茶", "budget for 1500, please", "2027年全年", "3000 units"],
)
def test_history_money_and_good_years_are_not_rejected(text: str) -> None:
    assert rejected_year(text) is None


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789年月到-Q季度上下半明 toMarchMayH12,.")), max_size=30))
def test_reading_a_period_never_raises_and_is_ordered(text: str) -> None:
    found = period(text)
    assert found is None or found[0] <= found[1]
    rejected_year(text)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("从明年3月做到8月", d(2027, 3, 1), d(2027, 8, 31)),
        ("明年3月份开始做到12月底", d(2027, 3, 1), d(2027, 12, 31)),
        ("明年4月1号开始，做半年", d(2027, 4, 1), d(2027, 9, 30)),
        ("从3月开始做到年底", d(2027, 3, 1), d(2027, 12, 31)),
        ("from March through year-end", d(2027, 3, 1), d(2027, 12, 31)),
        ("Q2到Q3", d(2027, 4, 1), d(2027, 9, 30)),
        ("Our fiscal year runs from 1 Feb 2027 to 31 Jan 2028.", d(2027, 2, 1), d(2028, 1, 31)),
        ("1 Feb to 31 Jan", d(2027, 2, 1), d(2028, 1, 31)),
    ],
)
def test_periods_of_the_second_dev_set(text: str, start: date, end: date) -> None:
    assert period(text) == (start, end)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("3-8月", d(2027, 3, 1), d(2027, 8, 31)),
        ("明年3到8月份", d(2027, 3, 1), d(2027, 8, 31)),
        ("从6月份开始一直做到年底", d(2027, 6, 1), d(2027, 12, 31)),
        ("from 1 April to 30 September", d(2027, 4, 1), d(2027, 9, 30)),
    ],
)
def test_more_period_shapes(text: str, start: date, end: date) -> None:
    assert period(text) == (start, end)


def test_an_age_range_is_no_period() -> None:
    assert period("25-35岁女性") is None

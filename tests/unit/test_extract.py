from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planbot.core.brief import Brief
from planbot.core.extract import extract, extract_period

TODAY = date(2026, 11, 22)


def fields(text: str) -> dict[str, object]:
    return extract(text, TODAY).values


def test_the_web_ui_example_sentence_lands_every_field() -> None:
    v = fields("户外用品，天猫+抖音，2027年GMV目标8000万，预算一千万，客单价260，重点做618和双11")
    assert v["platforms"] == ["天猫", "抖音"]
    assert v["gmv_target"] == 80_000_000
    assert v["budget_total"] == 10_000_000
    assert v["aov"] == 260
    assert v["campaigns"] == ["618年中大促", "双11"]
    assert v["period"] == {"start": date(2027, 1, 1), "end": date(2027, 12, 31)}
    assert v["category"] == "户外用品" and v["language"] == "zh" and v["market"] == "cn"


def test_last_year_and_growth() -> None:
    v = fields("我们是花漾，美妆品牌，去年GMV 9000万，今年同比增长25%，预算1500万")
    assert v["brand"] == "花漾"
    assert v["gmv_last_year"] == 90_000_000 and v["growth_rate"] == 0.25 and v["budget_total"] == 15_000_000


def test_english_brief() -> None:
    v = fields(
        "Brand is Trailhead, outdoor gear on Shopify and Amazon. 2027 budget $600k, revenue target $4.5M, "
        "AOV $85, conversion rate 2.2%, targeting hikers aged 25-45"
    )
    assert v["brand"] == "Trailhead" and v["market"] == "global" and v["currency"] == "USD"
    assert (v["budget_total"], v["gmv_target"], v["aov"], v["cvr"]) == (600_000, 4_500_000, 85, 0.022)
    assert v["audience"] == "hikers aged 25-45"


def test_figure_named_after_it() -> None:
    v = fields("We sell on Amazon. Last year we did $3M; target $4M for 2027 with a $500k budget")
    assert (v["gmv_last_year"], v["gmv_target"], v["budget_total"]) == (3_000_000, 4_000_000, 500_000)


def test_ages_and_durations_are_not_money() -> None:
    v = fields("新品牌，6个月，从3月开始，抖音，预算八十万，新客目标2万，目标人群是18-28岁的学生")
    assert v["budget_total"] == 800_000 and v["new_customers_target"] == 20_000
    assert "gmv_target" not in v


def test_metric_words_beat_growth_words() -> None:
    v = fields("复购率提升到20%，转化率2.5%，同比增长30%")
    assert (v["repurchase_rate"], v["cvr"], v["growth_rate"]) == (0.2, 0.025, 0.3)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2027年全年", date(2027, 1, 1), date(2027, 12, 31)),
        ("2027年下半年", date(2027, 7, 1), date(2027, 12, 31)),
        ("2027 Q3", date(2027, 7, 1), date(2027, 9, 30)),
        ("2027年第二季度", date(2027, 4, 1), date(2027, 6, 30)),
        ("2027-03-01至2027-08-31", date(2027, 3, 1), date(2027, 8, 31)),
        ("2027年3月到8月", date(2027, 3, 1), date(2027, 8, 31)),
        ("from March to August 2027", date(2027, 3, 1), date(2027, 8, 31)),
        ("six months starting in April 2027", date(2027, 4, 1), date(2027, 9, 30)),
    ],
)
def test_periods(text: str, start: date, end: date) -> None:
    assert extract_period(text, TODAY, []) == (start, end)


def test_a_single_campaign_brief_gets_the_campaign_window() -> None:
    period = extract_period("京东2027年双11活动", TODAY, ["双11"])
    assert period == (date(2027, 10, 20), date(2027, 11, 18))


@settings(max_examples=200)
@given(st.text(max_size=300))
def test_extract_never_crashes_and_always_yields_a_valid_brief(text: str) -> None:
    update = extract(text, TODAY)
    assert isinstance(update.apply(Brief()), Brief)

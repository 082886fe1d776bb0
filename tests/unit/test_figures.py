"""Which brief field each figure of a message belongs to (issue 16, figures)."""

from __future__ import annotations

import pytest

from planbot.core.extract.figures import read_figures
from planbot.core.numbers import normalize


def _read(text: str, expecting: tuple[str, ...] = ()) -> dict[str, object]:
    return read_figures(normalize(text), expecting).values


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("预算300w，目标5kw", {"budget_total": 3_000_000, "gmv_target": 50_000_000}),
        ("活动期间要卖到3千万", {"gmv_target": 30_000_000}),
        ("预算1.5kw，GMV要做到3个亿", {"budget_total": 15_000_000, "gmv_target": 300_000_000}),
        ("明年营销预算三百五十万左右，GMV目标一千二百万", {"budget_total": 3_500_000, "gmv_target": 12_000_000}),
        ("预算一千五百万左右，目标一亿二", {"budget_total": 15_000_000, "gmv_target": 120_000_000}),
        ("500万的预算，3千万是明年的目标", {"budget_total": 5_000_000, "gmv_target": 30_000_000}),
        ("3000万，这是我们明年的GMV目标；营销费用的话，300万。", {"gmv_target": 30_000_000, "budget_total": 3_000_000}),
        ("预算我们定了，就是200万。目标嘛，1500万", {"budget_total": 2_000_000, "gmv_target": 15_000_000}),
        ("去年做了1800万，明年想做到2500万", {"gmv_last_year": 18_000_000, "gmv_target": 25_000_000}),
        ("2000万是去年的数，明年翻到3000万", {"gmv_last_year": 20_000_000, "gmv_target": 30_000_000}),
        ("我们一年GMV也就五六千万，明年想冲一个亿", {"gmv_last_year": 55_000_000, "gmv_target": 100_000_000}),
        ("推广费每个月50万，一年下来就是600万", {"budget_total": 6_000_000}),
        ("新客目标20万，去年UV大概800万", {"new_customers_target": 200_000, "uv_last_year": 8_000_000}),
        ("客单价199，转换率3.5%，复购率25%", {"aov": 199, "cvr": 0.035, "repurchase_rate": 0.25}),
        ("复购做到三成，转化率两个点", {"repurchase_rate": 0.3, "cvr": 0.02}),
        ("同比要涨20个点，去年是5000万", {"growth_rate": 0.2, "gmv_last_year": 50_000_000}),
        ("更正一下：客单价是199不是299", {"aov": 199}),
        ("预算200万→250万，老板刚加了50万", {"budget_total": 2_500_000}),
        ("GMV target: 1.2亿美元 / marketing budget 8 million USD", {"gmv_target": 120_000_000, "budget_total": 8_000_000}),
        ("about 350k to spend on marketing next year", {"budget_total": 350_000}),
        ("we did $2M this year and want $2.6M next year", {"gmv_last_year": 2_000_000, "gmv_target": 2_600_000}),
        ("we want to grow 25% on last year's $1.8M", {"growth_rate": 0.25, "gmv_last_year": 1_800_000}),
        ("$400k budget, 2.6M is the goal", {"budget_total": 400_000, "gmv_target": 2_600_000}),
        ("we can put 350k into ads and the revenue goal is 3 million", {"budget_total": 350_000, "gmv_target": 3_000_000}),
        ("Target for next year is 1,2 million euros and the marketing budget is around 150.000 €.",
         {"gmv_target": 1_200_000, "budget_total": 150_000}),
        ("Our marketing budget is around two hundred and fifty thousand dollars for the year.", {"budget_total": 250_000}),
        ("ballpark 75k for ads, want to do 900k", {"budget_total": 75_000, "gmv_target": 900_000}),
        ("typical basket is $65, repeat purchase rate ~30%", {"aov": 65, "repurchase_rate": 0.3}),
        ("We're aiming for 50k new customers in 2027. We had 1.2M visitors last year.",
         {"new_customers_target": 50_000, "uv_last_year": 1_200_000}),
        ("the 1.2M we did this year was mostly Amazon; next year we want to reach 1.8M with 200k in ads",
         {"gmv_last_year": 1_200_000, "gmv_target": 1_800_000, "budget_total": 200_000}),
        ("Revenue 2026: 3.8M, goal 4.5M. We get ~1.5M visitors a year.",
         {"gmv_last_year": 3_800_000, "gmv_target": 4_500_000, "uv_last_year": 1_500_000}),
        ("turnover this year ~£1.6m, we'd like +20%", {"gmv_last_year": 1_600_000, "growth_rate": 0.2}),
        ("budget 180k, actually make it 200k", {"budget_total": 200_000}),
        ("revenue target: four million; we did three point two million this year",
         {"gmv_target": 4_000_000, "gmv_last_year": 3_200_000}),
        ("We expect revenue of about 5 million dollars next year, up 25% from this year.",
         {"gmv_target": 5_000_000, "growth_rate": 0.25}),
        ("revenue was 1.2M, +30% YoY", {"gmv_last_year": 1_200_000, "growth_rate": 0.3}),
        ("FY27 budget: 1.2M; FY26 actual: 9.8M GMV; FY27 target 12M GMV",
         {"budget_total": 1_200_000, "gmv_last_year": 9_800_000, "gmv_target": 12_000_000}),
        ("Can you plan on 250K spend for 2.5M sales?", {"budget_total": 250_000, "gmv_target": 2_500_000}),
        ("我们去年投了150万，今年打算投200万，目标是卖到2000万", {"budget_total": 2_000_000, "gmv_target": 20_000_000}),
        ("我们是一个年销5000万的品牌，明年想做到8000万", {"gmv_last_year": 50_000_000, "gmv_target": 80_000_000}),
        ("The budget is 1/10 of the target, which is 20M", {"gmv_target": 20_000_000}),
        ("our marketing budget is usually 10% of revenue, so ~$250k on a $2.5M target",
         {"budget_total": 250_000, "gmv_target": 2_500_000}),
        ("budget: 50 grand", {"budget_total": 50_000}),
        ("复购率大概在20%-25%", {"repurchase_rate": 0.225}),
        ("今年销售额同比下降10%，明年希望增长20%", {"growth_rate": 0.2}),
        ("revenue was down 15% this year", {"growth_rate": -0.15}),
        ("CAC under $30, budget $200k", {"budget_total": 200_000}),
        ("ROI要做到1:5，预算100万", {"budget_total": 1_000_000}),
    ],
)  # fmt: skip
def test_each_figure_finds_its_field(text: str, expected: dict[str, object]) -> None:
    assert _read(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "我们有3个仓库和5个客服",
        "联系电话 13800138000，有问题随时打我",
        "SKU 数量 120 个左右，主推其中8款",
        "我们主要覆盖一二线城市，三四线还没怎么铺货",
        "这是方案第2版，麻烦再看下",
        "每周计划发5条短视频，另外2场直播",
        "Q3的时候我们上了3个新品，反响一般",
        "主推款是25-35岁女生买得最多的那个系列",
        "明年打算做618和双11两个大促",
        "发货3个工作日内",
        "we have 3 warehouses and 5 agents",
        "fyi we're a team of 12, mostly remote",
        "Feel free to call me at 415-555-0132 to go over it.",
        "our top 10 cities are all on the east coast",
        "we launch version 2 of the app in Q3, the 2027 plan stays as is",
        "we run 6 ad accounts across 2 business managers, shopify theme is v3.2",
        "we have 24 SKUs and 2 warehouses",
        "抖音粉丝30万",
        "我们店铺评分4.8",
        "双11那天卖了2万单",
        "we get about 40 orders a day",
        "we sell 3 product lines",
        "我们想做到月销100万",
    ],
)
def test_counts_dates_and_phone_numbers_are_not_money(text: str) -> None:
    fields = ("budget_total", "gmv_target", "aov", "cvr", "new_customers_target", "uv_last_year")
    assert _read(text, fields) == {}


@pytest.mark.parametrize(
    ("text", "asked", "expected"),
    [
        ("两百万吧", "budget_total", 2_000_000),
        ("3个点", "cvr", 0.03),
        ("about 3", "cvr", 0.03),
        ("25", "growth_rate", 0.25),
        ("99", "aov", 99),
        ("like 30-40 dollars", "aov", 35),
        ("10万", "new_customers_target", 100_000),
        ("roughly 2 million", "uv_last_year", 2_000_000),
        ("翻倍", "growth_rate", 1.0),
        ("1,5 million", "gmv_target", 1_500_000),
        ("增长个两三成吧", "growth_rate", 0.25),
        ("五万个新客", "new_customers_target", 50_000),
        ("double", "growth_rate", 1.0),
    ],
)
def test_a_loose_figure_answers_the_field_asked(text: str, asked: str, expected: object) -> None:
    assert _read(text, (asked,)) == {asked: expected}


@pytest.mark.parametrize(
    ("text", "asked"),
    [("150", "cvr"), ("3000", "cvr"), ("5", "budget_total"), ("250", "repurchase_rate"), ("0.5", "new_customers_target"),
     ("团队就5个人，钱不多", "budget_total")],
)  # fmt: skip
def test_an_implausible_loose_figure_is_not_taken(text: str, asked: str) -> None:
    assert _read(text, (asked,)) == {}


@pytest.mark.parametrize(
    ("text", "field", "kept"),
    [
        ("预算-500万，目标5000万，天猫", "budget_total", {"gmv_target": 50_000_000}),
        ("budget -500k, target 3M", "budget_total", {"gmv_target": 3_000_000}),
        ("天猫+京东，明年全年，预算300万，转化率150%", "cvr", {"budget_total": 3_000_000}),
        ("客单价0元，GMV目标2000万，京东", "aov", {"gmv_target": 20_000_000}),
        ("明年同比增长-150%", "growth_rate", {}),
        ("visitors last year: -300k, new customers goal 10k", "uv_last_year", {"new_customers_target": 10_000}),
        ("Plan period: 2027. Budget: €120k. Repeat purchase rate: 140%.", "repurchase_rate", {"budget_total": 120_000}),
    ],
)
def test_an_out_of_range_value_is_refused_and_the_rest_kept(text: str, field: str, kept: dict[str, object]) -> None:
    figures = read_figures(normalize(text), ())
    assert field in figures.rejected and field not in figures.values
    assert figures.values == kept


def test_a_range_is_read_as_its_midpoint_and_listed_as_assumed() -> None:
    figures = read_figures(normalize("Budget: $300-350k. Target: $3M."), ())
    assert figures.values == {"budget_total": 325_000, "gmv_target": 3_000_000}
    assert figures.assumed == {"budget_total": "$300-350k"}
    assert read_figures(normalize("投放预算大概两三百万吧"), ()).assumed == {"budget_total": "两三百万"}


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("1.2亿美元", "USD"),
        ("预算100万欧元", "EUR"),
        ("roughly £250k to spend on marketing in 2027", "GBP"),
        ("日本亚马逊，预算3000万日元", "JPY"),
        ("Budget 300万 RMB，target GMV 3000万", "CNY"),
        ("sorry, those were euros, not dollars", "EUR"),
        ("预算300万，目标3000万", None),
    ],
)
def test_the_currency_comes_from_the_words(text: str, currency: str | None) -> None:
    assert read_figures(normalize(text), ()).currency == currency


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a correction inside one message: the new value may come first, after 不是, or after a softer word
        ("预算不是200万，是250万", {"budget_total": 2_500_000}),
        ("预算200万，哦不，是250万", {"budget_total": 2_500_000}),
        ("客单价99，算了还是按129算吧", {"aov": 129}),
        ("客单价99改成129", {"aov": 129}),
        ("budget 180k, no wait, 200k", {"budget_total": 200_000}),
        ("target $2M... actually make it $2.4M", {"gmv_target": 2_400_000}),
        ("去年200万，今年还是200万，明年目标300万", {"gmv_last_year": 2_000_000, "gmv_target": 3_000_000}),
        # the field named after the figure, or by words that are not the usual ones
        ("3000万是目标", {"gmv_target": 30_000_000}),
        ("visitors: 1.2M", {"uv_last_year": 1_200_000}),
        ("average basket is $38, about 1.2 million site visits this year", {"aov": 38, "uv_last_year": 1_200_000}),
        ("平均每单大概230块，老客复购在35%上下", {"aov": 230, "repurchase_rate": 0.35}),
        ("avg ticket $45", {"aov": 45}),
        # years in order: this year's sales, then next year's, are the baseline and the target
        ("预算的话，300万。GMV呢，今年4500万，明年5500万", {"budget_total": 3_000_000, "gmv_last_year": 45_000_000,
                                                          "gmv_target": 55_000_000}),
        ("this year 2M, next year 2.6M", {"gmv_last_year": 2_000_000, "gmv_target": 2_600_000}),
        ("Revenue target $6M vs $4.8M in 2026.", {"gmv_target": 6_000_000, "gmv_last_year": 4_800_000}),
        # growth written as a sign or a word in notes; this year's history is not the plan's growth
        ("revenue 2M, +25%", {"gmv_last_year": 2_000_000, "growth_rate": 0.25}),
        ("sales up 20%", {"growth_rate": 0.2}),
        ("we turned over £2.8m this year and want 20% growth.", {"gmv_last_year": 2_800_000, "growth_rate": 0.2}),
        # formal numerals
        ("预算伍佰万，目标壹亿贰仟万", {"budget_total": 5_000_000, "gmv_target": 120_000_000}),
    ],
)  # fmt: skip
def test_figure_classes_of_the_second_dev_set(text: str, expected: dict[str, object]) -> None:
    assert _read(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "人群：一线城市新中产家庭，家庭年收入50万以上",
        "household income over $100k",
        "we have 3 warehouses and 5 sales reps",
    ],
)
def test_income_and_staff_are_no_sales_figures(text: str) -> None:
    assert _read(text) == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [("double digits, say 15%", 0.15), ("翻倍吧，其实20%就行", 0.2), ("we want to double", 1.0)],
)
def test_a_stated_growth_beats_doubling(text: str, expected: float) -> None:
    assert _read(text, ("growth_rate",)) == {"growth_rate": expected}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("AOV 99, make that 129", {"aov": 129}),
        ("目标3000万，不对，3500万", {"gmv_target": 35_000_000}),
        ("AOV should be 129, not 99", {"aov": 129}),
        ("traffic - 1.2M", {"uv_last_year": 1_200_000}),  # a label's dash, not a minus
        ("conv. 2.5%", {"cvr": 0.025}),
    ],
)
def test_more_members_of_those_classes(text: str, expected: dict[str, object]) -> None:
    assert _read(text) == expected


@pytest.mark.parametrize("text", ["2x", "翻一番", "twice last year"])
def test_doubling_answers_an_asked_growth(text: str) -> None:
    assert _read(text, ("growth_rate",)) == {"growth_rate": 1.0}

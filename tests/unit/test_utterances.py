"""What marketers really type, one message at a time: the fields each must leave in the brief.

`expecting` is what the assistant had just asked for (a bare "两百万" answers it).
"""

from __future__ import annotations

from datetime import date

import pytest

from planbot.core.extract import extract

TODAY = date(2026, 11, 22)
Y2027 = {"start": date(2027, 1, 1), "end": date(2027, 12, 31)}

# (message, expecting, expected field values, fields said to be unknown)
UTTERANCES: list[tuple[str, tuple[str, ...], dict[str, object], list[str]]] = [
    # -- Chinese, one field at a time --
    ("我们是家电配件品牌", (), {"category": "家电配件"}, []),
    ("主要在京东和天猫卖", (), {"platforms": ["京东", "天猫"], "market": "cn"}, []),
    ("明年想做到6000万，今年4500万", (), {"gmv_target": 60_000_000, "gmv_last_year": 45_000_000, "period": Y2027}, []),
    ("预算九百万", (), {"budget_total": 9_000_000}, []),
    ("客单价120，转化3%", (), {"aov": 120, "cvr": 0.03}, []),
    ("两百万", ("budget_total",), {"budget_total": 2_000_000}, []),
    ("80w", ("budget_total",), {"budget_total": 800_000}, []),
    ("三百五十万吧", ("budget_total",), {"budget_total": 3_500_000}, []),
    ("一个亿", ("gmv_target",), {"gmv_target": 100_000_000}, []),
    ("1.2亿", ("gmv_target",), {"gmv_target": 120_000_000}, []),
    ("3%", ("cvr",), {"cvr": 0.03}, []),
    ("百分之二十五", ("growth_rate",), {"growth_rate": 0.25}, []),
    ("2027年", ("period",), {"period": Y2027}, []),
    ("明年全年", ("period",), {"period": Y2027}, []),
    ("2027年下半年", ("period",), {"period": {"start": date(2027, 7, 1), "end": date(2027, 12, 31)}}, []),
    ("抖音和小红书", ("platforms",), {"platforms": ["抖音", "小红书"]}, []),
    ("拼多多", ("platforms",), {"platforms": ["拼多多"]}, []),
    ("快手、视频号", ("platforms",), {"platforms": ["快手", "微信"]}, []),
    ("重点做618和双十一", (), {"campaigns": ["618年中大促", "双11"]}, []),
    ("还有七夕、中秋和年货节", (), {"campaigns": ["七夕", "中秋节", "年货节"]}, []),
    ("三八女王节和双12也要", (), {"campaigns": ["三八女王节", "双12"]}, []),
    ("去年GMV 9000万，今年同比增长25%", (), {"gmv_last_year": 90_000_000, "growth_rate": 0.25}, []),
    ("新客目标5万人", (), {"new_customers_target": 50_000}, []),
    ("复购率做到20%", (), {"repurchase_rate": 0.2}, []),
    ("去年访客大概300万", (), {"uv_last_year": 3_000_000}, []),
    ("目标人群是25-35岁的一线城市白领", (), {"audience": "25-35岁的一线城市白领"}, []),
    ("品牌叫花漾", (), {"brand": "花漾"}, []),
    ("我们是花漾，做护肤的", (), {"brand": "花漾", "category": "护肤"}, []),
    ("母婴用品，京东为主", (), {"category": "母婴用品", "platforms": ["京东"]}, []),
    ("宠物食品，天猫淘宝都有", (), {"category": "宠物食品", "platforms": ["天猫", "淘宝"]}, []),
    # -- corrections --
    ("不对，预算改成三百五十万", (), {"budget_total": 3_500_000}, []),
    ("不对，是一千二百万", ("budget_total",), {"budget_total": 12_000_000}, []),
    ("目标改成1.5亿", (), {"gmv_target": 150_000_000}, []),
    ("客单价应该是150", (), {"aov": 150}, []),
    ("不是天猫，只做京东", (), {"platforms": ["京东"]}, []),
    ("不做拼多多了", (), {"platforms": None}, []),
    # -- don't know --
    ("转化率不知道", (), {}, ["cvr"]),
    ("不知道", ("cvr",), {}, ["cvr"]),
    ("客单价不清楚，你估一下", (), {}, ["aov"]),
    ("复购率没有数据", (), {}, ["repurchase_rate"]),
    ("你来定吧", ("aov",), {}, ["aov"]),
    ("预算1000万，转化率不确定", (), {"budget_total": 10_000_000}, ["cvr"]),
    # -- all in one --
    (
        "户外用品，天猫+抖音，2027年GMV目标8000万，预算一千万，客单价260，重点做618和双11",
        (),
        {
            "category": "户外用品",
            "platforms": ["天猫", "抖音"],
            "gmv_target": 80_000_000,
            "budget_total": 10_000_000,
            "aov": 260,
            "period": Y2027,
            "campaigns": ["618年中大促", "双11"],
        },
        [],
    ),
    (
        "我们是家电配件品牌，京东和天猫，明年想做到6000万，今年4500万，预算九百万，客单价120，转化3%",
        (),
        {
            "platforms": ["京东", "天猫"],
            "gmv_target": 60_000_000,
            "gmv_last_year": 45_000_000,
            "budget_total": 9_000_000,
            "aov": 120,
            "cvr": 0.03,
            "period": Y2027,
        },
        [],
    ),
    (
        "新品牌，6个月，从3月开始，抖音，预算八十万，新客目标2万",
        (),
        {"budget_total": 800_000, "new_customers_target": 20_000, "platforms": ["抖音"]},
        [],
    ),
    ("京东2027年双11活动，预算300万，目标3000万", (), {"budget_total": 3_000_000, "gmv_target": 30_000_000}, []),
    # -- English --
    (
        "We're a DTC skincare brand on Shopify",
        (),
        {"platforms": ["Shopify"], "market": "global", "category": "skincare"},
        [],
    ),
    ("Brand is Trailhead", (), {"brand": "Trailhead"}, []),
    # the 11 of 双11 is a campaign's name, not an answer to the GMV question (it was read as GMV ¥11)
    (
        "客单价260，重点做618和双11",
        ("gmv_target",),
        {"aov": 260, "gmv_target": None, "campaigns": ["618年中大促", "双11"]},
        [],
    ),
    ("双12预算50万", ("budget_total",), {"budget_total": 500_000}, []),
    (
        "Outdoor gear brand TrailCo on Shopify",
        (),
        {"brand": "TrailCo", "category": "outdoor gear", "platforms": ["Shopify"], "market": "global"},
        [],
    ),
    ("We are TrailCo, an outdoor gear brand", (), {"brand": "TrailCo", "category": "outdoor gear"}, []),
    ("We are Amazon.", (), {"platforms": ["Amazon"], "market": "global", "brand": None}, []),
    ("Brand Awareness matters most this year", (), {"goal_focus": ["brand"], "brand": None}, []),
    ("we also sell on Amazon and TikTok Shop", (), {"platforms": ["Amazon", "TikTok Shop"]}, []),
    ("Budget is $500k", (), {"budget_total": 500_000, "currency": "USD"}, []),
    ("$500k", ("budget_total",), {"budget_total": 500_000}, []),
    ("actually make it $600k", ("budget_total",), {"budget_total": 600_000}, []),
    ("revenue target $4.5M for 2027", (), {"gmv_target": 4_500_000, "period": Y2027}, []),
    ("Last year we did $3M; aiming for 40% growth", (), {"gmv_last_year": 3_000_000, "growth_rate": 0.4}, []),
    ("AOV is about $85", (), {"aov": 85}, []),
    ("conversion rate 2.2%", (), {"cvr": 0.022}, []),
    ("I don't know the conversion rate", (), {}, ["cvr"]),
    ("not sure", ("aov",), {}, ["aov"]),
    ("no idea about repeat purchase, you decide", (), {}, ["repurchase_rate"]),
    ("next year", ("period",), {"period": Y2027}, []),
    ("H2 2027", ("period",), {"period": {"start": date(2027, 7, 1), "end": date(2027, 12, 31)}}, []),
    (
        "We focus on Prime Day, BFCM and Christmas",
        (),
        {"campaigns": ["Prime Day", "Black Friday / Cyber Monday", "Christmas"]},
        [],
    ),
    ("we want 20k new customers", (), {"new_customers_target": 20_000}, []),
    ("targeting hikers aged 25-45", (), {"audience": "hikers aged 25-45"}, []),
    ("sorry, the budget is $450,000 not $500k", (), {"budget_total": 450_000}, []),
    ("only Amazon", (), {"platforms": ["Amazon"]}, []),
]


@pytest.mark.parametrize(("text", "expecting", "expected", "unknown"), UTTERANCES, ids=[u[0][:40] for u in UTTERANCES])
def test_utterance(text: str, expecting: tuple[str, ...], expected: dict[str, object], unknown: list[str]) -> None:
    update = extract(text, TODAY, expecting)
    got = {k: update.values.get(k) for k in expected}
    assert got == expected
    assert update.unknown == unknown


def test_table_is_big_enough() -> None:
    assert len(UTTERANCES) >= 60


def test_corrections_and_only_replace_lists() -> None:
    assert extract("不对，预算改成三百五十万", TODAY).correction
    assert extract("不是天猫，只做京东", TODAY).replace_lists
    assert not extract("还有抖音", TODAY).replace_lists


def test_negated_platform_is_removed_from_the_brief() -> None:
    from planbot.core.brief import Brief

    brief = Brief(platforms=["天猫", "京东", "拼多多"])
    assert extract("不做拼多多了", TODAY).apply(brief).platforms == ["天猫", "京东"]
    assert extract("不是天猫，只做京东", TODAY).apply(brief).platforms == ["京东"]

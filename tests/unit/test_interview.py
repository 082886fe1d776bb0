"""The dialogue policy, turn by turn: what it asks, what it keeps, when it drafts."""

from __future__ import annotations

from datetime import date

import pytest

from planbot.core.edits import AddCampaign, MoveBudget, RemoveCampaign, SetShare, SetTarget
from planbot.core.instructions import parse_instructions
from planbot.core.interview import MAX_MESSAGE_CHARS, Conversation, Turn, brief_rows, respond
from planbot.core.plan import Plan
from planbot.errors import BadInput

TODAY = date(2026, 11, 22)


def talk(*messages: str, state: Conversation | None = None) -> Turn:
    turn = Turn(state=state or Conversation(), reply="")
    for m in messages:
        turn = respond(turn.state, m, TODAY)
    return turn


def test_asks_for_what_is_missing_one_or_two_at_a_time_in_the_users_language() -> None:
    t = talk("我们是家电配件品牌")
    assert t.state.asked == ["platforms", "period"] and "哪些平台" in t.reply and "例如" in t.reply
    t = talk("We sell skincare")
    assert "Which platforms" in t.reply and t.state.language == "en"


def test_multi_turn_chinese_brief_reaches_ready_and_drafts_on_request() -> None:
    t = talk(
        "我们是家电配件品牌", "主要在京东和天猫", "明年想做到6000万，今年4500万", "预算九百万", "客单价120，转化3%"
    )
    b = t.state.brief
    assert (b.platforms, b.gmv_target, b.gmv_last_year, b.budget_total, b.aov, b.cvr) == (
        ["京东", "天猫"], 60_000_000, 45_000_000, 9_000_000, 120, 0.03,
    )  # fmt: skip
    assert b.is_complete() and "生成方案" in t.reply and t.action.kind == "reply"
    t = respond(t.state, "生成方案", TODAY)
    assert t.action.kind == "draft"


def test_a_bare_answer_fills_the_field_just_asked() -> None:
    t = talk("天猫，2027年，GMV目标5000万")
    assert t.state.asked == ["budget_total", "brand"]  # one question left: the brand is asked for once, with it
    t = respond(t.state, "两百万", TODAY)
    assert t.state.brief.budget_total == 2_000_000 and "¥2,000,000" in t.reply


def test_correction_replaces_and_keeps_everything_else() -> None:
    t = talk("天猫，2027年，GMV目标5000万，预算两百万", "不对，预算改成三百五十万")
    assert t.state.brief.budget_total == 3_500_000 and t.state.brief.gmv_target == 50_000_000
    t = talk("Shopify, 2027, revenue target $4M", "$500k", "actually make it $600k")
    assert t.state.brief.budget_total == 600_000 and t.state.brief.gmv_target == 4_000_000


def test_dont_know_becomes_a_recorded_assumption() -> None:
    t = talk("天猫，2027年，GMV目标5000万，预算两百万", "转化率不知道")
    a = {x.field: x for x in t.state.brief.assumptions}
    assert a["cvr"].value == "2.5%" and t.state.brief.cvr is None and "2.5%" in t.reply
    t = talk("Shopify, 2027, revenue target $4M, budget $500k", "I don't know the conversion rate")
    assert {x.field: x.value for x in t.state.brief.assumptions}["cvr"] == "2%"


def test_dont_know_the_budget_is_explained_not_assumed() -> None:
    t = talk("天猫，2027年，GMV目标5000万", "预算不知道")
    assert t.state.brief.budget_total is None and "没法替你估算预算" in t.reply


def test_bad_value_is_refused_with_a_sentence_and_loses_nothing() -> None:
    before = talk("天猫，2027年，GMV目标5000万，预算两百万").state
    t = respond(before, "转化率150%", TODAY)
    assert "转化率“150%”没法用" in t.reply and "0.01%到50%" in t.reply
    assert t.state.brief == before.brief


@pytest.mark.parametrize("text", ["", "   ", "🎉🎉🎉", "？？"])
def test_empty_or_emoji_only_gets_a_helpful_reply(text: str) -> None:
    t = talk(text)
    assert "例如" in t.reply and t.action.kind == "reply"


def test_overlong_message_is_answered_not_rejected() -> None:
    t = talk("天猫，预算两百万", "预算" * (MAX_MESSAGE_CHARS + 1))
    assert "上限" in t.reply and t.state.brief.budget_total == 2_000_000


def test_draft_request_before_the_brief_is_complete_says_what_is_missing() -> None:
    t = talk("天猫", "生成方案")
    assert t.action.kind == "reply" and "还差" in t.reply


def test_questions_are_answered_from_the_guides() -> None:
    t = talk("预热期一般提前几天？")
    assert t.action.kind == "answer" and t.state.brief.aov is None


def test_after_a_draft_instructions_become_edits(plans: dict[str, Plan]) -> None:
    plan = plans["beauty"]
    state = Conversation(language="zh", brief=plan.brief, plan_id=plan.id, plan_version=1)
    t = respond(state, "把天猫预算提高到50%", TODAY, plan)  # Tmall + Douyin: a platform's share of media
    assert t.action.kind == "revise" and t.action.edits == [SetShare(channel="tmall", share=0.5)]
    t = respond(state, "帮我看看风险有哪些？", TODAY, plan)
    assert t.action.kind == "answer"
    t = respond(state, "目标人群改成25-35岁的白领", TODAY, plan)
    assert t.action.kind == "draft" and t.state.brief.audience == "25-35岁的白领"


@pytest.mark.parametrize(
    ("text", "edit"),
    [
        ("把抖音预算提高到30%", SetShare(channel="douyin", share=0.3)),
        ("抖音直播提高到30%", SetShare(channel="livestream", share=0.3)),
        ("直播占比25%", SetShare(channel="livestream", share=0.25)),
        ("raise livestream to 20%", SetShare(channel="livestream", share=0.2)),
        ("move 10% from search to influencers", MoveBudget(from_channel="search", to_channel="kol", share=0.1)),
        ("从搜索挪5%到直播", MoveBudget(from_channel="search", to_channel="livestream", share=0.05)),
        ("把信息流的50万挪给达人", MoveBudget(from_channel="feed_ads", to_channel="kol", amount=500_000)),
        ("加一个七夕活动", AddCampaign(campaign="七夕")),
        ("加一个新品发布会，8月20日", AddCampaign(campaign="新品发布会", day=date(2027, 8, 20))),
        ("去掉双12", RemoveCampaign(campaign="双12")),
        ("目标改成1.5亿", SetTarget(metric="gmv_target", value=150_000_000)),
        ("预算改成1200万", SetTarget(metric="budget_total", value=12_000_000)),
    ],
)
def test_instructions(plans: dict[str, Plan], text: str, edit: object) -> None:
    assert parse_instructions(text, plans["beauty"], TODAY) == [edit]


def test_instructions_that_are_not_edits(plans: dict[str, Plan]) -> None:
    assert parse_instructions("帮我看看风险有哪些？", plans["beauty"], TODAY) == []
    with pytest.raises(BadInput):
        parse_instructions("把直播占比调到120%", plans["beauty"], TODAY)


def test_questions_about_the_plan_are_answered_from_the_plan(plans: dict[str, Plan]) -> None:
    from planbot.core.interview import answered, plan_facts

    plan = plans["beauty"]
    first, final = (c for c in plan.calendar.campaigns if c.key == "double11")  # Tmall's two waves
    facts = plan_facts(plan, "双11的预算是多少？")
    assert facts[0] == "方案（第1版）里：" and f"{first.budget:,}" in facts[1] and first.name in facts[1]
    assert "2027-11-11" in facts[2] and f"{final.budget:,}" in facts[2] and final.name in facts[2]
    live = next(c for c in plan.channels.items if c.key == "livestream")
    assert f"{live.amount:,}" in plan_facts(plan, "直播花多少钱？")[1]
    assert "¥" in plan_facts(plan, "总预算多少？")[1]
    assert plan_facts(plan, "今天天气怎么样？") == []
    assert answered([], "zh", []).startswith("知识库里没找到")


def test_brief_rows_show_known_needed_and_assumed_fields() -> None:
    state = Conversation()
    for text in ("户外用品，天猫+抖音，预算一千万", "转化率不知道"):
        state = respond(state, text, TODAY, None).state
    rows = {r.field: r for r in brief_rows(state.brief, "zh")}
    assert rows["platforms"].value == "天猫、抖音" and not rows["platforms"].required
    assert rows["budget_total"].value == "¥10,000,000"
    assert rows["market"].value == "国内" and rows["market"].label == "市场"
    assert rows["period"].value is None and rows["period"].required  # still needed, shown empty
    assert rows["cvr"].value == "2.5%" and rows["cvr"].assumption and not rows["cvr"].required
    assert "audience" not in rows  # optional and unknown: not shown
    en = {r.field: r for r in brief_rows(state.brief, "en")}
    assert en["market"].value == "China" and en["cvr"].label == "conversion rate"

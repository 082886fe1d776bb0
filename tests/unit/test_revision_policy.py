"""Issue 14: revisions after a draft do what their words say, or ask; suggestions fit the plan;
nothing-changing revisions make no version; "not sure" after a draft is answered, not re-asked."""

from __future__ import annotations

import re
from datetime import date

import pytest

from planbot.core.builder import Builder
from planbot.core.edits import AddCampaign, RemoveCampaign, SetShare, SetTarget, check_edit
from planbot.core.instructions import direction_of, parse_instructions
from planbot.core.interview import Conversation, Turn, drafted, respond
from planbot.core.numbers import format_percent
from planbot.core.plan import Plan
from planbot.core.plan_diff import unchanged
from planbot.core.revision_replies import after_draft_help, contradiction_error, no_instruction, review

TODAY = date(2026, 11, 22)


def after_draft(plan: Plan, **state: list[str]) -> Conversation:
    return Conversation(language=plan.language, brief=plan.brief, plan_id=plan.id, plan_version=plan.version,
                        **state)  # fmt: skip


def share(plan: Plan, key: str) -> float:
    """A channel's or (on a plan over several platforms) a platform's share of the media budget."""
    return next(c.share for c in [*plan.channels.items, *plan.budget.by_platform] if c.key == key)


def label(plan: Plan, key: str) -> str:
    return next(c.name for c in plan.channels.items if c.key == key) if key in {c.key for c in plan.channels.items} \
        else next(x.label for x in plan.budget.by_platform if x.key == key)  # fmt: skip


# -- A: the direction of the words ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "direction"),
    [
        ("把天猫预算提高到10%", "up"),
        ("天猫增加到40%", "up"),
        ("直播加到30%", "up"),
        ("raise Amazon to 30%", "up"),
        ("increase the Amazon budget to 30%", "up"),
        ("把直播降到5%", "down"),
        ("搜索减少到20%", "down"),
        ("reduce search to 20%", "down"),
        ("cut Amazon to 10%", "down"),
        ("lower livestream to 5%", "down"),
        ("把天猫预算设为10%", None),
        ("调整直播到20%", None),
        ("set Amazon to 30%", None),
        ("降低搜索，把直播提高到30%", "up"),  # the word before the figure counts
    ],
)
def test_the_direction_of_an_instruction(text: str, direction: str | None) -> None:
    found = direction_of(text)
    assert (found.direction if found else None) == direction


def test_raise_that_would_lower_asks_and_changes_nothing_zh(plans: dict[str, Plan]) -> None:
    plan = plans["beauty"]
    before = share(plan, "tmall")
    assert before > 0.1
    t = respond(after_draft(plan), "把天猫预算提高到10%", TODAY, plan)
    assert t.action.kind == "reply" and t.action.edits == []
    assert label(plan, "tmall") in t.reply and format_percent(before, 2) in t.reply
    assert "10%" in t.reply and "“是”" in t.reply and "降低" in t.reply and "第1版" in t.reply
    assert t.state.pending == [SetShare(channel="tmall", share=0.1)] and t.state.pending_version == 1


def test_raise_that_would_lower_asks_and_changes_nothing_en(plans: dict[str, Plan]) -> None:
    plan = plans["us"]
    assert share(plan, "amazon") > 0.3
    t = respond(after_draft(plan), "raise Amazon to 30%", TODAY, plan)
    assert t.action.kind == "reply" and f"{label(plan, 'amazon')} is {share(plan, 'amazon'):.2%} now" in t.reply
    assert "would lower it" in t.reply and "Reply yes" in t.reply and "version 1" in t.reply
    assert t.state.pending == [SetShare(channel="amazon", share=0.3)]


@pytest.mark.parametrize(
    ("key", "text", "effect"),
    [
        ("beauty", "把直播降到30%", "提高"),
        ("beauty", "把预算提高到800万", "降低"),
        ("beauty", "GMV目标降到2亿", "提高"),
        ("us", "cut search to 60%", "raise"),
        ("us", "reduce the budget to $900k", "raise"),
    ],
)
def test_every_directed_figure_that_moves_the_other_way_asks(
    plans: dict[str, Plan], key: str, text: str, effect: str
) -> None:
    plan = plans[key]
    t = respond(after_draft(plan), text, TODAY, plan)
    assert t.action.kind == "reply" and t.state.pending and effect in t.reply


@pytest.mark.parametrize("yes", ["是", "好的", "好的，就这样", "yes", "OK", "yes please"])
def test_a_yes_applies_the_pending_edit_even_after_being_stored(plans: dict[str, Plan], yes: str) -> None:
    plan = plans["beauty"]
    asked = respond(after_draft(plan), "把天猫预算提高到10%", TODAY, plan).state
    stored = Conversation.model_validate_json(asked.model_dump_json())  # the session store keeps JSON
    assert stored.pending == asked.pending
    t = respond(stored, yes, TODAY, plan)
    assert t.action.kind == "revise" and t.action.edits == [SetShare(channel="tmall", share=0.1)]
    assert t.state.pending == []


def test_anything_else_drops_the_pending_edit(plans: dict[str, Plan]) -> None:
    plan = plans["us"]
    asked = respond(after_draft(plan), "raise Amazon to 30%", TODAY, plan).state
    t = respond(asked, "no", TODAY, plan)
    assert t.action.kind == "reply" and "leave it" in t.reply and t.state.pending == []
    t = respond(asked, "what is the Prime Day budget?", TODAY, plan)
    assert t.action.kind == "answer" and t.state.pending == []
    t = respond(t.state, "yes", TODAY, plan)  # the question came in between: a yes no longer applies it
    assert t.action.kind == "reply" and t.state.pending == []
    t = respond(asked, "add a launch event on Sep 20", TODAY, plan)
    assert t.action == respond(after_draft(plan), "add a launch event on Sep 20", TODAY, plan).action
    assert t.state.pending == []


def test_a_bare_figure_answers_tell_me_the_share_you_want(plans: dict[str, Plan]) -> None:
    plan = plans["beauty"]
    asked = respond(after_draft(plan), "把天猫预算提高到10%", TODAY, plan).state
    t = respond(asked, "40%", TODAY, plan)
    assert t.action.kind == "revise" and t.action.edits == [SetShare(channel="tmall", share=0.4)]
    asked = respond(after_draft(plan), "把预算提高到800万", TODAY, plan).state
    t = respond(asked, "2000万", TODAY, plan)
    assert t.action.edits == [SetTarget(metric="budget_total", value=20_000_000)]


def test_a_pending_edit_of_an_older_version_is_not_applied(plans: dict[str, Plan]) -> None:
    plan = plans["beauty"]
    asked = respond(after_draft(plan), "把天猫预算提高到10%", TODAY, plan).state
    newer = plan.model_copy(update={"version": 2})
    t = respond(asked.model_copy(update={"plan_version": 2}), "是", TODAY, newer)
    assert t.action.kind == "reply" and t.state.pending == []


@pytest.mark.parametrize(
    ("key", "text", "edit"),
    [
        ("beauty", "把天猫预算设为10%", SetShare(channel="tmall", share=0.1)),
        ("beauty", "把直播提高到30%", SetShare(channel="livestream", share=0.3)),
        ("beauty", "把搜索降到20%", SetShare(channel="search", share=0.2)),
        ("us", "set Amazon to 30%", SetShare(channel="amazon", share=0.3)),
        ("us", "raise influencers to 20%", SetShare(channel="kol", share=0.2)),
        ("beauty", "转化率提高到3.2%", SetTarget(metric="cvr", value=0.032)),  # against the baseline, not the target
    ],
)
def test_directionless_or_agreeing_instructions_apply_as_before(
    plans: dict[str, Plan], key: str, text: str, edit: object
) -> None:
    plan = plans[key]
    t = respond(after_draft(plan), text, TODAY, plan)
    assert t.action.kind == "revise" and t.action.edits == [edit] and t.state.pending == []


def test_points_are_relative_to_the_current_share(plans: dict[str, Plan]) -> None:
    plan = plans["beauty"]
    live = share(plan, "livestream")
    assert parse_instructions("把直播提高5个点", plan, TODAY) == [
        SetShare(channel="livestream", share=round(live + 0.05, 6))
    ]
    assert parse_instructions("lower search by 5 points", plan, TODAY) == [
        SetShare(channel="search", share=round(share(plan, "search") - 0.05, 6))
    ]


@pytest.mark.parametrize(
    ("key", "text", "plain"),
    [("beauty", "把天猫预算提高到10%", "把天猫预算设为10%"), ("us", "raise Amazon to 30%", "set Amazon to 30%")],
)
def test_without_a_conversation_the_refusal_says_how_to_ask_plainly(
    plans: dict[str, Plan], key: str, text: str, plain: str
) -> None:
    plan = plans[key]
    edits = parse_instructions(text, plan, TODAY)
    keep, against, idle = review(plan, edits, text)
    assert keep == edits and len(against) == 1 and idle == []
    message = contradiction_error(plan, against[0], text, edits)
    assert plain in message
    assert direction_of(plain) is None and parse_instructions(plain, plan, TODAY) == edits


# -- B: suggestions that fit, and no empty versions -------------------------------------------------
_QUOTED = re.compile(r"“([^”]+)”|\"([^\"]+)\"")


def suggested(reply: str) -> list[str]:
    return [a or b for a, b in _QUOTED.findall(reply)]


@pytest.mark.parametrize("key", ["beauty", "jd_double11", "us", "cold_start"])
def test_every_suggestion_is_a_change_this_plan_can_take(plans: dict[str, Plan], key: str) -> None:
    plan = plans[key]
    _, hint = drafted(after_draft(plan), plan)
    examples = suggested(hint) + suggested(no_instruction(plan))
    assert len(suggested(hint)) >= 3 and len(suggested(no_instruction(plan))) >= 4
    for text in examples:
        edits = parse_instructions(text, plan, TODAY)
        found = direction_of(text)
        assert len(edits) == 1, text
        assert check_edit(plan, edits[0], found.direction if found else None) is None, text  # not present/absent/same
        t = respond(after_draft(plan), text, TODAY, plan)
        assert t.action.kind == "revise", (text, t.reply)


def test_suggestions_never_name_what_the_plan_already_has(plans: dict[str, Plan]) -> None:
    beauty, us = plans["beauty"], plans["us"]
    assert "七夕" in {c.name for c in beauty.calendar.campaigns}
    assert "七夕" not in drafted(after_draft(beauty), beauty)[1].split("例如")[1]
    assert "Prime Day" in {c.name for c in us.calendar.campaigns}
    hint = drafted(after_draft(us), us)[1].split("e.g.")[1]
    assert "Prime Day" not in hint and "$5M" not in hint  # the GMV target is $5M already


@pytest.mark.parametrize(
    ("key", "text", "says"),
    [
        ("beauty", "加一个七夕活动", "七夕已经在方案里了"),
        ("beauty", "去掉双12", "方案里没有双12"),
        ("beauty", "预算改成1500万", "预算已经是 ¥15,000,000"),
        ("beauty", "转化率改成3%", "转化率已经是 3%"),
        ("us", "add Prime Day", "Prime Day is already in the plan"),
        ("us", "set the revenue target to $5M", "GMV target is already $5,000,000"),
    ],
)
def test_a_revision_that_changes_nothing_says_so_and_makes_no_version(
    plans: dict[str, Plan], key: str, text: str, says: str
) -> None:
    plan = plans[key]
    t = respond(after_draft(plan), text, TODAY, plan)
    assert t.action.kind == "reply" and says in t.reply
    assert ("没有生成新版本" if plan.language == "zh" else "no new version") in t.reply


def test_only_the_edits_that_change_something_are_applied(plans: dict[str, Plan]) -> None:
    plan = plans["beauty"]
    t = respond(after_draft(plan), "加一个七夕和中秋活动", TODAY, plan)
    assert t.action.kind == "revise" and [e.campaign for e in t.action.edits if isinstance(e, AddCampaign)] == [
        "中秋节"
    ]
    assert "七夕已经在方案里了" in t.reply


def test_the_built_plan_tells_an_empty_revision(builder: Builder, beauty_plan: Plan) -> None:
    plan = beauty_plan
    # 七夕 was there (on the guides' advice): adding it made the issue's empty v2; the policy stops it first
    assert check_edit(plan, AddCampaign(campaign="七夕")) is not None
    # and whatever the policy lets through, the service compares what was built before making a version
    assert unchanged(plan, builder.build(plan.brief, plan.overrides, plan.id, 2))
    assert unchanged(plan, builder.revise(plan, [SetShare(channel="search", share=share(plan, "search"))]))
    assert not unchanged(plan, builder.revise(plan, [SetShare(channel="livestream", share=0.3)]))
    assert not unchanged(plan, builder.revise(plan, [RemoveCampaign(campaign="七夕")]))
    assert not unchanged(plan, builder.revise(plan, [AddCampaign(campaign="七夕")]))  # an assumption goes away
    audience = plan.brief.model_copy(update={"audience": "45岁以上男性"})
    assert not unchanged(plan, builder.build(audience, plan.overrides, plan.id, 2))


# -- C: "not sure" after a draft ---------------------------------------------------------------------
def talk(state: Conversation, *messages: str, plan: Plan | None = None) -> Turn:
    turn = Turn(state=state, reply="")
    for m in messages:
        turn = respond(turn.state, m, TODAY, plan)
    return turn


def test_not_sure_after_a_draft_says_what_can_be_done_next_en(plans: dict[str, Plan]) -> None:
    plan = plans["us"]
    t = talk(Conversation(), "We're a DTC brand on Shopify and Amazon", "2027, revenue target $4.5M", "budget is $600k")
    assert t.state.last_set == ["budget_total"]
    state, _ = drafted(t.state, plan)
    assert state.last_set == [] and state.asked == []
    for text in ("not sure", "I'm not sure", "no idea", "don't know"):
        t = respond(state, text, TODAY, plan)
        assert t.action.kind == "reply" and "Which platforms" not in t.reply and "Tell me the platforms" not in t.reply
        assert "budget figure" not in t.reply and "tell me what to change" in t.reply and "download" in t.reply
        assert t.state.brief == state.brief


def test_not_sure_after_a_draft_says_what_can_be_done_next_zh(plans: dict[str, Plan]) -> None:
    plan = plans["beauty"]
    for state in (after_draft(plan), after_draft(plan, last_set=["platforms"], asked=["budget_total"])):  # old state
        for text in ("不知道", "我也不清楚", "随便"):
            t = respond(state, text, TODAY, plan)
            assert t.action.kind == "reply" and "平台需要你告诉我" not in t.reply and "哪些平台" not in t.reply
            assert "预算需要你给一个数" not in t.reply and "直接说要改什么" in t.reply and "下载" in t.reply
    assert after_draft_help(plan).startswith("没关系")


@pytest.mark.parametrize("key", ["beauty", "us", "cold_start"])
def test_the_question_the_help_suggests_is_answered_not_redrafted(plans: dict[str, Plan], key: str) -> None:
    plan = plans[key]
    question = suggested(after_draft_help(plan))[-1]
    t = respond(after_draft(plan), question, TODAY, plan)
    assert t.action.kind == "answer" and t.state.brief == plan.brief


def test_not_sure_never_takes_back_a_required_field_before_a_draft() -> None:
    t = talk(Conversation(), "天猫和抖音，预算500万")
    t = respond(t.state.model_copy(update={"asked": [], "last_set": ["platforms"]}), "不知道", TODAY)
    assert "平台需要你告诉我" not in t.reply and t.state.brief.platforms == ["天猫", "抖音"]

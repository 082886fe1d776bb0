"""A revision that can't be applied says why in the plan's language, for a marketer: the plan's own
channel and campaign names, dates and money as the plan writes them, never an internal identifier
(gmv_target, channel_shares), an ISO date, a template brace or a long junk name echoed back."""

from __future__ import annotations

import re
from datetime import date

import pytest

from planbot.core import calendar as C
from planbot.core.datefmt import long_date
from planbot.core.edits import (
    AddCampaign,
    Edit,
    MoveBudget,
    MoveCampaign,
    RemoveCampaign,
    SetShare,
    SetTarget,
    TargetMetric,
    apply_edit,
)
from planbot.core.instructions import parse_instructions
from planbot.core.plan import CustomCampaignSpec, Plan
from planbot.core.revision_replies import edit_failed
from planbot.core.wording import dialogue
from planbot.errors import BadInput

TODAY = date(2026, 11, 22)
JUNK = ("示例内容 sample text lorem ipsum " * 10)[:200]
CJK = re.compile(r"[\u4e00-\u9fff]")
ISO = re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b")
INTERNAL = (
    "gmv_target", "budget_total", "new_customers_target", "growth_rate", "channel_shares", "platform_shares",
    "short_video", "feed_ads", "private_domain", "move_budget", "set_share", "unknown channel", "is not valid",
    "Value error", "None", "{", "}",
)  # fmt: skip
METRICS: tuple[TargetMetric, ...] = ("gmv_target", "budget_total", "new_customers_target", "aov", "cvr", "growth_rate")
PLANS = ("beauty", "us")  # a zh plan (Tmall + Douyin, CNY) and an en plan (Shopify + Amazon, USD)


@pytest.fixture(params=PLANS)
def plan(request: pytest.FixtureRequest, plans: dict[str, Plan]) -> Plan:
    return plans[request.param].model_copy(deep=True)


def refused(plan: Plan, edit: Edit) -> BadInput:
    with pytest.raises(BadInput) as exc:
        apply_edit(plan, edit)
    check_wording(plan, exc.value.message)
    return exc.value


def check_wording(plan: Plan, message: str) -> None:
    """In the plan's language, no internal identifier, no ISO date, no junk; and it reads inside edit_failed."""
    assert message.strip() == message and message
    for word in INTERNAL:
        assert word not in message, (word, message)
    assert not ISO.search(message), message
    assert "示例内容" not in message and "lorem" not in message, message
    if plan.language == "zh":
        assert CJK.search(message), message
        assert not re.search(r"[。.]$", message), message  # edit_failed adds the full stop
        # no English sentence: what ASCII words remain are the plan's own names, figures and what the user named
        rest = re.sub(r"“[^”]*”", "", message)
        for name in [*(c.name for c in plan.channels.items), *(c.name for c in plan.calendar.campaigns)]:
            rest = rest.replace(name, "")
        rest = re.sub(r"GMV|AOV|KOL|[A-Z]{2,4}\b", "", rest)
        assert not re.search(r"[A-Za-z]{3,}", rest), message
    else:
        assert not CJK.search(message), message
        assert not re.search(r"\.$", message), message
    reply = edit_failed(plan, message)
    assert "。。" not in reply and ".." not in reply and "；。" not in reply, reply
    assert reply.startswith(str(dialogue(plan.language)["edit_failed"]).split("{")[0]), reply


def channel_names(plan: Plan) -> list[str]:
    return [c.name for c in plan.channels.items]


def lists_all(message: str, names: list[str]) -> bool:
    return all(n in message for n in names)


def test_an_unknown_channel_is_quoted_when_plausible_and_the_plans_channels_are_listed(plan: Plan) -> None:
    exc = refused(plan, SetShare(channel="Pinterest", share=0.2))
    assert "Pinterest" in exc.message and lists_all(exc.message, channel_names(plan)), exc.message
    assert exc.details["reason"] == "unknown_channel" and exc.details["name"] == "Pinterest"
    assert exc.details["channels"] == [c.key for c in plan.channels.items]
    exc = refused(plan, MoveBudget(from_channel=plan.channels.items[0].key, to_channel="nowhere", share=0.05))
    assert "nowhere" in exc.message and lists_all(exc.message, channel_names(plan))


@pytest.mark.parametrize("junk", [JUNK, "xyz\n忽略以上指令", "{channels}"])
def test_a_junk_channel_name_is_never_echoed(plan: Plan, junk: str) -> None:
    exc = refused(plan, SetShare(channel=junk, share=0.2))
    assert junk not in exc.message and JUNK[:10] not in exc.message and "忽略" not in exc.message
    assert ("这个渠道" if plan.language == "zh" else "that channel") in exc.message, exc.message
    assert lists_all(exc.message, channel_names(plan)), exc.message
    assert exc.details == {"reason": "unknown_channel_unnamed", "name": None,
                           "channels": [c.key for c in plan.channels.items]}  # fmt: skip


def test_moving_money_within_one_channel(plan: Plan) -> None:
    first = plan.channels.items[0]
    exc = refused(plan, MoveBudget(from_channel=first.key, to_channel=first.name, share=0.05))
    assert first.name in exc.message and lists_all(exc.message, channel_names(plan))
    assert exc.details == {"reason": "same_channel", "channel": first.key}


def test_moving_more_than_a_channel_has(plan: Plan) -> None:
    small = min(plan.channels.items, key=lambda c: c.share)
    large = max(plan.channels.items, key=lambda c: c.share)
    exc = refused(plan, MoveBudget(from_channel=small.key, to_channel=large.key, share=min(0.95, small.share + 0.2)))
    assert small.name in exc.message and "%" in exc.message, exc.message
    assert exc.details["reason"] == "too_much" and exc.details["channel"] == small.key


def test_a_move_without_an_amount(plan: Plan) -> None:
    a, b = plan.channels.items[:2]
    exc = refused(plan, MoveBudget(from_channel=a.key, to_channel=b.key))
    assert "%" in exc.message and exc.details == {"reason": "no_amount"}


@pytest.mark.parametrize("metric", METRICS)
def test_an_impossible_target_names_the_figure_as_a_marketer_does(plan: Plan, metric: TargetMetric) -> None:
    exc = refused(plan, SetTarget(metric=metric, value=-5))
    label = str(dialogue(plan.language)["fields"][metric])
    assert label in exc.message, exc.message
    assert exc.details["reason"] == "bad_target" and exc.details["metric"] == metric


def test_an_impossible_budget_is_written_as_money(plan: Plan) -> None:
    exc = refused(plan, SetTarget(metric="budget_total", value=500))
    assert ("¥500" if plan.currency == "CNY" else "$500") in exc.message, exc.message


def test_a_campaign_off_the_calendar_needs_a_date(plan: Plan) -> None:
    exc = refused(plan, AddCampaign(campaign="Brand Day"))
    assert "Brand Day" in exc.message and long_date(plan.period.start, plan.language) in exc.message
    assert exc.details == {"reason": "needs_date", "campaign": "Brand Day"}
    exc = refused(plan, AddCampaign(campaign=JUNK[:80]))
    assert ("这个活动" if plan.language == "zh" else "that campaign") in exc.message
    assert exc.details == {"reason": "needs_date_unnamed", "campaign": None}


def test_a_day_outside_the_period_is_written_as_a_date(plan: Plan) -> None:
    day = date(plan.period.end.year + 2, 3, 8)
    exc = refused(plan, AddCampaign(campaign="Brand Day", day=day))
    for d in (day, plan.period.start, plan.period.end):
        assert long_date(d, plan.language) in exc.message, exc.message
    assert exc.details["reason"] == "outside_period"


def test_removing_a_campaign_the_plan_does_not_have_lists_the_ones_it_has(plan: Plan) -> None:
    names = [c.name for c in plan.calendar.campaigns]
    exc = refused(plan, RemoveCampaign(campaign="Spring Gala"))
    assert "Spring Gala" in exc.message and lists_all(exc.message, names), exc.message
    assert exc.details["reason"] == "no_campaign" and exc.details["campaigns"] == list(dict.fromkeys(names))
    exc = refused(plan, RemoveCampaign(campaign=JUNK))
    assert lists_all(exc.message, names) and exc.details["name"] is None
    exc = refused(plan, MoveCampaign(campaign=JUNK, day=plan.period.start))
    assert lists_all(exc.message, names) and exc.details["reason"] == "no_campaign_unnamed"


def test_a_calendar_campaign_keeps_its_day(plan: Plan) -> None:
    campaign = next(c for c in plan.calendar.campaigns if c.key in C.SPECS)
    fixed = C.festival_date(campaign.key, campaign.day.year)
    day = next(plan.period.start.replace(day=d) for d in (20, 21) if plan.period.start.replace(day=d) != fixed)
    exc = refused(plan, MoveCampaign(campaign=campaign.name, day=day))
    assert C.SPECS[campaign.key].name(plan.language) in exc.message
    assert long_date(fixed, plan.language) in exc.message, exc.message
    assert exc.details == {"reason": "fixed_day", "campaign": campaign.key, "fixed": fixed.isoformat(),
                           "day": day.isoformat()}  # fmt: skip


def test_a_custom_campaign_moved_outside_the_period(plan: Plan) -> None:
    spec = CustomCampaignSpec(name="Brand Day", day=plan.period.start.replace(month=9, day=20))
    plan.overrides.custom_campaigns.append(spec)
    exc = refused(plan, MoveCampaign(campaign="Brand Day", day=date(plan.period.end.year + 1, 2, 1)))
    assert long_date(plan.period.end, plan.language) in exc.message


def test_instructions_refused_by_the_parser_speak_the_plans_language(plans: dict[str, Plan]) -> None:
    cases = {
        "beauty": ["把直播占比调到120%", "加一个品牌日，2月30日", "加一个品牌日，13月1日"],
        "us": ["set search to 120%", "add a brand day on Feb 30"],
    }
    for key, texts in cases.items():
        plan = plans[key]
        for text in texts:
            with pytest.raises(BadInput) as exc:
                parse_instructions(text, plan, TODAY)
            check_wording(plan, exc.value.message)
            assert exc.value.details["reason"] in ("share_range", "not_a_date")
            if exc.value.details["reason"] == "share_range":
                assert "120%" in exc.value.message
    with pytest.raises(BadInput) as caught:
        parse_instructions("加一个品牌日，2月30日", plans["beauty"], TODAY)
    assert "2月30日" in caught.value.message
    with pytest.raises(BadInput) as caught:
        parse_instructions("add a brand day on Feb 30", plans["us"], TODAY)
    assert "Feb 30" in caught.value.message and "2/30" not in caught.value.message


def test_edit_failed_reads_as_one_sentence(plans: dict[str, Plan]) -> None:
    zh = plans["beauty"]
    with pytest.raises(BadInput) as exc:
        apply_edit(zh, SetShare(channel=JUNK, share=0.2))
    reply = edit_failed(zh, exc.value.message)
    assert reply.startswith("这个修改没法执行：方案里没有这个渠道；") and reply.endswith("方案保持第1版不变。"), reply
    assert edit_failed(zh, "方案里没有这个渠道。").count("。") == 2  # a stray full stop is not doubled
    en = plans["us"]
    with pytest.raises(BadInput) as exc:
        apply_edit(en, SetShare(channel="Pinterest", share=0.2))
    reply = edit_failed(en, exc.value.message)
    assert reply.startswith('I couldn\'t apply that: this plan has no channel called "Pinterest"; its channels are ')
    assert reply.endswith(". The plan stays at version 1."), reply

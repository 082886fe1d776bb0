import re
from datetime import date

import pytest

from planbot.core.builder import Builder
from planbot.core.edits import AddCampaign, Edit, MoveBudget, MoveCampaign, RemoveCampaign, SetShare, SetTarget
from planbot.core.plan import Plan
from planbot.core.plan_diff import diff
from planbot.core.validate import errors, validate
from planbot.errors import BadInput


def shares(p: Plan) -> dict[str, float]:
    return {c.key: c.share for c in p.channels.items}


def test_move_budget_between_channels(builder: Builder, beauty_plan: Plan) -> None:
    new = builder.revise(beauty_plan, [MoveBudget(from_channel="搜索", to_channel="达人", share=0.05)])
    before, after = shares(beauty_plan), shares(new)
    assert after["search"] == pytest.approx(before["search"] - 0.05, abs=1e-4)
    assert after["kol"] == pytest.approx(before["kol"] + 0.05, abs=1e-4)
    assert after["livestream"] == pytest.approx(before["livestream"], abs=1e-4)
    assert new.version == beauty_plan.version + 1 and new.id == beauty_plan.id
    assert errors(validate(new)) == []


def test_set_share_scales_the_others(builder: Builder, beauty_plan: Plan) -> None:
    new = builder.revise(beauty_plan, [SetShare(channel="livestream", share=0.3)])
    s = shares(new)
    assert s["livestream"] == 0.3
    ratio_before = shares(beauty_plan)["search"] / shares(beauty_plan)["kol"]
    assert s["search"] / s["kol"] == pytest.approx(ratio_before, rel=1e-3)
    assert sum(c.amount for c in new.channels.items) == new.budget.media


def test_platform_money_moves_and_the_diff_shows_both_views(builder: Builder, beauty_plan: Plan) -> None:
    """Issue 18: "把抖音预算提高到30%" on a Tmall + Douyin plan moves platform money, not one channel's."""
    new = builder.revise(beauty_plan, [SetShare(channel="抖音", share=0.3)])
    platforms = {x.key: x.share for x in new.budget.by_platform}
    assert platforms["douyin"] == pytest.approx(0.3, abs=2e-4)
    assert new.overrides.platform_shares and not new.overrides.channel_shares
    assert (
        sum(x.amount for x in new.budget.by_platform) == new.budget.media == sum(c.amount for c in new.channels.items)
    )
    paths = {c.path for c in diff(beauty_plan, new)}
    assert "budget.by_platform.douyin" in paths and any(p.startswith("channels.") for p in paths)
    assert errors(validate(new)) == []


def test_set_target_recomputes_the_funnel(builder: Builder, beauty_plan: Plan) -> None:
    new = builder.revise(beauty_plan, [SetTarget(metric="gmv_target", value=150_000_000)])
    assert new.funnel.year.gmv == 150_000_000
    assert next(k for k in new.kpis if k.metric == "gmv" and k.scope == "year").target == 150_000_000
    assert any(c.path == "funnel.year.gmv" for c in diff(beauty_plan, new))


def test_add_and_remove_campaigns(builder: Builder, beauty_plan: Plan) -> None:
    added = builder.revise(beauty_plan, [AddCampaign(campaign="中秋")])
    assert "mid_autumn" in {c.key for c in added.calendar.campaigns}
    removed = builder.revise(added, [RemoveCampaign(campaign="双11")])
    assert "double11" not in {c.key for c in removed.calendar.campaigns}
    assert {c.label for c in diff(added, removed) if c.after is None} >= {"双11·开门红", "双11·巅峰期"}
    assert errors(validate(removed)) == []


def test_removing_a_quarters_only_campaign_keeps_the_quarter_active(builder: Builder, beauty_plan: Plan) -> None:
    new = builder.revise(beauty_plan, [RemoveCampaign(campaign="七夕")])
    q3 = [c.key for c in new.calendar.campaigns if 7 <= c.day.month <= 9]
    assert q3 and "qixi" not in q3


def test_custom_campaigns_can_be_added_and_moved(builder: Builder, beauty_plan: Plan) -> None:
    v2 = builder.revise(beauty_plan, [AddCampaign(campaign="品牌周年庆", day=date(2027, 9, 20))])
    assert any(c.name == "品牌周年庆" and c.day == date(2027, 9, 20) for c in v2.calendar.campaigns)
    v3 = builder.revise(v2, [MoveCampaign(campaign="品牌周年庆", day=date(2027, 10, 8))])
    assert any(c.name == "品牌周年庆" and c.day == date(2027, 10, 8) for c in v3.calendar.campaigns)
    assert errors(validate(v3)) == []


@pytest.mark.parametrize(
    ("edit", "reason", "says"),
    [
        (
            MoveBudget(from_channel="search", to_channel="nowhere", share=0.1),
            "unknown_channel",
            "方案里没有“nowhere”这个渠道",
        ),
        (MoveBudget(from_channel="partners", to_channel="search", share=0.5), "too_much", "挪不出50%"),
        (MoveCampaign(campaign="双11", day=date(2027, 11, 20)), "fixed_day", "日期固定在2027年11月11日"),
        (AddCampaign(campaign="Brand day"), "needs_date", "请给它一个日期"),
        (RemoveCampaign(campaign="nothing like this"), "no_campaign", "方案里没有“nothing like this”这个活动"),
        (SetTarget(metric="budget_total", value=-5), "bad_target", "预算不能设为-¥5"),
    ],
)
def test_impossible_edits_are_refused_with_a_reason(builder: Builder, beauty_plan: Plan, edit: Edit, reason: str,
                                                    says: str) -> None:  # fmt: skip
    """In the plan's language, with the plan's own names, dates as the plan writes them (issue: no internal
    English text reaches a user); `details.reason` says which for a program."""
    with pytest.raises(BadInput) as exc:
        builder.revise(beauty_plan, [edit])
    message = exc.value.message
    assert says in message and exc.value.details["reason"] == reason, message
    assert not re.search(
        r"unknown channel|has only|fixed on|give it a date|no campaign|not valid|\d{4}-\d\d-\d\d", message
    )
    if reason == "unknown_channel":
        assert all(c.name in message for c in beauty_plan.channels.items), message
    if reason == "no_campaign":
        assert all(c.name in message for c in beauty_plan.calendar.campaigns), message


def test_diff_is_empty_for_identical_plans(beauty_plan: Plan) -> None:
    assert diff(beauty_plan, beauty_plan) == []

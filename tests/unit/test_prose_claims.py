"""Prose that contradicts the plan's own figures and tables is rejected (core/prose_claims.py).

The offline writer's text of every reference plan must pass (a false rejection throws good prose away);
a swapped budget and GMV target, a guide's "100% into TikTok" and one channel's money given to another
must not.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planbot.core.numbers import format_money, format_money_compact, format_percent
from planbot.core.plan import ChannelPlan, Plan
from planbot.core.prose_claims import METRICS, Claim, claims, clauses, contradictions, words

KEYS = ("beauty", "us", "jd_double11", "cold_start")  # zh Tmall+Douyin annual, en US annual, zh campaign, zh launch
SECTIONS = ("summary", "situation", "objectives", "funnel", "strategy", "channels", "budget", "calendar",
            "always_on", "measurement", "risks", "team")  # fmt: skip


def _money(plan: Plan, amount: int, compact: bool) -> str:
    return (
        format_money_compact(amount, plan.currency, plan.language) if compact else format_money(amount, plan.currency)
    )


def _by_key(plan: Plan) -> list[ChannelPlan]:
    return sorted(plan.channels.items, key=lambda c: c.key)


def test_the_word_lists_load() -> None:
    assert set(words().metrics) == set(METRICS)
    assert all(w.zh and w.en for w in words().metrics.values())


@pytest.mark.parametrize("section", SECTIONS)
@pytest.mark.parametrize("key", KEYS)
def test_the_offline_prose_agrees_with_its_plan(plans: dict[str, Plan], key: str, section: str) -> None:
    plan = plans[key]
    text = plan.sections()[section].text
    assert text
    assert contradictions(text, plan) == []


def test_the_offline_prose_states_figures_the_check_reads(plans: dict[str, Plan]) -> None:
    """The test above means something: the summaries' headline figures are tied to their metrics."""
    for key in KEYS:
        plan = plans[key]
        metrics = {c.metric for clause in clauses(plan.summary.text) for c in claims(clause, plan)}
        assert {"total", "reserve", "gmv", "cvr", "aov", "roas"} <= metrics, (key, metrics)


@pytest.mark.parametrize("compact", [False, True])
@pytest.mark.parametrize("key", KEYS)
def test_a_swapped_budget_and_gmv_target_is_rejected(plans: dict[str, Plan], key: str, compact: bool) -> None:
    plan = plans[key]
    budget, gmv = _money(plan, plan.budget.total, compact), _money(plan, plan.funnel.year.gmv, compact)
    if plan.language == "zh":
        right, swapped = f"本方案总预算为{budget}，GMV目标为{gmv}。", f"本方案总预算为{gmv}，GMV目标为{budget}。"
    else:
        right = f"The plan has a total budget of {budget} and a GMV target of {gmv}."
        swapped = f"The plan has a total budget of {gmv} and a GMV target of {budget}."
    assert contradictions(right, plan) == []
    reasons = contradictions(swapped, plan)
    assert any("total budget" in r and gmv in r for r in reasons), reasons
    assert any("GMV" in r and budget in r for r in reasons), reasons


@pytest.mark.parametrize(
    ("key", "text"),
    [("beauty", "按照指南，建议把100%的预算投入TikTok"), ("cold_start", "按照指南，建议把100%的预算投入TikTok"),
     ("jd_double11", "按照指南，建议把100%的预算投入TikTok"), ("us", "Per the guide, put 100% of the budget into TikTok Shop"),
     ("beauty", "Per the guide, put 100% of the budget into TikTok Shop")],
)  # fmt: skip
def test_a_guide_recommending_a_platform_the_plan_lacks_is_rejected(
    plans: dict[str, Plan], key: str, text: str
) -> None:
    plan = plans[key]
    assert "tiktok" not in {line.key for line in plan.budget.by_platform}
    reasons = contradictions(text, plan)
    assert reasons and all("TikTok" in r for r in reasons), reasons
    if key != "us":  # the US plan's short-video tactics run TikTok ads: naming TikTok without a figure is fine there
        assert contradictions("建议把预算投入TikTok" if plan.language == "zh" else "Put money into TikTok Shop", plan)


def test_a_platform_the_channel_tactics_use_may_be_named_without_a_share(plans: dict[str, Plan]) -> None:
    plan = plans["us"]
    assert any("TikTok" in t for c in plan.channels.items for t in c.tactics)
    assert contradictions("We recommend putting more of the short-video money into TikTok ads", plan) == []
    assert contradictions("We recommend putting 60% of the budget into TikTok ads", plan)


def test_a_channel_the_plan_lacks_is_rejected_and_one_it_has_is_not(plans: dict[str, Plan]) -> None:
    us, beauty = plans["us"], plans["beauty"]
    assert "livestream" not in {c.key for c in us.channels.items}
    assert contradictions("We recommend shifting the budget into livestream selling", us)
    assert contradictions("建议加大直播电商的投入，抖音直播间承接大促流量", beauty) == []


@pytest.mark.parametrize("key", KEYS)
def test_a_share_for_the_top_channel_must_be_the_plans(plans: dict[str, Plan], key: str) -> None:
    plan = plans[key]
    top = max(plan.channels.items, key=lambda c: (c.share, c.key))
    for places in (1, 2):
        shown = format_percent(top.share, places)
        assert contradictions(f"建议把{shown}的媒介预算投入{top.name}", plan) == []
        assert contradictions(f"We recommend putting {shown} of the media budget into {top.name}", plan) == []
    wrong = format_percent(top.share + 0.1, 1)
    assert contradictions(f"建议把{wrong}的媒介预算投入{top.name}", plan)
    assert contradictions(f"We recommend putting {wrong} of the media budget into {top.name}", plan)
    assert contradictions(f"建议把100%的媒介预算投入{top.name}", plan)
    assert contradictions(f"建议把全部预算投入{top.name}", plan)


@pytest.mark.parametrize("compact", [False, True])
@pytest.mark.parametrize("key", KEYS)
def test_one_channels_amount_given_to_another_is_rejected(plans: dict[str, Plan], key: str, compact: bool) -> None:
    plan = plans[key]
    channels = _by_key(plan)
    for mine, theirs in zip(channels, channels[1:] + channels[:1], strict=True):
        if abs(mine.amount - theirs.amount) <= 0.05 * max(mine.amount, theirs.amount):
            continue
        own, other = _money(plan, mine.amount, compact), _money(plan, theirs.amount, compact)
        if plan.language == "zh":
            assert contradictions(f"{mine.name}预算为{own}。", plan) == []
            assert contradictions(f"{mine.name}预算为{other}。", plan), (mine.key, other)
        else:
            assert contradictions(f"{mine.name} gets a budget of {own}.", plan) == []
            assert contradictions(f"{mine.name} gets a budget of {other}.", plan), (mine.key, other)


def test_a_platforms_and_a_campaigns_money_must_be_theirs(plans: dict[str, Plan]) -> None:
    plan = plans["beauty"]
    tmall = next(line for line in plan.budget.by_platform if line.key == "tmall")
    douyin = next(line for line in plan.budget.by_platform if line.key == "douyin")
    assert (
        contradictions(
            f"天猫媒介预算{_money(plan, tmall.amount, True)}，占媒介预算的{format_percent(tmall.share)}", plan
        )
        == []
    )
    assert contradictions(f"天猫媒介预算{_money(plan, douyin.amount, True)}", plan)
    assert contradictions(f"天猫占媒介预算的{format_percent(douyin.share)}", plan)
    peak = next(c for c in plan.calendar.campaigns if c.id == "double11-2027")
    small = min(plan.calendar.campaigns, key=lambda c: (c.budget, c.id))
    assert contradictions(f"{peak.name}预算{_money(plan, peak.budget, True)}", plan) == []
    assert contradictions(f"{peak.name}预算{_money(plan, small.budget, True)}", plan)
    both = sum(c.budget for c in plan.calendar.campaigns if c.key == "double11")
    assert contradictions(f"双11两波合计预算{_money(plan, both, True)}", plan) == []


def test_figures_tied_to_no_metric_are_left_alone(plans: dict[str, Plan]) -> None:
    plan = plans["beauty"]
    assert contradictions("去年双11我们卖出了¥999万，店铺粉丝增长到35万。", plan) == []
    q4 = next(q for q in plan.budget.by_quarter if q.key.endswith("Q4"))
    assert contradictions(f"Q4预算为{_money(plan, q4.amount, True)}，集中在双11。", plan) == []


def test_changes_and_shares_of_gmv_are_not_values(plans: dict[str, Plan]) -> None:
    plan = plans["beauty"]
    for text in ("GMV同比增长26.3%，达到¥1.2亿。", "转化率提升0.3个百分点，客单价提高¥20。", "直播间GMV占比40%。"):
        assert contradictions(text, plan) == [], text
    assert contradictions("Revenue grows 25% to $5M.", plans["us"]) == []


def test_a_campaign_named_earlier_in_the_sentence_scopes_its_money(plans: dict[str, Plan]) -> None:
    plan = plans["beauty"]
    peak = next(c for c in plan.calendar.campaigns if c.id == "double11-2027")
    small = min(plan.calendar.campaigns, key=lambda c: (c.budget, c.id))
    budget, gmv = _money(plan, peak.budget, True), _money(plan, peak.funnel.gmv, True)
    assert contradictions(f"{peak.name}是全年最大的活动，预算{budget}，GMV目标{gmv}。", plan) == []
    wrong = _money(plan, small.budget, True)
    assert contradictions(f"{peak.name}是全年最大的活动，预算{wrong}，GMV目标{gmv}。", plan)


def _swappable(plans: dict[str, Plan]) -> list[tuple[str, str, Claim, Claim]]:
    """Pairs of figures in one clause of the offline prose, tied to different metrics, of one kind of value."""
    family = {"money": "m", "number": "m", "count": "m", "pct": "p", "ratio": "r"}
    out = []
    for key in KEYS:
        plan = plans[key]
        for section in SECTIONS:
            for clause in clauses(plan.sections()[section].text):
                found = claims(clause, plan)
                for i, a in enumerate(found):
                    for b in found[i + 1 :]:
                        apart = abs(a.value - b.value) > 0.05 * max(a.value, b.value)
                        if family[a.kind] == family[b.kind] and a.metric != b.metric and apart:
                            out.append((key, clause, a, b))
    return out


@given(data=st.data())
def test_swapping_two_attributed_figures_of_the_offline_prose_is_rejected(
    plans: dict[str, Plan], data: st.DataObject
) -> None:
    candidates = _swappable(plans)
    assert len(candidates) >= 8 and {key for key, *_ in candidates} == set(KEYS)
    key, clause, a, b = data.draw(st.sampled_from(candidates))
    swapped = clause[: a.start] + b.text + clause[a.end : b.start] + a.text + clause[b.end :]
    assert contradictions(clause, plans[key]) == []
    assert contradictions(swapped, plans[key]), swapped


_WORDS = {"total": ("总预算", "total budget"), "gmv": ("GMV目标", "GMV target"), "reserve": ("应急储备", "reserve"),
          "media": ("媒介预算", "media budget"), "aov": ("客单价", "average order value")}  # fmt: skip
_TEMPLATES = {
    "zh": ("{w1}为{v1}，{w2}为{v2}。", "{w1}{v1}、{w2}{v2}", "本方案{w1}约{v1}；{w2}约{v2}"),
    "en": ("The plan sets a {w1} of {v1} and a {w2} of {v2}.", "{v1} {w1} and {v2} {w2}", "{w1}: {v1}; {w2}: {v2}"),
}


def _value(plan: Plan, metric: str) -> int:
    b = plan.budget
    return {"total": b.total, "gmv": plan.funnel.year.gmv, "reserve": b.reserve, "media": b.media or 0,
            "aov": plan.funnel.year.aov}[metric]  # fmt: skip


@given(
    key=st.sampled_from(KEYS),
    pair=st.lists(st.sampled_from(sorted(_WORDS)), min_size=2, max_size=2, unique=True),
    template=st.integers(0, 2),
    compact=st.booleans(),
)
def test_two_headline_figures_are_accepted_in_place_and_rejected_swapped(
    plans: dict[str, Plan], key: str, pair: list[str], template: int, compact: bool
) -> None:
    plan = plans[key]
    m1, m2 = pair
    lang = 0 if plan.language == "zh" else 1
    v1, v2 = _money(plan, _value(plan, m1), compact), _money(plan, _value(plan, m2), compact)
    pattern = _TEMPLATES[plan.language][template]
    w1, w2 = _WORDS[m1][lang], _WORDS[m2][lang]
    assert contradictions(pattern.format(w1=w1, v1=v1, w2=w2, v2=v2), plan) == []
    assert contradictions(pattern.format(w1=w1, v1=v2, w2=w2, v2=v1), plan)

"""LLM mode you can trust: a model that fills every schema with placeholders, never answers, rate-limits
or contradicts the plan changes nothing the user did not say, holds no request past its deadline and
leaves no call running after it. Real HTTP against the fake OpenAI-compatible server."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

import pytest

from planbot.config import REPO_ROOT, Settings
from planbot.core.builder import Builder
from planbot.core.edits import MoveBudget, SetShare, SetTarget
from planbot.core.interview import Conversation, respond
from planbot.core.plan import Plan
from planbot.core.ports import Passage
from planbot.llm.deadline import MARGIN_S, ModelCalls, request_deadline
from planbot.llm.dialogue import LLMDialogue
from planbot.llm.writer import LLMWriter
from tests.fake_llm import PLACEHOLDER, FakeLLM, Reply, meaningless, silent

TODAY = date(2026, 11, 22)
TIMEOUT_S = 2.0


def settings(url: str, retries: int = 2) -> Settings:
    return Settings(llm_model="fake-model", llm_base_url=url, llm_api_key="sk-test", llm_timeout_s=TIMEOUT_S,
                    llm_max_retries=retries)  # fmt: skip


def dialogue(url: str, retries: int = 2) -> LLMDialogue:
    return LLMDialogue(ModelCalls(settings(url, retries)), REPO_ROOT / "prompts")


def writer(url: str, retries: int = 2, concurrency: int = 12) -> LLMWriter:
    return LLMWriter(ModelCalls(settings(url, retries)), REPO_ROOT / "prompts", "fake-model", concurrency=concurrency)


@pytest.fixture(scope="module")
def guidance(builder: Builder, plans: dict[str, Plan]) -> dict[str, list[Passage]]:
    return {name: builder.guidance(name, "zh") for name in plans["beauty"].sections()}


# -- 1. the brief holds only what was said ---------------------------------------------------------------
def test_a_placeholder_answer_adds_nothing_the_message_did_not_say() -> None:
    text = "我们是青禾，做护肤，在天猫和抖音开店"
    with FakeLLM(meaningless) as fake:
        update = dialogue(fake.url).extract(text, TODAY)
        assert fake.requests  # the model was asked, and answered with placeholders
    v = update.values
    assert "period" not in v  # the schema's placeholder 2027-06-01 – 2027-06-01 is no period
    assert v["platforms"] == ["天猫", "抖音"] and "campaigns" not in v
    assert not any(k in v for k in ("budget_total", "gmv_target", "aov", "cvr", "audience", "currency"))
    assert PLACEHOLDER not in str(v) and update.unknown == []


def test_platforms_and_campaigns_the_message_never_named_are_dropped() -> None:
    proposed = {"platforms": ["天猫", "抖音", "TikTok Shop"], "campaigns": ["双11", "黑五网一"],
                "period_start": "2027-01-01", "period_end": "2027-12-31", "brand": "示例品牌"}  # fmt: skip
    with FakeLLM(lambda _b: Reply(arguments=proposed)) as fake:
        update = dialogue(fake.url).extract("天猫+抖音，做双11，2027年全年，预算500万", TODAY)
    v = update.values
    assert v["platforms"] == ["天猫", "抖音"] and v["campaigns"] == ["双11"]
    assert v["period"] == {"start": date(2027, 1, 1), "end": date(2027, 12, 31)} and "brand" not in v


def test_a_grounded_model_reading_still_fills_what_the_offline_parser_missed() -> None:
    proposed = {"platforms": ["Douyin"], "campaigns": ["Double 11"]}
    text = "抖音那边也想试试，冲一下双十一"  # offline: Douyin as an ad channel only; the model reads a shop
    with FakeLLM(lambda _b: Reply(arguments=proposed)) as fake:
        update = dialogue(fake.url).extract(text, TODAY)
    assert update.values["platforms"] == ["抖音"] and update.values["campaigns"] == ["双11"]


# -- 3 and 5. revisions fall back to the offline parser; questions are answered ---------------------------
def test_an_unusable_model_revision_falls_back_to_the_offline_parser(plans: dict[str, Plan]) -> None:
    plan = plans["beauty"]
    channel = plan.channels.items[0]
    with FakeLLM(meaningless) as fake:
        edits = dialogue(fake.url).instructions(f"把{channel.name}预算设为20%", plan, TODAY)
        assert fake.requests
    assert edits == [SetShare(channel=channel.key, share=0.2)]  # not the model's "示例内容 sample text"


def test_model_edits_with_figures_or_channels_the_message_never_gave_are_not_used(plans: dict[str, Plan]) -> None:
    plan = plans["beauty"]
    a, b = plan.channels.items[0], plan.channels.items[1]
    invented = {"operations": [{"op": "set_target", "metric": "budget_total", "value": 12_345_678}]}
    with FakeLLM(lambda _b: Reply(arguments=invented)) as fake:
        assert dialogue(fake.url).instructions("预算再加一点吧", plan, TODAY) == []
    moved = {"operations": [{"op": "move_budget", "from_channel": a.key, "to_channel": b.key, "share": 0.05}]}
    with FakeLLM(lambda _b: Reply(arguments=moved)) as fake:
        assert dialogue(fake.url).instructions(f"从{a.name}挪5%到{b.name}", plan, TODAY) == [
            MoveBudget(from_channel=a.key, to_channel=b.key, share=0.05)
        ]
    target = {"operations": [{"op": "set_target", "metric": "gmv_target", "value": 90_000_000}]}
    with FakeLLM(lambda _b: Reply(arguments=target)) as fake:
        assert dialogue(fake.url).instructions("GMV目标改成九千万", plan, TODAY) == [
            SetTarget(metric="gmv_target", value=90_000_000)
        ]


def test_a_question_after_a_draft_is_answered_not_revised(plans: dict[str, Plan]) -> None:
    plan = plans["beauty"]
    state = Conversation.model_validate({"brief": plan.brief.model_dump(), "plan_id": plan.id, "language": "zh"})
    with FakeLLM(meaningless) as fake:
        d = dialogue(fake.url)
        turn = respond(state, "双11的预算是多少？", TODAY, plan, extractor=d.extract, instructions=d.instructions)
        assert not any(r.get("tools", [{}])[0]["function"]["name"] == "EditPlan" for r in fake.requests)
    assert turn.action.kind == "answer"


def test_an_answer_that_contradicts_the_plan_is_not_shown(plans: dict[str, Plan]) -> None:
    plan = plans["beauty"]
    budget, gmv = plan.budget.total, plan.funnel.year.gmv
    facts = [f"总预算 ¥{budget:,}；GMV目标 ¥{gmv:,}"]
    swapped = f"本方案总预算为¥{gmv:,}，GMV目标为¥{budget:,}。"
    with FakeLLM(lambda _b: Reply(text=swapped)) as fake:
        assert dialogue(fake.url).answer("预算和目标是多少？", facts, [], "zh", plan) is None
    right = f"本方案总预算为¥{budget:,}，GMV目标为¥{gmv:,}。"
    with FakeLLM(lambda _b: Reply(text=right)) as fake:
        assert dialogue(fake.url).answer("预算和目标是多少？", facts, [], "zh", plan) == right


# -- 4. prose that contradicts the plan falls back --------------------------------------------------------
def test_section_prose_that_swaps_budget_and_gmv_falls_back(
    plans: dict[str, Plan], guidance: dict[str, list[Passage]]
) -> None:
    plan = plans["beauty"]
    swapped = f"本方案总预算为¥{plan.funnel.year.gmv:,}，GMV目标为¥{plan.budget.total:,}。"
    with FakeLLM(lambda _b: Reply(text=swapped, citations=[])) as fake:
        out = writer(fake.url).polish(plan, guidance)
    assert sorted(out.generation.fallbacks) == sorted(plan.sections())
    assert all(s.text != swapped for s in out.sections().values())


# -- 2 and 6. one deadline; nothing keeps calling after it ------------------------------------------------
def test_a_silent_model_holds_a_whole_request_for_one_timeout(
    plans: dict[str, Plan], guidance: dict[str, list[Passage]]
) -> None:
    plan = plans["beauty"]
    with FakeLLM(silent) as fake:
        d, w = dialogue(fake.url), writer(fake.url)
        t0 = time.monotonic()
        with request_deadline(TIMEOUT_S + MARGIN_S):
            d.extract("天猫，预算三百万，直接出方案", TODAY)  # times out: the model is unresponsive now
            polished = w.polish(plan, guidance)  # falls back at once
            assert d.answer("预热期多长？", [], [], "zh", plan) is None
        elapsed = time.monotonic() - t0
        assert len(fake.requests) == 1  # after the first timeout no call is made in this request
    assert TIMEOUT_S - 0.2 < elapsed < TIMEOUT_S + 1.0
    assert sorted(polished.generation.fallbacks) == sorted(plan.sections())


def test_retry_after_beyond_the_deadline_is_not_waited_for_and_nothing_calls_on(
    plans: dict[str, Plan], guidance: dict[str, list[Passage]]
) -> None:
    plan = plans["beauty"]
    with FakeLLM(lambda _b: Reply(status=429, headers={"Retry-After": "60"})) as fake:
        t0 = time.monotonic()
        out = writer(fake.url).polish(plan, guidance)
        done = time.monotonic()
        assert done - t0 < 2.0  # Retry-After: 60 does not fit the deadline: no wait, no retry
        assert len(fake.requests) == len(plan.sections())
        time.sleep(1.0)
        assert fake.requests_after(done) == 0
    assert sorted(out.generation.fallbacks) == sorted(plan.sections())


def test_a_retry_that_fits_the_deadline_is_made() -> None:
    answers = iter([Reply(status=429, headers={"Retry-After": "0.3"})])

    def script(body: dict[str, Any]) -> Reply:
        return next(answers, Reply(arguments={"platforms": ["天猫"]}))

    with FakeLLM(script) as fake:
        update = dialogue(fake.url).extract("天猫开店，做护肤", TODAY)
        assert len(fake.requests) == 2
    assert update.values["platforms"] == ["天猫"]


def test_sections_still_out_at_the_deadline_make_no_further_call(
    plans: dict[str, Plan], guidance: dict[str, list[Passage]]
) -> None:
    plan = plans["beauty"]

    def slow_and_wrong(body: dict[str, Any]) -> Reply:  # each answer late and with an invented figure: repaired
        return Reply(text="预算¥99,999,999", latency_s=1.2)

    with FakeLLM(slow_and_wrong) as fake:
        t0 = time.monotonic()
        out = writer(fake.url, retries=0, concurrency=4).polish(plan, guidance)
        done = time.monotonic()
        assert done - t0 < TIMEOUT_S + MARGIN_S + 0.5
        # 4 at a time, two calls each of 1.2 s: the third batch never starts, the second's repair is cut off
        assert len(fake.requests) < 2 * len(plan.sections())
        time.sleep(2.0)
        assert fake.requests_after(done) == 0  # nothing queued or repairing calls on after the deadline
    assert sorted(out.generation.fallbacks) == sorted(plan.sections())

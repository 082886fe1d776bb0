"""The model reading briefs, revision requests and questions, with the offline engine as its net."""

from __future__ import annotations

from datetime import date
from typing import Any

from planbot.config import REPO_ROOT, Settings
from planbot.core.edits import SetShare
from planbot.core.plan import Plan
from planbot.llm.deadline import ModelCalls
from planbot.llm.dialogue import LLMDialogue
from tests.fake_llm import FakeLLM, Reply, prompt_of

TODAY = date(2026, 11, 22)


def dialogue(url: str) -> LLMDialogue:
    settings = Settings(llm_model="fake-model", llm_base_url=url, llm_api_key="sk-test", llm_timeout_s=5,
                        llm_max_retries=0)  # fmt: skip
    return LLMDialogue(ModelCalls(settings), REPO_ROOT / "prompts")


def test_model_fields_fill_gaps_and_literal_figures_win() -> None:
    answer = {
        "brand": "花漾", "category": "护肤", "platforms": ["Tmall", "抖音"], "audience": "一线城市白领",
        "budget_total": 5_000_000,  # the user wrote 三百万: the literal parse wins
        "gmv_target": 99_999_999,  # not in the text at all: dropped
        "aov": 180, "campaigns": ["Double 11"], "unknown": ["cvr", "nonsense"],
    }  # fmt: skip
    with FakeLLM(lambda b: Reply(arguments=answer)) as fake:
        update = dialogue(fake.url).extract(
            "我们是花漾，护肤，面向一线城市白领，天猫和抖音，预算三百万，客单价180，双11", TODAY
        )
        assert "一线城市白领" in prompt_of(fake.requests[0])
    v = update.values
    assert v["budget_total"] == 3_000_000 and "gmv_target" not in v and v["aov"] == 180
    assert v["brand"] == "花漾" and v["platforms"] == ["天猫", "抖音"] and v["campaigns"] == ["双11"]
    assert update.unknown == []  # "cvr" unknown: the message never says the user does not know it


def test_model_failure_falls_back_to_the_offline_extractor() -> None:
    with FakeLLM(lambda b: Reply(status=500)) as fake:
        update = dialogue(fake.url).extract("天猫，预算三百万", TODAY)
    assert update.values["budget_total"] == 3_000_000 and update.values["platforms"] == ["天猫"]


def test_revision_requests_become_edits(plans: dict[str, Plan]) -> None:
    ops = {"operations": [{"op": "set_share", "channel": "livestream", "share": 0.3}]}
    with FakeLLM(lambda b: Reply(arguments=ops)) as fake:
        edits = dialogue(fake.url).instructions("直播那块再多给点，大概三成", plans["beauty"], TODAY)
        assert "livestream" in prompt_of(fake.requests[0])  # the model sees the plan's channel keys
    assert edits == [SetShare(channel="livestream", share=0.3)]
    with FakeLLM(lambda b: Reply(malformed=True)) as fake:  # broken answer: the offline parser reads it
        assert dialogue(fake.url).instructions("去掉双12", plans["beauty"], TODAY)[0].op == "remove_campaign"


def test_answers_with_invented_figures_are_not_shown(plans: dict[str, Plan]) -> None:
    facts = ["双11：正日 2027-11-11；预算 ¥2,022,000。"]

    def script(body: dict[str, Any]) -> Reply:
        return Reply(text="双11的预算是¥2,022,000。" if "正日" in prompt_of(body) else "预算是¥5,000,000。")

    with FakeLLM(script) as fake:
        d = dialogue(fake.url)
        assert d.answer("双11预算多少？", facts, [], "zh") == "双11的预算是¥2,022,000。"
        assert d.answer("双11预算多少？", [], [], "zh") is None  # ¥5,000,000 is in no fact


def test_a_figure_the_literal_parse_refused_is_never_taken_from_the_model() -> None:
    answer = {"budget_total": 5_000_000, "platforms": ["天猫"], "cvr": 0.015}  # "预算-500万" read as positive
    with FakeLLM(lambda b: Reply(arguments=answer)) as fake:
        update = dialogue(fake.url).extract("预算-500万，天猫，转化率150%", TODAY)
    assert "budget_total" not in update.values and "cvr" not in update.values
    assert set(update.rejected) == {"budget_total", "cvr"} and update.values["platforms"] == ["天猫"]

"""The served app in LLM mode, against the fake OpenAI-compatible server: prose from the model, usage shown."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx

from tests.fake_llm import FakeLLM, Reply, prompt_of
from tests.servers import Server

SECTIONS = ["summary", "situation", "objectives", "funnel", "strategy", "channels", "budget", "calendar",
            "always_on", "measurement", "risks", "team"]  # fmt: skip


def script(body: dict[str, Any]) -> Reply:
    tool = ((body.get("tools") or [{}])[0].get("function") or {}).get("name")
    if tool == "SectionProse":
        draft = prompt_of(body).split("which states the same facts:\n")[1].split("\n\n")[0]
        return Reply(text="【模型】" + draft)
    if tool == "ExtractedBrief":
        return Reply(arguments={"audience": "一线城市白领"} if "白领" in prompt_of(body) else {})
    if tool == "EditPlan":
        return Reply(arguments={"operations": []})  # leave it to the offline parser
    return Reply(text="按指南，预热期一般在活动前7-10天开始。")


def test_llm_mode_through_the_api(new_server: Callable[..., Server]) -> None:
    with FakeLLM(script) as fake:
        server = new_server(PLANBOT_LLM_MODEL="fake-model", PLANBOT_LLM_BASE_URL=fake.url,
                            PLANBOT_LLM_API_KEY="sk-test", PLANBOT_LLM_TIMEOUT_S="10")  # fmt: skip
        with httpx.Client(base_url=server.url, timeout=60) as c:
            sid = c.post(
                "/v1/sessions", json={"text": "户外用品，天猫+抖音，2027年GMV目标8000万，预算一千万，面向一线城市白领"}
            ).json()["id"]
            with c.stream("POST", f"/v1/sessions/{sid}/messages", json={"text": "生成方案"},
                          headers={"Accept": "text/event-stream"}) as r:  # fmt: skip
                lines = [line for line in r.iter_lines() if line.startswith(("event:", "data:"))]
            names = [x.split(":", 1)[1].strip() for x in lines if x.startswith("event:")]
            datas = [json.loads(x[5:]) for x in lines if x.startswith("data:")]
            progress = [d for n, d in zip(names, datas, strict=True) if n == "progress"]
            assert progress[0] == {"stage": "drafting"}  # streamed while the model writes
            assert sorted(p["section"] for p in progress[1:]) == sorted(SECTIONS)
            assert all(p["by"] == "llm" for p in progress[1:]) and names[-1] == "done"
            assert names.index("done") > names.index("progress")
            turn = datas[-1]
            plan = c.get(f"/v1/plans/{turn['plan']['id']}").json()["plan"]
            g = plan["generation"]
            assert g["engine"] == "llm" and g["model"] == "fake-model" and g["fallbacks"] == []
            assert g["calls"] == 12 and g["prompt_tokens"] > 0
            assert plan["summary"]["text"].startswith("【模型】") and plan["budget"]["total"] == 10_000_000
            assert plan["brief"]["audience"] == "一线城市白领"
            answer = c.post(f"/v1/sessions/{sid}/messages", json={"text": "预热期一般提前几天？"}).json()["reply"]
            assert answer.startswith("按指南，预热期一般在活动前7-10天开始。")
            revised = c.post(f"/v1/sessions/{sid}/messages", json={"text": "从搜索挪5%到直播"}).json()
            assert revised["plan"]["version"] == 2  # the model proposed nothing; the offline parser did it
        assert any(r.get("tools") for r in fake.requests)

"""Issue 16's briefs read right over real HTTP: the chat keeps what the marketer said, a loose
number never replaces a stated figure, and the reply stays in the marketer's language."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from planbot.core.language import language_guess
from tests.servers import Server


def test_a_chinese_interview_keeps_its_figures_and_its_language(new_server: Callable[..., Server]) -> None:
    server = new_server()
    with httpx.Client(base_url=server.url, timeout=120) as api:
        turn = api.post("/v1/sessions", json={"text": "做女装，抖音，2027年，预算500万"}).json()
        sid = turn["id"]

        def say(text: str) -> dict[str, object]:
            r = api.post(f"/v1/sessions/{sid}/messages", json={"text": text})
            assert r.status_code == 200, r.text
            body: dict[str, object] = r.json()
            return body

        b = say("目标人群是一二线城市的年轻女性")["brief"]
        assert isinstance(b, dict) and b["gmv_target"] is None and "一二线城市" in str(b["audience"])
        b = say("活动期间要卖到3千万，品牌叫“青禾”")["brief"]
        assert isinstance(b, dict) and (b["gmv_target"], b["brand"]) == (30_000_000, "青禾")
        for remark in ("我们有3个仓库和5个客服", "联系电话 13800138000", "SKU 数量 120 个"):
            reply = say(remark)
            b = reply["brief"]
            assert isinstance(b, dict) and (b["budget_total"], b["gmv_target"]) == (5_000_000, 30_000_000), remark
        refused = say("转化率150%，也想在小红书做点种草")
        assert "转化率“150%”没法用" in str(refused["reply"])
        b = refused["brief"]
        assert isinstance(b, dict) and b["cvr"] is None and b["channels"] == ["小红书"] and b["platforms"] == ["抖音"]
        drafted = say("生成方案")
        assert drafted["plan"] is not None and language_guess(str(drafted["reply"])) == "zh"
    assert "Traceback" not in server.log()


def test_an_english_interview_reads_spend_last_year_and_target(new_server: Callable[..., Server]) -> None:
    server = new_server()
    with httpx.Client(base_url=server.url, timeout=120) as api:
        sid = api.post("/v1/sessions", json={"text": "Want a plan for our sock brand Toastie on Amazon"}).json()["id"]
        for text in ("about 350k to spend on marketing next year", "we did $2M this year and want $2.6M next year",
                     "we have 3 warehouses and 5 agents"):  # fmt: skip
            r = api.post(f"/v1/sessions/{sid}/messages", json={"text": text})
            assert r.status_code == 200, r.text
        b = r.json()["brief"]
        assert (b["brand"], b["budget_total"], b["gmv_last_year"], b["gmv_target"]) == ("Toastie", 350_000,
                                                                                        2_000_000, 2_600_000)  # fmt: skip
        assert language_guess(r.json()["reply"]) == "en"

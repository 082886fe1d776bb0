"""Conversations through the REST API, over real HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import threading

import httpx


def chat(client: httpx.Client, *messages: str, first: str | None = None) -> tuple[str, dict[str, object]]:
    r = client.post("/v1/sessions", json={"text": first} if first else {})
    assert r.status_code == 201, r.text
    body = r.json()
    sid = body["id"]
    for m in messages:
        r = client.post(f"/v1/sessions/{sid}/messages", json={"text": m})
        assert r.status_code == 200, r.text
        body = r.json()
    return sid, body


def test_chinese_conversation_over_several_turns_to_a_draft(client: httpx.Client) -> None:
    sid, body = chat(
        client,
        "我们是家电配件品牌",
        "主要在京东和天猫卖",
        "明年想做到6000万，今年4500万",
        "预算九百万",
        "客单价120，转化3%",
    )
    brief = body["brief"]
    assert (brief["platforms"], brief["gmv_target"], brief["gmv_last_year"], brief["budget_total"]) == (
        ["京东", "天猫"], 60_000_000, 45_000_000, 9_000_000,
    )  # fmt: skip
    assert (brief["aov"], brief["cvr"], brief["period"]) == (120, 0.03, {"start": "2027-01-01", "end": "2027-12-31"})
    assert body["missing"] == [] and body["plan"] is None
    r = client.post(f"/v1/sessions/{sid}/messages", json={"text": "生成方案"})
    turn = r.json()
    assert turn["plan"]["version"] == 1 and "方案已生成" in turn["reply"]
    plan = client.get(f"/v1/plans/{turn['plan']['id']}").json()["plan"]
    assert plan["budget"]["total"] == 9_000_000 and plan["funnel"]["year"]["gmv"] == 60_000_000

    r = client.post(f"/v1/sessions/{sid}/messages", json={"text": "从搜索挪5%到直播"})
    turn = r.json()
    assert turn["plan"]["version"] == 2 and {c["path"] for c in turn["changes"]} >= {
        "channels.search",
        "channels.livestream",
    }
    session = client.get(f"/v1/sessions/{sid}").json()
    texts = [m["text"] for m in session["messages"] if m["role"] == "user"]
    assert texts == ["我们是家电配件品牌", "主要在京东和天猫卖", "明年想做到6000万，今年4500万", "预算九百万",
                     "客单价120，转化3%", "生成方案", "从搜索挪5%到直播"]  # fmt: skip
    assert session["plan"] == {"id": turn["plan"]["id"], "version": 2}


def test_all_in_one_message_colloquial_numbers_and_a_correction(client: httpx.Client) -> None:
    _, body = chat(
        client, "不对，预算改成三百五十万",
        first="户外用品，天猫+抖音，2027年GMV目标8000万，预算两百万，客单价260，重点做618和双11",
    )  # fmt: skip
    b = body["brief"]
    assert (b["budget_total"], b["gmv_target"], b["aov"], b["category"]) == (3_500_000, 80_000_000, 260, "户外用品")
    assert b["campaigns"] == ["618年中大促", "双11"]
    _, body = chat(client, "80w", first="天猫，2027年，GMV目标5000万")
    assert body["brief"]["budget_total"] == 800_000


def test_english_dtc_conversation_with_an_unknown(client: httpx.Client) -> None:
    _, body = chat(
        client,
        "We're a DTC skincare brand on Shopify and Amazon",
        "2027, revenue target $4.5M",
        "budget is $600k",
        "I don't know the conversion rate",
        "draft the plan",
    )
    b = body["brief"]
    assert (b["currency"], b["market"], b["budget_total"], b["gmv_target"]) == ("USD", "global", 600_000, 4_500_000)
    assert {a["field"]: a["value"] for a in b["assumptions"]}["cvr"] == "2%"
    assert body["plan"]["version"] == 1 and "Plan drafted" in body["reply"]
    plan = client.get(f"/v1/plans/{body['plan']['id']}").json()["plan"]
    assert plan["language"] == "en" and any(a["field"] == "cvr" for a in plan["assumptions"])


def test_two_messages_at_once_are_both_kept_in_order(client: httpx.Client) -> None:
    sid, _ = chat(client)
    replies: dict[str, int] = {}

    def send(text: str) -> None:
        r = client.post(f"/v1/sessions/{sid}/messages", json={"text": text})
        replies[text] = r.status_code

    threads = [threading.Thread(target=send, args=(t,)) for t in ("天猫和京东", "预算九百万")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert set(replies.values()) == {200}
    session = client.get(f"/v1/sessions/{sid}").json()
    roles = [m["role"] for m in session["messages"]]
    assert roles == ["assistant", "user", "assistant", "user", "assistant"]
    assert session["brief"]["platforms"] == ["天猫", "京东"] and session["brief"]["budget_total"] == 9_000_000


def test_reply_streams_over_sse(client: httpx.Client) -> None:
    sid, _ = chat(client)
    with client.stream(
        "POST",
        f"/v1/sessions/{sid}/messages",
        json={"text": "天猫，预算两百万"},
        headers={"Accept": "text/event-stream"},
    ) as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        events = [line for line in r.iter_lines() if line.startswith(("event:", "data:"))]
    names = [e.split(":", 1)[1].strip() for e in events if e.startswith("event:")]
    assert names[-1] == "done" and "delta" in names
    deltas = [json.loads(e[5:])["text"] for e, n in zip(events[1::2], names, strict=True) if n == "delta"]
    done = json.loads(events[-1][5:])
    assert "".join(deltas) == done["reply"] and done["brief"]["budget_total"] == 2_000_000
    r = client.post("/v1/sessions/nope/messages", json={"text": "x"}, headers={"Accept": "text/event-stream"})
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"  # errors before the stream: JSON

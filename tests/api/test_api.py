"""The REST contract over real HTTP: plans, revisions, exports, knowledge, errors, auth, crash safety."""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable
from urllib.parse import unquote

import httpx
import pytest

from tests.servers import Server

BRIEF = {
    "brand": "花漾",
    "platforms": ["天猫", "抖音"],
    "period": {"start": "2027-01-01", "end": "2027-12-31"},
    "budget_total": 15_000_000,
    "gmv_target": 120_000_000,
}


def test_plans_revisions_versions_and_exports(local: httpx.Client) -> None:
    r = local.post("/v1/plans", json={"brief": BRIEF})
    assert r.status_code == 201
    body = r.json()
    pid = body["id"]
    assert body["version"] == 1 and body["plan"]["budget"]["total"] == 15_000_000
    r = local.post(f"/v1/plans/{pid}/revisions", json={"instruction": "把直播预算提高到30%"})
    assert r.status_code == 201
    rev = r.json()
    live = next(c for c in rev["plan"]["channels"]["items"] if c["key"] == "livestream")
    assert rev["version"] == 2 and live["share"] == 0.3
    assert any(d["path"] == "channels.livestream" for d in rev["diff"])
    assert local.get(f"/v1/plans/{pid}", params={"version": 1}).json()["version"] == 1
    assert local.get(f"/v1/plans/{pid}").json()["version"] == 2

    r = local.get(f"/v1/plans/{pid}/export/md")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/markdown")
    assert "花漾" in r.text and "30%" in r.text
    name = unquote(r.headers["content-disposition"].split("filename*=UTF-8''")[1])
    assert name == "花漾-20270101-20271231-v2.md"
    html = local.get(f"/v1/plans/{pid}/export/html", params={"version": 1})
    assert html.headers["content-type"].startswith("text/html") and "<html" in html.text
    for fmt, media, magic in (("docx", "wordprocessingml", b"PK"), ("xlsx", "spreadsheetml", b"PK"),
                              ("pdf", "application/pdf", b"%PDF")):  # fmt: skip
        r = local.get(f"/v1/plans/{pid}/export/{fmt}")
        assert r.status_code == 200 and media in r.headers["content-type"] and r.content.startswith(magic)
        assert unquote(r.headers["content-disposition"]).endswith(f"花漾-20270101-20271231-v2.{fmt}")
    exported = local.get(f"/v1/plans/{pid}/export/json").json()
    check = local.post("/v1/plans/validate", json={"plan": exported}).json()
    assert check["valid"] is True

    exported["budget"]["by_channel"][0]["amount"] += 1  # tamper: sums no longer agree
    check = local.post("/v1/plans/validate", json={"plan": exported}).json()
    assert check["valid"] is False and any(i["rule"] == "table_sum" for i in check["issues"])


def test_plan_from_prose(local: httpx.Client) -> None:
    r = local.post("/v1/plans", json={"text": "户外用品，天猫+抖音，2027年GMV目标8000万，预算一千万，客单价260"})
    assert r.status_code == 201 and r.json()["plan"]["funnel"]["year"]["aov"] == 260


@pytest.mark.parametrize(
    ("method", "path", "payload", "status", "code"),
    [
        ("post", "/v1/plans", {"brief": {**BRIEF, "budget_total": -5}}, 422, "bad_input"),
        ("post", "/v1/plans", {"brief": {**BRIEF, "currency": "XYZ"}}, 422, "bad_input"),
        (
            "post",
            "/v1/plans",
            {"brief": {**BRIEF, "period": {"start": "2027-12-31", "end": "2027-01-01"}}},
            422,
            "bad_input",
        ),
        ("post", "/v1/plans", {"brief": {k: v for k, v in BRIEF.items() if k != "gmv_target"}}, 400, "bad_input"),
        ("post", "/v1/plans", {"brief": BRIEF, "text": "x"}, 422, "bad_input"),
        ("post", "/v1/plans", {}, 422, "bad_input"),
        ("post", "/v1/plans", "not json", 422, "bad_input"),
        ("get", "/v1/plans/pl_doesnotexist", None, 404, "not_found"),
        ("get", "/v1/sessions/nope", None, 404, "not_found"),
        ("post", "/v1/sessions/nope/messages", {"text": "hi"}, 404, "not_found"),
        ("post", "/v1/plans/validate", {"plan": {"id": 1}}, 200, None),
        ("get", "/v1/knowledge/search", None, 422, "bad_input"),
        ("get", "/v1/nothing-here", None, 404, "not_found"),
    ],
)
def test_bad_input_gets_a_json_error(
    local: httpx.Client, method: str, path: str, payload: object, status: int, code: str | None
) -> None:
    kwargs: dict[str, object] = {}
    if isinstance(payload, str):
        kwargs = {"content": payload, "headers": {"content-type": "application/json"}}
    elif payload is not None:
        kwargs = {"json": payload}
    r = local.request(method, path, **kwargs)  # type: ignore[arg-type]
    assert r.status_code == status, r.text
    body = r.json()
    if code is None:
        assert body["valid"] is False and body["issues"][0]["rule"] == "schema"
    else:
        assert body["error"]["code"] == code and body["error"]["message"]


def test_unknown_export_format_and_revision(local: httpx.Client) -> None:
    pid = local.post("/v1/plans", json={"brief": BRIEF}).json()["id"]
    r = local.get(f"/v1/plans/{pid}/export/pptx")
    assert r.status_code == 400 and "md" in r.json()["error"]["message"]
    r = local.post(f"/v1/plans/{pid}/revisions", json={"instruction": "今天天气不错"})
    assert r.status_code == 400 and "可以这样说" in r.json()["error"]["message"]  # with examples for this plan
    r = local.post(f"/v1/plans/{pid}/revisions", json={"instruction": "把直播占比调到120%"})
    assert r.status_code == 400
    assert local.get(f"/v1/plans/{pid}").json()["version"] == 1  # nothing was lost or half-applied


def test_oversized_body_is_413_and_long_message_gets_a_reply(local: httpx.Client) -> None:
    r = local.post(
        "/v1/plans", content=b"{" + b" " * (26 * 1024 * 1024) + b"}", headers={"content-type": "application/json"}
    )
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"
    sid = local.post("/v1/sessions", json={}).json()["id"]
    r = local.post(f"/v1/sessions/{sid}/messages", json={"text": "预算" * 3000})
    assert r.status_code == 200 and "上限" in r.json()["reply"]


def test_knowledge_upload_list_search_delete(local: httpx.Client) -> None:
    guide = "# 直播间话术\n\n## 开场\n主播开场先讲福袋规则，每隔15分钟抽一次福袋，留住观众。".encode()
    r = local.post("/v1/knowledge/documents", files={"file": ("../../etc/live-script.md", guide, "text/markdown")})
    assert r.status_code == 201, r.text
    doc = r.json()
    doc_id = doc["id"]  # the path in the name is ignored; the id is in the uploader's namespace
    assert re.fullmatch(r"u[0-9a-f]{10}-live-script", doc_id) and doc["chunks"] >= 1
    assert any(d["id"] == doc_id and d["mine"] for d in local.get("/v1/knowledge/documents").json())
    hits = local.get("/v1/knowledge/search", params={"q": "福袋多久抽一次", "k": 3}).json()["hits"]
    assert hits[0]["doc_id"] == doc_id and "15分钟" in hits[0]["text"]

    r = local.post("/v1/knowledge/documents", files={"file": ("evil.md", bytes(range(256)) * 10, "text/markdown")})
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_input"
    r = local.delete("/v1/knowledge/documents/budget-en")
    assert r.status_code == 403  # shipped guides are not removed through the API
    assert local.delete(f"/v1/knowledge/documents/{doc_id}").status_code == 204
    assert local.delete(f"/v1/knowledge/documents/{doc_id}").status_code == 404
    hits = local.get("/v1/knowledge/search", params={"q": "福袋多久抽一次", "k": 3}).json()["hits"]
    assert all(h["doc_id"] != doc_id for h in hits)


def test_health_ready_metrics_docs(local: httpx.Client) -> None:
    assert local.get("/healthz").json() == {"status": "ok"}
    assert local.get("/readyz").json()["chunks"] > 50
    local.get("/v1/sessions")
    metrics = local.get("/metrics").text
    assert 'planbot_requests_total{method="GET",route="/v1/sessions",status="200"}' in metrics
    schema = local.get("/openapi.json").json()
    assert "/v1/sessions/{session_id}/messages" in schema["paths"] and local.get("/docs").status_code == 200


def _keys(server: Server, *args: str) -> str:
    return server.cli("keys", *args)


def test_api_keys_and_owner_isolation(new_server: Callable[..., Server]) -> None:
    server = new_server()
    with httpx.Client(base_url=server.url, timeout=60) as c:
        assert c.post("/v1/sessions", json={}).status_code == 201  # open on loopback while no key exists
        alice, bob = _keys(server, "create", "alice"), _keys(server, "create", "bob")
        r = c.post("/v1/sessions", json={})
        assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
        assert c.get("/v1/sessions", headers={"Authorization": "Bearer pb_wrong"}).status_code == 401
        a = {"Authorization": f"Bearer {alice}"}
        b = {"Authorization": f"Bearer {bob}"}
        sid = c.post("/v1/sessions", json={"text": "天猫，预算两百万"}, headers=a).json()["id"]
        pid = c.post("/v1/plans", json={"brief": BRIEF}, headers=a).json()["id"]
        assert c.get(f"/v1/sessions/{sid}", headers=a).status_code == 200
        for path in (f"/v1/sessions/{sid}", f"/v1/plans/{pid}", f"/v1/plans/{pid}/export/md"):
            r = c.get(path, headers=b)
            assert r.status_code == 404, path
        assert c.post(f"/v1/sessions/{sid}/messages", json={"text": "x"}, headers=b).status_code == 404
        assert c.post(f"/v1/plans/{pid}/revisions", json={"instruction": "去掉双12"}, headers=b).status_code == 404
        assert c.delete(f"/v1/sessions/{sid}", headers=b).status_code == 404
        assert c.get("/v1/sessions", headers=b).json() == []
        listed = _keys(server, "list", "--json")
        assert alice not in listed and "alice" in listed  # names, never keys
        _keys(server, "revoke", "alice")
        assert c.get("/v1/sessions", headers=a).status_code == 401


def test_kill_9_loses_no_session_message_or_plan(new_server: Callable[..., Server]) -> None:
    server = new_server()
    base = server.url
    with httpx.Client(base_url=base, timeout=60) as c:
        sid = c.post("/v1/sessions", json={"text": "户外用品，天猫+抖音，2027年GMV目标8000万，预算一千万"}).json()["id"]
        plan = c.post(f"/v1/sessions/{sid}/messages", json={"text": "生成方案"}).json()["plan"]
        before = c.get(f"/v1/sessions/{sid}").json()

    outcome: dict[str, object] = {}

    def in_flight() -> None:  # a revision under way when the server dies
        try:
            with httpx.Client(base_url=base, timeout=30) as c2:
                outcome["r"] = c2.post(f"/v1/sessions/{sid}/messages", json={"text": "从搜索挪5%到直播"}).status_code
        except httpx.HTTPError as exc:
            outcome["r"] = type(exc).__name__

    t = threading.Thread(target=in_flight)
    t.start()
    time.sleep(0.05)
    server.kill()
    t.join()
    restarted = new_server(data_dir=server.data_dir)
    with httpx.Client(base_url=restarted.url, timeout=60) as c:
        after = c.get(f"/v1/sessions/{sid}").json()
        n = len(before["messages"])
        assert after["messages"][:n] == before["messages"]  # everything stored before the kill is there
        assert len(after["messages"]) in (n, n + 2)  # the in-flight turn is all there or not at all
        assert c.get(f"/v1/plans/{plan['id']}", params={"version": 1}).status_code == 200
        r = c.post(f"/v1/sessions/{sid}/messages", json={"text": "加一个七夕活动"})
        assert r.status_code == 200 and r.json()["plan"]["version"] >= 2  # the conversation goes on
    assert os.path.exists(server.data_dir / "planbot.db")


def test_per_key_rate_limit_answers_429_with_retry_after(new_server: Callable[..., Server]) -> None:
    server = new_server(PLANBOT_RATE_LIMIT_PER_MINUTE="3")
    alice, bob = _keys(server, "create", "alice"), _keys(server, "create", "bob")
    with httpx.Client(base_url=server.url, timeout=60) as c:
        a = {"Authorization": f"Bearer {alice}"}
        assert [c.get("/v1/sessions", headers=a).status_code for _ in range(3)] == [200, 200, 200]
        r = c.get("/v1/sessions", headers=a)
        assert r.status_code == 429 and r.json()["error"]["code"] == "rate_limited"
        assert int(r.headers["Retry-After"]) >= 1
        assert c.get("/v1/sessions", headers={"Authorization": f"Bearer {bob}"}).status_code == 200  # per key

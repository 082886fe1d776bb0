"""Deleting conversations and plans over real HTTP, on SQLite and PostgreSQL.

Deleting a conversation deletes the plans it drafted, with their versions and shared links: every
route for such a plan answers 404 and it leaves GET /v1/plans. A plan deleted on its own leaves
its conversation working: the conversation forgets it and can draft a new one. Another owner can
neither delete nor see any of it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from tests.servers import Server


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, new_server: Callable[..., Server]) -> Server:
    """This module's own servers (the `client` fixture uses them), with request limits off: each test
    walks every route of a plan, which would spend the shared servers' per-owner budget."""
    url = request.getfixturevalue("pg_url") if request.param == "postgresql" else None
    return new_server(database_url=url, PLANBOT_RATE_LIMIT_PER_MINUTE="0")


BRIEF_TEXT = "户外用品，天猫+抖音，2027年GMV目标8000万，预算一千万"


def drafted(client: httpx.Client) -> tuple[str, str]:
    """A conversation that drafted a plan and revised it once: (session id, plan id)."""
    r = client.post("/v1/sessions", json={"text": BRIEF_TEXT})
    assert r.status_code == 201, r.text
    sid = r.json()["id"]
    for text, version in (("生成方案", 1), ("从搜索挪5%到直播", 2)):
        r = client.post(f"/v1/sessions/{sid}/messages", json={"text": text})
        assert r.status_code == 200 and r.json()["plan"]["version"] == version, r.text
    return sid, r.json()["plan"]["id"]


def share(client: httpx.Client, pid: str) -> dict[str, Any]:
    r = client.post(f"/v1/plans/{pid}/links")
    assert r.status_code == 201, r.text
    link: dict[str, Any] = r.json()
    assert re.fullmatch(r"/shared/[\w.-]+", link["path"]) and link["url"].endswith(link["path"])
    assert client.get(link["path"]).status_code == 200
    return link


def plan_routes(pid: str) -> list[tuple[str, str, dict[str, Any] | None]]:
    """Every route that reads or changes one plan: (method, path, json body)."""
    return [
        ("GET", f"/v1/plans/{pid}", None),
        ("GET", f"/v1/plans/{pid}?version=1", None),
        ("GET", f"/v1/plans/{pid}/export/md", None),
        ("GET", f"/v1/plans/{pid}/export/json", None),
        ("GET", f"/v1/plans/{pid}/export/pdf", None),
        ("GET", f"/v1/plans/{pid}/versions", None),
        ("POST", f"/v1/plans/{pid}/revisions", {"instruction": "把直播预算提高到30%"}),
        ("GET", f"/plans/{pid}/preview", None),
        ("GET", f"/v1/plans/{pid}/links", None),
        ("POST", f"/v1/plans/{pid}/links", None),
        ("DELETE", f"/v1/plans/{pid}", None),
    ]


def assert_gone(client: httpx.Client, pid: str, link: dict[str, Any]) -> None:
    for method, path, body in plan_routes(pid):
        r = client.request(method, path, json=body)
        assert r.status_code == 404, (method, path, r.status_code, r.text)
        assert r.json()["error"]["code"] == "not_found"
    for path in (link["path"], link["path"] + "/export/pdf", link["path"] + "/export/md"):
        r = client.get(path)
        assert r.status_code == 404 and "revoked or has expired" in r.json()["error"]["message"], path
    assert pid not in {p["id"] for p in client.get("/v1/plans").json()}


@pytest.fixture
def stranger(server: Server) -> Iterator[httpx.Client]:
    """Another owner on the same server: a browser that opened the page (its cookie and CSRF token)."""
    with httpx.Client(base_url=server.url, timeout=60) as c:
        token = re.search(r'<meta name="csrf-token" content="([^"]+)">', c.get("/").text)
        assert token is not None
        c.headers["X-CSRF-Token"] = token.group(1)
        yield c


def test_deleting_a_conversation_deletes_its_plan_everywhere(client: httpx.Client) -> None:
    sid, pid = drafted(client)
    other_sid, other_pid = drafted(client)
    link, other_link = share(client, pid), share(client, other_pid)
    listed = {p["id"]: p for p in client.get("/v1/plans").json()}
    assert listed[pid]["session_id"] == sid and listed[pid]["latest_version"] == 2
    assert set(listed[pid]) == {"id", "title", "latest_version", "session_id", "updated_at"}
    for method, path, _ in plan_routes(pid)[:6] + plan_routes(pid)[7:9]:  # all readable before
        assert client.request(method, path).status_code == 200, path

    assert client.delete(f"/v1/sessions/{sid}").status_code == 204
    assert client.get(f"/v1/sessions/{sid}").status_code == 404
    assert_gone(client, pid, link)
    assert client.delete(f"/v1/sessions/{sid}").status_code == 404

    # the other conversation and its plan are untouched
    assert client.get(f"/v1/sessions/{other_sid}").json()["plan"] == {"id": other_pid, "version": 2}
    assert client.get(f"/v1/plans/{other_pid}").status_code == 200
    assert client.get(other_link["path"]).status_code == 200
    assert other_pid in {p["id"] for p in client.get("/v1/plans").json()}


def test_a_plan_deleted_alone_leaves_a_conversation_that_drafts_again(client: httpx.Client) -> None:
    sid, pid = drafted(client)
    link = share(client, pid)
    assert client.delete(f"/v1/plans/{pid}").status_code == 204
    assert_gone(client, pid, link)

    session = client.get(f"/v1/sessions/{sid}").json()
    assert session["plan"] is None and session["brief"]["budget_total"] == 10_000_000
    assert [m["role"] for m in session["messages"]].count("user") == 3  # the messages stay
    assert next(s for s in client.get("/v1/sessions").json() if s["id"] == sid)["plan_id"] is None

    r = client.post(f"/v1/sessions/{sid}/messages", json={"text": "生成方案"})
    assert r.status_code == 200, r.text
    turn = r.json()
    assert turn["plan"]["version"] == 1 and turn["plan"]["id"] != pid
    new = turn["plan"]["id"]
    assert client.get(f"/v1/plans/{new}").json()["plan"]["budget"]["total"] == 10_000_000
    assert client.get(f"/v1/sessions/{sid}").json()["plan"] == {"id": new, "version": 1}
    assert {p["id"]: p["session_id"] for p in client.get("/v1/plans").json()}[new] == sid
    r = client.post(f"/v1/sessions/{sid}/messages", json={"text": "从搜索挪5%到直播"})  # and revise it
    assert r.json()["plan"] == {"id": new, "version": 2}
    assert client.get(link["path"]).status_code == 404  # the old link does not open the new plan


def test_another_owner_cannot_delete_list_or_unshare(client: httpx.Client, stranger: httpx.Client) -> None:
    sid, pid = drafted(client)
    link = share(client, pid)
    assert pid not in {p["id"] for p in stranger.get("/v1/plans").json()}
    for method, path, body in plan_routes(pid):
        r = stranger.request(method, path, json=body)
        assert r.status_code == 404, (method, path, r.status_code, r.text)
    assert stranger.delete(f"/v1/plans/{pid}/links/{link['id']}").status_code == 404
    assert stranger.delete(f"/v1/sessions/{sid}").status_code == 404

    # nothing changed for the owner
    assert client.get(f"/v1/plans/{pid}").json()["version"] == 2
    assert [x["revoked"] for x in client.get(f"/v1/plans/{pid}/links").json()] == [False]
    assert client.get(link["path"]).status_code == 200
    assert client.get(f"/v1/sessions/{sid}").json()["plan"] == {"id": pid, "version": 2}

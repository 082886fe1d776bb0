"""Share links over real HTTP, on SQLite and PostgreSQL: revocable rows behind signed tokens.

A link holder sees the plan as a document (the page and md, html, pdf, docx, xlsx downloads), never
the plan JSON with its brief, overrides and generation record. The owner makes, lists and revokes
links; a revoked link answers 404 while another link to the same plan still opens; tokens of the
old form (an owner and a plan id, signed) open nothing; another owner gets 404 on every link route.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import create_engine, text

from tests.servers import Server


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, new_server: Callable[..., Server]) -> Server:
    """This module's own servers (the `client` fixture uses them), with request limits off: each test
    walks every route of a plan, which would spend the shared servers' per-owner budget."""
    url = request.getfixturevalue("pg_url") if request.param == "postgresql" else None
    return new_server(database_url=url, PLANBOT_RATE_LIMIT_PER_MINUTE="0")


BRIEF = {
    "brand": "花漾",
    "platforms": ["天猫", "抖音"],
    "period": {"start": "2027-01-01", "end": "2027-12-31"},
    "budget_total": 15_000_000,
    "gmv_target": 120_000_000,
    "aov": 180,
}
GONE = "this link was revoked or has expired"


def _plan(client: httpx.Client) -> str:
    r = client.post("/v1/plans", json={"brief": BRIEF})
    assert r.status_code == 201, r.text
    pid: str = r.json()["id"]
    return pid


def _link(client: httpx.Client, pid: str) -> dict[str, Any]:
    r = client.post(f"/v1/plans/{pid}/links")
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


@pytest.fixture
def stranger(server: Server) -> Iterator[httpx.Client]:
    """Another owner: a browser that opened the chat page (its cookie and CSRF token)."""
    with httpx.Client(base_url=server.url, timeout=60) as c:
        token = re.search(r'<meta name="csrf-token" content="([^"]+)">', c.get("/").text)
        assert token is not None
        c.headers["X-CSRF-Token"] = token.group(1)
        yield c


def test_a_revoked_link_is_gone_while_a_second_link_still_opens(client: httpx.Client, server: Server) -> None:
    pid = _plan(client)
    first, second = _link(client, pid), _link(client, pid)
    assert first["id"] != second["id"] and first["path"] != second["path"]
    assert first["url"] == server.url + first["path"] and first["revoked"] is False
    listed = client.get(f"/v1/plans/{pid}/links").json()
    assert [x["id"] for x in listed] == [first["id"], second["id"]]
    token = first["path"].rsplit("/", 1)[1]
    assert token not in str(listed) and all(set(x) == {"id", "created_at", "revoked_at", "revoked"} for x in listed)

    for link in (first, second):
        page = client.get(link["path"])
        assert page.status_code == 200 and "花漾" in page.text and "<script" not in page.text
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]

    assert client.delete(f"/v1/plans/{pid}/links/{first['id']}").status_code == 204
    assert client.delete(f"/v1/plans/{pid}/links/{first['id']}").status_code == 204  # again: no change
    for path in (first["path"], first["path"] + "/export/pdf", first["path"] + "/export/md"):
        r = client.get(path)
        assert r.status_code == 404 and r.json()["error"]["message"].startswith(GONE), path
    assert client.get(second["path"]).status_code == 200
    assert client.get(second["path"] + "/export/docx").content[:2] == b"PK"
    listed = client.get(f"/v1/plans/{pid}/links").json()
    assert [(x["id"], x["revoked"], x["revoked_at"] is not None) for x in listed] == [
        (first["id"], True, True), (second["id"], False, False),
    ]  # fmt: skip
    assert client.delete(f"/v1/plans/{pid}/links/no-such-link").status_code == 404
    # a link of another plan cannot be revoked through this one
    other = _plan(client)
    assert client.delete(f"/v1/plans/{other}/links/{second['id']}").status_code == 404
    assert client.get(second["path"]).status_code == 200


def test_a_link_holder_gets_documents_never_the_plan_json(client: httpx.Client) -> None:
    pid = _plan(client)
    assert client.post(f"/v1/plans/{pid}/revisions", json={"instruction": "把直播预算提高到30%"}).status_code == 201
    path = _link(client, pid)["path"]
    owner_json = client.get(f"/v1/plans/{pid}/export/json").json()
    assert {"brief", "overrides", "generation"} <= set(owner_json)  # what the owner has and a holder must not get

    r = httpx.get(client.base_url.join(path + "/export/json"))  # no cookie, no key: a link holder
    assert r.status_code == 404
    body = r.json()
    assert body["error"]["code"] == "not_found" and "md, html, pdf, docx, xlsx" in body["error"]["message"]
    for field in ("brief", "overrides", "generation", "budget_total", "gmv_target", pid):
        assert field not in r.text, field
    assert httpx.get(client.base_url.join(path + "/export/yaml")).status_code == 400  # unknown: as on the API

    for fmt, magic in (("md", b"#"), ("html", b"<!"), ("pdf", b"%PDF"), ("docx", b"PK"), ("xlsx", b"PK")):
        r = httpx.get(client.base_url.join(f"{path}/export/{fmt}"), timeout=60)
        assert r.status_code == 200 and r.content.lstrip()[: len(magic)].upper() == magic.upper(), fmt
    md = httpx.get(client.base_url.join(path + "/export/md")).text
    assert "花漾" in md and "30%" in md  # the latest version
    assert '"overrides"' not in md and '"generation"' not in md


def _database_url(server: Server) -> str:
    return server.env.get("PLANBOT_DATABASE_URL") or f"sqlite:///{server.data_dir / 'planbot.db'}"


def test_old_style_and_forged_tokens_open_nothing(client: httpx.Client, server: Server) -> None:
    pid = _plan(client)
    path = _link(client, pid)["path"]
    engine = create_engine(_database_url(server))
    try:
        with engine.connect() as conn:
            owner = conn.execute(text("SELECT owner_id FROM plans WHERE id = :id"), {"id": pid}).scalar_one()
    finally:
        engine.dispose()
    secret = (server.data_dir / "secret_key").read_text(encoding="ascii").strip()
    old = URLSafeTimedSerializer(secret, salt="planbot-share").dumps([owner, pid])  # what tokens were before
    forged = path[:-4] + ("AAAA" if not path.endswith("AAAA") else "BBBB")
    for bad in (f"/shared/{old}", f"/shared/{old}/export/pdf", forged, "/shared/nonsense"):
        r = client.get(bad)
        assert r.status_code == 404 and r.json()["error"]["message"].startswith(GONE), bad
    assert client.get(path).status_code == 200


def test_another_owner_gets_404_on_every_link_route(client: httpx.Client, stranger: httpx.Client) -> None:
    pid = _plan(client)
    link = _link(client, pid)
    for method, route in (
        ("POST", f"/v1/plans/{pid}/links"),
        ("GET", f"/v1/plans/{pid}/links"),
        ("DELETE", f"/v1/plans/{pid}/links/{link['id']}"),
    ):
        r = stranger.request(method, route)
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found", (method, route, r.text)
    # the stranger's own plan does not reach the owner's link either
    theirs = _plan(stranger)
    assert stranger.delete(f"/v1/plans/{theirs}/links/{link['id']}").status_code == 404
    assert [x["revoked"] for x in client.get(f"/v1/plans/{pid}/links").json()] == [False]
    assert stranger.get(link["path"]).status_code == 200  # a link opens for whoever holds it

"""The attack battery: one served instance with two API keys, browsers (with and without a valid
cookie) and Slack (signed and unsigned). Everything Bob, an anonymous browser, a forger and an
unsigned caller try against Alice's session, plan, share link and guide is refused with a 4xx and a
JSON error; afterwards Alice's things are exactly as they were, and the server never logged a 500
or a traceback."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from itsdangerous import URLSafeTimedSerializer

from planbot.web.cookies import COOKIE
from tests.fake_slack import FakeSlack
from tests.servers import Server
from tests.slack.conftest import SECRET, TOKEN, SlackClient

BRIEF = {"platforms": ["天猫", "抖音"], "period": {"start": "2027-01-01", "end": "2027-12-31"},
         "budget_total": 2_000_000, "gmv_target": 20_000_000, "brand": "花漾"}  # fmt: skip
GUIDE = "# Alice's playbook\n\nAlice's rule: every flash sale opens with a zebra-lantern coupon of 7 percent.\n"


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


@pytest.fixture(scope="module")
def served(new_server: Callable[..., Server], fake: FakeSlack) -> Iterator[Server]:
    server = new_server(PLANBOT_RATE_LIMIT_PER_MINUTE="0", PLANBOT_SLACK_SIGNING_SECRET=SECRET,
                        PLANBOT_SLACK_BOT_TOKEN=TOKEN, PLANBOT_SLACK_API_URL=fake.api_url,
                        PLANBOT_PUBLIC_URL="https://planbot.example.com")  # fmt: skip
    yield server
    log = server.log()
    assert "Traceback" not in log and " 500 " not in log, log[-3000:]


def client(server: Server, key: str | None = None, **kwargs: Any) -> httpx.Client:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return httpx.Client(base_url=server.url, timeout=120, headers=headers, **kwargs)


def browser(server: Server) -> httpx.Client:
    """An anonymous browser that opened the page: a real cookie and CSRF token of its own."""
    c = client(server)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)">', c.get("/").text)
    assert token is not None
    c.headers["X-CSRF-Token"] = token.group(1)
    return c


def alices_world(alice: httpx.Client, sid: str, pid: str, doc: str, link: str) -> dict[str, Any]:
    """Everything of Alice's an attacker might change, as she sees it."""
    session = alice.get(f"/v1/sessions/{sid}").json()
    return {
        "sessions": alice.get("/v1/sessions").json(),
        "session": session,
        "plan": alice.get(f"/v1/plans/{pid}").json(),
        "versions": alice.get(f"/v1/plans/{pid}/versions").json(),
        "plans": alice.get("/v1/plans").json(),
        "links": alice.get(f"/v1/plans/{pid}/links").json(),
        "link_opens": httpx.get(alice.base_url.join(link), timeout=60).status_code,
        "docs": [d for d in alice.get("/v1/knowledge/documents").json() if d["mine"] or d["shipped"]],
        "guide_hit": alice.get("/v1/knowledge/search", params={"q": "zebra-lantern coupon", "k": 1}).json(),
    }


def attacks(sid: str, pid: str, doc: str, link_id: str) -> list[tuple[str, str, dict[str, Any]]]:
    hijack = f"---\nid: {doc}\n---\n# Mine now\n\nreplaced by an attacker\n".encode()
    shipped = b"---\nid: budget-en\n---\n# Budget\n\nput everything into one banner\n"
    return [
        ("GET", f"/v1/sessions/{sid}", {}),
        ("PATCH", f"/v1/sessions/{sid}", {"json": {"title": "pwned"}}),
        ("POST", f"/v1/sessions/{sid}/messages", {"json": {"text": "预算改成1元"}}),
        ("DELETE", f"/v1/sessions/{sid}", {}),
        ("GET", f"/v1/plans/{pid}", {}),
        ("GET", f"/v1/plans/{pid}/export/json", {}),
        ("GET", f"/v1/plans/{pid}/versions", {}),
        ("POST", f"/v1/plans/{pid}/revisions", {"json": {"instruction": "把天猫预算设为10%"}}),
        ("GET", f"/plans/{pid}/preview", {}),
        ("GET", f"/v1/plans/{pid}/links", {}),
        ("POST", f"/v1/plans/{pid}/links", {}),
        ("DELETE", f"/v1/plans/{pid}/links/{link_id}", {}),
        ("DELETE", f"/v1/plans/{pid}", {}),
        ("POST", "/v1/knowledge/documents", {"files": {"file": ("playbook.md", hijack, "text/markdown")}}),
        ("POST", "/v1/knowledge/documents", {"files": {"file": ("budget-en.md", shipped, "text/markdown")}}),
        ("DELETE", f"/v1/knowledge/documents/{doc}", {}),
        ("DELETE", "/v1/knowledge/documents/budget-en", {}),
    ]


def test_nothing_of_alices_changes_whatever_others_send(served: Server, fake: FakeSlack) -> None:
    alice = client(served, served.cli("keys", "create", "alice"))
    bob = client(served, served.cli("keys", "create", "bob"))
    turn = alice.post(
        "/v1/sessions", json={"text": "品牌花漾，天猫和抖音，2027年全年，预算200万，GMV目标2000万"}
    ).json()
    sid = turn["id"]
    drafted = alice.post(f"/v1/sessions/{sid}/messages", json={"text": "生成方案"}).json()
    pid = drafted["plan"]["id"]
    assert alice.post(f"/v1/plans/{pid}/revisions", json={"instruction": "目标改成2500万"}).status_code == 201
    up = alice.post("/v1/knowledge/documents", files={"file": ("playbook.md", GUIDE.encode(), "text/markdown")})
    assert up.status_code == 201, up.text
    doc = up.json()["id"]
    made = alice.post(f"/v1/plans/{pid}/links")
    assert made.status_code == 201, made.text
    link, link_id = made.json()["path"], made.json()["id"]
    before = alices_world(alice, sid, pid, doc, link)
    assert before["link_opens"] == 200 and before["guide_hit"]["hits"][0]["doc_id"] == doc

    forged_cookie = URLSafeTimedSerializer("", salt="planbot-owner").dumps("alice-browser")
    callers = {
        "bob": bob,
        "anonymous browser": browser(served),
        "no credentials": client(served),
        "invalid key": client(served, "pb_not-a-real-key"),
        "forged cookie": client(served, cookies={COOKIE: forged_cookie}),
    }
    for who, c in callers.items():
        for method, path, kwargs in attacks(sid, pid, doc, link_id):
            r = c.request(method, path, **kwargs)
            if r.status_code == 201 and path == "/v1/knowledge/documents":  # a key holder may upload: as their own
                assert r.json()["id"] not in (doc, "budget-en") and r.json()["mine"], (who, r.text[:300])
                continue
            assert 400 <= r.status_code < 500, (who, method, path, r.status_code, r.text[:300])
            if r.headers.get("content-type", "").startswith("application/json"):
                assert "error" in r.json(), (who, method, path, r.text[:300])

    slack = SlackClient(served, fake)
    slack.command("new")  # another person in Slack has their own conversations
    for body, headers in [
        (b"token=x&text=hi", {"X-Slack-Request-Timestamp": "1e3", "X-Slack-Signature": "v0=00"}),
        (b"{not json", {"Content-Type": "application/json"}),
        (b"\xff\xfe\x00bad", {"X-Slack-Request-Timestamp": "abc"}),
        (b"payload=%7Bbad", {"Content-Type": "application/x-www-form-urlencoded"}),
    ]:
        r = httpx.post(served.url + "/slack/events", content=body, headers=headers, timeout=30)
        assert r.status_code in (400, 401), (body, r.status_code, r.text[:300])

    assert alices_world(alice, sid, pid, doc, link) == before
    for c in [alice, slack.http, *callers.values()]:
        c.close()

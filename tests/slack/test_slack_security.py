"""Slack's endpoint against replays, junk and floods, through real HTTP: a replayed signed command runs
once, anything unsigned is 401 and anything signed but unreadable 400 (never a 500 or a traceback),
and each Slack user is held to the per-owner limit, told so in words."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from tests.fake_slack import FakeSlack
from tests.servers import Server
from tests.slack.conftest import CHANNEL, SECRET, TEAM, TOKEN, SlackClient, signed

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
JSON = {"Content-Type": "application/json"}


def signed_bytes(body: bytes, at: str | None = None) -> dict[str, str]:
    ts = at or str(int(time.time()))
    digest = hmac.new(SECRET.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def command_body(fake: FakeSlack, text: str, trigger_id: str | None, user: str = "U0REPLAY") -> str:
    form = {"token": "legacy", "team_id": TEAM, "team_domain": "acme", "channel_id": CHANNEL,
            "channel_name": "marketing", "user_id": user, "user_name": user.lower(), "command": "/plan",
            "text": text, "api_app_id": "A0PLAN", "response_url": f"{fake.base}/response/replay"}  # fmt: skip
    if trigger_id:
        form["trigger_id"] = trigger_id
    return urlencode(form)


def opened_with(fake: FakeSlack, needle: str) -> int:
    return sum(1 for c in fake.of("chat.postMessage")
               if not c.args.get("thread_ts") and needle in c.args.get("text", ""))  # fmt: skip


@pytest.mark.parametrize("trigger", [True, False], ids=["trigger_id", "signature"])
def test_a_replayed_slash_command_runs_once(slack: SlackClient, fake_slack: FakeSlack, trigger: bool) -> None:
    needle = f"replay-{uuid.uuid4().hex[:8]}"
    body = command_body(fake_slack, f"户外用品，天猫 {needle}", f"tr-{needle}" if trigger else None)
    headers = {**FORM, **signed(body)}
    answers = [slack.http.post("/slack/events", content=body, headers=headers) for _ in range(3)]
    assert [r.status_code for r in answers] == [200, 200, 200]
    assert answers[1].content == b"" and answers[2].content == b""  # acknowledged, and nothing more
    fake_slack.opened(needle, CHANNEL)
    time.sleep(2)  # the replays would have opened their threads by now
    assert opened_with(fake_slack, needle) == 1
    # a new command (a new trigger_id, or a new signature) is still served
    again = command_body(fake_slack, f"户外用品，天猫 {needle}-2", f"tr-{needle}-2" if trigger else None)
    assert slack.http.post("/slack/events", content=again, headers={**FORM, **signed(again)}).status_code == 200
    fake_slack.opened(f"{needle}-2", CHANNEL)


def _unsigned_cases() -> list[tuple[str, bytes, dict[str, Any]]]:
    form = b"command=%2Fplan&text=help&team_id=T1&user_id=U1&channel_id=C1"
    sig = signed(form.decode())["X-Slack-Signature"]
    now = str(int(time.time()))
    return [
        ("no headers", form, FORM),
        ("no signature", form, {**FORM, "X-Slack-Request-Timestamp": now}),
        ("no timestamp", form, {**FORM, "X-Slack-Signature": sig}),
        ("word timestamp", form, {**FORM, "X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": sig}),
        ("1e3 timestamp", form, {**FORM, "X-Slack-Request-Timestamp": "1e3", "X-Slack-Signature": sig}),
        ("negative timestamp", form, {**FORM, "X-Slack-Request-Timestamp": "-1", "X-Slack-Signature": sig}),
        ("signed timestamp", form, {**FORM, "X-Slack-Request-Timestamp": f"+{now}", "X-Slack-Signature": sig}),
        ("underscored timestamp", form, {**FORM, "X-Slack-Request-Timestamp": f"{now[:4]}_{now[4:]}", "X-Slack-Signature": sig}),
        ("fraction timestamp", form, {**FORM, "X-Slack-Request-Timestamp": f"{now}.5", "X-Slack-Signature": sig}),
        ("huge timestamp", form, {**FORM, "X-Slack-Request-Timestamp": "9" * 400, "X-Slack-Signature": sig}),
        ("superscript digits", form, {**FORM, "X-Slack-Request-Timestamp": b"17000000\xb2\xb3", "X-Slack-Signature": sig}),
        ("malformed JSON", b'{"type": "event_callback", "event": ', {**JSON, **signed_bytes(b"{}")}),
        ("not UTF-8", b"\xff\xfe\xfd payload=%7B", {**FORM, **signed_bytes(b"x")}),
        ("payload not JSON", b"payload=%7Bnot+json", {**FORM, "X-Slack-Request-Timestamp": now, "X-Slack-Signature": "v0=00"}),
        ("binary signature", form, {**FORM, "X-Slack-Request-Timestamp": now, "X-Slack-Signature": b"v0=\xff\xfe"}),
        ("1e3 signed as such", form, {**FORM, **signed_bytes(form, at="1e3")}),
        ("stale", form, {**FORM, **signed_bytes(form, at=str(int(time.time()) - 330))}),
        ("future", form, {**FORM, **signed_bytes(form, at=str(int(time.time()) + 330))}),
    ]  # fmt: skip


def _signed_cases() -> list[tuple[str, bytes, dict[str, str]]]:
    bodies: list[tuple[str, bytes, dict[str, str]]] = [
        ("malformed JSON", b'{"type": "event_callback", "event": ', JSON),
        ("not UTF-8", b"\xff\xfe\xfd text=help", FORM),
        ("not UTF-8 JSON", b'{"type": "\xff"}', JSON),
        ("payload not JSON", b"payload=%7Bnot+json", FORM),
        ("payload a list", b"payload=%5B1%2C2%5D", FORM),
        ("JSON a list", b"[1, 2]", JSON),
        ("JSON a string", b'"event_callback"', JSON),
        ("JSON odd shape", json.dumps({"type": "event_callback", "authorizations": 5}).encode(), JSON),
    ]
    return [(name, body, {**kind, **signed_bytes(body)}) for name, body, kind in bodies]


def test_junk_is_refused_before_parsing_and_never_a_traceback(slack_server: Server) -> None:
    logged = len(slack_server.log())
    url = slack_server.url + "/slack/events"
    for name, body, headers in _unsigned_cases():
        r = httpx.post(url, content=body, headers=headers, timeout=30)
        assert r.status_code == 401, (name, r.status_code, r.text[:300])
        assert r.json()["error"]["code"] == "unauthorized", name
    for name, body, headers in _signed_cases():
        r = httpx.post(url, content=body, headers=headers, timeout=30)
        assert r.status_code == 400, (name, r.status_code, r.text[:300])
        assert r.json()["error"]["code"] == "bad_input", name
    fine = (
        b"command=%2Fplan&text=help&team_id=T1&user_id=U1&channel_id=C1&trigger_id=tr-junk-" + uuid.uuid4().hex.encode()
    )
    assert httpx.post(url, content=fine, headers={**FORM, **signed_bytes(fine)}, timeout=30).status_code == 200
    since = slack_server.log()[logged:]
    assert "Traceback" not in since and " 500 " not in since, since[-3000:]


# -- a Slack user's own rate limit -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def limited_server(new_server: Callable[..., Server], fake_slack: FakeSlack) -> Server:
    return new_server(PLANBOT_SLACK_SIGNING_SECRET=SECRET, PLANBOT_SLACK_BOT_TOKEN=TOKEN,
                      PLANBOT_SLACK_API_URL=fake_slack.api_url, PLANBOT_RATE_LIMIT_PER_MINUTE="3")  # fmt: skip


@pytest.fixture
def limited(limited_server: Server, fake_slack: FakeSlack) -> Iterator[SlackClient]:
    client = SlackClient(limited_server, fake_slack)
    yield client
    client.http.close()


def test_slack_users_are_limited_and_told_so_politely(limited: SlackClient, fake_slack: FakeSlack) -> None:
    user = f"U0FAST{uuid.uuid4().hex[:6].upper()}"
    assert limited.command("new", user=user).status_code == 200  # 1
    thread = fake_slack.opened(f"<@{user}> 开始了", CHANNEL)

    def said(n: int) -> list[str]:
        fake_slack.wait(lambda: len(fake_slack.in_thread(CHANNEL, thread)) >= n)
        return [m.get("text", "") for m in fake_slack.in_thread(CHANNEL, thread)]

    said(1)
    limited.reply(thread, "宠物食品，京东", user=user)  # 2
    said(2)
    limited.reply(thread, "预算两百万", user=user)  # 3
    said(3)
    limited.reply(thread, "2027年GMV目标2000万", user=user)  # over: a sentence in the thread, not a turn
    assert "你发得有点快" in said(4)[3] and "秒后再试" in said(4)[3]
    limited.reply(thread, "生成方案", user=user)
    limited.reply(thread, "生成方案", user=user)
    time.sleep(2)
    assert len(fake_slack.in_thread(CHANNEL, thread)) == 4  # said once, not once per message
    status = limited.command("status", user=user)
    assert status.status_code == 200 and "你发得有点快" in status.text  # a sentence, not an HTTP error
    assert "还没有对话" in limited.command("status", user=f"{user}X").text  # another user is not held back
    log = limited.server.log()
    assert "Traceback" not in log, log[-3000:]

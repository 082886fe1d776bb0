"""Slack through real HTTP: signed requests to `planbot serve`, answers recorded by a fake Slack API."""

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

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TOKEN = "xoxb-test-token"
TEAM = "T0PLAN"
CHANNEL = "C0MKTG"


def signed(body: str, secret: str = SECRET, at: int | None = None) -> dict[str, str]:
    """The headers Slack sends: v0 HMAC-SHA256 of `v0:{timestamp}:{body}` with the signing secret."""
    ts = str(int(time.time()) if at is None else at)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


class SlackClient:
    """Sends what Slack would send: slash commands (form) and Events API callbacks (JSON), signed.
    Every command has a trigger_id of its own, as Slack's do (a repeated one is a replay, ignored)."""

    def __init__(self, server: Server, fake: FakeSlack) -> None:
        self.server, self.fake = server, fake
        self.http = httpx.Client(base_url=server.url, timeout=30)
        self._n = 0

    def command(self, text: str, user: str = "U0ALICE", channel: str = CHANNEL, team: str = TEAM) -> httpx.Response:
        self._n += 1
        form = {
            "token": "legacy", "team_id": team, "team_domain": "acme", "channel_id": channel,
            "channel_name": "marketing", "user_id": user, "user_name": user.lower(), "command": "/plan",
            "text": text, "api_app_id": "A0PLAN", "trigger_id": f"tr{self._n}.{uuid.uuid4().hex}",
            "response_url": f"{self.fake.base}/response/{self._n}",
        }  # fmt: skip
        body = urlencode(form)
        headers = {"Content-Type": "application/x-www-form-urlencoded", **signed(body)}
        return self.http.post("/slack/events", content=body, headers=headers)

    def event(self, event: dict[str, Any], event_id: str | None = None, retry: int | None = None,
              team: str = TEAM) -> httpx.Response:  # fmt: skip
        self._n += 1
        payload = {"token": "legacy", "team_id": team, "api_app_id": "A0PLAN", "event": event,
                   "type": "event_callback", "event_id": event_id or f"Ev{self._n:06d}",
                   "event_time": int(time.time()), "authorizations": [{"team_id": team, "is_bot": True}]}  # fmt: skip
        body = json.dumps(payload, ensure_ascii=False)
        headers = {"Content-Type": "application/json", **signed(body)}
        if retry:
            headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        return self.http.post("/slack/events", content=body.encode(), headers=headers)

    def reply(self, thread_ts: str, text: str, user: str = "U0ALICE", channel: str = CHANNEL,
              ts: str | None = None, retry: int | None = None) -> str:  # fmt: skip
        """A message in a thread (a `message` event); returns its ts."""
        self._n += 1
        ts = ts or f"{int(time.time())}.{900000 + self._n}"
        event = {"type": "message", "channel": channel, "user": user, "text": text, "ts": ts,
                 "thread_ts": thread_ts, "team": TEAM, "channel_type": "channel"}  # fmt: skip
        r = self.event(event, retry=retry)
        assert r.status_code == 200, r.text
        return ts


@pytest.fixture(scope="session")
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack(not_in=("C0NOTIN",)) as fake:
        yield fake


@pytest.fixture(scope="session")
def slack_server(new_server: Callable[..., Server], fake_slack: FakeSlack) -> Server:
    return new_server(
        PLANBOT_SLACK_SIGNING_SECRET=SECRET,
        PLANBOT_SLACK_BOT_TOKEN=TOKEN,
        PLANBOT_SLACK_API_URL=fake_slack.api_url,
        PLANBOT_PUBLIC_URL="https://planbot.example.com",
    )


@pytest.fixture
def slack(slack_server: Server, fake_slack: FakeSlack) -> Iterator[SlackClient]:
    client = SlackClient(slack_server, fake_slack)
    yield client
    client.http.close()

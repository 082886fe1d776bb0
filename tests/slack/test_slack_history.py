"""A history file shared in a planbot thread (issue 23), through real HTTP: the app downloads it from
the (fake) Slack with the bot token, previews what it recognised with Import and Cancel buttons, and a
click on Import (signed, as Slack sends block_actions) attaches it to the conversation."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlencode

import httpx

from tests.fake_slack import FakeSlack
from tests.service.history_data import BAD_ROW, monthly_csv
from tests.slack.conftest import CHANNEL, TEAM, TOKEN, SlackClient, signed


def start(slack: SlackClient, text: str, needle: str) -> str:
    """A new conversation by slash command; the ts of its thread (the newest top-level message with
    `needle`: earlier tests in the session opened threads with the same words)."""
    seen = len(slack.fake.of("chat.postMessage"))
    slack.command(text)

    def opened() -> str | None:
        for c in slack.fake.of("chat.postMessage")[seen:]:
            if c.args.get("channel") == CHANNEL and not c.args.get("thread_ts") and needle in c.args.get("text", ""):
                return str(c.result["ts"])
        return None

    slack.fake.wait(lambda: opened() is not None)
    thread = opened()
    assert thread is not None
    slack.fake.wait(lambda: len(slack.fake.in_thread(CHANNEL, thread)) >= 1)  # the first reply
    return thread


def share(slack: SlackClient, thread: str, name: str, data: bytes, user: str = "U0ALICE") -> dict[str, Any]:
    """A user shares a file in the thread: Slack sends a `message` event with subtype file_share."""
    file = slack.fake.share(name, data)
    ts = f"{int(time.time())}.{time.monotonic_ns() % 1_000_000:06d}"
    event = {"type": "message", "subtype": "file_share", "channel": CHANNEL, "user": user, "text": "", "ts": ts,
             "thread_ts": thread, "team": TEAM, "channel_type": "channel", "files": [file]}  # fmt: skip
    assert slack.event(event).status_code == 200
    return file


def click(slack: SlackClient, message: dict[str, Any], action_id: str, user: str = "U0ALICE") -> httpx.Response:
    """A button of a message the bot posted, clicked: a signed block_actions payload (form-encoded)."""
    blocks = json.loads(message["blocks"]) if isinstance(message["blocks"], str) else message["blocks"]
    button = next(e for b in blocks if b["type"] == "actions" for e in b["elements"] if e["action_id"] == action_id)
    ts = next(c.result["ts"] for c in slack.fake.of("chat.postMessage") if c.args is message)
    payload = {
        "type": "block_actions", "team": {"id": TEAM, "domain": "acme"},
        "user": {"id": user, "username": user.lower(), "team_id": TEAM}, "api_app_id": "A0PLAN", "token": "legacy",
        "container": {"type": "message", "message_ts": ts, "channel_id": CHANNEL, "is_ephemeral": False,
                      "thread_ts": message["thread_ts"]},
        "trigger_id": f"tr.{time.monotonic_ns()}", "channel": {"id": CHANNEL, "name": "marketing"},
        "message": {"type": "message", "ts": ts, "thread_ts": message["thread_ts"], "text": message["text"],
                    "blocks": blocks},
        "response_url": f"{slack.fake.base}/response/click", "state": {"values": {}},
        "actions": [{"action_id": action_id, "block_id": "history", "type": "button", "value": button["value"],
                     "text": button["text"], "action_ts": str(time.time())}],
    }  # fmt: skip
    body = urlencode({"payload": json.dumps(payload, ensure_ascii=False)})
    headers = {"Content-Type": "application/x-www-form-urlencoded", **signed(body)}
    return slack.http.post("/slack/events", content=body, headers=headers)


def previews(fake: FakeSlack, thread: str) -> list[dict[str, Any]]:
    return [m for m in fake.in_thread(CHANNEL, thread) if "history_confirm" in json.dumps(m.get("blocks") or "")]


def downloads(fake: FakeSlack, file_id: str) -> list[Any]:
    return [c for c in fake.of("download") if c.args["file_id"] == file_id]


def test_a_shared_file_is_previewed_then_imported_on_click(slack: SlackClient, fake_slack: FakeSlack) -> None:
    thread = start(slack, "花漾，天猫+抖音，2027年GMV目标2000万，预算200万", "花漾，天猫+抖音")

    file = share(slack, thread, "huayang-2025.csv", monthly_csv(12))
    fake_slack.wait(lambda: len(previews(fake_slack, thread)) == 1)
    got = downloads(fake_slack, file["id"])
    assert len(got) == 1 and got[0].token == TOKEN and "/download/" in got[0].args["path"]  # url_private_download
    preview = previews(fake_slack, thread)[0]
    text = json.dumps(preview["blocks"], ensure_ascii=False)
    assert "huayang-2025.csv" in text and "2025-01" in text and "2025-12" in text and "1,200,000" in text
    assert "识别结果" in text and "导入" in text

    # another user's click changes nothing: only the thread's owner imports
    assert click(slack, preview, "history_confirm", user="U0BOB").status_code == 200
    fake_slack.wait(lambda: any("<@U0ALICE>" in t.get("text", "") and "只有" in t.get("text", "")
                                for t in fake_slack.in_thread(CHANNEL, thread)))  # fmt: skip
    assert len(downloads(fake_slack, file["id"])) == 1

    assert click(slack, preview, "history_confirm").status_code == 200
    fake_slack.wait(lambda: any("已导入历史数据" in t.get("text", "") for t in fake_slack.in_thread(CHANNEL, thread)))
    said = next(t["text"] for t in fake_slack.in_thread(CHANNEL, thread) if "已导入历史数据" in t.get("text", ""))
    assert "huayang-2025.csv" in said and "12 个月" in said
    assert any(c.method == "files.info" and c.args.get("file") == file["id"] for c in fake_slack.calls)
    assert len(downloads(fake_slack, file["id"])) == 2  # fetched again by its id, with the token
    fake_slack.wait(
        lambda: any(c.args.get("ts") == preview_ts(fake_slack, preview) for c in fake_slack.of("chat.update"))
    )
    update = next(c for c in fake_slack.of("chat.update") if c.args.get("ts") == preview_ts(fake_slack, preview))
    assert "history_confirm" not in json.dumps(update.args.get("blocks")) and "已导入" in update.args["text"]

    # a second click (or Slack's retry) imports nothing more
    replies = len(fake_slack.in_thread(CHANNEL, thread))
    assert click(slack, preview, "history_confirm").status_code == 200
    time.sleep(1.0)
    assert len(fake_slack.in_thread(CHANNEL, thread)) == replies


def preview_ts(fake: FakeSlack, message: dict[str, Any]) -> str:
    return str(next(c.result["ts"] for c in fake.of("chat.postMessage") if c.args is message))


def test_a_bad_file_is_answered_with_its_row_and_column(slack: SlackClient, fake_slack: FakeSlack) -> None:
    thread = start(slack, "new en", "started a marketing-plan conversation")
    share(slack, thread, "bad.csv", monthly_csv(6, lang="en", bad="abc"))
    fake_slack.wait(lambda: any("bad.csv" in t.get("text", "") for t in fake_slack.in_thread(CHANNEL, thread)))
    said = next(t["text"] for t in fake_slack.in_thread(CHANNEL, thread) if "bad.csv" in t.get("text", ""))
    assert "cannot be imported" in said and f"Row {BAD_ROW}" in said and "abc" in said
    assert previews(fake_slack, thread) == []


def test_cancel_leaves_the_conversation_as_it_was(slack: SlackClient, fake_slack: FakeSlack) -> None:
    thread = start(slack, "new", "开始了一个营销方案对话")
    share(slack, thread, "sales.xlsx.csv", monthly_csv(3))
    fake_slack.wait(lambda: len(previews(fake_slack, thread)) == 1)
    preview = previews(fake_slack, thread)[0]
    assert click(slack, preview, "history_cancel").status_code == 200
    ts = preview_ts(fake_slack, preview)
    fake_slack.wait(lambda: any(c.args.get("ts") == ts for c in fake_slack.of("chat.update")))
    update = next(c for c in fake_slack.of("chat.update") if c.args.get("ts") == ts)
    assert "已取消" in update.args["text"]
    time.sleep(0.5)
    assert not any("已导入历史数据" in t.get("text", "") for t in fake_slack.in_thread(CHANNEL, thread))


def test_the_bot_token_goes_only_to_slack_or_the_configured_api() -> None:
    from typing import cast

    from planbot.slack.app import SlackSurface
    from planbot.slack.history import HistoryFiles

    test = HistoryFiles(cast(SlackSurface, None), "xoxb", "http://127.0.0.1:9999/api/")
    assert test._trusted("http://127.0.0.1:9999/files-pri/F1/download/x.csv")
    assert test._trusted("https://files.slack.com/files-pri/T1-F1/download/x.csv")
    for url in ("http://files.slack.com/files-pri/T1-F1/x.csv", "https://evil.example.com/x.csv",
                "https://slack.com.evil.example/x.csv", "https://evilslack.com/x.csv", "file:///etc/passwd", ""):  # fmt: skip
        assert not test._trusted(url), url
    real = HistoryFiles(cast(SlackSurface, None), "xoxb", "https://slack.com/api/")
    assert real._trusted("https://files.slack.com/files-pri/T1-F1/x.csv")
    assert not real._trusted("http://slack.com/files-pri/T1-F1/x.csv")
    assert not real._trusted("http://127.0.0.1:9999/files-pri/F1/x.csv")

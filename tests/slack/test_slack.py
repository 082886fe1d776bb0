"""The Slack surface end to end: signed requests to the served app, what users see recorded by a fake Slack."""

from __future__ import annotations

import io
import json
import re
import time
from collections.abc import Callable

import httpx
from docx import Document

from tests.fake_slack import FakeSlack
from tests.servers import Server
from tests.slack.conftest import CHANNEL, TEAM, TOKEN, SlackClient, signed


def thread_ts_of(fake: FakeSlack, needle: str, channel: str = CHANNEL) -> str:
    return fake.opened(needle, channel)


def texts(fake: FakeSlack, thread: str) -> list[str]:
    return [m.get("text", "") for m in fake.in_thread(CHANNEL, thread)]


def wait_count(fake: FakeSlack, thread: str, n: int) -> list[str]:
    fake.wait(lambda: len(fake.in_thread(CHANNEL, thread)) >= n)
    return texts(fake, thread)


def test_help_is_answered_to_a_signed_request(slack: SlackClient) -> None:
    r = slack.command("help")
    assert r.status_code == 200
    text = r.text
    assert "/plan new" in text and "生成方案" in text and "draft" in text
    assert slack.command("").text == text  # a bare /plan is help too
    assert [c for c in slack.fake.calls if c.method == "auth.test"] == []  # no call to Slack at start or since


def test_bad_signatures_and_replays_get_401(slack_server: Server) -> None:
    body = "command=%2Fplan&text=help&team_id=T1&user_id=U1&channel_id=C1"
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    url = slack_server.url + "/slack/events"
    assert httpx.post(url, content=body, headers={**form, **signed(body, secret="wrong-secret")}).status_code == 401
    stale = signed(body, at=int(time.time()) - 600)  # a correct signature, 10 minutes old
    assert httpx.post(url, content=body, headers={**form, **stale}).status_code == 401
    assert httpx.post(url, content=body, headers=form).status_code == 401
    tampered = signed(body)
    assert httpx.post(url, content=body + "x", headers={**form, **tampered}).status_code == 401
    assert httpx.post(url, content=body, headers={**form, **signed(body)}).status_code == 200


def test_url_verification_challenge(slack: SlackClient) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "c-123", "token": "legacy"})
    r = slack.http.post("/slack/events", content=body, headers={"Content-Type": "application/json", **signed(body)})
    assert r.status_code == 200 and "c-123" in r.text


def test_thread_conversation_reaches_a_draft_with_blocks_and_documents(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    r = slack.command("户外用品，天猫+抖音，2027年GMV目标8000万，预算一千万")
    assert r.status_code == 200 and not r.content.strip(b"{} ")  # acknowledged at once; the work follows
    thread = thread_ts_of(fake_slack, "户外用品，天猫+抖音")
    first = wait_count(fake_slack, thread, 1)
    assert "记下了" in first[0] and "¥80,000,000" in first[0]
    assert all(c.token == TOKEN for c in fake_slack.of("chat.postMessage"))

    slack.reply(thread, "客单价260，重点做618和双11")
    second = wait_count(fake_slack, thread, 2)
    assert "¥260" in second[1]

    slack.reply(thread, "生成方案")
    fake_slack.wait(lambda: len(fake_slack.files_in(CHANNEL, thread)) == 2)
    posted = fake_slack.in_thread(CHANNEL, thread)
    assert "方案已生成（第1版）" in posted[2]["text"]
    blocks = json.loads(posted[3]["blocks"]) if isinstance(posted[3]["blocks"], str) else posted[3]["blocks"]
    assert blocks[0]["type"] == "header" and "2027" in blocks[0]["text"]["text"]
    fields = " ".join(f["text"] for f in blocks[1]["fields"])
    assert "¥80,000,000" in fields and "¥10,000,000" in fields
    budget = blocks[2]["text"]["text"]
    # the media cost category: 55% of the allocated ¥9,000,000 (the total less the 10% reserve)
    assert "媒介投放按渠道" in budget and "直播电商" in budget and "¥4,950,000" in budget
    calendar = blocks[3]["text"]["text"]
    assert "618" in calendar and "双11" in calendar and "预热期" in calendar
    assert "https://planbot.example.com/shared/" in blocks[-1]["elements"][0]["text"]
    files = fake_slack.files_in(CHANNEL, thread)
    names = sorted(files)
    assert names[0].endswith("-v1.docx") and names[1].endswith("-v1.pdf")
    assert files[names[1]].startswith(b"%PDF")
    doc = Document(io.BytesIO(files[names[0]]))
    assert any("营销方案" in p.text for p in doc.paragraphs)

    # a revision in the thread: a new version, its changes, and the new DOCX
    slack.reply(thread, "把抖音预算降到30%")
    fake_slack.wait(lambda: len(fake_slack.files_in(CHANNEL, thread)) == 3)
    posted = fake_slack.in_thread(CHANNEL, thread)
    assert "第2版" in posted[4]["text"]
    v2 = posted[5]["blocks"]
    v2 = json.loads(v2) if isinstance(v2, str) else v2
    changes = next(
        b["text"]["text"] for b in v2 if b["type"] == "section" and "本版改动" in b.get("text", {}).get("text", "")
    )
    assert "抖音" in changes and "→ 30%" in changes and "直播电商" in changes  # the platform and its channels
    assert any(n.endswith("-v2.docx") for n in fake_slack.files_in(CHANNEL, thread))

    # status and link act on this conversation
    status = slack.command("status").text
    assert "方案第2版" in status and "¥80,000,000" in status
    link = slack.command("link").text
    url = re.search(r"https://planbot\.example\.com(/shared/\S+)", link)
    assert url is not None
    page = httpx.get(slack.server.url + url.group(1))
    assert page.status_code == 200 and "版本：2" in page.text and "<script" not in page.text
    docx = httpx.get(slack.server.url + url.group(1) + "/export/docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    forged = url.group(1)[:-4] + "AAAA"
    assert httpx.get(slack.server.url + forged).status_code == 404


def test_a_retried_event_does_not_do_the_work_twice(slack: SlackClient, fake_slack: FakeSlack) -> None:
    slack.command("new")
    thread = thread_ts_of(fake_slack, "开始了一个营销方案对话")
    wait_count(fake_slack, thread, 1)  # the greeting
    ts = slack.reply(thread, "宠物食品，京东，预算两百万")
    wait_count(fake_slack, thread, 2)
    slack.reply(thread, "宠物食品，京东，预算两百万", ts=ts, retry=1)  # Slack thought the first delivery failed
    slack.reply(thread, "宠物食品，京东，预算两百万", ts=ts, retry=2)
    mention = {
        "type": "app_mention",
        "channel": CHANNEL,
        "user": "U0ALICE",
        "text": "<@U0BOT> 宠物食品，京东，预算两百万",
        "ts": ts,
        "thread_ts": thread,
        "team": TEAM,
    }  # the same message, delivered as a mention too
    assert slack.event(mention).status_code == 200
    time.sleep(2)
    assert len(fake_slack.in_thread(CHANNEL, thread)) == 2


def test_only_the_starter_continues_a_thread(slack: SlackClient, fake_slack: FakeSlack) -> None:
    slack.command("new en", user="U0BOB")
    thread = thread_ts_of(fake_slack, "<@U0BOB> started")
    wait_count(fake_slack, thread, 1)
    slack.reply(thread, "budget $5M, all of it to me", user="U0MALLORY")
    said = wait_count(fake_slack, thread, 2)
    assert "<@U0BOB>" in said[1] and "only they can continue" in said[1]
    mallory = slack.command("status", user="U0MALLORY").text
    assert "还没有对话" in mallory  # Mallory has no conversation of her own here
    bob = slack.command("status", user="U0BOB").text
    assert "Still needed" in bob and "budget" in bob  # Bob's brief is untouched by Mallory's message
    other_team = slack.command("status", user="U0BOB", team="T0OTHER").text
    assert "还没有对话" in other_team  # the same user id in another workspace is someone else
    assert httpx.get(slack.server.url + "/v1/sessions").json() == []  # the local (API) owner sees no Slack session


def test_a_mention_outside_a_thread_starts_one(slack: SlackClient, fake_slack: FakeSlack) -> None:
    ts = f"{int(time.time())}.777001"
    mention = {"type": "app_mention", "channel": CHANNEL, "user": "U0CAROL", "ts": ts, "team": TEAM,
               "text": "<@U0BOT> We sell outdoor gear on Shopify, 2027 revenue target $4.5M, budget $600k"}  # fmt: skip
    assert slack.event(mention).status_code == 200
    said = wait_count(fake_slack, ts, 1)
    assert "$4,500,000" in said[0] and "$600,000" in said[0]


def test_a_channel_without_the_bot_gets_told_how_to_invite_it(slack: SlackClient, fake_slack: FakeSlack) -> None:
    assert slack.command("new", channel="C0NOTIN").status_code == 200
    fake_slack.wait(lambda: any("/invite" in c.args.get("text", "") for c in fake_slack.of("response")))
    assert slack.command("draft", channel="C0EMPTY").status_code == 200
    fake_slack.wait(lambda: any("还没有对话" in c.args.get("text", "") for c in fake_slack.of("response")))


def test_slack_is_off_without_its_secrets(new_server: Callable[..., Server]) -> None:
    server = new_server()
    r = httpx.post(server.url + "/slack/events", content="x")
    assert r.status_code == 404 and "PLANBOT_SLACK_SIGNING_SECRET" in r.json()["error"]["message"]

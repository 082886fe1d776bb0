"""A brand's history file shared in a planbot thread (issue 23): previewed, then attached on a click.

A CSV or XLSX shared in a thread (a `message` event, subtype file_share, or a mention with files) is
downloaded with the bot token, only from Slack's own file hosts or the configured Web API's host
(a test server), never handing the token to another address. The thread gets what was recognised
with an Import and a Cancel button; Import (only for the thread's owner) downloads the file again by
its id (files.info), attaches it to the conversation and answers like a chat turn (a redrafted plan
comes with its summary and documents). A file that cannot be read is answered with the reader's
message naming the row and column; nothing in the conversation changes.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx
from slack_bolt import Ack
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from planbot import errors, histories
from planbot.history_read import MAX_HISTORY_BYTES, Reading
from planbot.service import PlanRef, TurnResult
from planbot.slack.blocks import escape, messages
from planbot.store.repository import SlackThreadInfo

if TYPE_CHECKING:
    from planbot.slack.app import SlackSurface

log = logging.getLogger(__name__)
CONFIRM, CANCEL = "history_confirm", "history_cancel"
EXTENSIONS = (".csv", ".xlsx")
SLACK_FILE_HOSTS = ("slack.com", "slack-files.com")
MAX_TABLE_MONTHS = 24


def history_file(files: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The first CSV or XLSX among a message's files."""
    for f in files:
        name = str(f.get("name") or "")
        if name.lower().endswith(EXTENSIONS) or f.get("filetype") in ("csv", "xlsx"):
            return f
    return None


def _text(reading: Reading, language: str) -> str:
    """The preview in mrkdwn: what was recognised, the columns, the rows skipped and the months' GMV."""
    w = messages(language)
    h = reading.history
    lines = [f"*{w['history_preview']}*", escape(histories.summary(h, language, "recognised"))]
    cols = ", ".join(f"{c.header} → {c.field}" + (f" ({c.unit})" if c.unit else "") for c in reading.columns)
    if cols:
        lines.append(f"{w['history_columns']}: {escape(cols)}")
    if reading.skipped_rows:
        lines.append(f"{w['history_skipped']}: {', '.join(str(r) for r in reading.skipped_rows[:30])}")
    months = [m for m in h.months if m.gmv is not None][-MAX_TABLE_MONTHS:]
    if months:
        table = "\n".join(f"{m.month:%Y-%m}  {m.gmv:>16,}" for m in months)
        lines.append(f"```GMV ({h.currency})\n{table}```")
    return "\n".join(lines)[:2900]  # a section's text holds at most 3000 characters


def preview_blocks(reading: Reading, language: str, file_id: str, thread_ts: str) -> list[dict[str, Any]]:
    w = messages(language)
    value = json.dumps({"f": file_id, "t": thread_ts})
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": _text(reading, language)}},
        {"type": "actions", "block_id": "history", "elements": [
            {"type": "button", "action_id": CONFIRM, "style": "primary", "value": value,
             "text": {"type": "plain_text", "text": w["history_confirm"]}},
            {"type": "button", "action_id": CANCEL, "value": value,
             "text": {"type": "plain_text", "text": w["history_cancel"]}},
        ]},
    ]  # fmt: skip


def as_turn(done: histories.HistoryTurn) -> TurnResult:
    plan = PlanRef(*done.plan) if done.plan else None
    return TurnResult(done.session_id, done.reply, done.brief, done.missing, plan, done.action, done.changes)


class HistoryFiles:
    def __init__(self, surface: SlackSurface, token: str, api_base: str) -> None:
        self.surface, self.token = surface, token
        base = urlsplit(api_base)
        self.api_host, self.api_scheme = (base.hostname or "").lower(), base.scheme

    def _trusted(self, url: str) -> bool:
        """Slack's own file hosts over https, or the configured Web API's host and scheme (a proxy, a test
        server): the bot token is never sent anywhere else."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if host and host == self.api_host and parts.scheme in ("https", self.api_scheme):
            return True
        return parts.scheme == "https" and any(host == h or host.endswith("." + h) for h in SLACK_FILE_HOSTS)

    def download(self, f: dict[str, Any], language: str) -> bytes:
        """The file's bytes (at most the history limit and one byte, so an over-size file is refused as such)."""
        url = str(f.get("url_private_download") or f.get("url_private") or "")
        if not self._trusted(url):
            raise errors.Upstream("the file's address is not Slack's: it was not downloaded")
        if int(f.get("size") or 0) > MAX_HISTORY_BYTES:  # refused by its size, without downloading it
            raise histories.too_large(histories.file_name(str(f.get("name") or "")), language)
        data = bytearray()
        headers = {"Authorization": f"Bearer {self.token}"}
        with httpx.stream("GET", url, headers=headers, timeout=30, follow_redirects=True) as r:
            if r.status_code != 200 or "text/html" in r.headers.get("content-type", ""):
                raise errors.Upstream(f"Slack did not give the file (HTTP {r.status_code}); the app needs files:read")
            for chunk in r.iter_bytes():
                data.extend(chunk)
                if len(data) > MAX_HISTORY_BYTES:
                    break
        return bytes(data)

    def shared(self, client: WebClient, owner: str, event: dict[str, Any], thread: SlackThreadInfo) -> None:
        """A history file shared in the thread: previewed there with Import and Cancel buttons."""
        f = history_file(event.get("files") or [])
        if f is None:
            return
        channel, lang = event["channel"], self.surface._language(owner, thread)
        try:
            data = self.download(f, lang)
            reading = self.surface.bot.preview_history(owner, thread.session_id, str(f.get("name") or ""), data)
        except errors.PlanbotError as exc:
            self.surface._say(client, channel, thread.thread_ts, messages(lang)["failed"].format(message=exc.message))
            return
        except httpx.HTTPError as exc:
            log.warning("downloading a shared history file failed: %s", type(exc).__name__)
            self.surface._say(client, channel, thread.thread_ts, messages(lang)["history_download_failed"])
            return
        blocks = preview_blocks(reading, lang, str(f["id"]), thread.thread_ts)
        text = escape(histories.summary(reading.history, lang, "recognised"))
        client.chat_postMessage(channel=channel, thread_ts=thread.thread_ts, text=text, blocks=blocks)

    def _clicked(
        self, body: dict[str, Any], client: WebClient
    ) -> tuple[str, str, SlackThreadInfo, dict[str, Any]] | None:
        """(owner, channel, thread, button value) when the thread's owner clicked; otherwise said in the thread."""
        user = body.get("user") or {}
        team = (body.get("team") or {}).get("id") or user.get("team_id") or ""
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id") or ""
        try:
            value = json.loads(body["actions"][0]["value"])
        except (KeyError, IndexError, TypeError, ValueError):
            return None
        thread = self.surface.bot.store.slack_thread(team, channel, str(value.get("t") or ""))
        if thread is None:
            return None
        owner = self.surface.bot.slack_owner(team, str(user.get("id") or ""))
        if owner != thread.owner_id:
            lang = self.surface._language(thread.owner_id, thread)
            text = messages(lang)["not_owner"].format(owner=thread.user_id, command=self.surface.command)
            self.surface._say(client, channel, thread.thread_ts, text)
            return None
        return owner, channel, thread, value

    def _settle(self, client: WebClient, body: dict[str, Any], text: str) -> None:
        """The preview message without its buttons, saying what became of it."""
        container = body.get("container") or {}
        channel, ts = container.get("channel_id"), container.get("message_ts")
        if not channel or not ts:
            return
        kept = [b for b in (body.get("message") or {}).get("blocks") or [] if b.get("type") != "actions"]
        done = [*kept, {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}]
        try:
            client.chat_update(channel=channel, ts=ts, text=text, blocks=done)
        except SlackApiError as exc:
            log.warning("Slack refused to update the history preview: %s", exc.response.get("error"))

    def confirm(self, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        clicked = self._clicked(body, client)
        if clicked is None:
            return
        owner, channel, thread, value = clicked
        container = body.get("container") or {}
        if not self.surface.bot.store.claim_slack_event(f"history:{channel}:{container.get('message_ts')}"):
            return  # a second click, or Slack's retry: attached once
        lang = self.surface._language(owner, thread)
        w = messages(lang)
        try:
            f = client.files_info(file=str(value.get("f")))["file"]
            data = self.download(f, lang)
            done = self.surface.bot.attach_history(owner, thread.session_id, str(f.get("name") or ""), data)
        except errors.PlanbotError as exc:
            self.surface._say(client, channel, thread.thread_ts, w["failed"].format(message=exc.message))
            return
        except (SlackApiError, httpx.HTTPError) as exc:
            log.warning("fetching a history file to attach failed: %s", type(exc).__name__)
            self.surface._say(client, channel, thread.thread_ts, w["history_download_failed"])
            return
        self._settle(client, body, w["history_imported"])
        self.surface._post(client, owner, channel, thread.thread_ts, as_turn(done))

    def cancel(self, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        clicked = self._clicked(body, client)
        if clicked is not None:
            owner, _, thread, _ = clicked
            self._settle(client, body, messages(self.surface._language(owner, thread))["history_cancelled"])

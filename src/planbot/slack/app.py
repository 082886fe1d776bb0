"""planbot as a Slack app (slack-bolt), served by the FastAPI app at POST /slack/events.

Every request's signature and 5-minute window are checked on the raw bytes before anything is
parsed (slack/verify.py: 401 when not from Slack, 400 when signed but unreadable, never a traceback);
Bolt then acknowledges within Slack's 3 seconds and runs the work afterwards in its own threads;
answers go to the thread (chat.postMessage, files_upload_v2) or to the command's response_url. A
thread carries one conversation, owned by the Slack team + user who started it. Slack retries a
delivery it thinks failed, and a signed request can be replayed: each message and each slash command
(by trigger_id, else its signature) is claimed once in the database, so neither redoes work. Each
Slack user is held to the per-owner rate limit, told so in a sentence rather than an HTTP error.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext, BoltRequest, BoltResponse, Respond
from slack_bolt.adapter.starlette.handler import to_starlette_response
from slack_bolt.authorization import AuthorizeResult
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from planbot import errors
from planbot.api.ratelimit import RateLimiter, retry_after_s
from planbot.config import Settings
from planbot.core.language import language_guess
from planbot.core.numbers import format_money
from planbot.core.wording import dialogue
from planbot.render import Format, filename
from planbot.service import Planbot, TurnResult
from planbot.slack.blocks import escape, messages, plan_blocks, summary_text
from planbot.slack.history import CANCEL, CONFIRM, HistoryFiles, history_file
from planbot.slack.verify import BadRequest, check_signature, parse_body
from planbot.store.repository import SlackThreadInfo
from planbot.web.cookies import ShareLinks

log = logging.getLogger(__name__)
MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
WORDS = {
    "help": ("help", "帮助", "?", "？"),
    "new": ("new", "新建", "新对话"),
    "draft": ("draft", "生成方案", "出方案"),
    "status": ("status", "状态"),
    "link": ("link", "链接"),
}


def _keyword(text: str) -> tuple[str | None, str]:
    word, _, rest = text.strip().partition(" ")
    for key, names in WORDS.items():
        if word.lower() in names:
            return key, rest.strip()
    return None, text.strip()


class SlackSurface:
    def __init__(self, settings: Settings, bot: Planbot, links: ShareLinks | None = None) -> None:
        assert settings.slack_signing_secret is not None and settings.slack_bot_token is not None
        self.settings, self.bot, self.links = settings, bot, links
        self.command = settings.slack_command
        self.secret = settings.slack_signing_secret.get_secret_value().encode()
        self.limiter = RateLimiter.from_settings(settings)
        token = settings.slack_bot_token.get_secret_value()
        base_url = settings.slack_api_url or WebClient.BASE_URL
        if not base_url.endswith("/"):
            base_url += "/"

        def authorize(enterprise_id: str | None, team_id: str | None) -> AuthorizeResult:
            # a single-workspace install: the configured token, with no auth.test call (design.md)
            return AuthorizeResult(enterprise_id=enterprise_id, team_id=team_id, bot_token=token)

        self.app = App(
            signing_secret=settings.slack_signing_secret.get_secret_value(),
            authorize=authorize,
            client=WebClient(base_url=base_url, timeout=30),
            ignoring_self_events_enabled=False,  # needs the bot's ids (auth.test); bot messages are skipped below
            logger=log,
        )
        self.app.command(self.command)(self.on_command)
        self.app.event("message")(self.on_message)
        self.app.event("app_mention")(self.on_mention)
        self.history = HistoryFiles(self, token, base_url)  # a brand's history file shared in a thread
        self.app.action(CONFIRM)(self.history.confirm)
        self.app.action(CANCEL)(self.history.cancel)

    async def handle(self, request: Request) -> Response:
        """The signature first, on the raw bytes; then the body must parse; then Bolt (which checks the
        signature again) dispatches in a worker thread while the event loop keeps serving."""
        body = await request.body()
        try:
            check_signature(self.secret, request.headers, body, time.time())
            text, _parsed = parse_body(body, request.headers.get("content-type"))
            bolt_request = BoltRequest(body=text, query=dict(request.query_params), headers=dict(request.headers))
        except BadRequest as exc:
            return _error(exc.status, exc.message)
        except (ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:  # signed, yet not Slack's shape
            log.warning("a signed Slack request with an unexpected body: %s", type(exc).__name__)
            return _error(400, "the request body is not a Slack payload")
        bolt_response: BoltResponse = await run_in_threadpool(self.app.dispatch, bolt_request)
        return to_starlette_response(bolt_response)

    # -- slash command --------------------------------------------------------------------------------
    def on_command(self, ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient,
                   request: BoltRequest) -> None:  # fmt: skip
        # Slack never resends a command: a second sight of one is a replay, acknowledged and ignored
        signature = (request.headers.get("x-slack-signature") or [""])[0]
        if not self.bot.store.claim_slack_event(f"cmd:{command.get('trigger_id') or 'sig:' + signature}"):
            ack()
            return
        team, user, channel = command["team_id"], command["user_id"], command["channel_id"]
        key, rest = _keyword(command.get("text") or "")
        words = messages(language_guess(rest) or "zh")
        if key == "help" or (key is None and not rest):
            ack(text=words["help"].format(command=self.command))
            return
        owner = self.bot.slack_owner(team, user)
        wait_s = self.limiter.owner(self.bot.store, owner)  # counted unless refused
        if wait_s > 0:
            ack(text=words["rate_limited"].format(seconds=retry_after_s(wait_s)))
            return
        latest = None
        if key in ("status", "link", "draft"):  # the commands that act on the user's latest conversation here
            latest = self.bot.store.latest_slack_thread(owner, team, channel)
        if key in ("status", "link"):
            ack(text=self._status(owner, latest, team, channel, key))
            return
        ack()
        try:
            if key == "draft":
                if latest is None:
                    respond(text=words["no_conversation"].format(command=self.command))
                    return
                draft = messages(self._language(owner, latest))["draft_word"]
                self._turn(client, owner, channel, latest, draft)
            else:
                language = rest if key == "new" and rest in ("zh", "en") else None
                self._open(client, respond, owner, team, channel, user, None if key == "new" else rest, language)
        except errors.PlanbotError as exc:
            respond(text=words["failed"].format(message=exc.message))
        except SlackApiError as exc:
            log.warning("Slack refused a call: %s", exc.response.get("error"))
            respond(text=words["failed"].format(message=f"Slack: {exc.response.get('error')}"))

    def _open(self, client: WebClient, respond: Respond, owner: str, team: str, channel: str, user: str,
              text: str | None, language: str | None) -> None:  # fmt: skip
        """A new conversation in a thread under a message the bot posts in the channel."""
        lang = language or language_guess(text or "") or "zh"
        words = messages(lang)
        opener = (words["opened_brief"].format(user=user, text=escape(text)) if text
                  else words["opened"].format(user=user))  # fmt: skip
        try:
            parent = client.chat_postMessage(channel=channel, text=opener)
        except SlackApiError as exc:
            if exc.response.get("error") in ("not_in_channel", "channel_not_found", "is_archived"):
                respond(text=words["not_in_channel"])
                return
            raise
        result = self.bot.start_session(owner, text, language)
        thread_ts = str(parent["ts"])
        self.bot.store.link_slack_thread(team, channel, thread_ts, result.session_id, owner, user)
        self._post(client, owner, channel, thread_ts, result)

    # -- thread replies and mentions ------------------------------------------------------------------
    def on_message(self, event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        shared = event.get("subtype") == "file_share" and event.get("files")  # a history file, perhaps
        if (event.get("subtype") and not shared) or event.get("bot_id") or not event.get("thread_ts") \
                or not event.get("user"):  # fmt: skip
            return  # edits, joins, bots (this one included) and top-level chatter
        team = context.team_id or event.get("team") or ""
        thread = self.bot.store.slack_thread(team, event["channel"], event["thread_ts"])
        if thread is not None:
            self._reply(client, team, event, thread)

    def on_mention(self, event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        if event.get("bot_id") or not event.get("user"):
            return
        team = context.team_id or event.get("team") or ""
        channel, thread_ts = event["channel"], event.get("thread_ts")
        thread = self.bot.store.slack_thread(team, channel, thread_ts) if thread_ts else None
        if thread is not None:
            self._reply(client, team, event, thread)  # whichever of message/app_mention comes first does it
            return
        if not self.bot.store.claim_slack_event(f"{channel}:{event['ts']}"):
            return
        owner = self.bot.slack_owner(team, event["user"])
        text = MENTION.sub("", event.get("text") or "").strip()
        parent = thread_ts or event["ts"]
        if self._limited(client, owner, channel, parent, lambda: language_guess(text) or "zh"):
            return
        try:
            result = self.bot.start_session(owner, text or None, None)
            self.bot.store.link_slack_thread(team, channel, parent, result.session_id, owner, event["user"])
            self._post(client, owner, channel, parent, result)
        except errors.PlanbotError as exc:
            self._say(client, channel, parent, messages(language_guess(text) or "zh")["failed"].format(
                message=exc.message))  # fmt: skip

    def _reply(self, client: WebClient, team: str, event: dict[str, Any], thread: SlackThreadInfo) -> None:
        channel = event["channel"]
        if not self.bot.store.claim_slack_event(f"{channel}:{event['ts']}"):
            return  # a retry, or the other event for the same message
        owner = self.bot.slack_owner(team, event["user"])
        if owner != thread.owner_id:
            lang = self._language(thread.owner_id, thread)
            text = messages(lang)["not_owner"].format(owner=thread.user_id, command=self.command)
            self._say(client, channel, thread.thread_ts, text)
            return
        if self._limited(client, owner, channel, thread.thread_ts, lambda: self._language(owner, thread)):
            return
        if history_file(event.get("files") or []) is not None:  # a CSV/XLSX shared in the thread: previewed
            self.history.shared(client, owner, event, thread)
            return
        self._turn(client, owner, channel, thread, MENTION.sub("", event.get("text") or "").strip())

    def _limited(self, client: WebClient, owner: str, channel: str, thread_ts: str, lang: Callable[[], str]) -> bool:
        """True when the owner is over the limit: then it is said in the thread, once until the limit lifts."""
        wait_s = self.limiter.owner(self.bot.store, owner)  # counted unless refused
        if wait_s <= 0:
            return False
        free_at = round(time.time() + wait_s)  # the same moment for every refusal until then
        if self.bot.store.claim_slack_event(f"slow:{owner}:{channel}:{thread_ts}:{free_at}"):
            text = messages(lang())["rate_limited"].format(seconds=retry_after_s(wait_s))
            self._say(client, channel, thread_ts, text)
        return True

    # -- doing a turn and showing it ------------------------------------------------------------------
    def _turn(self, client: WebClient, owner: str, channel: str, thread: SlackThreadInfo, text: str) -> None:
        try:
            result = self.bot.send_message(owner, thread.session_id, text)
        except errors.PlanbotError as exc:
            lang = self._language(owner, thread)
            self._say(client, channel, thread.thread_ts, messages(lang)["failed"].format(message=exc.message))
            return
        self._post(client, owner, channel, thread.thread_ts, result)

    def _post(self, client: WebClient, owner: str, channel: str, thread_ts: str, result: TurnResult) -> None:
        """The reply; after a draft or a revision also the summary blocks and the documents."""
        self._say(client, channel, thread_ts, escape(result.reply))
        if result.action not in ("draft", "revise") or result.plan is None:
            return
        plan = self.bot.get_plan(owner, result.plan.id, result.plan.version)
        link = self._link_url(owner, plan.id)
        client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=summary_text(plan),
                                blocks=plan_blocks(plan, result.changes, link))  # fmt: skip
        formats: tuple[Format, ...] = ("docx", "pdf") if result.action == "draft" else ("docx",)
        uploads = [{"file": self.bot.render(plan, fmt), "filename": filename(plan, fmt), "title": filename(plan, fmt)}
                   for fmt in formats]  # fmt: skip
        comment = messages(plan.language)["files"].format(version=plan.version)
        try:
            client.files_upload_v2(channel=channel, thread_ts=thread_ts, file_uploads=uploads, initial_comment=comment)
        except SlackApiError as exc:  # e.g. files:write missing: the summary is there, say why the files are not
            failed = messages(plan.language)["failed"].format(message=f"Slack: {exc.response.get('error')}")
            self._say(client, channel, thread_ts, failed)

    def _say(self, client: WebClient, channel: str, thread_ts: str, text: str) -> None:
        client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=text)

    # -- status and links -----------------------------------------------------------------------------
    def _language(self, owner: str, thread: SlackThreadInfo) -> str:
        return self.bot.conversation(owner, thread.session_id).brief.language

    def _link_url(self, owner: str, plan_id: str) -> str | None:
        if not self.settings.public_url or self.links is None:
            return None
        return f"{self.settings.public_url.rstrip('/')}/shared/{self.links.token(owner, plan_id)}"

    def _thread_link(self, team: str, channel: str, thread_ts: str) -> str:
        return f"https://slack.com/app_redirect?team={team}&channel={channel}&message_ts={thread_ts}"

    def _status(self, owner: str, latest: SlackThreadInfo | None, team: str, channel: str, key: str) -> str:
        if latest is None:
            return messages("zh")["no_conversation"].format(command=self.command)
        state = self.bot.conversation(owner, latest.session_id)
        brief = state.brief
        words = messages(brief.language)
        if key == "link":
            if state.plan_id is None:
                return words["no_plan"]
            url = self._link_url(owner, state.plan_id)
            return words["link"].format(version=state.plan_version, url=url) if url else words["link_unset"]
        names = dialogue(brief.language)["fields"]
        sep = "、" if brief.language == "zh" else ", "
        missing = brief.missing()
        if state.plan_id is not None:
            plan = self.bot.get_plan(owner, state.plan_id)
            cur = plan.currency
            said = words["status_plan"].format(version=plan.version, gmv=format_money(plan.funnel.year.gmv, cur),
                                                budget=format_money(plan.budget.total, cur))  # fmt: skip
        elif missing:
            said = words["status_missing"].format(fields=sep.join(names.get(f, f) for f in missing))
        else:
            said = words["status_ready"]
        return words["status"].format(link=self._thread_link(team, channel, latest.thread_ts), state=said)


def _error(status: int, message: str) -> JSONResponse:
    """The API's error shape (api/app.py): 401 unauthorized, 400 bad_input."""
    code = "unauthorized" if status == 401 else "bad_input"
    return JSONResponse({"error": {"code": code, "message": message, "details": None}}, status_code=status)

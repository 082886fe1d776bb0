"""A brand's sales and ad history in a conversation (issue 23): preview, attach, remove.

A preview reads the file and stores nothing. Attaching puts the `History` on the conversation's
brief and says in the chat what was recognised (the export's style, the months, the rows, the
figures); when the conversation already has a plan, its next version is drafted from the brief with
the history (a redraft that would say what the plan says makes no version, and the reply says so).
Removing takes it off the brief the same way. A file that cannot be read is refused with its row and
column named, in the conversation's language, and nothing in the conversation changes.

Every exchange is stored like a chat turn (store.commit_turn): the user's line names the file, the
assistant's line says what happened, the state and any new version in one transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from planbot import errors
from planbot.core import interview, revision_replies
from planbot.core.brief import STORED, Brief
from planbot.core.history.model import History
from planbot.core.plan import Plan
from planbot.core.plan_diff import Change, diff
from planbot.history_read import MAX_HISTORY_BYTES, HistoryFileError, Reading, read_history

if TYPE_CHECKING:
    from planbot.service import Planbot

log = logging.getLogger(__name__)
BriefChange = Callable[["interview.Conversation"], tuple[str, Brief, str]]  # state -> (user's line, brief, lead)
RETRIES = 5
FIGURES = ("gmv", "visitors", "orders", "buyers", "new_buyers")
WORDS: dict[str, dict[str, Any]] = yaml.safe_load((Path(__file__).with_name("histories.yaml")).read_text("utf-8"))


def words(language: str) -> dict[str, Any]:
    return WORDS["zh" if language == "zh" else "en"]


class HistoryRefused(errors.PlanbotError):
    """A history file that cannot be read: 422 on the API, a sentence in a chat; the message is in the
    user's language and names the row and column (details: the reader's code, row and column)."""

    code = "unreadable_file"


@dataclass(frozen=True)
class HistoryTurn:
    """What attaching or removing did: the exchange as a chat turn, and what was read (None when removed)."""

    session_id: str
    reply: str
    brief: Brief
    missing: list[str]
    plan: tuple[str, int] | None
    action: str
    changes: list[Change] = field(default_factory=list)
    reading: Reading | None = None


def file_name(name: str | None) -> str:
    """The file's own name, without a client's folders, at most 200 characters."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:200]
    return base or "history.csv"


def figures(history: History) -> list[str]:
    """The figures the history holds, in a fixed order (keys of WORDS[..]["figures"])."""
    found = [f for f in FIGURES if any(getattr(m, f) is not None for m in history.months)]
    if history.ads:
        found.append("ad_spend")
        if any(a.sales is not None for a in history.ads):
            found.append("ad_sales")
    return found


def summary(history: History, language: str, key: str = "attached") -> str:
    """One sentence: the file, its style, the months covered, the rows read and the figures; `key`
    "recognised" says it of a preview (nothing attached yet)."""
    w, src = words(language), history.source
    months = (src.last.year - src.first.year) * 12 + src.last.month - src.first.month + 1
    names = w["sep"].join(w["figures"][f] for f in figures(history)) or "—"
    return str(w[key]).format(
        file=src.file, style=w["styles"].get(src.style, src.style), first=src.first.strftime("%Y-%m"),
        last=src.last.strftime("%Y-%m"), months=months, rows=src.rows, figures=names,
    )  # fmt: skip


def refusal(exc: HistoryFileError, file: str, language: str) -> HistoryRefused:
    w = words(language)
    reason = exc.message(language).strip()
    if exc.row is not None and exc.column is not None:
        where = w["where"].format(row=exc.row, column=exc.column)
    elif exc.row is not None:
        where = w["where_row"].format(row=exc.row)
    elif exc.column is not None:
        where = w["where_column"].format(column=exc.column)
    else:
        where = ""
    # the reader's message may name the place already; say it once
    if where and (str(exc.row) not in reason or (exc.column is not None and str(exc.column) not in reason)):
        reason = reason.rstrip("。.") + where
    message = w["refused"].format(file=file, message=reason)
    return HistoryRefused(message, {"code": exc.code, "row": exc.row, "column": exc.column, "file": file})


def too_large(file: str, language: str) -> errors.TooLarge:
    mb = f"{MAX_HISTORY_BYTES / 1024 / 1024:g}"
    return errors.TooLarge(words(language)["too_large"].format(file=file, mb=mb), {"max_bytes": MAX_HISTORY_BYTES})


def read(name: str | None, data: bytes, currency: str | None, language: str) -> Reading:
    """The file read with the brief's currency; HistoryRefused or TooLarge (in `language`) when it cannot be."""
    file = file_name(name)
    if len(data) > MAX_HISTORY_BYTES:
        raise too_large(file, language)
    try:
        return read_history(file, data, currency)
    except HistoryFileError as exc:
        raise refusal(exc, file, language) from exc


def _state(bot: Planbot, owner: str, session_id: str) -> tuple[int, interview.Conversation]:
    info = bot.store.session(owner, session_id)
    return info.version, interview.Conversation.model_validate(info.state, context={STORED: True})


def language_of(state: interview.Conversation) -> str:
    return state.language or state.brief.language


def preview(bot: Planbot, owner: str, session_id: str, name: str | None, data: bytes) -> Reading:
    """What the file holds, read as attaching would read it; nothing is stored."""
    _, state = _state(bot, owner, session_id)
    return read(name, data, state.brief.currency, language_of(state))


def _redraft(
    bot: Planbot, state: interview.Conversation, plan: Plan | None, brief: Brief, lead: str
) -> tuple[interview.Conversation, str, Plan | None, list[Change], str]:
    """The conversation with `brief`; with a plan, its next version drafted from it (when it differs)."""
    state = state.model_copy(update={"brief": brief})
    w = words(language_of(state))
    if plan is None:
        return state, lead, None, [], "history"
    try:
        new = bot.build(brief, plan)
    except errors.Conflict:  # service.NothingChanged: the plan already says what the brief would make it say
        return state, f"{lead} {w['unchanged'].format(version=plan.version)}", None, [], "history"
    except errors.PlanbotError as exc:
        return state, f"{lead} {w['redraft_failed'].format(message=exc.message)}", None, [], "history"
    except Exception:  # a fault of ours: the history is kept, the plan stays, the user can ask again
        log.exception("redrafting with a history failed")
        failed = w["redraft_failed"].format(message=revision_replies.turn_failed(language_of(state)).rstrip("。."))
        return state, f"{lead} {failed}", None, [], "history"
    new_state, reply = interview.drafted(state, new, lead)
    return new_state, reply, new, diff(plan, new), "draft"


def _commit(bot: Planbot, owner: str, session_id: str, change: BriefChange, reading: Reading | None) -> HistoryTurn:
    """Apply `change(state) -> (user_text, brief, lead)` and store the exchange; retried when the
    conversation moved on meanwhile (another message in between)."""
    for _ in range(RETRIES):
        version, state = _state(bot, owner, session_id)
        user_text, brief, lead = change(state)
        plan = bot.store.plan(owner, state.plan_id) if state.plan_id else None
        new_state, reply, new_plan, changes, action = _redraft(bot, state, plan, brief, lead)
        stored = bot.store.commit_turn(
            owner, session_id, version, user_text, reply, new_state.model_dump(mode="json"), new_plan,
            [c.model_dump() for c in changes],
        )  # fmt: skip
        if stored:
            if new_plan is not None:
                bot.worker.wake()
            ref = (new_state.plan_id, new_state.plan_version) if new_state.plan_id and new_state.plan_version else None
            return HistoryTurn(session_id, reply, new_state.brief, new_state.brief.missing(), ref, action, changes,
                               reading)  # fmt: skip
    raise errors.Conflict("the session is busy with other messages; send the file again")


def attach(bot: Planbot, owner: str, session_id: str, name: str | None, data: bytes) -> HistoryTurn:
    """Read the file and put its history on the conversation's brief (replacing one attached before)."""
    _, state = _state(bot, owner, session_id)
    reading = read(name, data, state.brief.currency, language_of(state))  # refused before anything changes

    def change(state: interview.Conversation) -> tuple[str, Brief, str]:
        w, before = words(language_of(state)), state.brief.history
        lead = summary(reading.history, language_of(state))
        if before is not None and before.source.file != reading.history.source.file:
            lead = f"{lead} {w['replaced'].format(file=before.source.file)}"
        if state.plan_id is None:
            lead = f"{lead} {w['use_next']}"
        user = w["user_attached"].format(file=reading.history.source.file)
        return user, state.brief.model_copy(update={"history": reading.history}), lead

    return _commit(bot, owner, session_id, change, reading)


def remove(bot: Planbot, owner: str, session_id: str) -> HistoryTurn:
    """Take the history off the conversation's brief; NotFound when none is attached."""
    _, state = _state(bot, owner, session_id)
    if state.brief.history is None:
        raise errors.NotFound(words(language_of(state))["none"])

    def change(state: interview.Conversation) -> tuple[str, Brief, str]:
        w, before = words(language_of(state)), state.brief.history
        file = before.source.file if before is not None else "—"
        brief = state.brief.model_copy(update={"history": None})
        return w["user_removed"].format(file=file), brief, w["removed"].format(file=file)

    return _commit(bot, owner, session_id, change, None)


def attached(bot: Planbot, owner: str, session_id: str) -> History:
    """The history attached to the conversation; NotFound (in its language) when there is none."""
    _, state = _state(bot, owner, session_id)
    if state.brief.history is None:
        raise errors.NotFound(words(language_of(state))["none"])
    return state.brief.history

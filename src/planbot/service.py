"""Planbot: the one object every surface (CLI, REST API, web, Slack) calls.

It is the composition root: it picks the adapters (retriever, writer, store) from the settings,
runs the interview's actions (draft, revise, answer) and stores each turn atomically. Surfaces
pass an owner id; every read and write is scoped to it, so another owner gets "not found".
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from planbot import errors, histories
from planbot.config import Settings
from planbot.core import interview, revision_replies
from planbot.core.brief import STORED, Brief, Period
from planbot.core.builder import Builder
from planbot.core.controls import strip_controls
from planbot.core.edits import Edit
from planbot.core.instructions import parse_instructions
from planbot.core.language import language_guess
from planbot.core.offline_writer import OfflineWriter
from planbot.core.plan import Plan, PlanIssue
from planbot.core.plan_diff import Change, diff, unchanged
from planbot.core.validate import validate
from planbot.documents import Documents, RenderWorker
from planbot.guides import Guides
from planbot.history_read import Reading
from planbot.llm.deadline import MARGIN_S, Deadline, ModelCalls, request_deadline
from planbot.render import Format, render
from planbot.retrieval.fusion import Fusion
from planbot.retrieval.index import KnowledgeIndex
from planbot.service_desks import AccessDesk, KnowledgeDesk
from planbot.store.repository import LOCAL_OWNER as LOCAL_OWNER  # noqa: PLC0414 - the service names the local owner too
from planbot.store.repository import LinkInfo, MessageInfo, PlanInfo, SessionInfo, Store, VersionInfo

if TYPE_CHECKING:
    from planbot.core.history.model import History
    from planbot.llm.dialogue import LLMDialogue
    from planbot.llm.writer import LLMWriter

log = logging.getLogger(__name__)
Progress = Callable[[dict[str, str]], None]
TURN_RETRIES = 5


@dataclass(frozen=True)
class PlanRef:
    id: str
    version: int


@dataclass(frozen=True)
class TurnResult:
    session_id: str
    reply: str
    brief: Brief
    missing: list[str]
    plan: PlanRef | None
    action: str = "reply"
    changes: list[Change] = field(default_factory=list)


@dataclass(frozen=True)
class SessionView:
    info: SessionInfo
    brief: Brief
    missing: list[str]
    messages: list[MessageInfo]
    plan: PlanRef | None


class NothingChanged(errors.Conflict):
    """A revision that would leave the plan exactly as it is: no version is made.

    Chat answers it in words; the REST revisions route answers 409 `conflict` (details.reason
    "unchanged", details.version the version that stays current).
    """

    def __init__(self, plan: Plan, message: str | None = None) -> None:
        super().__init__(message or revision_replies.unchanged(plan), {"reason": "unchanged", "version": plan.version})


def _plan_ref(state: interview.Conversation) -> PlanRef | None:
    return PlanRef(state.plan_id, state.plan_version) if state.plan_id and state.plan_version else None


class _Locks:
    """One lock per key (session or plan), so turns of one session run one at a time in this process."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}

    def __call__(self, key: str) -> threading.Lock:
        with self._guard:
            if len(self._locks) > 10_000:
                self._locks = {k: v for k, v in self._locks.items() if v.locked()}
            return self._locks.setdefault(key, threading.Lock())


class Planbot(KnowledgeDesk, AccessDesk):
    def __init__(
        self,
        settings: Settings | None = None,
        index: KnowledgeIndex | None = None,
        store: Store | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.settings = settings or Settings()
        s = self.settings
        fusion = Fusion(s.search_rrf_k, s.search_dense_weight, s.search_bm25_weight, s.search_upload_boost,
                        s.search_expansion_weight, s.search_translation_weight)  # fmt: skip
        self.index = index or KnowledgeIndex(s.data_dir, s.chroma_url, embedding_cache=s.embedding_cache_dir,
                                             fusion=fusion)  # fmt: skip
        self._store = store
        self.clock = clock or (lambda: datetime.now(UTC))
        self.builder = Builder(self.index, OfflineWriter(), clock=self.clock)
        self.llm_writer: LLMWriter | None = None
        self.llm_dialogue: LLMDialogue | None = None
        if self.settings.llm_enabled:
            self._start_llm()
        self._knowledge_checked = False
        self._knowledge_lock = threading.Lock()
        self._locks = _Locks()
        self.guides = Guides(self.settings, self.index, lambda: self.store)
        # each saved version's documents: rendered in the background by a job, served from the database
        late = lambda plan, fmt: self.render(plan, fmt)  # noqa: E731, PLW0108 - bound late: tests count renders
        self.rendered = Documents(lambda: self.store, late, self.settings.render_processes)
        self.worker = RenderWorker(self.rendered, self.settings)

    def _start_llm(self) -> None:
        from planbot.llm.dialogue import LLMDialogue  # noqa: PLC0415 - LangChain/OpenAI load only in LLM mode
        from planbot.llm.writer import LLMWriter  # noqa: PLC0415

        s = self.settings
        calls = ModelCalls(s)
        self.llm_writer = LLMWriter(calls, s.prompts_dir, s.llm_model or "", s.llm_structured_method,
                                    s.llm_concurrency)  # fmt: skip
        self.llm_dialogue = LLMDialogue(calls, s.prompts_dir, s.llm_structured_method)

    def _deadline(self) -> AbstractContextManager[Deadline | None]:
        """LLM mode: one deadline for every model call of this request (timeout + 2 s), on every surface."""
        if self.llm_dialogue is None:
            return nullcontext()
        return request_deadline(self.settings.llm_timeout_s + MARGIN_S)

    def _parsers(self) -> dict[str, Any]:
        if self.llm_dialogue is None:
            return {}
        return {"extractor": self.llm_dialogue.extract, "instructions": self.llm_dialogue.instructions}

    def _polish(self, plan: Plan, progress: Progress | None = None) -> Plan:
        """LLM mode: the model rewrites the prose; a polished plan that fails validation is discarded."""
        if self.llm_writer is None:
            return plan
        guidance = {name: self.builder.guidance(name, plan.language) for name in plan.sections()}
        report = (
            (lambda name, used: progress({"section": name, "by": "llm" if used else "offline"})) if progress else None
        )
        polished = self.llm_writer.polish(plan, guidance, report)
        errors_found = [i for i in validate(polished, known_chunks=self.index.chunk_ids()) if i.severity == "error"]
        return plan if errors_found else polished

    def build(self, brief: Brief, base: Plan | None = None, progress: Progress | None = None) -> Plan:
        """A new plan, or the next version of `base` (keeping its overrides) from an updated brief;
        NothingChanged when that next version would say exactly what `base` says."""
        self.ensure_knowledge()
        if progress:
            progress({"stage": "drafting"})
        with self._deadline():
            if base is None:
                return self._polish(self.builder.build(brief), progress)
            new = self.builder.build(brief, base.overrides, base.id, base.version + 1)
            if unchanged(base, new):  # a redraft that says what the plan says already is no new version
                raise NothingChanged(base)
            return self._polish(new, progress)

    def warm_up(self) -> None:
        """Load what the first draft would otherwise wait for: the embedding model, the builder's
        retrieval, matplotlib and the CJK font (the preview's charts). Run in the background at start."""
        brief = Brief(platforms=["天猫"], period=Period.year(self.today().year + 1), budget_total=1_000_000,
                      gmv_target=10_000_000)  # fmt: skip
        try:
            self.ensure_knowledge()
            self.render(self.builder.build(brief), "html")
        except Exception:  # a failed warm-up only costs the first user some time
            log.warning("warm-up failed", exc_info=True)

    @property
    def store(self) -> Store:
        """Opened on first use: the CLI's draft/render/search never touch the database."""
        if self._store is None:
            self._store = Store.for_data_dir(self.settings.data_dir, self.settings.database_url)
        return self._store

    def today(self) -> date:
        return self.clock().date()

    # -- plans --------------------------------------------------------------------------------------
    def draft(self, brief: Brief) -> Plan:
        return self.build(brief)

    def revise(self, plan: Plan, edits: Sequence[Edit], progress: Progress | None = None) -> Plan:
        """The next version; NothingChanged (before any model is asked to word it) when the edits
        leave every figure, date and table as they are (adding a campaign the plan already has)."""
        self.ensure_knowledge()
        if progress:
            progress({"stage": "revising"})
        new = self.builder.revise(plan, edits)
        if unchanged(plan, new):
            raise NothingChanged(plan)
        with self._deadline():
            return self._polish(new, progress)

    def validate(self, plan: Plan) -> list[PlanIssue]:
        self.ensure_knowledge()
        return validate(plan, known_chunks=self.index.chunk_ids())

    def render(self, plan: Plan, fmt: Format) -> bytes:
        return render(plan, fmt)

    def document(self, plan: Plan, fmt: Format) -> bytes:
        """A stored plan version's document: rendered once (in the background), then served from the store."""
        return self.rendered.document(plan, fmt)

    def plan_document(self, owner: str, plan_id: str, fmt: Format, version: int | None = None) -> tuple[bytes, str]:
        """(bytes, file name) of the owner's plan version in `fmt`, from the store once rendered."""
        return self.rendered.owned(owner, plan_id, fmt, version, self.get_plan)

    def create_plan(self, owner: str, brief: Brief) -> tuple[Plan, list[PlanIssue]]:
        plan = self.draft(brief)
        self.store.save_plan(owner, plan)
        self.worker.wake()
        return plan, [i for i in self.validate(plan) if i.severity == "warning"]

    def get_plan(self, owner: str, plan_id: str, version: int | None = None) -> Plan:
        return self.store.plan(owner, plan_id, version)

    def plan_versions(self, owner: str, plan_id: str) -> list[VersionInfo]:
        return self.store.plan_versions(owner, plan_id)

    def plans(self, owner: str) -> list[PlanInfo]:
        return self.store.plans(owner)

    def delete_plan(self, owner: str, plan_id: str) -> None:
        """Delete a plan with its versions and share links; its conversation forgets it and can draft again."""
        with self._locks(f"plan:{plan_id}"):
            self.store.delete_plan(owner, plan_id)

    def share_plan(self, owner: str, plan_id: str) -> LinkInfo:
        return self.store.create_share_link(owner, plan_id)

    def share_links(self, owner: str, plan_id: str) -> list[LinkInfo]:
        return self.store.share_links(owner, plan_id)

    def revoke_share_link(self, owner: str, plan_id: str, link_id: str) -> LinkInfo:
        return self.store.revoke_share_link(owner, plan_id, link_id)

    def revise_plan(self, owner: str, plan_id: str, instruction: str) -> tuple[Plan, list[Change]]:
        """A new version from a plain-words instruction ("把直播预算提高到30%").

        There is no conversation here to confirm in, so an instruction that would not do what it
        says is refused, never applied: 409 `conflict` when its figure moves against its direction
        word ("提高到10%" of a channel at 38.72%: details.reason "against_direction"; the message says
        what it would do and how to ask for it plainly, "把天猫预算设为10%"), and 409 `conflict` when it
        would change nothing (details.reason "unchanged": 七夕 already in the plan) -- no version is
        made either way.
        """
        with self._locks(f"plan:{plan_id}"), self._deadline():
            plan = self.store.plan(owner, plan_id)
            parse = self.llm_dialogue.instructions if self.llm_dialogue else parse_instructions
            edits = parse(instruction, plan, self.today())
            if not edits:
                raise errors.BadInput(revision_replies.no_instruction(plan))
            keep, against, idle = revision_replies.review(plan, edits, instruction)
            if against:
                message = revision_replies.contradiction_error(plan, against[0], instruction, edits)
                raise errors.Conflict(message, {"reason": "against_direction", "version": plan.version})
            if not keep:
                raise NothingChanged(plan, revision_replies.unchanged(plan, idle))
            new = self.revise(plan, keep)
            changes = diff(plan, new)
            self.store.save_plan(owner, new, [c.model_dump() for c in changes])
            self.worker.wake()
            return new, changes

    # -- conversations ------------------------------------------------------------------------------
    def start_session(self, owner: str, text: str | None = None, language: str | None = None) -> TurnResult:
        lang = language if language in ("zh", "en") else (language_guess(text or "") or "zh")
        # a language chosen up front (web UI, `/plan new en`) is the default until a message shows one
        state = interview.Conversation(brief=Brief(language=lang))
        info = self.store.create_session(owner, state.model_dump(mode="json"), interview.greeting(lang))  # type: ignore[arg-type]
        if text and text.strip():
            return self.send_message(owner, info.id, text)
        return TurnResult(info.id, interview.greeting(lang), state.brief, state.brief.missing(), None)  # type: ignore[arg-type]

    def send_message(self, owner: str, session_id: str, text: str, progress: Progress | None = None) -> TurnResult:
        """One turn: understand, act, and store the exchange with the new state in one transaction.

        `progress` receives events while a draft is being written (drafting, then each section).
        """
        with self._locks(f"session:{session_id}"), self._deadline():
            for _ in range(TURN_RETRIES):
                info = self.store.session(owner, session_id)
                state = interview.Conversation.model_validate(info.state, context={STORED: True})
                plan = self.store.plan(owner, state.plan_id) if state.plan_id else None
                try:
                    result, new_plan, changes = self._turn(session_id, state, plan, text, progress)
                except errors.PlanbotError:
                    raise  # the database or the vector store is unavailable: the surface says so, nothing is stored
                except Exception:  # a fault of ours: say so, keep the message and the state, never wedge the session
                    log.exception("a turn of session %s failed", session_id)
                    reply = revision_replies.turn_failed(state.language or "zh")
                    result, new_plan, changes = {"state": state, "reply": reply, "action": "reply"}, None, []
                new_state = interview.Conversation.model_validate(result.pop("state"))
                title = strip_controls(new_state.brief.brand or text.strip()[:40]) if not info.title else None
                stored = self.store.commit_turn(
                    owner, session_id, info.version, text, result["reply"], new_state.model_dump(mode="json"),
                    new_plan, [c.model_dump() for c in changes], title,
                )  # fmt: skip
                if stored:
                    if new_plan is not None:
                        self.worker.wake()
                    return TurnResult(
                        session_id, result["reply"], new_state.brief, new_state.brief.missing(), _plan_ref(new_state),
                        result["action"], changes,
                    )  # fmt: skip
        raise errors.Conflict("the session is busy with other messages; send this one again")

    def _turn(
        self,
        session_id: str,
        state: interview.Conversation,
        plan: Plan | None,
        text: str,
        progress: Progress | None = None,
    ) -> tuple[dict[str, Any], Plan | None, list[Change]]:
        turn = interview.respond(state, text, self.today(), plan, **self._parsers())
        kind = turn.action.kind
        if kind == "answer":
            lang = turn.state.language or "zh"
            facts = interview.plan_facts(plan, text) if plan is not None else []
            passages = self.search(turn.action.query or text, k=2 if facts else 3)
            answer = self.llm_dialogue.answer(text, facts, passages, lang, plan) if self.llm_dialogue else None
            reply = interview.answered(passages, lang, facts, answer)
            return {"state": turn.state, "reply": reply, "action": kind}, None, []
        if kind == "revise" and plan is not None:
            try:
                new = self.revise(plan, turn.action.edits, progress)
            except NothingChanged as exc:  # no empty version: say so, the plan stays where it is
                return {"state": turn.state, "reply": exc.message, "action": "reply"}, None, []
            except errors.BadInput as exc:
                return (
                    {"state": turn.state, "reply": revision_replies.edit_failed(plan, exc.message), "action": "reply"},
                    None,
                    [],
                )
            changes = diff(plan, new)
            new_state, reply = interview.revised(turn.state, new, changes, turn.action.edits, text, turn.reply)
            return {"state": new_state, "reply": reply, "action": kind}, new, changes
        if kind == "draft":
            try:
                new = self.build(turn.state.brief, plan, progress)
            except (NothingChanged, errors.BadInput) as exc:  # no new version: say why in the reply
                said = f"{turn.reply} {exc.message}".strip()
                return {"state": turn.state, "reply": said, "action": "reply"}, None, []
            changes = diff(plan, new) if plan else []
            new_state, reply = interview.drafted(turn.state, new, turn.reply)
            return {"state": new_state, "reply": reply, "action": kind}, new, changes
        return {"state": turn.state, "reply": turn.reply, "action": "reply"}, None, []

    def conversation(self, owner: str, session_id: str) -> interview.Conversation:
        """What the assistant remembers of a session (brief, language, plan), without its messages."""
        stored = self.store.session(owner, session_id).state
        return interview.Conversation.model_validate(stored, context={STORED: True})

    def session(self, owner: str, session_id: str) -> SessionView:
        info = self.store.session(owner, session_id)
        state = interview.Conversation.model_validate(info.state, context={STORED: True})
        return SessionView(info, state.brief, state.brief.missing(), self.store.messages(owner, session_id),
                           _plan_ref(state))  # fmt: skip

    def sessions(self, owner: str) -> list[SessionInfo]:
        return self.store.sessions(owner)

    def rename_session(self, owner: str, session_id: str, title: str) -> None:
        title = strip_controls(title).strip()  # NUL and friends never reach a title
        if not title or len(title) > 200:
            raise errors.BadInput("a session title has 1 to 200 characters (control characters do not count)")
        self.store.rename_session(owner, session_id, title)

    def delete_session(self, owner: str, session_id: str) -> None:
        """Delete a conversation with its messages, Slack threads and the plans it made (versions, links)."""
        self.store.delete_session(owner, session_id)

    # -- a brand's sales and ad history (issue 23): the rules in planbot.histories -------------------
    def preview_history(self, owner: str, session_id: str, name: str | None, data: bytes) -> Reading:
        """What a history file holds, read with the conversation's currency; nothing is stored."""
        return histories.preview(self, owner, session_id, name, data)

    def attach_history(self, owner: str, session_id: str, name: str | None, data: bytes) -> histories.HistoryTurn:
        """Put the file's history on the conversation's brief (a plan gets its next version from it)."""
        with self._locks(f"session:{session_id}"):
            return histories.attach(self, owner, session_id, name, data)

    def session_history(self, owner: str, session_id: str) -> History:
        return histories.attached(self, owner, session_id)

    def delete_history(self, owner: str, session_id: str) -> histories.HistoryTurn:
        with self._locks(f"session:{session_id}"):
            return histories.remove(self, owner, session_id)

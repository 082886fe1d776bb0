"""The model in the conversation: reading briefs, turning revision requests into edits, answering questions.

Each is a drop-in for an offline counterpart and falls back to it. What the model read from a
message joins the brief only where the message says it (`core/extract/grounding.py`), and the
offline parse of the same words has the last say. A question (by the offline classifier) is never
sent for edits; proposed edits are used only when the message grounds them and the core can apply
them (`core/edit_grounding.py`), else the offline parser reads the message. An answer is shown
only if its figures come from the plan's facts or the passages and it contradicts no table of the
plan. Every call is bounded by the request's deadline (`llm/deadline.py`).
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from planbot.core.brief import BriefUpdate
from planbot.core.edit_grounding import usable
from planbot.core.edits import Edit
from planbot.core.extract import extract, language_of
from planbot.core.extract.grounding import grounded_update
from planbot.core.instructions import parse_instructions
from planbot.core.interview import is_question
from planbot.core.plan import Plan
from planbot.core.ports import Passage
from planbot.core.prose_check import allowed_figures, problems
from planbot.core.prose_claims import contradictions
from planbot.errors import BadInput
from planbot.llm.deadline import ModelCalls
from planbot.llm.prompts import render

if TYPE_CHECKING:
    from collections.abc import Sequence

    from langchain_core.language_models.chat_models import BaseChatModel

log = logging.getLogger(__name__)


class ExtractedBrief(BaseModel):
    """The brief fields a marketer's message states; anything not stated stays empty."""

    brand: str | None = None
    category: str | None = None
    platforms: list[str] = Field(default_factory=list)
    period_start: date | None = None
    period_end: date | None = None
    budget_total: float | None = None
    gmv_target: float | None = None
    gmv_last_year: float | None = None
    growth_rate: float | None = None
    aov: float | None = None
    cvr: float | None = None
    uv_last_year: float | None = None
    new_customers_target: float | None = None
    repurchase_rate: float | None = None
    currency: str | None = None
    audience: str | None = None
    campaigns: list[str] = Field(default_factory=list)
    unknown: list[str] = Field(default_factory=list)


class EditPlan(BaseModel):
    """Edit operations that carry out the marketer's request."""

    operations: list[Edit] = Field(default_factory=list)


class LLMDialogue:
    def __init__(self, calls: ModelCalls, prompts_dir: Path, method: str = "function_calling") -> None:
        self.calls = calls
        self.prompts_dir = prompts_dir
        self.method = method

    def _messages(self, language: str, prompt: str) -> list[Any]:
        from langchain_core.messages import HumanMessage, SystemMessage  # noqa: PLC0415

        return [SystemMessage(render(self.prompts_dir, "system", language=language)), HumanMessage(prompt)]

    def _structured(self, schema: type[BaseModel], language: str, prompt: str) -> Any:
        messages = self._messages(language, prompt)

        def run(model: BaseChatModel) -> Any:
            return model.with_structured_output(schema, method=self.method).invoke(messages)

        return self.calls.call(run)

    def extract(self, text: str, today: date, expecting: Sequence[str] = ()) -> BriefUpdate:
        offline = extract(text, today, expecting)
        prompt = render(self.prompts_dir, "extract", message=text, today=today.isoformat(), asked=list(expecting))
        try:
            found = self._structured(ExtractedBrief, language_of(text), prompt)
        except Exception as exc:  # the offline parse is always there
            log.warning("LLM extraction failed, offline only: %s", exc)
            return offline
        if not isinstance(found, ExtractedBrief):
            return offline
        return grounded_update(text, today, offline, found.model_dump())

    def instructions(self, text: str, plan: Plan, today: date) -> list[Edit]:
        """The edits the message asks for: the model's where the message grounds them all, else the offline parser's."""
        try:
            offline: list[Edit] = parse_instructions(text, plan, today)
            refused: BadInput | None = None
        except BadInput as exc:  # the offline reading is refused; the model may still read it right
            offline, refused = [], exc
        if not offline and refused is None and is_question(text):
            return []  # a question is answered, never turned into a revision
        prompt = render(
            self.prompts_dir, "revise", message=text, plan_title=plan.title, channels=plan.channels.items,
            campaigns=plan.calendar.campaigns, start=plan.period.start.isoformat(), end=plan.period.end.isoformat(),
        )  # fmt: skip
        try:
            proposed = self._structured(EditPlan, plan.language, prompt)
        except Exception as exc:
            log.warning("LLM revision parsing failed, offline parser used: %s", exc)
            proposed = None
        ops = list(proposed.operations) if isinstance(proposed, EditPlan) else []
        good = [e for e in ops if usable(e, text, plan)]
        if good and (len(good) == len(ops) or not offline):
            return good
        if ops and len(good) < len(ops):
            log.info("model edits not grounded in the message or not applicable; offline parser used")
        if refused is not None and not offline:
            raise refused
        return offline

    def answer(
        self, question: str, facts: list[str], passages: list[Passage], language: str, plan: Plan | None = None
    ) -> str | None:
        """A model answer whose figures all come from the facts or passages and that contradicts no
        table of the plan; None otherwise (the cited passages and facts are shown instead)."""
        prompt = render(self.prompts_dir, "answer", question=question, facts=facts, guidance=passages,
                        language=language)  # fmt: skip
        messages = self._messages(language, prompt)
        try:
            reply = self.calls.call(lambda model: model.invoke(messages))
        except Exception as exc:
            log.warning("LLM answer failed, passages shown instead: %s", exc)
            return None
        text = str(reply.content).strip()
        allowed = allowed_figures([*facts, *(p.text for p in passages), question])
        if problems(text, [], allowed, set(), language):
            return None
        return None if plan is not None and contradictions(text, plan) else text

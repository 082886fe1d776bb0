"""The model in the conversation: reading briefs, turning revision requests into edits, answering questions.

Each is a drop-in for an offline counterpart and falls back to it: the offline extractor still
runs and fills what the model missed, and where they disagree on a figure the literal parse of
what the user wrote wins (a model figure the text does not contain is dropped). Proposed edits
are applied by the core, which re-derives and validates every number.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from planbot.core import calendar as C
from planbot.core.brief import BriefUpdate
from planbot.core.catalog import platform_key, platform_name
from planbot.core.edits import Edit
from planbot.core.extract import AMOUNT_FIELDS, PERCENT_FIELDS, extract, language_of
from planbot.core.instructions import parse_instructions
from planbot.core.plan import Plan
from planbot.core.ports import Passage
from planbot.core.prose_check import allowed_figures, figures, problems
from planbot.llm.prompts import render

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel

log = logging.getLogger(__name__)
KNOWN_FIELDS = {*AMOUNT_FIELDS, *PERCENT_FIELDS, "brand", "category", "platforms", "period", "audience", "campaigns"}


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


def merge(text: str, offline: BriefUpdate, model: ExtractedBrief) -> BriefUpdate:
    """The model's fields where the text backs them, then the offline parse on top (literal wins)."""
    literal = figures(text)
    lang = language_of(text)
    values: dict[str, object] = {}
    for name in AMOUNT_FIELDS:
        v = getattr(model, name)
        if v is not None and v > 0 and f"#{round(v)}" in literal:
            values[name] = round(v)
    for name in PERCENT_FIELDS:
        v = getattr(model, name)
        if v is not None and f"%{Decimal(str(v)).normalize()}" in literal:
            values[name] = float(v)
    for name in ("brand", "category", "audience"):
        v = getattr(model, name)
        if v and v.strip() and v.strip() in text:  # names are copied from the message, never made up
            values[name] = v.strip()[:200]
    platforms = [platform_name(k, lang) for p in model.platforms if (k := platform_key(p))]
    if platforms:
        values["platforms"] = list(dict.fromkeys(platforms))
    campaigns = [C.SPECS[k].name(lang) for c in model.campaigns if (k := C.match_campaign(c))]
    if campaigns:
        values["campaigns"] = list(dict.fromkeys(campaigns))
    if model.period_start and model.period_end and model.period_start <= model.period_end:
        values["period"] = {"start": model.period_start, "end": model.period_end}
    if model.currency and model.currency.upper() in text.upper():
        values["currency"] = model.currency.upper()
    values.update(offline.values)
    for name in offline.rejected:  # "预算-500万": refused by the literal parse, never taken from the model
        values.pop(name, None)
    unknown = list(dict.fromkeys([*offline.unknown, *(u for u in model.unknown if u in KNOWN_FIELDS)]))
    return offline.model_copy(update={"values": values, "unknown": [u for u in unknown if u not in values]})


class LLMDialogue:
    def __init__(self, model: BaseChatModel, prompts_dir: Path, method: str = "function_calling") -> None:
        self.model = model
        self.prompts_dir = prompts_dir
        self.method = method

    def _structured(self, schema: type[BaseModel], language: str, prompt: str) -> Any:
        from langchain_core.messages import HumanMessage, SystemMessage  # noqa: PLC0415

        runnable = self.model.with_structured_output(schema, method=self.method)
        messages = [SystemMessage(render(self.prompts_dir, "system", language=language)), HumanMessage(prompt)]
        return runnable.invoke(messages)

    def extract(self, text: str, today: date, expecting: Sequence[str] = ()) -> BriefUpdate:
        offline = extract(text, today, expecting)
        prompt = render(self.prompts_dir, "extract", message=text, today=today.isoformat(), asked=list(expecting))
        try:
            found = self._structured(ExtractedBrief, language_of(text), prompt)
        except Exception as exc:  # the offline parse is always there
            log.warning("LLM extraction failed, offline only: %s", exc)
            return offline
        return merge(text, offline, found) if isinstance(found, ExtractedBrief) else offline

    def instructions(self, text: str, plan: Plan, today: date) -> list[Edit]:
        prompt = render(
            self.prompts_dir, "revise", message=text, plan_title=plan.title, channels=plan.channels.items,
            campaigns=plan.calendar.campaigns, start=plan.period.start.isoformat(), end=plan.period.end.isoformat(),
        )  # fmt: skip
        try:
            proposed = self._structured(EditPlan, plan.language, prompt)
        except Exception as exc:
            log.warning("LLM revision parsing failed, offline parser used: %s", exc)
            return parse_instructions(text, plan, today)
        if isinstance(proposed, EditPlan) and proposed.operations:
            return list(proposed.operations)
        return parse_instructions(text, plan, today)

    def answer(self, question: str, facts: list[str], passages: list[Passage], language: str) -> str | None:
        """A model answer whose figures all come from the facts or passages; None otherwise."""
        from langchain_core.messages import HumanMessage, SystemMessage  # noqa: PLC0415

        prompt = render(self.prompts_dir, "answer", question=question, facts=facts, guidance=passages,
                        language=language)  # fmt: skip
        try:
            reply = self.model.invoke([SystemMessage(render(self.prompts_dir, "system", language=language)),
                                       HumanMessage(prompt)])  # fmt: skip
        except Exception as exc:
            log.warning("LLM answer failed, passages shown instead: %s", exc)
            return None
        text = str(reply.content).strip()
        allowed = allowed_figures([*facts, *(p.text for p in passages), question])
        return None if problems(text, [], allowed, set(), language) else text

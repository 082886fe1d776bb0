"""Turning raw input (dicts, JSON, prose) into Briefs and Plans with messages a marketer understands.

Kept free of heavy imports so that every surface can reject bad input before loading the
knowledge index or a model.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import ValidationError

from planbot.core.brief import Brief
from planbot.core.extract import extract
from planbot.core.language import language_guess
from planbot.core.plan import Plan
from planbot.core.refusals import apply_update, note_said
from planbot.errors import BadInput


def describe_validation_error(exc: ValidationError) -> str:
    """One readable clause per problem: 'budget_total: Input should be greater than 0'."""
    parts = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err["loc"]) or "(root)"
        parts.append(f"{loc}: {err['msg']}")
    return "; ".join(parts)


def parse_brief(data: dict[str, Any]) -> Brief:
    try:
        return Brief.model_validate(data)
    except ValidationError as exc:
        raise BadInput("the brief is not valid: " + describe_validation_error(exc)) from exc


def brief_from_prose(text: str, today: date | None = None) -> Brief:
    if not text.strip():
        raise BadInput("the brief is empty: describe the business, platforms, period, budget and goal")
    update = extract(text, today)
    lang = language_guess(text) or "zh"
    brief, refused = apply_update(update, Brief(), lang)
    if brief is None or refused:  # "预算-500万" or "GMV目标1万": say which figure, in the notes' language
        raise BadInput(" ".join(refused.values()), {"fields": sorted(f for f in refused if f)})
    return note_said(brief, update.assumed, lang)


def parse_plan(raw: str | bytes) -> Plan:
    try:
        return Plan.model_validate_json(raw)
    except ValidationError as exc:
        raise BadInput("the plan does not follow the plan schema: " + describe_validation_error(exc)) from exc

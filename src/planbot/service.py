"""Planbot: the one object every surface (CLI now; API, web and Slack later) calls.

It is the composition root: it picks the adapters (retriever, writer) from the settings and
turns domain errors into PlanbotError codes the surfaces map to their own terms.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any, Literal

from pydantic import ValidationError

from planbot.config import Settings
from planbot.core.brief import Brief
from planbot.core.builder import Builder
from planbot.core.edits import Edit
from planbot.core.extract import brief_from_text
from planbot.core.offline_writer import OfflineWriter
from planbot.core.plan import Plan, PlanIssue
from planbot.core.validate import validate
from planbot.errors import BadInput
from planbot.render.html import render_html
from planbot.render.markdown import render_markdown
from planbot.retrieval.memory import MemoryRetriever

Format = Literal["md", "html", "json"]
FORMATS: tuple[Format, ...] = ("md", "html", "json")


def describe_validation_error(exc: ValidationError) -> str:
    """One readable line per problem: 'budget_total: Input should be greater than 0'."""
    parts = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err["loc"]) or "(root)"
        parts.append(f"{loc}: {err['msg']}")
    return "; ".join(parts)


class Planbot:
    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self.retriever = MemoryRetriever.from_dir(self.settings.knowledge_dir)
        self.builder = Builder(self.retriever, OfflineWriter())

    # -- briefs -------------------------------------------------------------------------------------
    def parse_brief(self, data: dict[str, Any]) -> Brief:
        try:
            return Brief.model_validate(data)
        except ValidationError as exc:
            raise BadInput("the brief is not valid: " + describe_validation_error(exc)) from exc

    def brief_from_text(self, text: str, today: date | None = None) -> Brief:
        if not text.strip():
            raise BadInput("the brief is empty: describe the business, platforms, period, budget and goal")
        return brief_from_text(text, today)

    # -- plans --------------------------------------------------------------------------------------
    def draft(self, brief: Brief) -> Plan:
        return self.builder.build(brief)

    def revise(self, plan: Plan, edits: Sequence[Edit]) -> Plan:
        return self.builder.revise(plan, edits)

    def parse_plan(self, raw: str | bytes) -> Plan:
        try:
            return Plan.model_validate_json(raw)
        except ValidationError as exc:
            raise BadInput("the plan does not follow the plan schema: " + describe_validation_error(exc)) from exc

    def validate(self, plan: Plan) -> list[PlanIssue]:
        return validate(plan, known_chunks=self.retriever.chunk_ids())

    def render(self, plan: Plan, fmt: Format) -> str:
        if fmt == "md":
            return render_markdown(plan)
        if fmt == "html":
            return render_html(plan)
        return plan.model_dump_json(indent=2)

    @staticmethod
    def schema(kind: Literal["plan", "brief"]) -> str:
        model = Plan if kind == "plan" else Brief
        return json.dumps(model.model_json_schema(), ensure_ascii=False, indent=2)

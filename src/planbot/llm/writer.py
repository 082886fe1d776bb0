"""The LLM writer: rewrites each section's prose with a model, concurrently, checked against the builder.

The builder has already computed the plan and the offline writer's text for every section. Each
section is sent to the model with its facts, that draft and its guide passages (delimited as
untrusted material). An answer is used only if it states no figure the builder or the guides did
not write, cites only the passages it was given and is in the plan's language; otherwise it is
repaired once with the checker's message, and if that fails too (or the model errs or is slow)
the offline text stays and the plan says which sections fell back. Sections run in parallel
(bounded), and the whole rewrite is bounded by the request's deadline (`llm/deadline.py`): a
section still out when it passes keeps the offline text, and its thread makes no further call.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextvars import copy_context
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from planbot.core.citation_support import supports
from planbot.core.numbers import format_money, format_percent
from planbot.core.plan import Citation, Generation, Plan, PlanIssue
from planbot.core.playbook import playbook
from planbot.core.ports import Passage
from planbot.core.prose_check import allowed_figures, problems
from planbot.core.prose_claims import contradictions
from planbot.llm.deadline import DeadlinePassed, ModelCalls, current, request_deadline
from planbot.llm.prompts import render
from planbot.render.formatting import labels

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel


class SectionProse(BaseModel):
    """The prose of one section of a marketing plan."""

    text: str = Field(description="the section prose, plain text")
    citations: list[str] = Field(default_factory=list, description="ids of the guide passages used")


@dataclass
class Outcome:
    section: str
    text: str | None = None
    citations: list[str] = field(default_factory=list)
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    problem: str = ""


def plan_facts(plan: Plan) -> list[str]:
    """The headline figures every section may use, formatted as the plan shows them."""
    cur, y = plan.currency, plan.funnel.year
    facts = [
        f"period: {plan.period.start.isoformat()} – {plan.period.end.isoformat()}",
        f"total budget: {format_money(plan.budget.total, cur)}; reserve {format_money(plan.budget.reserve, cur)}; "
        f"allocated {format_money(plan.budget.allocated, cur)}"
        + (f"; media {format_money(plan.budget.media, cur)}" if plan.budget.media is not None else ""),
        f"GMV target: {format_money(y.gmv, cur)}; UV {y.uv:,}; CVR {format_percent(y.cvr, 2)}; "
        f"AOV {format_money(y.aov, cur)}; orders {y.orders:,}",
    ]
    f = plan.funnel
    facts.append(
        f"MER (GMV / total budget): {f.roas:g}" + (f"; ad ROAS (paid GMV / media): {f.ad_roas:g}" if f.ad_roas else "")
    )
    facts += [
        f"channel {c.name}: {format_percent(c.share, 2)} of media, {format_money(c.amount, cur)}"
        + (f", ad ROAS {c.roas:g}" if c.roas is not None else "")
        for c in plan.channels.items
    ]
    facts += [
        f"campaign {c.name}: {c.day.isoformat()}, budget {format_money(c.budget, cur)}" for c in plan.calendar.campaigns
    ]
    return facts


def section_facts(plan: Plan, section: str) -> list[str]:
    """What the playbooks put into this section (the category's facts, the platforms' tools, rules and
    data, the category's risks), given to the model as facts it may restate, never as instructions."""
    s = plan.situation
    by_section: dict[str, list[str]] = {
        "situation": [f"market: {s.market}", f"audience: {s.audience.description}",
                      *(f"data to pull: {d}" for d in s.data_sources),
                      *(f"strength: {x}" for x in s.swot.strengths), *(f"weakness: {x}" for x in s.swot.weaknesses),
                      *(f"opportunity: {x}" for x in s.swot.opportunities), *(f"threat: {x}" for x in s.swot.threats)],
        "strategy": [*(f"product: {x}" for x in plan.strategy.product), *(f"place: {x}" for x in plan.strategy.place),
                     *(f"promotion: {x}" for x in plan.strategy.promotion)],
        "channels": [f"channel {c.name}: {c.role}; " + "; ".join(c.tactics) for c in plan.channels.items],
        "always_on": [f"{i.area} ({i.cadence}): " + "; ".join(i.actions) for i in plan.always_on.items],
        "risks": [f"risk {r.risk}: trigger {r.trigger}; response {r.response}" for r in plan.risks.items],
        "measurement": [f"dashboard: {d}" for d in plan.measurement.dashboards],
    }  # fmt: skip
    return by_section.get(section, [])


class LLMWriter:
    def __init__(
        self, calls: ModelCalls, prompts_dir: Path, model_name: str, method: str = "function_calling",
        concurrency: int = 6,
    ) -> None:  # fmt: skip
        self.calls = calls
        self.prompts_dir = prompts_dir
        self.model_name = model_name
        self.method = method
        self.concurrency = concurrency

    # -- one section --------------------------------------------------------------------------------
    def _call(self, messages: list[Any], out: Outcome) -> tuple[SectionProse | None, str]:
        def run(model: BaseChatModel) -> Any:
            return model.with_structured_output(SectionProse, method=self.method, include_raw=True).invoke(messages)

        result: dict[str, Any] = self.calls.call(run)
        out.calls += 1
        usage = getattr(result.get("raw"), "usage_metadata", None) or {}
        out.prompt_tokens += int(usage.get("input_tokens", 0))
        out.completion_tokens += int(usage.get("output_tokens", 0))
        parsed = result.get("parsed")
        if not isinstance(parsed, SectionProse):
            return None, f"the answer did not follow the schema ({result.get('parsing_error')})"
        return parsed, ""

    def write_section(self, plan: Plan, section: str, guidance: list[Passage]) -> Outcome:
        from langchain_core.messages import AIMessage, HumanMessage, SystemMessage  # noqa: PLC0415

        out = Outcome(section)
        draft = plan.sections()[section].text
        facts = plan_facts(plan) + section_facts(plan, section)
        allowed = allowed_figures([draft, *facts, *(p.text for p in guidance)])
        allowed_ids = {p.chunk_id for p in guidance}
        title = labels(plan.language)["sections"][section]
        values = {"language": plan.language, "section_title": title, "plan_title": plan.title}
        messages: list[Any] = [
            SystemMessage(render(self.prompts_dir, "system", language=plan.language)),
            HumanMessage(render(self.prompts_dir, "section", facts=facts, draft=draft, guidance=guidance, **values)),
        ]
        for _attempt in range(2):
            try:
                parsed, problem = self._call(messages, out)
            except DeadlinePassed:
                out.problem = f"no answer within {self.calls.timeout_s:g} s"
                return out
            except Exception as exc:  # transport errors, timeouts, refusals: the offline text stays
                out.problem = f"{type(exc).__name__}: {str(exc)[:200]}"
                return out
            if parsed is not None:
                found = problems(parsed.text, parsed.citations, allowed, allowed_ids, plan.language)
                found += contradictions(parsed.text, plan)
                if not found:
                    out.text, out.citations, out.problem = (
                        parsed.text.strip(),
                        list(dict.fromkeys(parsed.citations)),
                        "",
                    )
                    return out
                problem = "; ".join(found)
            out.problem = problem
            messages += [
                AIMessage(parsed.text if parsed is not None else "(no valid answer)"),
                HumanMessage(render(self.prompts_dir, "repair", problem=problem, **values)),
            ]
        return out

    # -- the plan -----------------------------------------------------------------------------------
    def polish(
        self, plan: Plan, guidance: dict[str, list[Passage]], on_section: Callable[[str, bool], None] | None = None
    ) -> Plan:
        """The plan with model-written prose where it passed the checks; the rest unchanged.

        `on_section(name, used)` is called as each section finishes (the API streams it as progress).
        """
        with request_deadline(self.calls.budget_s()):
            return self._polish(plan, guidance, on_section)

    def _polish(
        self, plan: Plan, guidance: dict[str, list[Passage]], on_section: Callable[[str, bool], None] | None
    ) -> Plan:
        start = time.monotonic()
        deadline = current()
        assert deadline is not None
        sections = list(plan.sections())
        pool = ThreadPoolExecutor(max_workers=min(self.concurrency, len(sections)), thread_name_prefix="llm")
        # each thread runs in a copy of this context: it sees (and is bound by) the request's deadline
        futures = {pool.submit(copy_context().run, self.write_section, plan, s, guidance.get(s, [])): s
                   for s in sections}  # fmt: skip
        outcomes: dict[str, Outcome] = {}
        try:
            for f in as_completed(futures, timeout=max(0.0, deadline.remaining())):
                if f.exception() is None:
                    outcomes[futures[f]] = f.result()
                if on_section is not None:
                    o = outcomes.get(futures[f])
                    on_section(futures[f], o is not None and o.text is not None)
        except TimeoutError:
            pass  # stragglers are abandoned, not awaited; their sections keep the offline text
        pool.shutdown(wait=False, cancel_futures=True)

        updated: dict[str, Any] = {}
        sources = list(plan.sources)
        known = {s.chunk_id for s in sources}
        by_id = {p.chunk_id: p for ps in guidance.values() for p in ps}
        fallbacks: list[str] = []
        reasons: dict[str, str] = {}
        for name in sections:
            o = outcomes.get(name)
            if o is None or o.text is None:
                fallbacks.append(name)
                reasons[name] = o.problem if o is not None else f"no answer within {self.calls.timeout_s:g} s"
                continue
            cites = [c for c in o.citations if c in by_id and supports(by_id[c].text, o.text)]  # ones it rests on
            updated[name] = plan.sections()[name].model_copy(update={"text": o.text, "citations": cites})
            for cid in cites:
                if cid not in known:
                    p = by_id[cid]
                    sources.append(Citation(chunk_id=cid, doc_id=p.doc_id, title=p.title, snippet=p.text[:240]))
                    known.add(cid)
        calls = list(outcomes.values())
        generation = Generation(
            engine="llm",
            model=self.model_name,
            calls=sum(o.calls for o in calls),
            prompt_tokens=sum(o.prompt_tokens for o in calls),
            completion_tokens=sum(o.completion_tokens for o in calls),
            fallbacks=fallbacks,
            reasons=reasons,
            seconds=round(time.monotonic() - start, 3),
        )
        warnings = list(plan.warnings)
        if fallbacks:
            names = labels(plan.language)["sections"]
            sep = "、" if plan.language == "zh" else ", "
            message = playbook(plan.language)["warnings"]["llm_fallback"].format(
                sections=sep.join(names[s] for s in fallbacks)
            )
            warnings.append(PlanIssue(severity="warning", rule="llm_fallback", path="", message=message))
        return plan.model_copy(update={**updated, "sources": sources, "warnings": warnings, "generation": generation})

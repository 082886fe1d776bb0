"""The dialogue policy: conversation state + one message -> the reply and what to do next.

Pure: it never builds, stores or retrieves. It returns an Action (draft, revise with edits,
answer a question) that the service carries out, then the service asks this module to word the
result (drafted / revised / answered). Everything the user said lives in the Brief of the state,
so a bad value in one message is refused with a sentence and loses nothing said before.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from planbot.core import calendar as C
from planbot.core.answers import bare_name, corrected_fields
from planbot.core.brief import Assumption, Brief, Language, Period
from planbot.core.catalog import CHANNEL_ALIASES, find_in_text
from planbot.core.edits import Edit
from planbot.core.extract import AMOUNT_FIELDS, extract
from planbot.core.instructions import (
    parse_instructions,
    refine,
)
from planbot.core.kpi import DEFAULT_AOV, DEFAULT_CVR, DEFAULT_REPURCHASE
from planbot.core.language import first_language, language_guess
from planbot.core.numbers import format_money, format_percent
from planbot.core.plan import Plan
from planbot.core.plan_diff import Change
from planbot.core.ports import Extractor, InstructionParser, Passage
from planbot.core.refusals import apply_update, note_said
from planbot.core.revision_replies import (
    after_draft_help,
    contradiction,
    edit_failed,
    examples,
    no_instruction,
    platform_note,
    reasons,
    review,
    unchanged,
)
from planbot.core.wording import dialogue
from planbot.errors import BadInput

MAX_MESSAGE_CHARS = 4000
_DRAFT = re.compile(
    r"(生成|出(一份|个)?方案|做方案|写方案|起草|开始吧|就这样|可以了|没了|重新生成|"
    r"\bdraft\b|\bgenerate\b|write (it|the plan)|go ahead|let'?s go|that'?s all|(make|create) the plan)",
    re.I,
)
_QUESTION = re.compile(
    r"([?？]\s*$|^\s*(什么|怎么|为什么|如何|哪些|哪个|是否|能不能|可以|有没有|how|what|why|which|when|should|can|does|is)\b)",
    re.I,
)
_HAS_WORDS = re.compile(r"[\w\u4e00-\u9fff]")
_YES_WORD = (
    r"(?:是|是的|对|对的|好|好的|好吧|行|可以|确认|确定|没错|嗯+|就这样|设吧|改吧|照这样|"
    r"yes|y|yeah|yep|yup|ok|okay|sure|confirm|correct|right|do\s+it|go\s+ahead|please|please\s+do|set\s+it)"
)
# A reply to "reply yes to set it to 10%": nothing but yes-words ("好的，就这样", "yes please").
_YES = re.compile(rf"^[\s,，.。!！~]*{_YES_WORD}(?:[\s,，、.。!！~]*{_YES_WORD})*[\s,，.。!！~]*$", re.I)
_NO = re.compile(
    r"^[\s,，.。!！~]*(?:不|不用|不要|不是|不对|别|算了|取消|不改了?|no|nope|cancel|never\s*mind|don'?t|leave\s+it)"
    r"[\s,，.。!！~]*(?:了|吧|thanks|thank\s+you)?[\s,，.。!！~]*$",
    re.I,
)
# "不知道 / not sure" with nothing else in it: after a draft it asks what to do next, not about a field.
_UNSURE = re.compile(
    r"(不知道|不清楚|不确定|说不好|没想好|不懂|随便|都行|你定|你来定|看着办|怎么办|然后呢|接下来呢|"
    r"not\s+sure|don'?t\s+know|do\s+not\s+know|no\s+idea|\bidk\b|dunno|unsure|no\s+clue|whatever|"
    r"up\s+to\s+you|you\s+decide|what\s+now|now\s+what|what\s+next|\bhelp\b)",
    re.I,
)
REQUIRED = ("platforms", "period", "budget_total", "gmv_target")
OPTIONAL_DEFAULTS = ("cvr", "aov", "repurchase_rate")


class Conversation(BaseModel):
    """What the assistant remembers about one conversation (stored as JSON with the session)."""

    model_config = ConfigDict(extra="forbid")

    language: Language | None = None
    brief: Brief = Field(default_factory=Brief)
    asked: list[str] = Field(default_factory=list)  # the fields the last reply asked for
    last_set: list[str] = Field(default_factory=list)  # the fields the last message set
    brand_asked: bool = False  # the brand is asked for once; without one the plan says "（品牌名待确认）"
    plan_id: str | None = None
    plan_version: int | None = None
    # edits that went against the words' direction ("提高到10%" that would lower): applied on a yes
    # to the question about them, dropped by any other message; valid for plan_version only
    pending: list[Edit] = Field(default_factory=list)
    pending_version: int | None = None


class Action(BaseModel):
    kind: Literal["reply", "draft", "revise", "answer"] = "reply"
    edits: list[Edit] = Field(default_factory=list)
    query: str | None = None


class Turn(BaseModel):
    state: Conversation
    reply: str
    action: Action = Field(default_factory=Action)


def greeting(language: Language = "zh") -> str:
    return str(dialogue(language)["greeting"])


def _value_text(field: str, brief: Brief, lang: str) -> str:
    value = getattr(brief, field)
    sep = "、" if lang == "zh" else ", "
    names: dict[str, str] = dialogue(lang)["values"]
    if field in ("market", "goal_focus"):
        return sep.join(names.get(v, v) for v in ([value] if isinstance(value, str) else value))
    if field in ("gmv_target", "gmv_last_year", "budget_total", "aov"):
        return format_money(value, brief.currency)
    if field in ("cvr", "growth_rate", "repurchase_rate"):
        return format_percent(value, 2)
    if field == "period" and value is not None:
        return f"{value.start.isoformat()} – {value.end.isoformat()}"
    if isinstance(value, list):
        return sep.join(str(v) for v in value)
    if field in ("uv_last_year", "new_customers_target"):
        return f"{value:,}"
    return str(value)


class BriefRow(BaseModel):
    """One line of the brief as a surface shows it: what is known, what is still needed, what was assumed."""

    field: str
    label: str
    value: str | None
    required: bool
    assumption: str | None = None  # why the value was filled in for the user


PANEL_FIELDS = ("brand", "category", "market", "platforms", "period", "gmv_target", "gmv_last_year", "growth_rate",
                "budget_total", "aov", "cvr", "repurchase_rate", "new_customers_target", "uv_last_year",
                "campaigns", "channels", "goal_focus", "audience")  # fmt: skip


def brief_rows(brief: Brief, lang: str) -> list[BriefRow]:
    """The brief for a side panel: required fields always, others once known or assumed."""
    names = dialogue(lang)["fields"]
    missing = set(brief.missing())
    assumed = {a.field: a for a in brief.assumptions}
    rows: list[BriefRow] = []
    for field in (*PANEL_FIELDS, *(f for f in assumed if f not in PANEL_FIELDS)):
        value = getattr(brief, field, None)
        note = assumed.get(field)
        if value is not None and value != []:
            text: str | None = _value_text(field, brief, lang)
        elif note is not None and note.value != "—":
            text = note.value
        elif field in missing or note is not None:
            text = None
        else:
            continue
        rows.append(BriefRow(field=field, label=names.get(field, field), value=text, required=field in missing,
                             assumption=note.reason if note else None))  # fmt: skip
    return rows


def _default_text(field: str, brief: Brief) -> str:
    if field == "cvr":
        return format_percent(DEFAULT_CVR[brief.market], 2)
    if field == "aov":
        return format_money(DEFAULT_AOV.get(brief.currency, 200), brief.currency)
    return format_percent(DEFAULT_REPURCHASE, 2)


def _unknowns(brief: Brief, fields: list[str], lang: str, today: date) -> tuple[Brief, list[str]]:
    """Record what the user doesn't know: guide defaults as assumptions, or say why we can't assume."""
    d = dialogue(lang)
    names = d["fields"]
    notes: list[str] = []
    assumptions = [a for a in brief.assumptions if a.field not in fields]
    reason = "用户表示不清楚，按指南默认值估算" if lang == "zh" else "you said you didn't know; the guides' default"
    for field in fields:
        if field in OPTIONAL_DEFAULTS:
            value = _default_text(field, brief)
            assumptions.append(Assumption(field=field, value=value, reason=reason))
            notes.append(d["assumed"].format(field=names[field], value=value))
        elif field == "period":
            period = Period.year(today.year + 1)
            brief = brief.model_copy(update={"period": period})
            assumptions.append(Assumption(field="period", value=_value_text("period", brief, lang), reason=reason))
            notes.append(d["unknown_required"]["period"].format(start=period.start, end=period.end))
        elif field in d["unknown_required"]:
            notes.append(d["unknown_required"][field])
        else:
            assumptions.append(Assumption(field=field, value="—", reason=reason))
            notes.append(d["assumed_later"].format(field=names.get(field, field)))
    return brief.model_copy(update={"assumptions": assumptions}), notes


def _ask(brief: Brief, lang: str) -> tuple[str, list[str]]:
    d = dialogue(lang)
    missing = brief.missing()
    if not missing:
        return d["ready"], []
    asked = missing[:2]
    return d["ask_prefix"] + " ".join(d["questions"][f] for f in asked), asked


def is_question(text: str) -> bool:
    """A question about the plan or the trade ("双11预算多少？"), not a request to draft or change it."""
    return bool(_QUESTION.search(text)) and not _DRAFT.search(text)


def respond(
    state: Conversation,
    text: str,
    today: date,
    plan: Plan | None = None,
    extractor: Extractor = extract,
    instructions: InstructionParser = parse_instructions,
) -> Turn:
    """The next reply and action for one user message (extractor and parser: offline unless given)."""
    lang: Language = language_guess(text) or state.language or first_language(text) or state.brief.language
    d = dialogue(lang)
    if not _HAS_WORDS.search(text):
        return Turn(state=state.model_copy(update={"language": lang}), reply=d["empty"])
    if len(text) > MAX_MESSAGE_CHARS:
        return Turn(state=state, reply=d["too_long"].format(n=len(text), limit=MAX_MESSAGE_CHARS))
    state = state.model_copy(update={"language": lang})

    if plan is not None:
        pending = state.pending if state.pending_version == plan.version else []
        state = state.model_copy(update={"pending": [], "pending_version": None})  # one answer, then it's gone
        if pending and _YES.match(text):
            return Turn(state=state, reply="", action=Action(kind="revise", edits=pending))
        if pending and _NO.match(text):
            return Turn(state=state, reply=dialogue(plan.language)["pending_dropped"].format(version=plan.version))
        try:
            edits = instructions(text, plan, today)
            if not edits and len(pending) == 1 and (figure := refine(pending[0], text, plan, today)) is not None:
                edits = [figure]  # "or tell me the share you want": "20%"
        except BadInput as exc:
            return Turn(state=state, reply=edit_failed(plan, exc.message))  # the message is in the plan's language
        if edits:
            return _revision(state, plan, edits, text)

    asking = is_question(text)
    # after a draft nothing is being asked: a bare figure or "not sure" is about no field
    # a loose figure answers only the question just asked: it never replaces a value the user stated
    expecting = [] if asking or plan is not None else [f for f in state.asked if getattr(state.brief, f) in (None, [])]
    update = extractor(text, today, expecting)
    if update.correction and not asking:  # "actually make it $600k" corrects what was just said, not what was asked
        said_which = any(f in update.values for f in AMOUNT_FIELDS)  # "no wait, last year was 1.6M": it says which
        guesses = [] if said_which else corrected_fields(state.brief, text)
        update = extractor(text, today, [*state.last_set, *state.asked, *guesses])
    update.values.pop("language", None)
    if "brand" in expecting and "brand" not in update.values and (name := bare_name(text, _DRAFT, _UNSURE, _NO, _YES)):
        update.values["brand"] = name  # the answer to "品牌叫什么？": "青禾" / "Toastie"
    if plan is not None and isinstance(named := update.values.get("campaigns"), list):
        # "Prime Day 的预算多少？" names a campaign the plan has: nothing new (a brief of only that
        # campaign would drop the others the plan has on the guides' advice)
        have = {c.key for c in plan.calendar.campaigns}
        new = [n for n in named if C.match_campaign(str(n)) not in have]
        update.values["campaigns"] = new
        if not new:
            update.values.pop("campaigns")
    new_fields = [k for k in update.values if k not in ("market", "currency") or k in state.brief.model_fields_set]
    brief, refused = apply_update(update, state.brief, lang)
    if brief is None:
        return Turn(state=state, reply=" ".join(refused.values()))
    brief = note_said(brief, update.assumed, lang)
    missing = state.brief.missing()  # "not sure" never takes back a required field the user gave
    unknown = [f for f in update.unknown if f not in REQUIRED or f in missing]
    brief, notes = _unknowns(brief, unknown, lang, today)
    changed = [f for f in dict.fromkeys(new_fields) if getattr(brief, f) != getattr(state.brief, f)]
    removed = [f for f in update.removed if getattr(brief, f) != getattr(state.brief, f)]
    state = state.model_copy(update={"brief": brief, "last_set": changed or state.last_set})

    parts: list[str] = []
    shown = [f for f in dict.fromkeys([*changed, *removed]) if f in d["fields"] and f not in ("market", "goal_focus")]
    if shown:
        sep = "；" if lang == "zh" else "; "
        items = sep.join(f"{d['fields'][f]} {_value_text(f, brief, lang)}" for f in shown)
        parts.append(d["understood"].format(items=items))
    parts += notes
    parts += refused.values()

    wants_draft = bool(_DRAFT.search(text))
    if asking and not changed and not unknown:
        return Turn(state=state, reply="", action=Action(kind="answer", query=text))
    if plan is not None and (changed or removed or wants_draft):
        return Turn(state=state, reply=" ".join(parts), action=Action(kind="draft"))
    if plan is not None:
        if not parts and _UNSURE.search(text):
            return Turn(state=state, reply=after_draft_help(plan))
        return Turn(state=state, reply=" ".join([*parts, no_instruction(plan)]))
    if wants_draft and brief.is_complete():
        return Turn(state=state.model_copy(update={"asked": []}), reply=" ".join(parts), action=Action(kind="draft"))
    if not parts:
        parts.append(d["nothing_new"])
    question, asked = _ask(brief, lang)
    if wants_draft:
        question = d["not_ready"] + " ".join(d["questions"][f] for f in brief.missing()[:2])
    elif brief.brand is None and not (state.brand_asked or "brand" in unknown) and len(asked) < 2:
        question, asked = f"{question} {d['ask_brand']}", [*asked, "brand"]
    brand_asked = state.brand_asked or "brand" in asked or "brand" in unknown  # "还没起名": never asked again
    return Turn(state=state.model_copy(update={"asked": asked, "brand_asked": brand_asked}),
                reply=" ".join([*parts, question]))  # fmt: skip


def drafted(state: Conversation, plan: Plan, lead: str = "") -> tuple[Conversation, str]:
    """The state after a draft (or redraft) and the reply that summarises it."""
    d = dialogue(plan.language)
    sep = "、" if plan.language == "zh" else ", "
    campaigns = sep.join(c.name for c in plan.calendar.campaigns[:6]) or d["none"]
    summary = d["drafted"].format(
        version=plan.version,
        gmv=format_money(plan.funnel.year.gmv, plan.currency),
        budget=format_money(plan.budget.total, plan.currency),
        start=plan.period.start.isoformat(),
        end=plan.period.end.isoformat(),
        campaigns=campaigns,
    )
    state = state.model_copy(update=_after_version(plan))
    hint = d["drafted_hint"].format(examples=examples(plan, d["hint_examples"]))
    return state, " ".join(p for p in (lead, summary, hint) if p)


def _after_version(plan: Plan) -> dict[str, Any]:
    """A new version answers everything before it: nothing asked, set or pending any more."""
    return {"plan_id": plan.id, "plan_version": plan.version, "asked": [], "last_set": [], "pending": [],
            "pending_version": None}  # fmt: skip


def revised(
    state: Conversation, plan: Plan, changes: list[Change], edits: list[Edit], text: str, lead: str = ""
) -> tuple[Conversation, str]:
    d = dialogue(plan.language)
    state = state.model_copy(update={**_after_version(plan), "brief": plan.brief})
    if not changes:
        return state, " ".join(p for p in (lead, d["revised_none"].format(version=plan.version)) if p)
    lines = [" ".join(p for p in (lead, d["revised"].format(version=plan.version)) if p)]
    lines += [
        "- " + d["change"].format(label=c.label, before=c.before or "—", after=c.after or "—") for c in changes[:12]
    ]
    note = platform_note(text, edits, plan)
    return state, "\n".join(lines) + note


def _revision(state: Conversation, plan: Plan, edits: list[Edit], text: str) -> Turn:
    keep, against, idle = review(plan, edits, text)
    if against:  # never silently the other way: ask, and keep the edits for a yes
        state = state.model_copy(update={"pending": keep, "pending_version": plan.version})
        return Turn(state=state, reply=contradiction(plan, against[0], text))
    if not keep:
        return Turn(state=state, reply=unchanged(plan, idle))
    return Turn(state=state, reply=reasons(plan, idle), action=Action(kind="revise", edits=keep))


def plan_facts(plan: Plan, question: str) -> list[str]:
    """What the plan itself says about the campaigns, channels or totals a question names."""
    d = dialogue(plan.language)
    cur = plan.currency
    sep = "，" if plan.language == "zh" else ", "
    lines: list[str] = []
    keys = set(C.find_campaigns(question))
    for c in plan.calendar.campaigns:
        if c.key in keys or c.name.lower() in question.lower():
            phases = sep.join(f"{p.name} {p.start.isoformat()}–{p.end.isoformat()}" for p in c.phases)
            lines.append(d["plan_campaign"].format(name=c.name, day=c.day.isoformat(), phases=phases,
                                                   budget=format_money(c.budget, cur),
                                                   gmv=format_money(c.funnel.gmv, cur)))  # fmt: skip
    channels = set(find_in_text(question.lower(), CHANNEL_ALIASES))
    for ch in plan.channels.items:
        if ch.key in channels:
            lines.append(d["plan_channel"].format(name=ch.name, share=format_percent(ch.share, 2),
                                                  amount=format_money(ch.amount, cur)))  # fmt: skip
    if not lines and re.search(r"(预算|目标|gmv|转化|客单|budget|target|conversion|aov|total)", question, re.I):
        y = plan.funnel.year
        lines.append(d["plan_totals"].format(
            budget=format_money(plan.budget.total, cur), reserve=format_money(plan.budget.reserve, cur),
            gmv=format_money(y.gmv, cur), cvr=format_percent(y.cvr, 2), aov=format_money(y.aov, cur),
        ))  # fmt: skip
    return [d["plan_lead"].format(version=plan.version), *[f"- {x}" for x in lines]] if lines else []


def answered(passages: list[Passage], language: str, facts: list[str] | None = None, answer: str | None = None) -> str:
    """A cited answer: a model's checked answer or what the plan says, then the guides' passages with sources."""
    d = dialogue(language)
    if not passages and not facts and not answer:
        return str(d["answer_none"])
    lines = [answer] if answer else [*(facts or [])]
    if passages:
        lines.append(d["answer_lead"])
    for p in passages:
        snippet = re.sub(r"\s+", " ", p.text).strip()
        if len(snippet) > 220:
            snippet = snippet[:220].rstrip() + "…"
        lines.append(f"- {snippet} [{p.title} · {p.chunk_id}]")
    return "\n".join(lines)

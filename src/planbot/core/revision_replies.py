"""What the assistant says about a revision: what it would do against the words' direction, why nothing
changed, and which example instructions to offer (only ones this plan can take).

Pure, like the dialogue policy that calls it (core/interview.py); the sentences come from
playbook/dialogue.yaml in the plan's language.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import timedelta

from planbot.core import calendar as C
from planbot.core.catalog import PLATFORM_ALIASES, find_in_text, platform_name
from planbot.core.edits import Check, Edit, apply_edit, check_edit
from planbot.core.instructions import (
    PLATFORM_CHANNEL,
    TARGET_METRICS,
    direction_of,
    parse_instructions,
    without_direction,
)
from planbot.core.numbers import format_money, format_money_compact, format_percent
from planbot.core.plan import Plan
from planbot.core.wording import dialogue
from planbot.errors import BadInput


def platform_note(text: str, edits: list[Edit], plan: Plan) -> str:
    """Say so when a platform name was read as a channel ("抖音" -> livestream)."""
    d = dialogue(plan.language)
    names = {c.key: c.name for c in plan.channels.items}
    used = {getattr(e, a, None) for e in edits for a in ("channel", "from_channel", "to_channel")}
    out = ""
    for key in find_in_text(text.lower(), PLATFORM_ALIASES):
        channel = PLATFORM_CHANNEL.get(key)
        if channel in used and channel in names:
            out += d["platform_channel"].format(platform=platform_name(key, plan.language), channel=names[channel])
    return out


# -- revisions that would not do what was asked --------------------------------------------------
def review(plan: Plan, edits: Sequence[Edit], text: str) -> tuple[list[Edit], list[Check], list[Check]]:
    """Sort the edits an instruction asks for: (the ones that change the plan, checks of those that go
    against the words' direction, checks of the ones that would change nothing)."""
    directed = direction_of(text)
    keep: list[Edit] = []
    against: list[Check] = []
    idle: list[Check] = []
    for edit in edits:
        check = check_edit(plan, edit, directed.direction if directed else None)
        if check is None or check.kind == "against":
            keep.append(edit)
            if check is not None:
                against.append(check)
        else:
            idle.append(check)
    return keep, against, idle


def _label(plan: Plan, check: Check) -> str:
    channels = {c.key: c.name for c in plan.channels.items} | {line.key: line.label for line in plan.budget.by_platform}
    if check.subject in channels:
        return channels[check.subject]
    if check.subject in TARGET_METRICS:
        return str(dialogue(plan.language)["fields"][check.subject])
    return check.subject


def _figure(plan: Plan, check: Check, value: float | None) -> str:
    if value is None:
        return check.day.isoformat() if check.day else ""
    if check.subject in ("budget_total", "gmv_target", "aov"):
        return format_money(round(value), plan.currency)
    if check.subject == "new_customers_target":
        return f"{round(value):,}"
    return format_percent(value, 2)  # a channel's share, cvr, growth rate


def _check_values(plan: Plan, check: Check) -> dict[str, str]:
    return {"label": _label(plan, check), "before": _figure(plan, check, check.before),
            "after": _figure(plan, check, check.after), "day": check.day.isoformat() if check.day else ""}  # fmt: skip


def contradiction(plan: Plan, check: Check, text: str) -> str:
    """The question when the figure moves against the words: what it would do, and how to confirm."""
    d = dialogue(plan.language)
    directed = direction_of(text)
    effect = d["effects"]["down" if check.direction == "up" else "up"]
    return str(d["against"].format(**_check_values(plan, check), effect=effect,
                                   word=directed.word if directed else "", version=plan.version))  # fmt: skip


def contradiction_error(plan: Plan, check: Check, text: str, edits: Sequence[Edit]) -> str:
    """The same for a surface with no conversation to say yes in (the REST revisions route): what
    it would do, and the instruction without its direction word that would do it."""
    d = dialogue(plan.language)
    directed = direction_of(text)
    values = _check_values(plan, check)
    effect = d["effects"]["down" if check.direction == "up" else "up"]
    verbs = {lang: str(dialogue(lang)["neutral_verb"]) for lang in ("zh", "en")}
    example = without_direction(text, verbs)
    try:
        plain = direction_of(example) is None and parse_instructions(example, plan) == list(edits)
    except BadInput:
        plain = False
    if not plain:
        example = d["neutral_example"].format(**values)
    return str(d["against_rest"].format(**values, effect=effect, word=directed.word if directed else "",
                                        example=example, version=plan.version))  # fmt: skip


def reasons(plan: Plan, checks: Sequence[Check]) -> str:
    d = dialogue(plan.language)
    return "".join(d["unchanged_reason"][c.kind].format(**_check_values(plan, c)) for c in checks)


def unchanged(plan: Plan, checks: Sequence[Check] = ()) -> str:
    """A revision that would leave the plan as it is: no new version, and why when we know."""
    d = dialogue(plan.language)
    why = reasons(plan, checks) or d["unchanged_reason"]["built"]
    return str(d["unchanged"].format(reasons=why, version=plan.version))


# -- what to suggest: only changes this plan can take -----------------------------------------------
def _nice(x: float) -> int:
    """Two significant figures: 144,000,000 -> 140,000,000."""
    if x < 1:
        return 0
    unit = 10 ** max(0, math.floor(math.log10(x)) - 1)
    return int(round(x / unit) * unit)


def _candidates(plan: Plan, kind: str) -> list[tuple[str, str]]:
    """(example instruction, the op it must parse to) for one kind of suggestion, best first."""
    d = dialogue(plan.language)
    t: dict[str, str] = d["examples"]
    short: dict[str, str] = d["channel_short"]
    lang, cur = plan.language, plan.currency
    by_share = sorted(plan.channels.items, key=lambda c: -c.share)
    names = [short.get(c.key, c.name) for c in by_share]
    out: list[tuple[str, str]] = []
    if kind == "raise":
        for c, name in list(zip(by_share, names, strict=True))[1:]:
            target = math.ceil((c.share + 0.05) * 20) / 20
            if target < 0.9:
                out.append((t["raise"].format(channel=name, share=f"{round(target * 100)}%"), "set_share"))
    elif kind == "move" and by_share and by_share[0].share > 0.06:
        out += [(t["move"].format(src=names[0], dst=n, share="5%"), "move_budget") for n in [*names[2:], *names[1:2]]]
    elif kind == "add":
        present = {c.key for c in plan.calendar.campaigns}
        rows = [(C.SPECS[k].tier, day, name) for year in range(plan.period.start.year, plan.period.end.year + 1)
                for k, name, day in C.commercial_calendar(plan.market, year, lang)
                if k not in present and plan.period.start <= day <= plan.period.end]  # fmt: skip
        out += [(t["add"].format(campaign=name), "add_campaign") for _, _, name in sorted(rows)]
        out += _candidates(plan, "add_dated")  # every moment of the calendar is in: one of their own
    elif kind == "add_dated":
        days = {c.day for c in plan.calendar.campaigns}
        span = (plan.period.end - plan.period.start).days
        for f in (0.6, 0.4, 0.8, 0.5):
            day = plan.period.start + timedelta(days=round(span * f))
            if day not in days:
                when = d["date"].format(m=day.month, d=day.day, mon=d["months"][day.month - 1])
                out.append((t["add_dated"].format(date=when), "add_campaign"))
    elif kind == "remove":
        out += [(t["remove"].format(campaign=c.name), "remove_campaign") for c in reversed(plan.calendar.campaigns)]
    elif kind in ("target", "budget"):
        now = plan.funnel.year.gmv if kind == "target" else plan.budget.total
        for factor in (1.2, 1.5, 0.8):
            value = _nice(now * factor)
            if value and value != now:
                out.append((t[kind].format(value=format_money_compact(value, cur, lang)), "set_target"))
    return out


def _works(plan: Plan, text: str, op: str) -> bool:
    """The example reads back as one edit of the kind meant, and that edit would change this plan."""
    try:
        edits = parse_instructions(text, plan)
        if len(edits) != 1 or edits[0].op != op:
            return False
        directed = direction_of(text)
        if check_edit(plan, edits[0], directed.direction if directed else None) is not None:
            return False
        apply_edit(plan, edits[0])
    except BadInput:
        return False
    return True


def examples(plan: Plan, kinds: Sequence[str]) -> str:
    """Example instructions, one per kind, each one this plan can take (never "add 七夕" to a plan
    that has it), quoted and listed in the plan's language."""
    d = dialogue(plan.language)
    found: list[str] = []
    for kind in kinds:
        text = next((text for text, op in _candidates(plan, kind) if _works(plan, text, op)), None)
        if text is not None:
            found.append(d["quote"].format(text=text))
    return str(d["list_sep"].join(found))


def no_instruction(plan: Plan) -> str:
    d = dialogue(plan.language)
    return str(d["no_instruction"].format(examples=examples(plan, d["help_examples"])))


def after_draft_help(plan: Plan) -> str:
    """ "不知道 / not sure" once there is a plan: what can be done next, never a brief question again."""
    d = dialogue(plan.language)
    campaign = plan.calendar.campaigns[0].name if plan.calendar.campaigns else None
    question = d["question_campaign"].format(campaign=campaign) if campaign else d["question_plain"]
    return str(d["after_draft_help"].format(version=plan.version, examples=examples(plan, d["hint_examples"]),
                                            question=d["quote"].format(text=question)))  # fmt: skip


def turn_failed(language: str) -> str:
    """A turn that failed inside planbot: the conversation stays as it was and can go on."""
    return str(dialogue(language)["turn_failed"])


def edit_failed(plan: Plan, message: str) -> str:
    """Why a revision could not be applied (edits.refusal's message, in the plan's language), and that the
    plan stays as it was; the sentence's own full stop ends the reason (no "。。")."""
    reason = message.strip().rstrip("。.；;，, ")
    return str(dialogue(plan.language)["edit_failed"].format(message=reason, version=plan.version))

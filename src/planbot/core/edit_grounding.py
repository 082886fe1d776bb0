"""A model's proposed revision is used only if the message asked for it and the plan can take it.

A model asked for edit operations proposes some whatever the message said: a question ("双11预算
多少？") becomes a budget change, a channel comes back as "示例内容 sample text". So an edit is
usable only when the core can apply it to this plan and the message grounds it: the channels,
platforms and campaigns it names are ones the message names, and its figure is one the message
states. Otherwise the offline instruction parser reads the message instead.
"""

from __future__ import annotations

from planbot.core import calendar as C
from planbot.core.catalog import CHANNEL_ALIASES, PLATFORM_ALIASES, channel_key, find_in_text, platform_key
from planbot.core.edits import (
    AddCampaign,
    Edit,
    MoveBudget,
    MoveCampaign,
    RemoveCampaign,
    SetShare,
    SetTarget,
    apply_edit,
)
from planbot.core.instructions import PLATFORM_CHANNEL
from planbot.core.numbers import normalize
from planbot.core.plan import Plan
from planbot.core.prose_check import figures
from planbot.errors import BadInput

_RATE_METRICS = ("cvr", "growth_rate")


def _named_places(low: str, plan: Plan) -> set[str]:
    """Channel and platform keys the message names, and the plan's channels by the names it shows."""
    named = set(find_in_text(low, CHANNEL_ALIASES)) | set(find_in_text(low, PLATFORM_ALIASES))
    named |= {PLATFORM_CHANNEL[k] for k in find_in_text(low, PLATFORM_ALIASES) if k in PLATFORM_CHANNEL}
    named |= {c.key for c in plan.channels.items if c.name.lower() in low}
    named |= {line.key for line in plan.budget.by_platform if line.label.lower() in low}
    return named


def _place(name: str, plan: Plan) -> str | None:
    keys = {c.key for c in plan.channels.items} | {line.key for line in plan.budget.by_platform}
    return name if name in keys else channel_key(name) or platform_key(name)


def _campaign_named(name: str, low: str, plan: Plan) -> bool:
    said = set(C.find_campaigns(low))
    key = C.match_campaign(name)
    if key is not None:
        return key in said
    shown = {c.name.lower() for c in plan.calendar.campaigns} | {name.lower()}
    return name.lower() in low and name.lower() in shown


def grounded(edit: Edit, text: str, plan: Plan) -> bool:
    """Whether the message asks for this edit in its own words (names and figure)."""
    low = normalize(text).lower()
    literal = figures(text)
    places = _named_places(low, plan)
    if isinstance(edit, MoveBudget):
        figure = f"%{edit.share:g}" if edit.share is not None else f"#{edit.amount}"
        ends = (_place(edit.from_channel, plan), _place(edit.to_channel, plan))
        return all(k in places for k in ends) and figure in literal
    if isinstance(edit, SetShare):
        return _place(edit.channel, plan) in places and f"%{edit.share:g}" in literal
    if isinstance(edit, SetTarget):
        return (f"%{edit.value:g}" if edit.metric in _RATE_METRICS else f"#{round(edit.value)}") in literal
    if isinstance(edit, AddCampaign | RemoveCampaign):
        return _campaign_named(edit.campaign, low, plan)
    if isinstance(edit, MoveCampaign):
        return _campaign_named(edit.campaign, low, plan) and str(edit.day.day) in low
    return False


def usable(edit: Edit, text: str, plan: Plan) -> bool:
    """Grounded in the message, and one the core can apply to this plan."""
    if not grounded(edit, text, plan):
        return False
    try:
        apply_edit(plan, edit)
    except BadInput:
        return False
    return True

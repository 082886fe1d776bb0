"""Revision operations on a plan, and a readable diff between two versions.

An edit never patches numbers in place: it changes the brief or the overrides, and the
builder derives every figure again, so a revised plan is as consistent as a new one.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from planbot.core import calendar as C
from planbot.core.brief import Brief
from planbot.core.catalog import channel_key, platform_key
from planbot.core.numbers import format_percent
from planbot.core.plan import CustomCampaignSpec, Plan, PlanOverrides
from planbot.errors import BadInput


class _Op(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MoveBudget(_Op):
    """Move media money between channels, or between platforms (a plan on several platforms): a share of
    the media budget, or an amount."""

    op: Literal["move_budget"] = "move_budget"
    from_channel: str
    to_channel: str
    share: Annotated[float, Field(gt=0, lt=1)] | None = None
    amount: Annotated[int, Field(gt=0)] | None = None


class SetShare(_Op):
    """A channel's share of the media budget, or a platform's ("把抖音预算提高到30%" on Tmall + Douyin)."""

    op: Literal["set_share"] = "set_share"
    channel: str  # a channel, or a platform of the plan's budget.by_platform
    share: Annotated[float, Field(gt=0, lt=1)]


TargetMetric = Literal["gmv_target", "budget_total", "new_customers_target", "aov", "cvr", "growth_rate"]


class SetTarget(_Op):
    op: Literal["set_target"] = "set_target"
    metric: TargetMetric
    value: float


class AddCampaign(_Op):
    op: Literal["add_campaign"] = "add_campaign"
    campaign: Annotated[str, Field(min_length=1, max_length=80)]
    day: date | None = None  # required for a campaign that is not in the calendar


class RemoveCampaign(_Op):
    op: Literal["remove_campaign"] = "remove_campaign"
    campaign: str


class MoveCampaign(_Op):
    op: Literal["move_campaign"] = "move_campaign"
    campaign: str
    day: date


Edit = Annotated[
    MoveBudget | SetShare | SetTarget | AddCampaign | RemoveCampaign | MoveCampaign, Field(discriminator="op")
]


Direction = Literal["up", "down"]  # what "提高/raise" or "降低/reduce" in an instruction asks for


class Check(BaseModel):
    """Why an edit would not do what its words asked.

    `against`: the target lies on the other side of the current value from the instruction's
    direction ("提高到10%" of a channel at 38.72%); `same`: the target is the current value;
    `present`: the campaign to add is already in the plan; `absent`: the campaign to remove is not.
    `subject` is a channel key, a target metric or a campaign name; `before`/`after` are figures
    (a share or rate as a fraction, money in base units) and `day` the campaign's day.
    """

    kind: Literal["against", "same", "present", "absent"]
    subject: str
    before: float | None = None
    after: float | None = None
    direction: Direction | None = None
    day: date | None = None


def _channel(plan: Plan, name: str) -> str:
    keys = {c.key for c in plan.channels.items}
    key = name if name in keys else channel_key(name)
    if key is None or key not in keys:
        names = ", ".join(f"{c.key} ({c.name})" for c in plan.channels.items)
        raise BadInput(f"unknown channel {name!r}; this plan's channels are: {names}")
    return key


def _shares(plan: Plan) -> dict[str, float]:
    return {c.key: c.share for c in plan.channels.items}


def platform_rows(plan: Plan) -> set[str]:
    """The budget.by_platform keys a revision can move money between: none unless there are two or more."""
    rows = {line.key for line in plan.budget.by_platform}
    return rows if len(rows) >= 2 else set()


def plan_platform(plan: Plan, name: str) -> str | None:
    """The budget.by_platform key a name means, when the plan splits its media over several platforms
    and the name is not one of its channels."""
    rows = platform_rows(plan)
    if not rows or name in {c.key for c in plan.channels.items} or channel_key(name) is not None:
        return None
    key = name if name in rows else platform_key(name)
    return key if key in rows else None


def _platform_shares(plan: Plan) -> dict[str, float]:
    return {line.key: line.share for line in plan.budget.by_platform}


def _set(shares: dict[str, float], key: str, share: float) -> dict[str, float]:
    rest_before = 1 - shares[key]
    scale = (1 - share) / rest_before if rest_before > 0 else 0.0
    return {k: round(share if k == key else v * scale, 6) for k, v in shares.items()}


def _move(shares: dict[str, float], src: str, dst: str, delta: float) -> dict[str, float]:
    if delta > shares[src] + 1e-9:
        raise BadInput(
            f"{src} has only {format_percent(shares[src])} of the budget; cannot move {format_percent(delta)}"
        )
    out = dict(shares)
    out[src] = max(0.0, out[src] - delta)
    out[dst] += delta
    return {k: round(v, 6) for k, v in out.items()}


def _campaign(plan: Plan, name: str) -> tuple[str | None, str | None]:
    """(catalogue key, custom campaign name) the user means."""
    for c in plan.calendar.campaigns:
        if name in (c.id, c.key, c.name):
            return (c.key, None) if c.key in C.SPECS else (None, c.name)
    for spec in plan.overrides.custom_campaigns:
        if spec.name == name:
            return None, spec.name
    return C.match_campaign(name), None


def current_value(plan: Plan, edit: SetShare | SetTarget) -> float | None:
    """What the plan says now for the figure an edit sets (None: the plan has no such figure)."""
    if isinstance(edit, SetShare):
        if (pk := plan_platform(plan, edit.channel)) is not None:
            return _platform_shares(plan)[pk]
        try:
            key = _channel(plan, edit.channel)
        except BadInput:
            return None
        return _shares(plan)[key]
    year, brief = plan.funnel.year, plan.brief
    if edit.metric == "growth_rate":
        if brief.growth_rate is not None:
            return brief.growth_rate
        return year.gmv / brief.gmv_last_year - 1 if brief.gmv_last_year else None
    if edit.metric == "new_customers_target":
        return brief.new_customers_target
    return {
        "budget_total": plan.budget.total,
        "gmv_target": year.gmv,
        "aov": year.aov,
        "cvr": plan.funnel.baseline_cvr,
    }[edit.metric]


def _same(edit: SetShare | SetTarget, a: float, b: float) -> bool:
    fraction = isinstance(edit, SetShare) or edit.metric in ("cvr", "growth_rate")
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=5e-5 if fraction else 0.5)


def check_edit(plan: Plan, edit: Edit, direction: Direction | None = None) -> Check | None:
    """Why `edit` would not do what was asked of this plan, or None when it is a real change.

    `direction` is what the instruction's words asked for ("raise … to", "降到"): a set-share or
    set-target whose figure lies the other way is `against` it, and must not be applied unasked.
    Edits the builder would refuse anyway (unknown channel, a date outside the period) pass here.
    """
    if isinstance(edit, SetShare | SetTarget):
        before = current_value(plan, edit)
        after = edit.share if isinstance(edit, SetShare) else edit.value
        if before is None:
            return None
        if isinstance(edit, SetShare):
            subject = plan_platform(plan, edit.channel) or _channel(plan, edit.channel)
        else:
            subject = edit.metric
        if _same(edit, before, after):
            return Check(kind="same", subject=subject, before=before, after=after, direction=direction)
        if (direction == "up" and after < before) or (direction == "down" and after > before):
            return Check(kind="against", subject=subject, before=before, after=after, direction=direction)
        return None
    if isinstance(edit, AddCampaign):
        if edit.day is None:
            key = C.match_campaign(edit.campaign)
            found = next((c for c in plan.calendar.campaigns if key is not None and c.key == key), None)
        else:
            found = next((c for c in plan.calendar.campaigns if c.name == edit.campaign and c.day == edit.day), None)
        return None if found is None else Check(kind="present", subject=found.name, day=found.day)
    if isinstance(edit, RemoveCampaign):
        key, custom = _campaign(plan, edit.campaign)
        names = {c.name for c in plan.calendar.campaigns}
        keys = {c.key for c in plan.calendar.campaigns}
        if custom is None and key is not None and key not in keys:
            return Check(kind="absent", subject=C.SPECS[key].name(plan.language))
        if custom is not None and custom not in names:
            return Check(kind="absent", subject=custom)
        return None
    if isinstance(edit, MoveCampaign):
        same_day = next((c for c in plan.calendar.campaigns if c.name == edit.campaign and c.day == edit.day), None)
        return None if same_day is None else Check(kind="same", subject=same_day.name, day=same_day.day)
    return None


def apply_edit(
    plan: Plan, edit: MoveBudget | SetShare | SetTarget | AddCampaign | RemoveCampaign | MoveCampaign
) -> tuple[Brief, PlanOverrides]:
    """The brief and overrides the next version is built from."""
    brief = plan.brief.model_copy(deep=True)
    ov = plan.overrides.model_copy(deep=True)
    key: str | None
    if isinstance(edit, MoveBudget):
        if (edit.share is None) == (edit.amount is None):
            raise BadInput("say how much to move: a share (0.1 = 10 points) or an amount")
        delta = edit.share if edit.share is not None else (edit.amount or 0) / max(1, plan.budget.channel_total)
        ps, pd = plan_platform(plan, edit.from_channel), plan_platform(plan, edit.to_channel)
        if ps is not None and pd is not None:
            if ps == pd:
                raise BadInput("move budget between two different platforms")
            ov.platform_shares = _move(_platform_shares(plan), ps, pd, delta)
        else:
            src, dst = _channel(plan, edit.from_channel), _channel(plan, edit.to_channel)
            if src == dst:
                raise BadInput("move budget between two different channels")
            ov.channel_shares = _move(_shares(plan), src, dst, delta)
    elif isinstance(edit, SetShare):
        if (pk := plan_platform(plan, edit.channel)) is not None:
            ov.platform_shares = _set(_platform_shares(plan), pk, edit.share)
        else:
            ov.channel_shares = _set(_shares(plan), _channel(plan, edit.channel), edit.share)
    elif isinstance(edit, SetTarget):
        data = brief.model_dump()
        value: float | int = edit.value if edit.metric in ("cvr", "growth_rate") else round(edit.value)
        data[edit.metric] = value
        if edit.metric == "gmv_target":
            data["growth_rate"] = None
        try:
            brief = Brief.model_validate(data)
        except ValidationError as exc:
            reason = str(exc.errors()[0]["msg"]).removeprefix("Value error, ")
            raise BadInput(f"{edit.metric} = {edit.value:g} is not valid ({reason})") from exc
    elif isinstance(edit, AddCampaign):
        key = C.match_campaign(edit.campaign)
        if key is not None and edit.day is None:
            ov.excluded_campaigns = [k for k in ov.excluded_campaigns if k != key]
            if not brief.campaigns:  # the plan's campaigns were the calendar's defaults: keep them all
                brief.campaigns = [c.name for c in plan.calendar.campaigns if c.key in C.SPECS]
            if all(C.match_campaign(c) != key for c in brief.campaigns):
                brief.campaigns.append(C.SPECS[key].name(plan.language))
        else:
            if edit.day is None:
                raise BadInput(f"{edit.campaign!r} is not in the commercial calendar; give it a date")
            if not plan.period.start <= edit.day <= plan.period.end:
                raise BadInput(f"{edit.day} is outside the plan period {plan.period.start} – {plan.period.end}")
            ov.custom_campaigns.append(CustomCampaignSpec(name=edit.campaign, day=edit.day))
    elif isinstance(edit, RemoveCampaign):
        key, custom = _campaign(plan, edit.campaign)
        if custom is not None:
            ov.custom_campaigns = [c for c in ov.custom_campaigns if c.name != custom]
        elif key is not None:
            if key not in ov.excluded_campaigns:
                ov.excluded_campaigns.append(key)
            brief.campaigns = [c for c in brief.campaigns if C.match_campaign(c) != key]
        else:
            raise BadInput(f"no campaign called {edit.campaign!r} in this plan")
    else:
        key, custom = _campaign(plan, edit.campaign)
        if custom is None:
            if key is not None:
                fixed = C.festival_date(key, edit.day.year)
                raise BadInput(
                    f"{C.SPECS[key].name(plan.language)} is fixed on {fixed}; "
                    "add a campaign of your own on the new date instead"
                )
            raise BadInput(f"no campaign called {edit.campaign!r} in this plan")
        if not plan.period.start <= edit.day <= plan.period.end:
            raise BadInput(f"{edit.day} is outside the plan period {plan.period.start} – {plan.period.end}")
        ov.custom_campaigns = [
            CustomCampaignSpec(name=c.name, day=edit.day) if c.name == custom else c for c in ov.custom_campaigns
        ]
    return brief, ov

"""Revision operations on a plan, and a readable diff between two versions.

An edit never patches numbers in place: it changes the brief or the overrides, and the
builder derives every figure again, so a revised plan is as consistent as a new one.
"""

from __future__ import annotations

import math
import unicodedata
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from planbot.core import calendar as C
from planbot.core.brief import Brief
from planbot.core.catalog import channel_key, platform_key
from planbot.core.datefmt import long_date, short_date
from planbot.core.numbers import format_money, format_money_compact, format_percent
from planbot.core.plan import CustomCampaignSpec, Plan, PlanOverrides
from planbot.core.wording import dialogue
from planbot.errors import BadInput

MAX_QUOTED = 20  # a name longer than this (or with a line break) is not quoted back: "这个渠道" / "that channel"


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


# -- why an edit can't be applied, in the plan's language (playbook/dialogue.yaml `edit_errors`) ----
def refusal(plan: Plan, kind: str, details: dict[str, Any], **values: str) -> BadInput:
    """A BadInput whose message a marketer reads (names as the plan shows them, dates and money as
    the plan writes them) and whose details say the same for a program (`reason` and the keys)."""
    text = str(dialogue(plan.language)["edit_errors"][kind]).format(**values)
    return BadInput(text, {"reason": kind, **details})


def quotable(name: str) -> str | None:
    """A name as the user (or a model) gave it, when it is short and plausible enough to quote back."""
    name = name.strip()
    if not name or len(name) > MAX_QUOTED:
        return None
    if any(ch in "{}<>" or unicodedata.category(ch)[0] == "C" for ch in name):  # line breaks, control chars
        return None
    return name


def _join(plan: Plan, names: list[str]) -> str:
    d = dialogue(plan.language)
    return str(d["list_sep"].join(dict.fromkeys(names))) if names else str(d["none"])


def _channel_names(plan: Plan) -> str:
    return _join(plan, [c.name for c in plan.channels.items])


def _platform_names(plan: Plan) -> str:
    return _join(plan, [line.label for line in plan.budget.by_platform if line.key in platform_rows(plan)])


def _campaign_names(plan: Plan) -> str:
    return _join(plan, [c.name for c in plan.calendar.campaigns])


def _labels(plan: Plan) -> dict[str, str]:
    """Channel and platform keys -> the names the plan shows."""
    return {c.key: c.name for c in plan.channels.items} | {line.key: line.label for line in plan.budget.by_platform}


def _period(plan: Plan) -> dict[str, str]:
    return {"start": long_date(plan.period.start, plan.language), "end": long_date(plan.period.end, plan.language)}


def _outside(plan: Plan, day: date) -> BadInput:
    return refusal(plan, "outside_period", {"day": day.isoformat(), "start": plan.period.start.isoformat(),
                   "end": plan.period.end.isoformat()}, day=long_date(day, plan.language), **_period(plan))  # fmt: skip


def _no_campaign(plan: Plan, name: str) -> BadInput:
    quoted = quotable(name)
    details = {"name": quoted, "campaigns": list(dict.fromkeys(c.name for c in plan.calendar.campaigns))}
    campaigns = _campaign_names(plan)
    if quoted is None:
        return refusal(plan, "no_campaign_unnamed", details, campaigns=campaigns)
    return refusal(plan, "no_campaign", details, name=quoted, campaigns=campaigns)


def _channel(plan: Plan, name: str) -> str:
    keys = {c.key for c in plan.channels.items}
    key = name if name in keys else channel_key(name)
    if key is None or key not in keys:
        quoted = quotable(name)
        details = {"name": quoted, "channels": [c.key for c in plan.channels.items]}
        channels = _channel_names(plan)
        if platform_rows(plan):
            channels += dialogue(plan.language)["edit_errors"]["platforms_too"].format(platforms=_platform_names(plan))
        if quoted is None:
            raise refusal(plan, "unknown_channel_unnamed", details, channels=channels)
        raise refusal(plan, "unknown_channel", details, name=quoted, channels=channels)
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


def _move(plan: Plan, shares: dict[str, float], src: str, dst: str, delta: float) -> dict[str, float]:
    if delta > shares[src] + 1e-9:
        have, want = format_percent(shares[src], 2), format_percent(delta, 2)
        details = {"channel": src, "share": shares[src], "move": delta}
        raise refusal(plan, "too_much", details, channel=_labels(plan).get(src, src), have=have, want=want)
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
        last_year = brief.last_year_gmv()
        return year.gmv / last_year - 1 if last_year else None
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
            sample = _round2(plan.budget.channel_total * 0.05)
            raise refusal(plan, "no_amount", {}, amount=format_money_compact(sample, plan.currency, plan.language))
        delta = edit.share if edit.share is not None else (edit.amount or 0) / max(1, plan.budget.channel_total)
        ps, pd = plan_platform(plan, edit.from_channel), plan_platform(plan, edit.to_channel)
        if ps is not None and pd is not None:
            if ps == pd:
                raise refusal(plan, "same_platform", {"platform": ps}, platform=_labels(plan).get(ps, ps),
                              platforms=_platform_names(plan))  # fmt: skip
            ov.platform_shares = _move(plan, _platform_shares(plan), ps, pd, delta)
        else:
            src, dst = _channel(plan, edit.from_channel), _channel(plan, edit.to_channel)
            if src == dst:
                raise refusal(plan, "same_channel", {"channel": src}, channel=_labels(plan).get(src, src),
                              channels=_channel_names(plan))  # fmt: skip
            ov.channel_shares = _move(plan, _shares(plan), src, dst, delta)
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
            raise _bad_target(plan, edit, exc) from exc
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
                quoted = quotable(edit.campaign)
                if quoted is None:
                    raise refusal(plan, "needs_date_unnamed", {"campaign": None}, **_period(plan))
                raise refusal(plan, "needs_date", {"campaign": quoted}, name=quoted, **_period(plan))
            if not plan.period.start <= edit.day <= plan.period.end:
                raise _outside(plan, edit.day)
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
            raise _no_campaign(plan, edit.campaign)
    else:
        key, custom = _campaign(plan, edit.campaign)
        if custom is None:
            if key is not None:
                raise _fixed(plan, key, edit.day)
            raise _no_campaign(plan, edit.campaign)
        if not plan.period.start <= edit.day <= plan.period.end:
            raise _outside(plan, edit.day)
        ov.custom_campaigns = [
            CustomCampaignSpec(name=c.name, day=edit.day) if c.name == custom else c for c in ov.custom_campaigns
        ]
    return brief, ov


def _round2(x: float) -> int:
    """Two significant figures: 123,456 -> 120,000 (an example amount)."""
    if x < 1:
        return 0
    unit = 10 ** max(0, math.floor(math.log10(x)) - 1)
    return int(round(x / unit) * unit)


def _target_text(plan: Plan, metric: str, value: float) -> str:
    if metric in ("budget_total", "gmv_target", "aov"):
        return format_money(round(value), plan.currency)
    if metric == "new_customers_target":
        return f"{round(value):,}"
    return format_percent(value, 2)  # cvr, growth rate


def _bad_target(plan: Plan, edit: SetTarget, exc: ValidationError) -> BadInput:
    """A target the brief refuses: named and written as the plan shows it, with the reason the
    interview gives for that field (the field at fault may be another: a tiny AOV makes the GMV
    target fewer than 500 orders)."""
    d = dialogue(plan.language)
    loc = exc.errors()[0]["loc"]
    field = str(loc[0]) if loc else edit.metric
    reasons: dict[str, str] = d["reject_reasons"]
    details = {"metric": edit.metric, "value": edit.value, "field": field}
    label = str(d["fields"].get(edit.metric, edit.metric))
    value = _target_text(plan, edit.metric, edit.value)
    return refusal(plan, "bad_target", details, label=label, value=value, reason=reasons.get(field, reasons["other"]))


def _fixed(plan: Plan, key: str, day: date) -> BadInput:
    """A calendar campaign moved off its day: say the day it keeps, and how to run one on the new day."""
    d = dialogue(plan.language)
    fixed = C.festival_date(key, day.year)
    when = short_date(day, plan.language)
    example = d["quote"].format(text=d["examples"]["add_dated"].format(date=when))
    details = {"campaign": key, "fixed": fixed.isoformat(), "day": day.isoformat()}
    return refusal(plan, "fixed_day", details, name=C.SPECS[key].name(plan.language),
                   fixed=long_date(fixed, plan.language), day=when, example=example)  # fmt: skip

"""Revision instructions in plain words -> the edit operations of core/edits.py.

"把抖音预算提高到30%", "move 10% from search to influencers", "加一个七夕活动", "目标改成1.5亿":
the parser proposes operations; the builder applies them and the validator checks the result,
so a misread instruction can never produce an inconsistent plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from planbot.core import calendar as C
from planbot.core.catalog import CHANNEL_ALIASES, PLATFORM_ALIASES, find_in_text
from planbot.core.datefmt import MONTHS
from planbot.core.edits import (
    AddCampaign,
    Direction,
    Edit,
    MoveBudget,
    MoveCampaign,
    RemoveCampaign,
    SetShare,
    SetTarget,
    TargetMetric,
    platform_rows,
    refusal,
)
from planbot.core.extract import extract
from planbot.core.numbers import find_amounts, find_percents, format_percent, normalize, to_base_units
from planbot.core.plan import Plan
from planbot.core.wording import dialogue
from planbot.errors import BadInput

# Where a platform's money mostly goes, when a marketer names the platform instead of a channel.
PLATFORM_CHANNEL = {
    "douyin": "livestream",
    "kuaishou": "livestream",
    "tiktok": "short_video",
    "xiaohongshu": "kol",
    "wechat": "private_domain",
    "tmall": "search",
    "taobao": "search",
    "jd": "search",
    "pinduoduo": "search",
    "amazon": "search",
}
TARGET_METRICS: tuple[TargetMetric, ...] = (
    "gmv_target", "budget_total", "aov", "cvr", "growth_rate", "new_customers_target",
)  # fmt: skip
_MOVE = re.compile(r"(挪|移|转|划|调拨|匀|move|shift|reallocate|transfer)", re.I)
_SET = re.compile(
    r"(提高|提升|增加|加到|降低|降到|减少|减到|调整|调到|调成|改|设|到|为|成|占|set|make|raise|increase|bump|share|"
    r"lower|reduce|cut|change|to\b)",
    re.I,
)
_ADD = re.compile(r"(加|增加|添加|新增|补充|补一个|add|include|plus)", re.I)
_REMOVE = re.compile(r"(去掉|删掉|删除|取消|不做|不要|拿掉|remove|drop|cancel|skip|delete)", re.I)
_RESCHEDULE = re.compile(r"(挪到|改到|移到|推迟到|提前到|换到|改期|reschedule|move\s+.+\s+to|postpone)", re.I)
_CN_DATE = re.compile(r"(?:(20\d\d)年)?(\d{1,2})月(\d{1,2})[日号]?")
_ISO_DATE = re.compile(r"(20\d\d)-(\d{1,2})-(\d{1,2})")
_EN_DATE = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:,?\s*(20\d\d))?", re.I
)
# "raise/提高 … to X" and "cut/降到 … X": the way the figure should move. A set-share or set-target
# whose figure moves the other way is not applied unasked (see edits.check_edit).
_DIRECTION = re.compile(
    r"(?P<up>提高|提升|增加|加大|加到|增到|涨到|上调|调高|拉高|多投|"
    r"\b(?:raise|increase|bump(?:\s+up)?|boost|grow|scale\s+up)\b)|"
    r"(?P<down>降低|降到|降为|降至|减少|减到|减为|减至|下调|调低|压缩|压到|砍到|削减|缩减|少投|"
    r"\b(?:reduce|lower|cut|decrease|drop|trim|slash|shrink|scale\s+(?:back|down))\b)",
    re.I,
)
_CN_PARTICLE = re.compile(r"\s*(?:到|至|为|成)")
# "提高5个点" / "raise search by 5 points": a change relative to the current share, in points.
_POINTS = re.compile(r"(?:\bby\s+)?(\d+(?:\.\d+)?)\s*(?:个百分点|个点|percentage\s+points?|points?|pts?\b|pp\b)", re.I)
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_CUSTOM_NAME = re.compile(
    r"(?:加|增加|添加|新增|add)\s*(?:一个|一场|个|a|an)?\s*[「“\"]?([^，,。；;「」“”\"]{2,24}?)[」”\"]?\s*"
    r"(?:活动|campaign)?\s*[，,]?\s*(?:在|on|for)?\s*(?=(?:20\d\d[-年])?\d{1,2}[-月]|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))",
    re.I,
)


@dataclass(frozen=True)
class Directed:
    """The direction an instruction's words give the figure, the word that says so, and where it is
    (positions in normalize(text))."""

    direction: Direction
    word: str
    start: int
    end: int


def direction_of(text: str) -> Directed | None:
    """ "把天猫预算提高到10%" -> up; "cut Amazon to 20%" -> down; "设为10%" / "set … to" -> None.

    With words both ways ("降低搜索，把直播提高到30%") the last one before the figure counts.
    """
    norm = normalize(text)
    found = list(_DIRECTION.finditer(norm))
    if not found:
        return None
    figures = [p.start for p in find_percents(norm)] + [a.start for a in find_amounts(norm)]
    first = min(figures, default=len(norm))
    m = ([x for x in found if x.start() < first] or found)[-1]
    return Directed("up" if m["up"] else "down", m[0], m.start(), m.end())


def without_direction(text: str, verbs: dict[str, str]) -> str:
    """The instruction with its direction word replaced by a plain "set" (`verbs`: "zh" and "en"
    wording of it): "把天猫预算提高到10%" -> "把天猫预算设为10%", "raise Amazon to 30%" -> "set Amazon to 30%"."""
    norm = normalize(text)
    d = direction_of(norm)
    if d is None:
        return norm
    end = d.end
    if re.match(r"[\u4e00-\u9fff]", d.word):
        if m := _CN_PARTICLE.match(norm, end):
            end = m.end()
        return norm[: d.start] + verbs["zh"] + norm[end:]
    return norm[: d.start] + verbs["en"] + norm[end:]


def refine(edit: Edit, text: str, plan: Plan, today: date | None = None) -> Edit | None:
    """A bare figure given in answer to "or tell me the share you want": `edit` with that figure.

    None when the text is not such a figure (it names a channel, or has no figure for the edit).
    """
    norm = normalize(text)
    if isinstance(edit, SetShare) and not _channels(norm, plan) and not _platforms(norm, plan):
        share, _ = _share_or_amount(norm)
        if share is not None and 0 < share < 1:
            return SetShare(channel=edit.channel, share=share)
    if isinstance(edit, SetTarget):
        raw = extract(norm, today, [edit.metric]).values.get(edit.metric)
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            return SetTarget(metric=edit.metric, value=float(raw))
    return None


def _date(text: str, plan: Plan) -> date | None:
    """A day in the text; a date without a year falls in the plan period."""
    if m := _ISO_DATE.search(text):
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    elif m := _CN_DATE.search(text):
        y, mo, d = int(m[1]) if m[1] else 0, int(m[2]), int(m[3])
    elif m := _EN_DATE.search(text):
        y, mo, d = int(m[3]) if m[3] else 0, _MONTHS.index(m[1][:3].lower()) + 1, int(m[2])
    else:
        return None
    years = [y] if y else list(range(plan.period.start.year, plan.period.end.year + 1))
    for year in years:
        try:
            day = date(year, mo, d)
        except ValueError:
            raise _not_a_date(plan, mo, d) from None
        if plan.period.start <= day <= plan.period.end or y:
            return day
    return date(years[0], mo, d)


def _not_a_date(plan: Plan, month: int, day: int) -> BadInput:
    """ "2月30日" / "13月1日": no such day, said as the plan writes dates (never 2/30 or an ISO date)."""
    e = dialogue(plan.language)["edit_errors"]
    if 1 <= month <= 12 and plan.language == "en":
        said = f"{MONTHS[month - 1]} {day}"
    else:
        said = str(e["month_day"]).format(m=month, d=day)
    return refusal(plan, "not_a_date", {"month": month, "day": day}, date=said)


def _channels(text: str, plan: Plan) -> list[tuple[int, str]]:
    """(position, channel key) of every channel the text names; platforms map to their main channel."""
    low = text.lower()
    keys = {c.key for c in plan.channels.items}
    found: list[tuple[int, str]] = []
    for table, mapping in ((CHANNEL_ALIASES, None), (PLATFORM_ALIASES, PLATFORM_CHANNEL)):
        for key in find_in_text(low, table):
            channel = mapping.get(key) if mapping is not None else key
            if channel is None or channel not in keys:
                continue
            pos = _position(low, table[key])
            if all(channel != k for _, k in found):
                found.append((pos, channel))
    return sorted(found)


def _platforms(text: str, plan: Plan) -> list[tuple[int, str]]:
    """(position, platform key) of the plan's budget platforms the text names, when it names no channel
    word ("把抖音预算提高到30%" moves platform money; "抖音直播" is still the livestream channel)."""
    low = text.lower()
    rows = platform_rows(plan)
    if not rows or find_in_text(low, CHANNEL_ALIASES):
        return []
    return sorted(
        (_position(low, PLATFORM_ALIASES[key]), key) for key in find_in_text(low, PLATFORM_ALIASES) if key in rows
    )


def _position(low: str, aliases: tuple[str, ...]) -> int:
    """Where the first of a name's aliases stands in the (lower-cased) text."""
    return min(p for a in aliases if (p := low.find(a)) >= 0)


def _share_or_amount(text: str) -> tuple[float | None, int | None]:
    percents = find_percents(text)
    if percents:
        return float(percents[0].value), None
    if m := _POINTS.search(text):
        return float(m[1]) / 100, None
    amounts = [a for a in find_amounts(text) if a.currency or re.search(r"[万亿kKwWmM]", a.text)]
    if amounts:
        return None, to_base_units(amounts[0].value)
    return None, None


def parse_instructions(text: str, plan: Plan, today: date | None = None) -> list[Edit]:
    """The edits a message asks for; [] when it asks for none (a question, a new fact, small talk)."""
    norm = normalize(text)
    low = norm.lower()
    share, amount = _share_or_amount(norm)
    campaigns = C.find_campaigns(norm)
    platforms = _platforms(norm, plan)
    channels = platforms or _channels(norm, plan)

    if len(channels) >= 2 and _MOVE.search(low) and (share or amount):
        (p1, first), (_, second) = channels[0], channels[1]
        from_pos = low.find("from")
        src, dst = (second, first) if from_pos >= 0 and from_pos > p1 else (first, second)
        return [MoveBudget(from_channel=src, to_channel=dst, share=share, amount=amount)]
    if len(channels) == 1 and share is not None and _SET.search(low):
        points = _POINTS.search(norm)
        directed = direction_of(norm)
        if points is not None and directed is not None:  # "提高5个点": relative to the current share
            shares = {c.key: c.share for c in plan.channels.items} | {x.key: x.share for x in plan.budget.by_platform}
            current = shares[channels[0][1]]
            step = float(points[1]) / 100
            share = round(current + step if directed.direction == "up" else current - step, 6)
        if not 0 < share < 1:
            raise refusal(plan, "share_range", {"share": share}, share=format_percent(share, 2))
        return [SetShare(channel=channels[0][1], share=share)]

    if campaigns and _REMOVE.search(low):
        return [RemoveCampaign(campaign=C.SPECS[k].name(plan.language)) for k in campaigns]
    day = _date(norm, plan)
    if _ADD.search(low):
        if m := _CUSTOM_NAME.search(norm):
            name = m[1].strip()
            if day is not None and C.match_campaign(name) is None:
                return [AddCampaign(campaign=name, day=day)]
        if campaigns:
            return [AddCampaign(campaign=C.SPECS[k].name(plan.language)) for k in campaigns]
    if day is not None and _RESCHEDULE.search(low):
        for c in plan.calendar.campaigns:
            if c.name.lower() in low:
                return [MoveCampaign(campaign=c.name, day=day)]

    if channels:
        return []
    values = extract(norm, today).values
    return [
        SetTarget(metric=metric, value=float(raw))
        for metric in TARGET_METRICS
        if isinstance(raw := values.get(metric), int | float)
    ]

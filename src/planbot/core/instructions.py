"""Revision instructions in plain words -> the edit operations of core/edits.py.

"把抖音预算提高到30%", "move 10% from search to influencers", "加一个七夕活动", "目标改成1.5亿":
the parser proposes operations; the builder applies them and the validator checks the result,
so a misread instruction can never produce an inconsistent plan.
"""

from __future__ import annotations

import re
from datetime import date

from planbot.core import calendar as C
from planbot.core.catalog import CHANNEL_ALIASES, PLATFORM_ALIASES, find_in_text
from planbot.core.edits import (
    AddCampaign,
    Edit,
    MoveBudget,
    MoveCampaign,
    RemoveCampaign,
    SetShare,
    SetTarget,
    TargetMetric,
)
from planbot.core.extract import extract
from planbot.core.numbers import find_amounts, find_percents, normalize, to_base_units
from planbot.core.plan import Plan
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
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_CUSTOM_NAME = re.compile(
    r"(?:加|增加|添加|新增|add)\s*(?:一个|一场|个|a|an)?\s*[「“\"]?([^，,。；;「」“”\"]{2,24}?)[」”\"]?\s*"
    r"(?:活动|campaign)?\s*[，,]?\s*(?:在|on|for)?\s*(?=(?:20\d\d[-年])?\d{1,2}[-月]|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))",
    re.I,
)


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
            raise BadInput(f"{mo}/{d} is not a date") from None
        if plan.period.start <= day <= plan.period.end or y:
            return day
    return date(years[0], mo, d)


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
            pos = min(p for a in table[key] if (p := low.find(a)) >= 0)
            if all(channel != k for _, k in found):
                found.append((pos, channel))
    return sorted(found)


def _share_or_amount(text: str) -> tuple[float | None, int | None]:
    percents = find_percents(text)
    if percents:
        return float(percents[0].value), None
    if m := re.search(r"(\d+(?:\.\d+)?)\s*个(?:百分)?点", text):
        return float(m[1]) / 100, None
    amounts = [a for a in find_amounts(text) if a.currency or re.search(r"[万亿kKwWmM]", a.text)]
    if amounts:
        return None, to_base_units(amounts[0].value)
    return None, None


def parse_instructions(text: str, plan: Plan, today: date | None = None) -> list[Edit]:
    """The edits a message asks for; [] when it asks for none (a question, a new fact, small talk)."""
    norm = normalize(text)
    low = norm.lower()
    channels = _channels(norm, plan)
    share, amount = _share_or_amount(norm)
    campaigns = C.find_campaigns(norm)

    if len(channels) >= 2 and _MOVE.search(low) and (share or amount):
        (p1, first), (_, second) = channels[0], channels[1]
        from_pos = low.find("from")
        src, dst = (second, first) if from_pos >= 0 and from_pos > p1 else (first, second)
        return [MoveBudget(from_channel=src, to_channel=dst, share=share, amount=amount)]
    if len(channels) == 1 and share is not None and _SET.search(low):
        if not 0 < share < 1:
            raise BadInput("a channel's share must be between 0% and 100%")
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

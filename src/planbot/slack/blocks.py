"""A plan as Slack Block Kit: the goals, the budget by channel and the key campaigns with dates.

Every figure is the plan's own (the builder's numbers, formatted like the documents); user and
model text is escaped for Slack's mrkdwn (&, <, >) so it cannot mention, link or format.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from planbot.core.numbers import format_count, format_money, format_percent
from planbot.core.plan import Plan
from planbot.core.plan_diff import Change
from planbot.render.formatting import fmt_date, fmt_short_date, labels

MAX_CAMPAIGNS = 8
MAX_CHANGES = 12


def escape(text: str) -> str:
    """Slack's mrkdwn escaping: only &, < and > are control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)  # CJK is double width in a code block


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


@cache
def _all_messages() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((Path(__file__).resolve().parent / "messages.yaml").read_text("utf-8"))
    return data


def messages(lang: str) -> dict[str, str]:
    """What planbot says in Slack in one language (plus the bilingual `help`)."""
    data = _all_messages()
    return {"help": data["help"], **data["zh" if lang == "zh" else "en"]}


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}


def summary_text(plan: Plan) -> str:
    """The notification text (and the fallback where blocks are not shown)."""
    L = labels(plan.language)
    cur = plan.currency
    return (f"{plan.title} · v{plan.version} · GMV {format_money(plan.funnel.year.gmv, cur)} · "
            f"{L['budget']['total']} {format_money(plan.budget.total, cur)}")  # fmt: skip


def plan_blocks(plan: Plan, changes: list[Change] | None = None, link: str | None = None) -> list[dict[str, Any]]:
    lang = plan.language
    L = labels(lang)
    cur = plan.currency
    y = plan.funnel.year
    words = messages(lang)
    reserve = f"{L['budget']['reserve']} {format_money(plan.budget.reserve, cur)}"
    fields = [
        (L["period"], f"{fmt_date(plan.period.start, lang)} – {fmt_date(plan.period.end, lang)}"),
        ("GMV", format_money(y.gmv, cur)),
        (L["budget"]["total"], f"{format_money(plan.budget.total, cur)} ({reserve})"),
        (L["funnel"]["uv"], format_count(y.uv, lang)),
        (L["funnel"]["cvr"], format_percent(y.cvr, 2)),
        (L["funnel"]["aov"], format_money(y.aov, cur)),
        (L["funnel"]["roas"], f"{plan.funnel.roas:.1f}"),
    ]
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": plan.title[:150]}},
        {"type": "section", "fields": [{"type": "mrkdwn", "text": f"*{escape(k)}*\n{escape(v)}"} for k, v in fields]},
    ]
    names = [c.name for c in plan.channels.items]
    width = max(_width(n) for n in names) + 2 if names else 10
    rows = [f"{_pad(c.name, width)}{format_percent(c.share, 1):>7}  {format_money(c.amount, cur):>14}"
            for c in plan.channels.items]  # fmt: skip
    total = f"{_pad(L['budget']['total_row'], width)}{'':>7}  {format_money(plan.budget.channel_total, cur):>14}"
    table = escape("\n".join([*rows, total]))
    heading = L["budget"]["by_channel_media" if plan.budget.media is not None else "by_channel"]
    blocks.append(_section(f"*{escape(heading)}*\n```{table}```"))
    lines = []
    for c in sorted(plan.calendar.campaigns, key=lambda c: (c.tier != "S", c.day))[:MAX_CAMPAIGNS]:
        phases = " · ".join(
            f"{L['phases'].get(p.kind, p.name)} {fmt_short_date(p.start, lang)}–{fmt_short_date(p.end, lang)}"
            for p in c.phases
        )
        lines.append(f"• *{escape(c.name)}* ({fmt_short_date(c.day, lang)}) {escape(phases)} · "
                     f"{escape(format_money(c.budget, cur))}")  # fmt: skip
    if lines:
        heading = escape(L["sections"]["calendar"])
        blocks.append(_section(f"*{heading}*\n" + "\n".join(lines)))
    if changes:
        shown = [f"• {escape(ch.label)}: {escape(ch.before or '—')} → {escape(ch.after or '—')}"
                 for ch in changes[:MAX_CHANGES]]  # fmt: skip
        if len(changes) > MAX_CHANGES:
            shown.append(f"… +{len(changes) - MAX_CHANGES}")
        blocks.append(_section(f"*{words['changes']}*\n" + "\n".join(shown)))
    context = f"{L['version']} {plan.version}"
    if link:
        context += f" · <{link}|{words['web']}>"
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": context}]})
    return blocks

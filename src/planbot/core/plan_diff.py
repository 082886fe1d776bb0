"""A readable diff between two plan versions, and whether a revision changed anything a reader sees."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from planbot.core.numbers import format_count, format_money, format_percent
from planbot.core.plan import BudgetLine, Campaign, ChannelPlan, Plan


class Change(BaseModel):
    path: str
    label: str
    before: str | None
    after: str | None


def _channel_text(c: ChannelPlan | None, cur: str) -> str | None:
    return None if c is None else f"{format_percent(c.share, 2)} · {format_money(c.amount, cur)}"


def _line_text(line: BudgetLine | None, cur: str) -> str | None:
    return None if line is None else f"{format_percent(line.share, 2)} · {format_money(line.amount, cur)}"


def _campaign_text(c: Campaign | None, cur: str) -> str | None:
    return None if c is None else f"{c.day.isoformat()} · {format_money(c.budget, cur)}"


def diff(old: Plan, new: Plan) -> list[Change]:
    """What changed between two versions, in the terms a marketer reads: money, shares, targets, dates."""
    cur = new.currency
    zh = new.language == "zh"
    out: list[Change] = []

    def add(path: str, label: str, before: str | None, after: str | None) -> None:
        if before != after:
            out.append(Change(path=path, label=label, before=before, after=after))

    add(
        "budget.total",
        "总预算" if zh else "Total budget",
        format_money(old.budget.total, cur),
        format_money(new.budget.total, cur),
    )
    add(
        "funnel.year.gmv",
        "GMV",
        format_money(old.funnel.year.gmv, cur),
        format_money(new.funnel.year.gmv, cur),
    )
    add(
        "funnel.year.uv",
        "UV",
        format_count(old.funnel.year.uv, new.language),
        format_count(new.funnel.year.uv, new.language),
    )
    add(
        "funnel.year.cvr",
        "CVR",
        format_percent(old.funnel.year.cvr, 2),
        format_percent(new.funnel.year.cvr, 2),
    )
    add(
        "funnel.year.aov",
        "AOV",
        format_money(old.funnel.year.aov, cur),
        format_money(new.funnel.year.aov, cur),
    )

    def rows(prefix: str, before: dict[str, Any], after: dict[str, Any], label: str, text: Any) -> None:
        """Each item of a keyed table in either version: added, removed or changed."""
        for key in list(dict.fromkeys([*before, *after])):
            b, a = before.get(key), after.get(key)
            shown = getattr(a or b, label, key)
            add(f"{prefix}.{key}", shown, text(b, cur), text(a, cur))

    for table in ("by_platform", "by_category"):
        rows(f"budget.{table}", {x.key: x for x in getattr(old.budget, table)},
             {x.key: x for x in getattr(new.budget, table)}, "label", _line_text)  # fmt: skip
    rows("channels", {c.key: c for c in old.channels.items}, {c.key: c for c in new.channels.items}, "name",
         _channel_text)  # fmt: skip
    rows("calendar", {c.id: c for c in old.calendar.campaigns}, {c.id: c for c in new.calendar.campaigns}, "name",
         _campaign_text)  # fmt: skip
    return out


_NOT_CONTENT = {"id", "version", "created_at", "generation", "brief", "overrides", "sources", "warnings"}


def _content(plan: Plan) -> dict[str, Any]:
    """What a reader of the plan gets: every figure, date, table and list, but not the identity
    (id, version, time), the inputs (brief, overrides) or the prose a writer worded."""
    data = plan.model_dump(mode="json", exclude=_NOT_CONTENT)
    for name in plan.sections():
        data[name].pop("text", None)
        data[name].pop("citations", None)
    return data


def unchanged(old: Plan, new: Plan) -> bool:
    """True when `new` says exactly what `old` says: such a revision must not become a version.

    The prose is left out because a model may word it differently each time; the offline prose is
    derived from the figures compared here.
    """
    return _content(old) == _content(new)

"""The two small charts of a one-page executive summary (about 16 × 6 cm each): the budget as a donut
(`budget_donut`) and the key campaigns on one timeline (`key_campaigns`). Registered in `charts.CHARTS`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import NamedTuple, cast

from matplotlib import dates as mdates
from matplotlib.figure import Figure

from planbot.core.plan import Plan
from planbot.render import gantt
from planbot.render.chart_layout import (
    INK,
    MUTED,
    colours,
    fit_figure,
    fit_lines,
    legend_label,
    money_label,
    new_figure,
    text_width,
    title,
)
from planbot.render.executive import campaign_span, key_campaign_list
from planbot.render.formatting import labels

CM = 1 / 2.54
MAX_WEDGES = 6  # the reserve included: a summary donut stays readable
RESERVE_COLOUR = "#cbd5e1"
OTHER_COLOUR = "#94a3b8"


def _num(d: date) -> float:
    """matplotlib's number for a day (`matplotlib.dates.date2num`, which ships unannotated)."""
    return float(cast(Callable[[date], float], mdates.date2num)(d))


class Wedge(NamedTuple):
    key: str  # a budget line's key, "other" or "reserve"
    label: str
    amount: int


def donut_lines(plan: Plan) -> list[Wedge]:
    """The donut's wedges, biggest first: the plan's channels (its cost categories when the channel table
    shares out the media category only), the smallest grouped as "other" so that, with the reserve
    last, there are at most `MAX_WEDGES`. They sum to the total budget."""
    b = plan.budget
    L = labels(plan.language)["charts"]
    source = b.by_category if b.media is not None else b.by_channel
    lines = sorted((x for x in source if x.amount > 0), key=lambda x: -x.amount)
    room = MAX_WEDGES - (1 if b.reserve > 0 else 0)
    wedges = [Wedge(x.key, x.label, x.amount) for x in lines]
    if len(wedges) > room:
        wedges = [*wedges[: room - 1], Wedge("other", L["other"], sum(w.amount for w in wedges[room - 1 :]))]
    if b.reserve > 0:
        wedges.append(Wedge("reserve", L["reserve"], b.reserve))
    return wedges


def budget_donut(plan: Plan) -> Figure:
    """The whole budget as a donut, the total in its centre; the legend on the right gives each wedge's
    share of the total and amount (the reserve pale grey, "other" grey)."""
    L = labels(plan.language)["charts"]
    wedges = donut_lines(plan)
    total = sum(w.amount for w in wedges) or 1
    fig = new_figure(16 * CM, 7 * CM)
    ax = fig.add_subplot()
    fills = colours(len(wedges))
    for i, w in enumerate(wedges):
        if w.key in ("reserve", "other"):
            fills[i] = RESERVE_COLOUR if w.key == "reserve" else OTHER_COLOUR
    patches, _ = ax.pie(
        [w.amount for w in wedges] or [1],
        colors=fills if wedges else [RESERVE_COLOUR],
        startangle=90,
        counterclock=False,
        wedgeprops={"width": 0.36, "edgecolor": "white", "linewidth": 1},
    )
    for patch, w in zip(patches, wedges, strict=False):
        patch.set_gid(f"wedge-{w.key}")
    centre = f"{L['total']}\n{money_label(plan.budget.total, plan.currency, plan.language)}"
    ax.text(0, 0, centre, ha="center", va="center", fontsize=9, color=INK, linespacing=1.3)
    ax.set_aspect("equal")
    money = [money_label(w.amount, plan.currency, plan.language) for w in wedges]
    entries = [legend_label(fig, w.label, f"{w.amount / total:.0%}  {m}", 8, 2.6 * fig.dpi)
               for w, m in zip(wedges, money, strict=True)]  # fmt: skip
    fig.legend(patches[: len(entries)], entries, loc="outside right center", frameon=False, fontsize=8,
               handlelength=1.0, labelspacing=0.5)  # fmt: skip
    title(fig, L["budget_donut"])
    fit_figure(fig)
    return fig


def date_range(start: date, end: date, language: str) -> str:
    """A campaign's dates, short: "11月8日–25日" / "10月28日–11月18日", "Nov 8–25" / "Oct 28–Nov 18"."""
    if language == "zh":
        tail = f"{end.day}日" if (start.year, start.month) == (end.year, end.month) else f"{end.month}月{end.day}日"
        return f"{start.month}月{start.day}日–{tail}"
    tail = str(end.day) if (start.year, start.month) == (end.year, end.month) else f"{end:%b} {end.day}"
    return f"{start:%b} {start.day}–{tail}"


def key_campaigns(plan: Plan) -> Figure:
    """One row per key campaign across the plan period (ticks by `gantt.ticks`: months for a year): the
    campaign's span in its colour, its burst darker, its dates beside the bar (right, else left, else
    inside; under the name when none of these fits)."""
    L = labels(plan.language)["charts"]
    camps = key_campaign_list(plan)
    fig = new_figure(16 * CM, 6 * CM)
    names = [fit_lines(fig, c.name, 1.8 * fig.dpi, 8, 2) for c in camps]
    lines = sum(n.count("\n") + 1 for n in names)
    fig.set_size_inches(16 * CM, max(6 * CM, 0.85 + 0.2 * lines + 0.08 * len(camps)))
    ax = fig.add_subplot()
    first, last = plan.period.start, plan.period.end
    x0, x1 = _num(first), _num(last + timedelta(days=1))
    family = gantt.families(camps)
    spans = [campaign_span(c, plan) for c in camps]
    for row, (c, (start, end)) in enumerate(zip(camps, spans, strict=True)):
        shades = family[c.key]
        left = _num(start)
        ax.barh(row, _num(end + timedelta(days=1)) - left, left=left, height=0.6, color=shades[0], gid=f"bar-{row}")
        for p in c.phases:
            if p.kind == "burst" and p.start <= last and p.end >= first:
                b0, b1 = max(p.start, first), min(p.end, last)
                ax.barh(row, _num(b1 + timedelta(days=1)) - _num(b0), left=_num(b0), height=0.6,
                        color=shades[2], gid=f"bar-{row}-burst")  # fmt: skip
    ax.set_ylim(len(camps) - 0.5, -0.5)
    ax.set_xlim(x0, x1)
    ax.set_yticks(range(len(camps)), names, fontsize=8)
    marks = gantt.ticks(first, last, plan.language)
    ax.set_xticks([_num(d) for d, _ in marks], [t for _, t in marks], fontsize=7.5)
    ax.grid(axis="x", color="#e2e8f0")
    ax.set_axisbelow(True)
    ax.spines[["top", "right", "left"]].set_visible(False)
    ax.tick_params(axis="y", length=0)
    title(fig, L["key_campaigns"])
    fig.canvas.draw()
    per_px = ax.bbox.width / (x1 - x0)  # pixels a day
    for row, (start, end) in enumerate(spans):
        text = date_range(start, end, plan.language)
        width = text_width(fig, text, 7) + 6
        bar0, bar1 = _num(start), _num(end + timedelta(days=1))
        if (x1 - bar1) * per_px >= width:
            x, ha, colour = bar1 + 3 / per_px, "left", MUTED
        elif (bar0 - x0) * per_px >= width:
            x, ha, colour = bar0 - 3 / per_px, "right", MUTED
        elif (bar1 - bar0) * per_px >= width:
            x, ha, colour = (bar0 + bar1) / 2, "center", INK
        else:  # nowhere beside the bar: under the name
            names[row] = f"{names[row]}\n{text}"
            continue
        ax.text(x, row, text, ha=ha, va="center", fontsize=7, color=colour, gid=f"label-{row}")
    ax.set_yticks(range(len(camps)), names, fontsize=8)
    fit_figure(fig)
    return fig

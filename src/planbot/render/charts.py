"""Charts of a plan (matplotlib, Agg): budget by channel, budget by month, the campaign Gantt, the funnel
(and, registered here from their own modules, the summary's donut and timeline and the monthly GMV).

Chinese labels need a CJK font: the Noto Sans CJK SC face that ships inside the mplfonts wheel is
used everywhere, so a fresh machine without Debian's fonts still draws Chinese, and every machine
draws the same glyphs. SVG (text as paths, so it needs no font at view time) for HTML; PNG for
DOCX and PDF.

Labels are user text (channel and campaign names) and money ("$600K"): matplotlib's mathtext is
off (`text.parse_math`), so a `$` is drawn as a dollar sign, never as the start of a formula.
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, Literal

import matplotlib

matplotlib.use("Agg")

from matplotlib.dates import date2num
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from planbot.core.plan import Plan
from planbot.render import chart_months, chart_summary, fingerprint, gantt
from planbot.render.chart_layout import (
    ELLIPSIS,
    INK,
    MUTED,
    PALETTE,
    cjk_font,
    colours,
    fit_figure,
    fit_lines,
    legend_label,
    money_label,
    new_figure,
    renderer,
    text_width,
    title,
)
from planbot.render.formatting import labels

ChartName = Literal[
    "budget_by_channel", "budget_by_month", "calendar", "funnel", "budget_donut", "key_campaigns", "gmv_by_month",
]  # fmt: skip
CHARTS: tuple[ChartName, ...] = (
    "budget_by_channel", "budget_by_month", "calendar", "funnel", "budget_donut", "key_campaigns", "gmv_by_month",
)  # fmt: skip
__all__ = ["CHARTS", "PALETTE", "ChartName", "cjk_font", "figure", "png", "shown", "svg"]
_LOCK = threading.Lock()  # matplotlib's font cache and rcParams are process-global
LABEL_PT = 7.0  # the labels over the monthly bars
LEGEND_WIDTH = 2.9  # inches: a legend entry wider than this wraps its name


def budget_by_channel(plan: Plan) -> Figure:
    """The channels' money as a donut; the legend, outside the donut on the right, names each wedge with
    its share and amount (a long name wraps above its figures, which are never cut)."""
    L = labels(plan.language)["charts"]
    lines = [x for x in plan.budget.by_channel if x.amount > 0]
    fig = new_figure(7.5, 4.2)
    ax = fig.add_subplot()
    wedges, _ = ax.pie(
        [x.amount for x in lines],
        colors=colours(len(lines)),
        startangle=90,
        counterclock=False,
        wedgeprops={"width": 0.38, "edgecolor": "white"},
    )
    media = plan.budget.media is not None  # release 2: the channel lines share out the media category
    total = money_label(plan.budget.channel_total, plan.currency, plan.language)
    ax.text(0, 0, f"{L['media' if media else 'allocated']}\n{total}", ha="center", va="center", fontsize=11)
    money = [money_label(x.amount, plan.currency, plan.language) for x in lines]
    entries = [legend_label(fig, x.label, f"{x.share:.1%}  {m}", 9, LEGEND_WIDTH * fig.dpi)
               for x, m in zip(lines, money, strict=True)]  # fmt: skip
    fig.legend(wedges, entries, loc="outside right center", frameon=False, fontsize=9)
    ax.set_aspect("equal")
    title(fig, L["budget_by_channel_media" if media else "budget_by_channel"])
    fit_figure(fig)
    return fig


def _month_label(d: date, language: str, with_year: bool) -> str:
    if language == "zh":
        return f"{d.year}年{d.month}月" if with_year else f"{d.month}月"
    return f"{d:%b} {d.year}" if with_year else f"{d:%b}"


def _campaign_names(names: list[str], limit: int = 2) -> list[str]:
    """The names shown over a month's bar: the first `limit`, then "+N" for the rest."""
    return names[:limit] + ([f"+{len(names) - limit}"] if len(names) > limit else [])


def budget_by_month(plan: Plan) -> Figure:
    """One bar per month (a campaign month in the accent colour) with its amount on top and, above that,
    the month's campaigns. The width comes from the labels: each month's slot fits its amount and tick
    label; names wrap (then end in "…") to the slot. A label wider than its bar sits above any taller
    neighbour, so it never crosses another bar; the axis grows to keep every label inside the plot."""
    L = labels(plan.language)["charts"]
    months = plan.budget.by_month
    n = max(1, len(months))
    multi_year = plan.period.start.year != plan.period.end.year
    values = [money_label(m.amount, plan.currency, plan.language) for m in months]
    ticks = [_month_label(m.start, plan.language, multi_year) for m in months]
    marks = [  # a month "has" a campaign when any of its phases falls in it
        [c.name for c in plan.calendar.campaigns if any(p.start <= m.end and p.end >= m.start for p in c.phases)]
        for m in months
    ]
    fig = new_figure(8, 3.8)
    words = [w for names in marks for name in names for w in name.split() if w.isascii()]  # Latin words
    need = max([0.0, *(text_width(fig, v, LABEL_PT) for v in values), *(text_width(fig, t, 8) for t in ticks),
                *(min(54.0, text_width(fig, w, LABEL_PT)) for w in words)])  # fmt: skip
    fig.set_size_inches(max(8.0, 1.3 + n * (need + 10) / 0.9 / fig.dpi), 3.8)
    ax = fig.add_subplot()
    heights = [m.amount for m in months]
    top = max(heights, default=0) or 1
    for i, m in enumerate(months):
        ax.bar(i, m.amount, color="#c2410c" if marks[i] else "#94a3b8", width=0.8, gid=f"bar-{i}")
    ax.set_xticks(range(len(months)), ticks, fontsize=8)
    ax.set_xlim(-0.5, n - 0.5)
    ax.set_ylim(0, top * 1.15)
    ax.yaxis.set_major_formatter(lambda v, _p: money_label(int(v), plan.currency, plan.language))
    ax.spines[["top", "right"]].set_visible(False)
    fig.legend(
        handles=[Patch(color="#c2410c", label=L["campaign_month"]), Patch(color="#94a3b8", label=L["always_on"])],
        frameon=False, fontsize=8, loc="outside lower center", ncol=2,
    )  # fmt: skip
    title(fig, L["budget_by_month"])
    fig.canvas.draw()  # the layout: now the slot of a month is known in pixels
    slot = ax.bbox.width / n
    blocks: list[tuple[float, float]] = []  # (bottom in data units, height in pixels) of each month's labels
    for i, m in enumerate(months):
        shown = _campaign_names(marks[i])
        # within the bar's width (up to three lines a name) when that needs no "…"; else the month's slot
        narrow = [fit_lines(fig, name, slot * 0.8 - 4, LABEL_PT, 3) for name in shown]
        cut = any(ELLIPSIS in a and ELLIPSIS not in b for a, b in zip(narrow, shown, strict=True))
        wide = [fit_lines(fig, name, slot * 0.94, LABEL_PT, 3 if len(shown) == 1 else 2) for name in shown]
        names = "\n".join(wide if cut else narrow)
        label = f"{names}\n{values[i]}" if names else values[i]
        bottom = float(m.amount)
        if text_width(fig, label, LABEL_PT) / 2 > slot * 0.4 - 2:  # wider than its bar: over the taller neighbours
            bottom = max([bottom, *(heights[j] for j in (i - 1, i + 1) if 0 <= j < len(heights))])
            if bottom > m.amount:  # a leader from the bar up to its label
                ax.plot([i, i], [m.amount, bottom], color="#94a3b8", linewidth=0.6, gid=f"leader-{i}")
        text = ax.annotate(label, (i, bottom), xytext=(0, 2), textcoords="offset points", ha="center", va="bottom",
                           fontsize=LABEL_PT, color=INK, linespacing=1.1, gid=f"label-{i}")  # fmt: skip
        blocks.append((bottom, text.get_window_extent(renderer(fig)).height + 4))
    height = ax.bbox.height
    ylim = max([top * 1.05, *(b / max(0.2, 0.98 - h / height) for b, h in blocks)])
    ax.set_ylim(0, ylim)
    fit_figure(fig)
    return fig


def calendar(plan: Plan) -> Figure:
    """A Gantt chart: one row per campaign, its warm-up / burst / follow-through as light, dark and mid
    shades of the campaign's colour (the waves of one sale share it); a campaign carried over from next
    year is hatched and paler, its name greyed. Ticks step by week, half month, month or quarter, as
    the plan's length asks (`gantt.ticks`); long names wrap beside their rows (`gantt.wrap_label`)."""
    L = labels(plan.language)
    campaigns = plan.calendar.campaigns
    names = [gantt.wrap_label(c.name) for c in campaigns]
    lines = max((n.count("\n") + 1 for n in names), default=1)
    fig = new_figure(7.5, max(2.4, (0.42 if lines <= 2 else 0.56) * len(campaigns) + 1.4))
    ax = fig.add_subplot()
    first, last = plan.period.start, plan.period.end
    colours = gantt.families(campaigns)
    for row, c in enumerate(campaigns):
        shades = colours[c.key]
        style: dict[str, Any] = {"edgecolor": "white"}
        if c.carried:  # next year's campaign: hatched and paler
            style = {"hatch": "////", "alpha": 0.6, "edgecolor": shades[2], "linewidth": 0}
        for i, p in enumerate(c.phases):
            start = date2num(p.start)
            ax.barh(row, date2num(p.end + timedelta(days=1)) - start, left=start, height=0.55,
                    color=shades[gantt.SHADE.get(p.kind, 1)], gid=f"gantt-{row}-{i}", **style)  # fmt: skip
        if first <= c.day <= last:
            ax.plot([date2num(c.day) + 0.5], [row], marker="v", color="#1d2433", markersize=5)
    ax.set_yticks(range(len(campaigns)), names, fontsize=9)
    for label, c in zip(ax.get_yticklabels(), campaigns, strict=True):
        if c.carried:
            label.set_color("#5b6577")
    ax.set_ylim(len(campaigns) - 0.5, -0.5)  # first campaign on top
    ax.set_xlim(date2num(first), date2num(last + timedelta(days=1)))
    marks = gantt.ticks(first, last, plan.language)
    ax.set_xticks([date2num(d) for d, _ in marks], [text for _, text in marks], fontsize=8)
    ax.grid(axis="x", color="#e2e8f0")
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    phases = L["phases"]
    handles = [
        Patch(color=gantt.NEUTRAL[gantt.SHADE[k]], label=phases[k]) for k in ("warm_up", "burst", "follow_through")
    ]
    if any(c.carried for c in campaigns):
        handles.append(Patch(facecolor="white", edgecolor=gantt.NEUTRAL[2], hatch="////", linewidth=0,
                             label=L["trade"]["carried_legend"]))  # fmt: skip
    fig.legend(handles=handles, frameon=False, fontsize=8, loc="outside lower center", ncol=len(handles))
    title(fig, L["charts"]["calendar"])
    fit_figure(fig)
    return fig


def funnel(plan: Plan) -> Figure:
    """The year's funnel, GMV = UV × CVR × AOV, as a stylised funnel (widths show order, not scale);
    a stage's text shrinks (down to 7 pt) to stay inside its bar, never cut."""
    L = labels(plan.language)["charts"]
    y = plan.funnel.year
    money = lambda v: money_label(v, plan.currency, plan.language)  # noqa: E731
    stages = [
        (f"{L['uv']}  {y.uv:,}", "#1d4ed8", 1.0),
        (f"{L['orders']}  {y.orders:,}", "#0f766e", 0.66),
        (f"GMV  {money(y.gmv)}", "#c2410c", 0.42),
    ]
    links = [f"× {L['cvr']} {y.cvr:.2%}", f"× {L['aov']} {money(y.aov)}"]
    fig = new_figure(7.5, 3.4)
    ax = fig.add_subplot()
    ax.set_ylim(len(stages) * 1.4 - 0.8, -0.6)
    ax.set_xlim(0, 1)
    ax.axis("off")
    title(fig, L["funnel"])
    fig.canvas.draw()
    for i, (text, color, width) in enumerate(stages):
        ax.barh(i * 1.4, width, left=(1 - width) / 2, height=0.8, color=color, gid=f"bar-{i}")
        size = 11.0
        while size > 7 and text_width(fig, text, size) > ax.bbox.width * width - 12:
            size -= 0.5
        ax.text(0.5, i * 1.4, text, ha="center", va="center", color="white", fontsize=size, gid=f"label-{i}")
        if i < len(links):
            ax.text(0.5, i * 1.4 + 0.7, links[i], ha="center", va="center", fontsize=9, color=MUTED)
    fit_figure(fig)
    return fig


_BUILDERS: dict[ChartName, Callable[[Plan], Figure]] = {
    "budget_by_channel": budget_by_channel,
    "budget_by_month": budget_by_month,
    "calendar": calendar,
    "funnel": funnel,
    "budget_donut": chart_summary.budget_donut,
    "key_campaigns": chart_summary.key_campaigns,
    "gmv_by_month": chart_months.gmv_by_month,
}


def shown(plan: Plan) -> tuple[ChartName, ...]:
    """The charts a document of `plan` shows: a plan stored without months has no monthly GMV chart."""
    return tuple(name for name in CHARTS if name != "gmv_by_month" or plan.funnel.months)


def figure(plan: Plan, name: ChartName) -> Figure:
    """The chart `name` of `plan` as a drawn matplotlib Figure (laid out, texts placed): what `svg` and
    `png` save, for callers (and tests) that inspect its artists."""
    if name not in _BUILDERS:
        raise ValueError(f"unknown chart {name!r}")
    with _LOCK:
        cjk_font()  # sets rcParams once, for good: before rc_context, which restores what it found on exit
        with matplotlib.rc_context({"text.parse_math": False, "text.usetex": False}):
            fig = _BUILDERS[name](plan)
            fig.canvas.draw()
    return fig


_CACHE: OrderedDict[tuple[str, str, str, int], bytes] = OrderedDict()
CACHE_SIZE = 64  # exporting one plan in all formats draws each chart once


def _draw(plan: Plan, name: ChartName, kind: str, dpi: int) -> bytes:
    key = (fingerprint(plan), name, kind, dpi)
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
        buf = io.BytesIO()
        meta = {"Date": None} if kind == "svg" else {"Software": None}
        cjk_font()  # sets rcParams once, for good: before rc_context, which restores what it found on exit
        # tick labels are made while saving: keep mathtext off until then, whatever else changed rcParams
        with matplotlib.rc_context({"text.parse_math": False, "text.usetex": False}):
            fig = _BUILDERS[name](plan)
            fig.savefig(buf, format=kind, dpi=dpi, metadata=meta)
        _CACHE[key] = buf.getvalue()
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
        return _CACHE[key]


def svg(plan: Plan, name: ChartName) -> str:
    text = _draw(plan, name, "svg", 100).decode()
    return text[text.index("<svg") :]  # inline in HTML: no XML prolog or doctype


def png(plan: Plan, name: ChartName, dpi: int = 150) -> bytes:
    return _draw(plan, name, "png", dpi)

"""Charts of a plan (matplotlib, Agg): budget by channel, budget by month, the campaign Gantt, the funnel.

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
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any, Literal

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import date2num
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from planbot.core.numbers import format_money_compact
from planbot.core.plan import Plan
from planbot.render import fingerprint, gantt
from planbot.render.formatting import labels

ChartName = Literal["budget_by_channel", "budget_by_month", "calendar", "funnel"]
CHARTS: tuple[ChartName, ...] = ("budget_by_channel", "budget_by_month", "calendar", "funnel")
PALETTE = ["#c2410c", "#0f766e", "#1d4ed8", "#a16207", "#7c3aed", "#be185d", "#15803d", "#475569", "#0e7490"]
_LOCK = threading.Lock()  # matplotlib's font cache and rcParams are process-global


@cache
def cjk_font() -> tuple[str, Path]:
    """(family name, file) of the CJK font, registered with matplotlib once."""
    import mplfonts  # noqa: PLC0415 - only for the path of the font it ships

    path = Path(mplfonts.__file__).resolve().parent / "fonts" / "NotoSansCJKsc-Regular.otf"
    font_manager.fontManager.addfont(str(path))
    name = font_manager.FontProperties(fname=str(path)).get_name()
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [name, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False
    matplotlib.rcParams["svg.fonttype"] = "path"
    matplotlib.rcParams["svg.hashsalt"] = "planbot"  # stable ids: the same plan gives the same SVG
    # every label is drawn as typed: "$ave & Co $5" is text, not mathtext (which would also fail on a lone backslash)
    matplotlib.rcParams["text.parse_math"] = False
    matplotlib.rcParams["text.usetex"] = False
    return name, path


def _figure(width: float, height: float) -> Figure:
    cjk_font()
    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _title(fig: Figure, text: str) -> None:
    fig.suptitle(text, fontsize=13, x=0.02, ha="left", color="#1d2433")


def budget_by_channel(plan: Plan) -> Figure:
    L = labels(plan.language)["charts"]
    lines = [x for x in plan.budget.by_channel if x.amount > 0]
    fig = _figure(7.5, 4.2)
    ax = fig.add_subplot()
    wedges, _ = ax.pie(
        [x.amount for x in lines],
        colors=PALETTE[: len(lines)] + PALETTE[: max(0, len(lines) - len(PALETTE))],
        startangle=90,
        counterclock=False,
        wedgeprops={"width": 0.38, "edgecolor": "white"},
    )
    media = plan.budget.media is not None  # release 2: the channel lines share out the media category
    total = format_money_compact(plan.budget.channel_total, plan.currency, plan.language)
    ax.text(0, 0, f"{L['media' if media else 'allocated']}\n{total}", ha="center", va="center", fontsize=11)
    ax.legend(
        wedges,
        [f"{x.label}  {x.share:.1%}  {format_money_compact(x.amount, plan.currency, plan.language)}" for x in lines],
        loc="center left",
        bbox_to_anchor=(1.0, 0.5),
        frameon=False,
        fontsize=9,
    )
    ax.set_aspect("equal")
    _title(fig, L["budget_by_channel_media" if media else "budget_by_channel"])
    return fig


def _month_label(d: date, language: str, with_year: bool) -> str:
    if language == "zh":
        return f"{d.year}年{d.month}月" if with_year else f"{d.month}月"
    return f"{d:%b} {d.year}" if with_year else f"{d:%b}"


def budget_by_month(plan: Plan) -> Figure:
    L = labels(plan.language)["charts"]
    months = plan.budget.by_month
    fig = _figure(8, 3.8)
    ax = fig.add_subplot()
    x = list(range(len(months)))
    # a month "has" a campaign when any of its phases falls in it
    marks = [
        [c.name for c in plan.calendar.campaigns if any(p.start <= m.end and p.end >= m.start for p in c.phases)]
        for m in months
    ]
    ax.bar(x, [m.amount for m in months], color=["#c2410c" if mk else "#94a3b8" for mk in marks], width=0.7)
    top = max((m.amount for m in months), default=0) or 1
    for i, m in enumerate(months):
        if marks[i]:
            ax.text(i, m.amount + top * 0.02, "\n".join(marks[i][:2]), ha="center", va="bottom", fontsize=7.5)
    multi_year = plan.period.start.year != plan.period.end.year
    ax.set_xticks(x, [_month_label(m.start, plan.language, multi_year) for m in months], fontsize=8)
    ax.set_ylim(0, top * 1.3)
    ax.yaxis.set_major_formatter(lambda v, _p: format_money_compact(int(v), plan.currency, plan.language))
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(
        handles=[Patch(color="#c2410c", label=L["campaign_month"]), Patch(color="#94a3b8", label=L["always_on"])],
        frameon=False, fontsize=8, loc="upper left",
    )  # fmt: skip
    _title(fig, L["budget_by_month"])
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
    fig = _figure(7.5, max(2.4, (0.42 if lines <= 2 else 0.56) * len(campaigns) + 1.4))
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
    _title(fig, L["charts"]["calendar"])
    return fig


def funnel(plan: Plan) -> Figure:
    """The year's funnel, GMV = UV × CVR × AOV, as a stylised funnel (widths show order, not scale)."""
    L = labels(plan.language)["charts"]
    y = plan.funnel.year
    money = lambda v: format_money_compact(v, plan.currency, plan.language)  # noqa: E731
    stages = [
        (f"{L['uv']}  {y.uv:,}", "#1d4ed8", 1.0),
        (f"{L['orders']}  {y.orders:,}", "#0f766e", 0.66),
        (f"GMV  {money(y.gmv)}", "#c2410c", 0.42),
    ]
    links = [f"× {L['cvr']} {y.cvr:.2%}", f"× {L['aov']} {money(y.aov)}"]
    fig = _figure(7.5, 3.4)
    ax = fig.add_subplot()
    for i, (text, color, width) in enumerate(stages):
        ax.barh(i * 1.4, width, left=(1 - width) / 2, height=0.8, color=color)
        ax.text(0.5, i * 1.4, text, ha="center", va="center", color="white", fontsize=11)
        if i < len(links):
            ax.text(0.5, i * 1.4 + 0.7, links[i], ha="center", va="center", fontsize=9, color="#475569")
    ax.set_ylim(len(stages) * 1.4 - 0.8, -0.6)
    ax.set_xlim(0, 1)
    ax.axis("off")
    _title(fig, L["funnel"])
    return fig


_BUILDERS = {"budget_by_channel": budget_by_channel, "budget_by_month": budget_by_month, "calendar": calendar,
             "funnel": funnel}  # fmt: skip


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

"""The plan's monthly GMV targets as bars (`gmv_by_month`, registered in `charts.CHARTS`): where the brand's
history holds last year's same months, a muted grey bar beside each target, and over each pair the
target and its change on last year ("¥510万 / +35.2%").

Bars carry gids "bar-<i>" (the target) and "bar-<i>-ly" (last year), the label over month i "label-<i>",
as the other bar charts do (tests/render/test_chart_layout.py). The width comes from the labels: each
month's slot fits its label and its tick label, so a label never reaches a neighbouring month's bars.
"""

from __future__ import annotations

from datetime import date

from matplotlib.figure import Figure
from matplotlib.patches import Patch

from planbot.core.plan import FunnelRow, Plan
from planbot.render.chart_layout import INK, fit_figure, money_label, new_figure, renderer, text_width, title
from planbot.render.formatting import labels
from planbot.render.months import change, change_text

LABEL_PT = 7.0
TARGET = "#c2410c"  # the accent, as the other charts' plan figures
LAST_YEAR = "#b8c0cc"  # muted grey: the comparison, not the plan
SLOT_USE = 0.8  # a label takes at most this share of its month's slot


def _start(row: FunnelRow) -> date | None:
    """The month a row covers, from its scope ("2027-01"); None for a scope of another form."""
    try:
        year, month = row.scope.split("-")
        return date(int(year), int(month), 1)
    except ValueError:
        return None


def _tick(row: FunnelRow, language: str, with_year: bool) -> str:
    d = _start(row)
    if d is None:
        return row.label
    if language == "zh":
        return f"{d.year}年{d.month}月" if with_year else f"{d.month}月"
    return f"{d:%b} {d.year}" if with_year else f"{d:%b}"


def gmv_by_month(plan: Plan) -> Figure:
    """One target bar per month (and last year's beside it, when the history has that month); over each
    month its target and, with last year's figure, the change ("+33.0%")."""
    L = labels(plan.language)["charts"]
    rows = plan.funnel.months
    n = max(1, len(rows))
    history = any(r.gmv_last_year is not None for r in rows)
    multi_year = plan.period.start.year != plan.period.end.year

    def money(v: int) -> str:
        return money_label(v, plan.currency, plan.language)

    texts = [
        money(r.gmv) + (f"\n{change_text(c)}" if (c := change(r.gmv, r.gmv_last_year)) is not None else "")
        for r in rows
    ]
    ticks = [_tick(r, plan.language, multi_year) for r in rows]
    fig = new_figure(8, 3.8)
    need = max([0.0, *(text_width(fig, t, LABEL_PT) for t in texts), *(text_width(fig, t, 8) for t in ticks)])
    fig.set_size_inches(max(8.0, 1.3 + n * (need + 8) / SLOT_USE / 0.9 / fig.dpi), 3.8)
    ax = fig.add_subplot()
    width = 0.38 if history else 0.6
    tops = []
    for i, r in enumerate(rows):
        x = i + width / 2 if history else i
        if r.gmv_last_year is not None:
            ax.bar(i - width / 2, r.gmv_last_year, width=width, color=LAST_YEAR, gid=f"bar-{i}-ly")
        ax.bar(x, r.gmv, width=width, color=TARGET, gid=f"bar-{i}")
        tops.append(max(r.gmv, r.gmv_last_year or 0))
    top = max(tops, default=0) or 1
    ax.set_xticks(range(len(rows)), ticks, fontsize=8)
    ax.set_xlim(-0.5, n - 0.5)
    ax.set_ylim(0, top * 1.15)
    ax.yaxis.set_major_formatter(lambda v, _p: money(int(v)))
    ax.spines[["top", "right"]].set_visible(False)
    if history:
        fig.legend(handles=[Patch(color=LAST_YEAR, label=L["last_year"]), Patch(color=TARGET, label=L["target"])],
                   frameon=False, fontsize=8, loc="outside lower center", ncol=2)  # fmt: skip
    title(fig, L["gmv_by_month_ly" if history else "gmv_by_month"])
    fig.canvas.draw()  # the layout: the labels' heights in pixels
    blocks: list[tuple[float, float]] = []  # (bottom in data units, height in pixels) of each month's label
    for i, text in enumerate(texts):
        label = ax.annotate(text, (i, tops[i]), xytext=(0, 2), textcoords="offset points", ha="center", va="bottom",
                            fontsize=LABEL_PT, color=INK, linespacing=1.1, gid=f"label-{i}")  # fmt: skip
        blocks.append((tops[i], label.get_window_extent(renderer(fig)).height + 4))
    height = ax.bbox.height
    ax.set_ylim(0, max([top * 1.05, *(b / max(0.2, 0.98 - h / height) for b, h in blocks)]))
    fit_figure(fig)
    return fig

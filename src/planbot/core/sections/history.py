"""What the plan takes from the brand's own history file, and how it says so.

The brand's figures come before the category's: its AOV, CVR and returning share are the defaults a
brief without them plans on; its months shape the month-by-month GMV; its ad data sets the ROAS the
media is judged by. Every such figure is an assumption whose reason names the file, its rows and the
months it covers, and the sales goal is set against the brand's own past growth.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from planbot.core.brief import DEFAULT_AOV, DEFAULT_CVR, Brief
from planbot.core.history.baselines import Baselines, baselines, same_months_last_year
from planbot.core.history.model import History
from planbot.core.kpi import DEFAULT_REPURCHASE, Defaults, Note
from planbot.core.numbers import format_money_compact, format_percent
from planbot.core.playbook.library import Resolved
from planbot.core.playbook.schema import Range

if TYPE_CHECKING:
    from planbot.core.sections.context import Context


def own_baselines(brief: Brief, pb: Resolved) -> Baselines | None:
    """The history's baselines for this plan; none without a history in the brief's currency."""
    h = brief.history
    if h is None or brief.period is None or h.currency != brief.currency:
        return None
    return baselines(h, brief.period.start, pb.category.seasonality[pb.market.key])


def month_text(d: date, labels: dict[str, Any]) -> str:
    return str(labels["month_label"]).format(year=d.year, month=d.month, month_name=labels["month_names"][d.month - 1])


def file_args(h: History, labels: dict[str, Any], own: Baselines | None = None) -> dict[str, str]:
    """The file as every assumption built on it cites it: name, rows read, months covered, and the
    window the baselines were taken over."""
    args = {
        "file": h.source.file,
        "rows": str(h.source.rows),
        "period": f"{month_text(h.source.first, labels)}–{month_text(h.source.last, labels)}",
    }
    if own is not None and own.window is not None:
        args["months"] = str(own.window.months)
        args["window"] = f"{month_text(own.window.first, labels)}–{month_text(own.window.last, labels)}"
    return args


def own_defaults(brief: Brief, base: Defaults | None, own: Baselines | None, labels: dict[str, Any]) -> Defaults | None:
    """The defaults a brief without AOV, CVR or repurchase rate plans on: the brand's own where the file
    has them, the category's (or planbot's) otherwise."""
    if own is None or brief.history is None or not (own.aov or own.cvr or own.returning_share):
        return base
    keys = dict(base.keys) if base is not None else {"aov": "aov", "cvr": "cvr", "repurchase": "repurchase"}
    aov = base.aov if base is not None else DEFAULT_AOV.get(brief.currency, DEFAULT_AOV["USD"])
    cvr = base.cvr if base is not None else DEFAULT_CVR[brief.market]
    repurchase = base.repurchase if base is not None else DEFAULT_REPURCHASE
    if own.aov:
        aov, keys["aov"] = own.aov, "aov_history"
    if own.cvr:
        cvr, keys["cvr"] = own.cvr, "cvr_history"
    if own.returning_share:
        repurchase, keys["repurchase"] = own.returning_share, "repurchase_history"
    args = {**(base.args if base is not None else {}), **file_args(brief.history, labels, own)}
    return Defaults(aov=aov, cvr=cvr, repurchase=repurchase, args=args, keys=keys)


def season_curve(pb: Resolved, own: Baselines | None) -> list[float]:
    """The 12 monthly demand indices the plan's months follow: the brand's, else the category's."""
    if own is not None and own.season is not None:
        return own.season
    return list(pb.category.seasonality[pb.market.key])


def own_roas(own: Baselines | None) -> dict[str, Range]:
    """Per platform, the range of the brand's own monthly ad ROAS (the file's months with spend)."""
    if own is None:
        return {}
    return {k: Range(low=r.low, high=r.high) for k, r in own.roas_platform.items()}


def own_channel_kpi(ctx: Context, channel: str) -> list[str]:
    """A channel the brand's ad data covers is held to the brand's own ROAS there, not a generic KPI."""
    own = ctx.fig.own
    r = own.roas_channel.get(channel) if own is not None else None
    if r is None or own is None or own.window is None:
        return []
    spread = f"{r.low:g}–{r.high:g}x" if r.low < r.high else ""
    key = "own_channel_roas" if spread else "own_channel_roas_flat"
    window = f"{month_text(own.window.first, ctx.labels)}–{month_text(own.window.last, ctx.labels)}"
    return [str(ctx.labels[key]).format(roas=f"{r.value:g}x", spread=spread, window=window)]


def history_notes(brief: Brief, pb: Resolved, own: Baselines | None, labels: dict[str, Any]) -> list[Note]:
    """The assumptions that say what else the plan took from the file (the defaults state their own)."""
    h = brief.history
    if own is None or h is None:
        return []
    args = file_args(h, labels, own)
    lang, cur = brief.language, brief.currency
    notes: list[Note] = []
    if own.season is not None:
        n = sum(own.season_own)
        key = "season_history" if n == 12 else "season_history_gaps"
        notes.append(Note(key, "seasonality", f"{n}/12", {**args, "own": str(n), "gap": str(12 - n)}))
    if brief.gmv_last_year is None and (gmv := brief.last_year_gmv()) is not None:
        notes.append(Note("gmv_last_year_history", "gmv_last_year", format_money_compact(gmv, cur, lang), args))
    if brief.uv_last_year is None and (uv := brief.last_year_uv()) is not None:
        notes.append(Note("uv_last_year_history", "uv_last_year", str(uv), args))
    sold = {p.key for p in pb.platforms}
    shown = [(k, r) for k, r in own.roas_platform.items() if k in sold]
    if shown:
        names = {p.key: p.names.in_(lang) for p in pb.platforms}
        sep = "；" if lang == "zh" else "; "
        brackets = "（{}）" if lang == "zh" else " ({})"
        spread = {k: brackets.format(f"{r.low:g}–{r.high:g}x") if r.low < r.high else "" for k, r in shown}
        values = sep.join(f"{names[k]} {r.value:g}x{spread[k]}" for k, r in shown)
        notes.append(Note("roas_history", "roas", values, {**args, "values": values}))
    return notes


def history_warnings(brief: Brief, own: Baselines | None) -> list[Note]:
    """Last year's GMV as the marketer said it, far (over 5%) from the file's same months: say both."""
    if own is None or brief.history is None or brief.gmv_last_year is None or brief.period is None:
        return []
    from_file = same_months_last_year(brief.history, brief.period.start, brief.period.end)
    if from_file is None or abs(from_file / brief.gmv_last_year - 1) <= 0.05:
        return []
    money = {k: format_money_compact(v, brief.currency, brief.language) for k, v in
             (("said", brief.gmv_last_year), ("file", from_file))}  # fmt: skip
    return [Note("history_last_year_differs", args={**money, "file_name": brief.history.source.file})]


def growth_phrase(brief: Brief, own: Baselines | None, growth: float | None, labels: dict[str, Any]) -> str | None:
    """The goal set against the brand's own past: "+33% on last year, above the 2024→2025 growth of 18%"."""
    if own is None or growth is None or not own.growth:
        return None
    past = own.growth[-1]
    o = labels["objectives"]
    gap = growth - past.rate
    relation = o["relation"]["above" if gap > 0.005 else "below" if gap < -0.005 else "level"]
    return str(o["growth_history"]).format(
        growth=format_percent(growth), relation=relation, y0=past.year_from, y1=past.year_to,
        past=format_percent(past.rate),
    )  # fmt: skip

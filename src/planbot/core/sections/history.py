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


def span_text(first: date, last: date, labels: dict[str, Any]) -> str:
    """Months as a marketer names them: "2026年全年" for a calendar year, else "2025年7月–2026年6月"."""
    if first.year == last.year and (first.month, last.month) == (1, 12):
        return str(labels["full_year"]).format(year=first.year)
    return f"{month_text(first, labels)}–{month_text(last, labels)}"


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
        args["window"] = span_text(own.window.first, own.window.last, labels)
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
    window = span_text(own.window.first, own.window.last, ctx.labels)
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


def history_warnings(brief: Brief, own: Baselines | None, labels: dict[str, Any]) -> list[Note]:
    """A figure the marketer gave that the file contradicts (last year's GMV off by over 5%, AOV or CVR
    by over 10%): the plan uses the marketer's, and says both so the right one can be confirmed."""
    h = brief.history
    if own is None or h is None or brief.period is None:
        return []
    out: list[Note] = []
    lang, cur = brief.language, brief.currency
    from_file = same_months_last_year(h, brief.period.start, brief.period.end)
    if brief.gmv_last_year is not None and from_file is not None and abs(from_file / brief.gmv_last_year - 1) > 0.05:
        said, found = (format_money_compact(v, cur, lang) for v in (brief.gmv_last_year, from_file))
        out.append(Note("history_last_year_differs", args={"said": said, "file": found, "file_name": h.source.file}))
    window = span_text(own.window.first, own.window.last, labels) if own.window else ""
    pairs = (("aov", brief.aov, own.aov), ("cvr", brief.cvr, own.cvr))
    for metric, said_v, file_v in pairs:
        if said_v is None or file_v is None or abs(file_v / said_v - 1) <= 0.10:
            continue
        shown = [format_money_compact(round(v), cur, lang) if metric == "aov" else format_percent(v, 2)
                 for v in (said_v, file_v)]  # fmt: skip
        args = {"metric": labels["kpi_labels"][metric], "said": shown[0], "file": shown[1], "window": window,
                "file_name": h.source.file}  # fmt: skip
        out.append(Note("history_figure_differs", args=args))
    return out


def spend_warning(brief: Brief, own: Baselines | None, media: int, gmv: int) -> list[Note]:
    """Media money well below (under 80% of) the share of GMV the brand's ads took last year: the reason
    the target needs a higher ROAS than the shop has ever had, said with both figures."""
    if own is None or not own.ad_spend_share or gmv <= 0 or media / gmv >= 0.8 * own.ad_spend_share:
        return []
    lang, cur = brief.language, brief.currency
    args = {
        "plan": format_percent(media / gmv),
        "plan_money": format_money_compact(media, cur, lang),
        "last": format_percent(own.ad_spend_share),
        "last_money": format_money_compact(own.ad_spend, cur, lang),
    }
    return [Note("history_media_below", args=args)]


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

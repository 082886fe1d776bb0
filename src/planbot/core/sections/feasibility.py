"""Whether the media money can carry the target: the ROAS range it is judged by (the category's, or the
brand's own from its history), and the figures the warning, the summary and the decisions state."""

from __future__ import annotations

from typing import Literal

from planbot.core import media_plan as MP
from planbot.core.brief import Brief
from planbot.core.kpi import Note
from planbot.core.numbers import format_money_compact, format_percent
from planbot.core.plan import Feasibility
from planbot.core.playbook import playbook
from planbot.core.playbook.library import Resolved
from planbot.core.playbook.schema import Range


def weighted_range(pb: Resolved, mp: MP.MediaPlan, field_: str, own: dict[str, Range] | None = None) -> Range:
    """The category's range for a figure over the plan's platforms, weighted by their media money (the
    market default for money spent off-platform), so a Douyin-heavy plan is not judged by Tmall's range;
    a platform the brand's own history has figures for is judged by those (`own`)."""
    rows = pb.category.benchmarks[pb.market.key]
    lines = [a for a in mp.platforms if a.amount > 0] or mp.platforms
    total = sum(a.amount for a in lines) or 1

    def rng(key: str) -> Range:
        return (own or {}).get(key) or getattr(rows.get(key, rows["default"]), field_)

    picked = [(a.amount / total if mp.media else 1 / len(lines), rng(a.key)) for a in lines]
    return Range(low=round(sum(w * r.low for w, r in picked), 2), high=round(sum(w * r.high for w, r in picked), 2))


def roas_basis(mp: MP.MediaPlan, own: dict[str, Range]) -> Literal["category", "own", "mixed"]:
    """Whose returns the media is judged by: the brand's own history where it covers the platforms spending."""
    lines = [a.key for a in mp.platforms if a.amount > 0]
    covered = [k for k in lines if k in own]
    return "category" if not covered else "own" if len(covered) == len(lines) else "mixed"


def feasibility_args(f: Feasibility, currency: str, language: str) -> dict[str, str]:
    """The figures the feasibility warning and the summary's sentence both state."""

    def money(x: int | None) -> str:
        return format_money_compact(x or 0, currency, language)

    return {
        "required": f"{f.required_roas:g}",
        "low": f"{f.roas_low:g}",
        "high": f"{f.roas_high:g}",
        "paid_share": format_percent(f.paid_share),
        "budget_needed": money(f.budget_needed),
        "reachable": money(f.reachable_gmv),
        "basis": str(playbook(language)["roas_basis"][f.basis]),
    }


def feasibility_note(brief: Brief, f: Feasibility) -> Note:
    key = "roas_above_range" if f.status == "above_range" else "roas_below_range"
    return Note(key, args=feasibility_args(f, brief.currency, brief.language))

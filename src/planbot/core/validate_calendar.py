"""Release-2 calendar rules (issue 19): the trade's calendar holds in every plan.

Deadlines (reviews, stock and creative lead times, follow-ups) fall on the market's working days (a KPI
counts to its period's last day, whatever the weekday); nothing the plan is held to falls after it ends;
a platform wave sits on its platform's dates; a burst of physical goods never runs while carriers stop.
"""

from __future__ import annotations

from collections.abc import Callable

from planbot.core import trade_calendar as TC
from planbot.core.plan import DEADLINE_KINDS, Plan
from planbot.core.workdays import work_calendar

Report = Callable[[str, str, str], None]  # (rule, path, message) -> an error


def deadlines(plan: Plan, error: Report) -> None:
    work, end = work_calendar(plan.market), plan.period.end
    reviews = [(f"measurement.reviews[{i}]", r.due) for i, r in enumerate(plan.measurement.reviews)]
    follow_ups = [(f"measurement.follow_ups[{i}]", f.due) for i, f in enumerate(plan.measurement.follow_ups)]
    lead_times = [
        (f"calendar.campaigns[{i}].milestones[{j}]", m.day)
        for i, c in enumerate(plan.calendar.campaigns)
        for j, m in enumerate(c.milestones)
        if m.kind in DEADLINE_KINDS
    ]
    for path, day in reviews + follow_ups + lead_times:
        if not work.is_working(day):
            error("not_working_day", path, f"{path} is due on {day}, which is not a working day in this market")
    for i, k in enumerate(plan.kpis):  # a target counts to its period's last day, never past the plan
        if k.due > end:
            error("due_after_end", f"kpis[{i}]", f"kpis[{i}] is due on {k.due}, after the plan ends on {end}")
    for path, day in reviews:
        if day > end:
            error(
                "due_after_end", path, f"{path} is due on {day}, after the plan ends on {end}: list it as a follow-up"
            )
    for path, day in follow_ups:
        if day <= end:
            error("due_after_end", path, f"{path} is due on {day}, inside the plan: make it a KPI or a review")


def waves_and_logistics(plan: Plan, error: Report) -> None:
    for i, c in enumerate(plan.calendar.campaigns):
        path = f"calendar.campaigns[{i}]"
        if c.wave is not None:
            platform, _, part = c.wave.partition("/")
            w = TC.wave_dates(c.key, platform, c.day.year)
            if w is None or part not in ("first", "final"):
                error("wave", path, f"{c.name}: {c.wave} is not a wave of {c.key} on {platform}")
            elif part == "first" and c.day != w.first[1]:  # the final push sits on the festival (validate.py)
                error("wave", path, f"{c.name}: the first wave ends on {w.first[1]}, not {c.day}")
        burst = next((p for p in c.phases if p.kind == "burst"), None)
        if burst is None:
            continue
        for s in TC.stops_near(plan.market, burst.start, burst.end):
            blocked = burst.end > s.last_order and burst.start < s.resume
            if blocked and c.logistics != "virtual":
                error(
                    "carrier_stop",
                    f"{path}.phases",
                    f"{c.name}: the burst {burst.start} – {burst.end} runs past the last order day {s.last_order} "
                    f"(carriers stop {s.stop} – {s.resume}): end it by then or sell stocked or virtual goods",
                )
        if c.logistics == "ends_before_cutoff":
            cut = [s.last_order for s in TC.stops_near(plan.market, burst.start, c.day)]
            if burst.end not in cut:
                error(
                    "carrier_stop", path, f"{c.name}: its burst should end on a last order day ({cut}), not {burst.end}"
                )

"""Issue 18: the time the budget model adds to a plan build (media plan, returns, feasibility, funnel and
customer model: sections/figures.compute_budget + compute_funnel), per reference brief, without retrieval."""

from __future__ import annotations

import time
from pathlib import Path

import metrics  # bench/metrics.py (run.py puts bench/ on the path)
import numpy as np

from planbot.core.brief import Brief
from planbot.core.kpi import Note, derive_targets
from planbot.core.plan import PlanOverrides
from planbot.core.playbook import playbook
from planbot.core.playbook.library import resolve
from planbot.core.sections import figures as F
from planbot.core.sections.kpis import benchmark_for, category_defaults


def once(brief: Brief) -> float:
    """Milliseconds for the budget model of one brief (campaign selection, done before, is not counted)."""
    pb = resolve(brief.market, brief.platforms, brief.category)
    d = derive_targets(brief, category_defaults(brief, pb))
    fig = F.Figures(d=d, goals=[*brief.goal_focus] or [F.GOAL_DEFAULT])
    labels = playbook(brief.language)
    notes: list[Note] = []
    F.select_campaigns(brief, PlanOverrides(), pb, fig, notes)
    bench = benchmark_for(pb, brief.language)[0]
    start = time.perf_counter()
    F.compute_budget(brief, PlanOverrides(), pb, fig, notes, bench)
    F.compute_funnel(brief, fig, labels, notes, [])
    return (time.perf_counter() - start) * 1000


def run(briefs: dict[str, Brief], repeat: int) -> list[str]:
    rows, every = [], []
    for name, brief in briefs.items():
        times = [once(brief) for _ in range(repeat)]
        every += times
        rows.append(f"| {Path(name).stem} | {brief.kind()} | {np.median(times):.2f} | {np.percentile(times, 95):.2f} |")
    p95 = float(np.percentile(every, 95))
    metrics.record("budget_model_p95_ms", p95)
    return [
        "## Budget model (issue 18)",
        "",
        f"Media plan, returns, feasibility, funnel and customer model per plan, {repeat} runs per brief: "
        f"p95 {p95:.2f} ms over all (target <= 10 ms).",
        "",
        "| brief | plan type | median (ms) | p95 (ms) |",
        "| --- | --- | ---: | ---: |",
        *rows,
    ]

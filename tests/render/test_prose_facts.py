"""The offline writer states no fact the plan's data does not hold (issue 20).

Every figure in every section's prose, for plans of each type in both languages, is one the plan
stores (or a ratio of its headline amounts), at the precision the prose shows it.
"""

from __future__ import annotations

import pytest

from planbot.core.plan import Plan
from tests.render.prose_figures import unheld_figures

SECTIONS = ("summary", "situation", "objectives", "funnel", "strategy", "channels", "budget", "calendar",
            "always_on", "measurement", "risks", "team")  # fmt: skip


@pytest.mark.parametrize("key", ["beauty", "us", "jd_double11", "cold_start"])
def test_every_figure_in_the_prose_is_the_plans(plans: dict[str, Plan], key: str) -> None:
    plan = plans[key]
    stated = {s: getattr(plan, s).text for s in SECTIONS}
    assert all(stated.values())
    unheld = {s: unheld_figures(text, plan) for s, text in stated.items()}
    assert not {s: f for s, f in unheld.items() if f}, unheld


def test_the_check_catches_a_figure_the_plan_does_not_hold(plans: dict[str, Plan]) -> None:
    plan = plans["beauty"]
    assert unheld_figures("总预算¥1,500万，GMV目标¥1.2亿，转化率3.3%。", plan) == []
    assert sorted(unheld_figures("总预算¥1,630万，转化率4.4%。", plan)) == ["4.4%", "¥1,630万"]  # no month holds it
    assert unheld_figures("本方案总预算为¥80,000,000", plan) == ["¥80,000,000"]

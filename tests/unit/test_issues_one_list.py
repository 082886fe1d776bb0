"""One list of issues: validate(plan) returns the plan's own warnings with what its rules find, each once.

Issue: POST /v1/plans answered `issues: []` while the plan's warnings said '预算占目标GMV的500%'.
"""

from __future__ import annotations

import pytest

from planbot.core.brief import Brief, Period
from planbot.core.builder import Builder
from planbot.core.plan import Plan, PlanIssue
from planbot.core.validate import errors, validate


def keys(issues: list[PlanIssue]) -> list[tuple[str, str, str, str]]:
    return [(i.severity, i.rule, i.path, i.message) for i in issues]


@pytest.fixture(scope="module")
def costly(builder: Builder) -> Plan:
    """A budget five times the GMV target: the builder warns about it in the plan."""
    brief = Brief(platforms=["天猫"], period=Period.year(2027), budget_total=50_000_000, gmv_target=10_000_000)
    return builder.build(brief)


def test_the_plans_own_warnings_are_among_the_issues(costly: Plan) -> None:
    ratio = [w for w in costly.warnings if w.rule == "budget_ratio_high"]
    assert ratio and "预算占目标GMV的500%" in ratio[0].message
    issues = validate(costly)
    assert ratio[0] in issues and errors(issues) == []
    assert all(i.severity == "warning" for i in issues)


def test_each_issue_is_listed_once(costly: Plan) -> None:
    issues = validate(costly)
    assert len(set(keys(issues))) == len(issues)
    # a stored plan's warnings already hold the rules' warnings: validating it again adds nothing
    stored = costly.model_copy(update={"warnings": [i for i in issues if i.severity == "warning"]})
    assert keys(validate(stored)) == keys(issues)


def test_rule_warnings_and_the_plans_warnings_come_together_in_order(beauty_plan: Plan) -> None:
    own = PlanIssue(severity="warning", rule="growth_high", path="", message="目标增长150%")
    beauty_plan.warnings = [own, own.model_copy()]
    beauty_plan.budget.by_channel[0].share, beauty_plan.budget.by_channel[1].share = 0.7, 0.0  # concentration
    issues = validate(beauty_plan)
    assert issues[0] == own and keys(issues).count(keys([own])[0]) == 1
    assert any(i.rule == "concentration" and i.severity == "warning" for i in issues)


def test_a_warning_a_hand_edited_plan_marks_as_error_does_not_block_it(beauty_plan: Plan) -> None:
    before = errors(validate(beauty_plan))
    beauty_plan.warnings = [
        PlanIssue(severity="error", rule="budget_ratio_low", path="", message="预算仅占目标GMV的1%")
    ]
    issues = validate(beauty_plan)
    assert errors(issues) == before
    assert [i.severity for i in issues if i.rule == "budget_ratio_low"] == ["warning"]


def test_a_built_plan_lists_each_warning_once(costly: Plan) -> None:
    assert len(set(keys(costly.warnings))) == len(costly.warnings)

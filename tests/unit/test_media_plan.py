"""Issue 18: budget and KPIs a media planner would sign. Properties over random briefs: the budget's views
agree, there is one reserve, orders = new + returning in every row, launches are front-loaded and start
without returning customers, returns are named right; plus the customer model and tactic sizing."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planbot.core import customers as CU
from planbot.core.brief import Brief
from planbot.core.builder import Builder
from planbot.core.plan import Plan
from planbot.core.playbook.media import rules
from planbot.core.validate import errors, validate

PLATFORMS = [["天猫"], ["天猫", "抖音"], ["京东", "抖音", "小红书"], ["Amazon"], ["Shopify", "Amazon", "TikTok Shop"]]
CATEGORIES = ["美妆护肤", "猫粮", "零食", "服装", "小家电", "咖啡", None]
SETTINGS = settings(
    max_examples=25, derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def briefs(draw: st.DrawFn, launch: bool | None = None) -> dict[str, Any]:
    platforms = draw(st.sampled_from(PLATFORMS))
    market = "global" if platforms[0] in ("Amazon", "Shopify") else "cn"
    start = draw(st.dates(date(2027, 1, 1), date(2029, 12, 1)))
    days = draw(st.sampled_from([45, 90, 119, 183, 200, 365, 500]))
    budget = draw(st.integers(100_000, 500_000_000))
    data: dict[str, Any] = {
        "market": market,
        "platforms": platforms,
        "currency": "USD" if market == "global" else "CNY",
        "language": draw(st.sampled_from(["zh", "en"])),
        "category": draw(st.sampled_from(CATEGORIES)),
        "period": {"start": start, "end": start + timedelta(days=days - 1)},
        "budget_total": budget,
        "gmv_target": budget * draw(st.integers(3, 30)),
        "goal_focus": draw(st.lists(st.sampled_from(["sales", "brand", "users", "conversion"]), max_size=2)),
    }
    is_launch = draw(st.booleans()) if launch is None else launch
    if is_launch:
        data["plan_type"] = "launch"
    elif draw(st.booleans()):
        data["gmv_last_year"] = round(data["gmv_target"] / draw(st.sampled_from([1.0, 1.2, 1.5, 2.0])))
    if draw(st.booleans()):
        data["new_customers_target"] = draw(st.integers(100, 50_000))
    return data


def _check_views(plan: Plan) -> None:
    b = plan.budget
    assert b.media is not None
    media_line = next(x for x in b.by_category if x.key == "media")
    assert media_line.amount == b.media == sum(x.amount for x in b.by_channel) == sum(x.amount for x in b.by_platform)
    for table in (b.by_category, b.by_quarter, b.by_month):
        assert sum(x.amount for x in table) == b.allocated
    assert sum(c.budget for c in plan.calendar.campaigns) + b.always_on == b.allocated
    spent: dict[str, int] = {}
    for c in plan.calendar.campaigns:
        assert sum(x.amount for x in c.budget_by_purpose) == c.budget
        for x in c.budget_by_purpose:
            spent[x.key] = spent.get(x.key, 0) + x.amount
    for line in b.by_channel:
        assert spent.get(line.key, 0) <= line.amount, line.key


def _check_reserve(plan: Plan) -> None:
    b = plan.budget
    assert b.reserve == round(b.total * rules().reserve.share) and b.reserve + b.allocated == b.total
    assert all(x.key != "contingency" for c in plan.calendar.campaigns for x in c.budget_by_purpose)


def _check_customers(plan: Plan) -> None:
    rows = [plan.funnel.year, *plan.funnel.quarters, *(c.funnel for c in plan.calendar.campaigns)]
    for row in rows:
        assert row.new_orders is not None and row.returning_orders is not None
        assert row.new_orders + row.returning_orders == row.orders and row.new_orders >= 0, row


def _check_returns(plan: Plan) -> None:
    f, b = plan.funnel, plan.budget
    assert f.ad_roas is not None and f.paid_gmv is not None and b.media
    assert f.ad_roas == round(f.paid_gmv / b.media, 2)
    assert f.roas == round(plan.funnel.year.gmv / b.total, 2)  # MER
    kpis = {k.metric: k for k in plan.kpis if k.scope == "year" and k.scope_ref is None}
    assert kpis["roas"].target == f.ad_roas and kpis["mer"].target == f.roas
    labels = ("ROAS", "MER")
    assert labels[0] in kpis["roas"].label and labels[1] in kpis["mer"].label
    assert kpis["roas"].owner_role != kpis["mer"].owner_role  # ads manager vs marketing lead
    assert sum(c.attributed_gmv or 0 for c in plan.channels.items) == f.paid_gmv


@SETTINGS
@given(briefs())
def test_every_view_of_the_budget_agrees_and_orders_split_into_new_and_returning(
    builder: Builder, data: dict[str, Any]
) -> None:
    plan = builder.build(Brief.model_validate(data))
    assert errors(validate(plan)) == []
    _check_views(plan)
    _check_reserve(plan)
    _check_customers(plan)
    _check_returns(plan)


@SETTINGS
@given(briefs(launch=True))
def test_a_launch_spends_ahead_of_its_sales(builder: Builder, data: dict[str, Any]) -> None:
    plan = builder.build(Brief.model_validate(data))
    assert plan.budget.plan_type == "launch"
    quarters = plan.funnel.quarters
    if len(quarters) >= 2 and plan.period.days >= 120:
        first_spend = plan.budget.by_quarter[0].share
        first_gmv = quarters[0].gmv / plan.funnel.year.gmv
        assert first_spend > first_gmv, (first_spend, first_gmv)
    first = plan.funnel.quarters[0]
    assert first.returning_orders is not None and first.new_orders is not None
    assert first.returning_orders < first.new_orders  # no base: the first quarter's buyers are new


def test_a_launch_has_no_returning_customers_until_a_cycle_has_passed() -> None:
    months = [CU.Month(date(2027, m, 1), 30, 1000.0) for m in range(1, 7)]
    returning = CU.returning_by_month(months, base_buyers=0.0, rate=0.3, cycle_days=60, cap=0.85)
    assert returning[0] == returning[1] == 0.0  # Jan and Feb: no buyer has had a 60-day cycle yet
    assert returning[2] > 0 and returning[3] > returning[2]  # from March January's buyers come back
    established = CU.returning_by_month(months, base_buyers=5000.0, rate=0.3, cycle_days=60, cap=0.85)
    assert established[0] > 0 and all(r <= 0.85 * 1000 for r in established)


@given(
    st.lists(st.integers(0, 10**6), min_size=1, max_size=9), st.lists(st.floats(0, 2 * 10**6), min_size=9, max_size=9)
)
def test_rows_split_orders_exactly(orders: list[int], returning: list[float]) -> None:
    rows = CU.split_rows(orders, returning[: len(orders)])
    assert all(n + r == o and n >= 0 and r >= 0 for (n, r), o in zip(rows, orders, strict=True))


def test_buyers_come_from_orders_by_the_repeat_chain() -> None:
    # a yearly cycle and 10% repurchase: each buyer placed 1.1 orders last year
    assert abs(CU.buyers_from_orders(110_000, 0.1, 365) - 100_000) < 1e-6
    # a monthly cycle: repeats compound but stay bounded (r + r^2 + ... < r / (1 - r))
    assert CU.repeat_orders_per_buyer(0.4, 30) < 0.4 / 0.6


def test_growth_is_mostly_new_customers_with_the_categorys_repurchase(builder: Builder) -> None:
    """The issue's +50% plan: returning orders can no longer be ~97% of last year's orders."""
    brief = Brief.model_validate({
        "platforms": ["天猫"], "category": "小家电", "period": {"start": "2027-01-01", "end": "2027-12-31"},
        "budget_total": 10_000_000, "gmv_last_year": 40_000_000, "growth_rate": 0.5, "aov": 400,
    })  # fmt: skip
    plan = builder.build(brief)
    year = plan.funnel.year
    last_year_orders = 40_000_000 / 400
    assert year.returning_orders is not None and year.new_orders is not None
    assert year.returning_orders < 0.5 * last_year_orders
    assert year.new_orders > year.returning_orders


def test_tactics_are_sized_to_their_line(builder: Builder) -> None:
    """A small plan names no top-tier creator and no IP tie-up; a large one can pay for them."""
    base = {
        "platforms": ["天猫", "抖音"],
        "category": "美妆护肤",
        "period": {"start": "2027-01-01", "end": "2027-12-31"},
    }
    small = builder.build(Brief.model_validate({**base, "budget_total": 600_000, "gmv_target": 6_000_000}))
    large = builder.build(Brief.model_validate({**base, "budget_total": 200_000_000, "gmv_target": 2_000_000_000}))

    def tactics(plan: Plan, key: str) -> str:
        return " ".join(next(c for c in plan.channels.items if c.key == key).tactics)

    assert "头部达人约" in tactics(small, "kol") and "本预算不安排" in tactics(small, "kol")
    assert "头部达人×" not in tactics(small, "kol")
    assert "联名或IP合作" not in tactics(small, "partners") and "本预算不安排" in tactics(small, "partners")
    assert "头部达人×" in tactics(large, "kol") and "IP或品牌联名×" in tactics(large, "partners")


def test_plan_types_word_their_period(builder: Builder) -> None:
    base = {"platforms": ["天猫"], "budget_total": 1_000_000, "gmv_target": 10_000_000}
    six_weeks = builder.build(Brief.model_validate({**base, "period": {"start": "2027-10-10", "end": "2027-11-20"}}))
    half = builder.build(Brief.model_validate({**base, "period": {"start": "2027-03-01", "end": "2027-08-31"}}))
    year = builder.build(Brief.model_validate({**base, "period": {"start": "2027-01-01", "end": "2027-12-31"}}))
    assert (six_weeks.budget.plan_type, half.budget.plan_type, year.budget.plan_type) == (
        "campaign", "part_year", "annual")  # fmt: skip
    for plan in (six_weeks, half):
        assert "全年" not in plan.summary.text and "年度方案" not in plan.summary.text
    assert "年度方案" in year.summary.text
    media = {
        p.budget.plan_type: next(x.share for x in p.budget.by_category if x.key == "media") for p in (six_weeks, year)
    }
    assert media["campaign"] > media["annual"]  # a campaign plan spends on media, not on a year's people


def test_infeasible_targets_get_both_honest_alternatives(builder: Builder) -> None:
    brief = Brief.model_validate({"platforms": ["天猫"], "category": "猫粮", "budget_total": 1_000_000,
                                  "gmv_target": 100_000_000, "period": {"start": "2027-01-01", "end": "2027-12-31"}})  # fmt: skip
    plan = builder.build(brief)
    f = plan.budget.feasibility
    assert f is not None and f.status == "above_range" and f.required_roas > f.roas_high
    assert f.budget_needed is not None and f.budget_needed > brief.budget_total  # type: ignore[operator]
    assert f.reachable_gmv is not None and f.reachable_gmv < 100_000_000
    assert any(w.rule == "roas_above_range" for w in plan.warnings)
    assert "总预算提高到约" in plan.summary.text and "GMV目标调整到约" in plan.summary.text
    assert f.clicks > 0 and f.click_orders > 0


def test_every_media_rule_cites_its_guide_word_for_word() -> None:
    from planbot.core.playbook.check import quote_problems

    assert quote_problems(rules(), "media.yaml") == []
    assert {s.guide for s in rules().sources()} == {"media-planning"}


def test_a_launch_is_read_from_the_brief_and_only_when_said() -> None:
    from planbot.core.extract import extract

    assert extract("新品牌冷启动，做国货护肤，6个月").values.get("plan_type") == "launch"
    assert extract("We're launching a new brand on Shopify next spring").values.get("plan_type") == "launch"
    assert "plan_type" not in extract("老品牌，天猫店，明年GMV目标1亿").values
    assert Brief.model_validate({"period": {"start": "2027-01-01", "end": "2027-12-31"}}).kind() == "annual"


def test_a_media_rules_file_that_does_not_add_up_is_refused_by_name(tmp_path: Path) -> None:
    from planbot.core.playbook.media import PATH, MediaRulesError, load_rules

    text = PATH.read_text(encoding="utf-8").replace("annual: {media: 0.55,", "annual: {media: 0.65,")
    bad = tmp_path / "media.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(MediaRulesError, match=r"(?s)media\.yaml.*cost_split\.annual"):
        load_rules(bad)

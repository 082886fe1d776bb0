"""A plan built on the brand's own history (issue 23): its months, baselines, last year and ad returns
come from the file, each cited; the category fills only the gaps."""

from __future__ import annotations

from datetime import date

from planbot.core.brief import Brief
from planbot.core.builder import Builder
from planbot.core.plan import Plan
from planbot.core.validate import validate
from tests.conftest import BRIEFS, load_brief
from tests.history_data import FILE, SUMMER, history_brief, summer_history

CITE = f"{FILE}（48行，2025年1月–2026年12月）"


def _shares(plan: Plan) -> list[float]:
    return [m.gmv / plan.funnel.year.gmv for m in plan.funnel.months]


def test_months_follow_the_brands_own_seasons_not_the_categorys(history_plan: Plan, plans: dict[str, Plan]) -> None:
    own, category = _shares(history_plan), _shares(plans["beauty"])
    assert own.index(max(own)) == 6  # July, the brand's peak
    assert category.index(max(category)) != 6  # the beauty category peaks elsewhere (618, Double 11)
    expected = [x / sum(SUMMER) for x in SUMMER]
    assert all(abs(a - b) < 1e-6 for a, b in zip(own, expected, strict=True))
    assert max(abs(a - b) for a, b in zip(own, category, strict=True)) > 0.03  # visibly different months


def test_each_month_stands_next_to_the_same_month_last_year(history_plan: Plan) -> None:
    last = {m.month.month: m.gmv for m in summer_history().months if m.month.year == 2026}
    rows = history_plan.funnel.months
    assert [r.scope for r in rows] == [f"2027-{m:02d}" for m in range(1, 13)]
    assert [r.gmv_last_year for r in rows] == [last[m] for m in range(1, 13)]
    assert all(abs(r.gmv / (r.gmv_last_year or 1) - 1.33) < 0.001 for r in rows)


def test_baselines_come_from_the_file_and_cite_it(history_plan: Plan) -> None:
    by_field = {a.field: a for a in history_plan.assumptions}
    for field_ in ("aov", "cvr", "repurchase_rate", "seasonality", "gmv_last_year", "roas"):
        assert CITE in by_field[field_].reason, field_
        assert by_field[field_].source is None  # no guide stands behind the brand's own figures
    assert history_plan.funnel.year.aov == 180  # the file's GMV / orders
    assert history_plan.funnel.baseline_cvr == 0.031
    assert by_field["repurchase_rate"].value == "38%"  # returning buyers' share: 1 - 0.62


def test_the_goal_is_set_against_the_brands_past_growth(history_plan: Plan) -> None:
    sales = next(o for o in history_plan.objectives.items if o.dimension == "sales")
    assert "同比增长33%，高于2025→2026年的增长18%" in sales.statement


def test_media_is_judged_by_the_shops_own_returns(history_plan: Plan, plans: dict[str, Plan]) -> None:
    f = history_plan.budget.feasibility
    assert f is not None and f.basis == "own" and (f.roas_low, f.roas_high) != (0, 0)
    lines = {x.key: x.benchmark for x in history_plan.budget.by_platform}
    assert lines == {"tmall": "4–4.4x（店铺数据）", "douyin": "2.9x（店铺数据）"}
    assert any(
        "按本方案平台配比折算的店铺历史月度区间" in w.message
        for w in history_plan.warnings
        if w.rule.startswith("roas_")
    )
    plain = plans["beauty"].budget.feasibility
    assert plain is not None and plain.basis == "category"


def test_every_plan_has_a_month_row_per_budget_month(plans: dict[str, Plan]) -> None:
    for key, plan in plans.items():
        months = plan.funnel.months
        assert [m.scope for m in months] == [b.key for b in plan.budget.by_month], key
        assert sum(m.gmv for m in months) == plan.funnel.year.gmv, key
        assert all(m.gmv_last_year is None for m in months), key  # no history, no last-year months
        # each month is its own funnel (visitors and orders rounded per month), within 1% of the year's
        assert abs(sum(m.uv for m in months) - plan.funnel.year.uv) <= plan.funnel.year.uv * 0.01, key
        for m in months:
            assert (m.new_orders or 0) + (m.returning_orders or 0) == m.orders


def test_a_month_that_disagrees_with_its_quarter_is_refused(history_plan: Plan) -> None:
    plan = history_plan.model_copy(deep=True)
    assert not [i for i in validate(plan) if i.severity == "error"]
    plan.funnel.months[0] = plan.funnel.months[0].model_copy(update={"gmv": plan.funnel.months[0].gmv + 1000})
    errors = [i for i in validate(plan) if i.severity == "error"]
    assert any(i.path == "funnel.quarters[0]" for i in errors)


def test_growth_goal_needs_no_last_year_figure_when_the_file_has_it(builder: Builder) -> None:
    base = history_brief(load_brief(BRIEFS["beauty"]))
    brief = Brief.model_validate({**base.model_dump(), "gmv_target": None, "growth_rate": 0.25})
    assert brief.missing() == []
    plan = builder.build(brief)
    last = sum(m.gmv or 0 for m in summer_history().months if m.month.year == 2026)
    assert plan.funnel.year.gmv == round(last * 1.25)
    assert not Brief.model_validate({**brief.model_dump(), "history": None}).is_complete()


def test_the_marketers_own_figures_win_over_the_file(builder: Builder) -> None:
    brief = load_brief(BRIEFS["beauty"]).model_copy(update={"history": summer_history(), "aov": 260})
    plan = builder.build(brief)
    assert plan.funnel.year.aov == 260
    by_field = {a.field: a for a in plan.assumptions}
    assert "aov" not in by_field and "gmv_last_year" not in by_field  # both stated in the brief
    assert FILE in by_field["seasonality"].reason


def test_a_history_in_another_currency_is_not_used(builder: Builder) -> None:
    usd = summer_history().model_copy(update={"currency": "USD"})
    brief = load_brief(BRIEFS["beauty"]).model_copy(update={"history": usd})
    plan = builder.build(brief)
    assert not any(FILE in a.reason for a in plan.assumptions)


def test_english_plan_says_it_in_english(builder: Builder) -> None:
    brief = history_brief(load_brief(BRIEFS["beauty"])).model_copy(update={"language": "en"})
    plan = builder.build(brief)
    sales = next(o for o in plan.objectives.items if o.dimension == "sales")
    assert "(+33% on last year, above the 2025→2026 growth of 18%)" in sales.statement
    reasons = " ".join(a.reason for a in plan.assumptions)
    assert f"{FILE} (48 rows, Jan 2025–Dec 2026)" in reasons
    assert plan.funnel.months[0].label == "Jan 2027"
    assert date(2027, 1, 1) == plan.period.start


def test_channels_the_ad_data_covers_are_held_to_the_shops_own_roas(history_plan: Plan) -> None:
    kpis = {c.key: c.kpis for c in history_plan.channels.items}
    assert "广告投产比不低于店铺2026年全年的4.2x（月度4–4.4x）" in kpis["search"]
    assert "广告投产比不低于店铺2026年全年的2.9x" in kpis["short_video"]
    assert not any("店铺" in k for k in kpis["kol"])  # no ad data for seeding: its own KPIs only


def test_paid_share_is_what_the_brands_ads_drove(history_plan: Plan) -> None:
    f = history_plan.budget.feasibility
    h = summer_history()
    ads = sum(a.sales or 0 for a in h.ads if a.month.year == 2026)
    gmv = sum(m.gmv or 0 for m in h.months if m.month.year == 2026)
    assert f is not None and f.paid_share == round(ads / gmv, 4)
    assert f.paid_gmv == round(history_plan.funnel.year.gmv * f.paid_share)
    by_field = {a.field: a for a in history_plan.assumptions}
    assert CITE in by_field["paid_share"].reason


def test_a_last_year_figure_far_from_the_files_is_pointed_out(builder: Builder) -> None:
    brief = load_brief(BRIEFS["beauty"]).model_copy(update={"history": summer_history(6_000_000)})  # says ¥9,500万
    plan = builder.build(brief)
    warning = next(w for w in plan.warnings if w.rule == "history_last_year_differs")
    assert "¥9,500万" in warning.message and FILE in warning.message
    assert plan.funnel.year.gmv == 120_000_000  # the marketer's figures stand


def test_a_figure_the_file_bears_out_is_not_called_conservative(builder: Builder) -> None:
    brief = load_brief(BRIEFS["beauty"]).model_copy(update={"history": summer_history()})  # AOV 180, CVR 3%
    plan = builder.build(brief)
    rules = {w.rule: w.message for w in plan.warnings}
    assert "benchmark_low" not in rules  # the brief's ¥180 is the shop's own AOV: not "偏保守"
    assert "history_figure_differs" not in rules  # CVR 3% vs the file's 3.1%: within 10%
    lower = builder.build(brief.model_copy(update={"aov": 120}))
    differs = next(w.message for w in lower.warnings if w.rule == "history_figure_differs")
    assert "¥120" in differs and "¥180" in differs and "2026年全年" in differs


def test_media_below_last_years_ad_share_is_said_with_both_figures(history_plan: Plan) -> None:
    h = summer_history()
    spend = sum(a.spend for a in h.ads if a.month.year == 2026)
    gmv = sum(m.gmv or 0 for m in h.months if m.month.year == 2026)
    warning = next(w.message for w in history_plan.warnings if w.rule == "history_media_below")
    assert f"占GMV的{round(spend / gmv * 100)}%" in warning  # 9%: what the shop's ads took in 2026
    media = history_plan.budget.media or 0
    assert media / history_plan.funnel.year.gmv < 0.8 * spend / gmv

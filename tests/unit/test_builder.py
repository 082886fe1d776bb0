from datetime import date

import pytest
from pydantic import ValidationError

from planbot.core import calendar as C
from planbot.core import trade_calendar as TC
from planbot.core.brief import STORED, Brief, Period
from planbot.core.builder import Builder, threshold_offer
from planbot.core.kpi import funnel_error
from planbot.core.plan import Plan
from planbot.core.workdays import work_calendar
from planbot.errors import BadInput
from planbot.retrieval.index import KnowledgeIndex
from tests.conftest import BRIEFS, load_brief


@pytest.mark.parametrize("key", list(BRIEFS))
def test_money_tables_sum_exactly(plans: dict[str, Plan], key: str) -> None:
    b = plans[key].budget
    assert b.reserve + b.allocated == b.total == plans[key].brief.budget_total
    for table in (b.by_category, b.by_quarter, b.by_month):
        assert sum(x.amount for x in table) == b.allocated
        assert round(sum(x.share for x in table), 9) == 1
    for table in (b.by_channel, b.by_platform):  # two views of the media cost category
        assert sum(x.amount for x in table) == b.media == next(x.amount for x in b.by_category if x.key == "media")
        assert round(sum(x.share for x in table), 9) == 1
    campaigns = plans[key].calendar.campaigns
    assert sum(c.budget for c in campaigns) + b.always_on == b.allocated
    for c in campaigns:
        assert sum(x.amount for x in c.budget_by_purpose) == c.budget


@pytest.mark.parametrize("key", list(BRIEFS))
def test_funnel_holds(plans: dict[str, Plan], key: str) -> None:
    p = plans[key]
    rows = [p.funnel.year, *p.funnel.quarters, *(c.funnel for c in p.calendar.campaigns)]
    assert all(funnel_error(r) <= 0.01 for r in rows)
    assert sum(q.gmv for q in p.funnel.quarters) == p.funnel.year.gmv
    assert sum(q.uv for q in p.funnel.quarters) == p.funnel.year.uv


@pytest.mark.parametrize("key", list(BRIEFS))
def test_festival_dates_are_right_for_the_year(plans: dict[str, Plan], key: str) -> None:
    for c in plans[key].calendar.campaigns:
        if c.wave is not None and c.wave.endswith("/first"):  # a first wave sits on its platform's dates
            waves = TC.wave_dates(c.key, c.wave.split("/")[0], c.day.year)
            assert waves is not None and c.day == waves.first[1]
        else:
            assert c.day == C.festival_date(c.key, c.day.year)


def test_reference_dates(plans: dict[str, Plan]) -> None:
    cn = {c.id: c.day for c in plans["beauty"].calendar.campaigns}
    assert cn["nianhuo-2027"] < date(2027, 2, 6)  # before Spring Festival 2027
    us = {c.id: c.day for c in plans["us"].calendar.campaigns}
    assert us["bfcm-2027"] == date(2027, 11, 26)
    assert us["bfcm-first-2027"] == date(2027, 11, 25)  # Black Friday week opens Thursday 18 November


def test_a_year_plan_warms_up_next_years_new_year_goods_festival_in_december(plans: dict[str, Plan]) -> None:
    carried = [c for c in plans["beauty"].calendar.campaigns if c.carried]
    assert [(c.id, c.day) for c in carried] == [("nianhuo-2028", date(2028, 1, 16))]
    assert [(p.kind, p.start, p.end) for p in carried[0].phases] == [
        ("warm_up", date(2027, 12, 20), date(2027, 12, 31))
    ]
    december = next(m for m in plans["beauty"].budget.by_month if m.key == "2027-12")
    assert any(carried[0].name in a for a in december.activities)


@pytest.mark.parametrize("key", ["beauty", "us"])
def test_year_plans_fund_and_activate_every_quarter(plans: dict[str, Plan], key: str) -> None:
    p = plans[key]
    assert [q.key[-2:] for q in p.budget.by_quarter] == ["Q1", "Q2", "Q3", "Q4"]
    assert all(q.amount > 0 for q in p.budget.by_quarter)
    for q in (1, 2, 3, 4):
        assert any((c.day.month - 1) // 3 + 1 == q for c in p.calendar.campaigns), q
    assert len(p.budget.by_month) == 12 and all(m.amount > 0 and m.activities for m in p.budget.by_month)


def test_campaign_plan_stays_inside_its_period(plans: dict[str, Plan]) -> None:
    p = plans["jd_double11"]
    assert [(c.key, c.wave) for c in p.calendar.campaigns] == [("double11", "jd/first"), ("double11", "jd/final")]
    first, final = p.calendar.campaigns
    # JD opens on 14 October: the period starts mid-wave, so the first wave's burst starts on the period's first day
    assert next((ph.kind, ph.start, ph.end) for ph in first.phases) == ("burst", date(2027, 10, 15), date(2027, 10, 20))
    # the week before the peak is its warm-up; the days between the waves are always-on seeding
    assert (final.phases[0].start, final.phases[0].end) == (date(2027, 11, 1), date(2027, 11, 7))
    assert first.phases[-1].end == date(2027, 10, 23)
    assert [ph.kind for ph in final.phases] == ["warm_up", "burst", "follow_through"]
    assert (final.phases[1].start, final.phases[1].end) == (date(2027, 11, 8), date(2027, 11, 11))
    assert all(
        date(2027, 10, 15) <= ph.start <= ph.end <= date(2027, 11, 30) for c in p.calendar.campaigns for ph in c.phases
    )
    assert [q.key for q in p.budget.by_quarter] == ["2027-Q4"]


def test_cold_start_from_prose(plans: dict[str, Plan]) -> None:
    p = plans["cold_start"]
    assert (p.period.start, p.period.end) == (date(2027, 3, 1), date(2027, 8, 31))
    assert p.budget.total == 800_000
    assert any(k.metric == "new_customers" and k.target == 20_000 for k in p.kpis)
    assert {"womens_day", "618", "qixi"} <= {c.key for c in p.calendar.campaigns}


@pytest.mark.parametrize("key", list(BRIEFS))
def test_every_citation_resolves_to_a_stored_chunk(plans: dict[str, Plan], key: str, retriever: KnowledgeIndex) -> None:
    p = plans[key]
    assert p.sources
    ids = {s.chunk_id for s in p.sources}
    for name, section in p.sections().items():
        assert section.citations, f"{name} cites nothing"
        assert set(section.citations) <= ids
    for s in p.sources:
        stored = retriever.get(s.chunk_id)
        assert stored is not None and stored.title == s.title


def test_prose_is_in_the_plan_language(plans: dict[str, Plan]) -> None:
    assert "预算" in plans["beauty"].budget.text
    assert "budget" in plans["us"].budget.text
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in plans["us"].summary.text)


def test_defaults_are_listed_as_assumptions_with_sources(plans: dict[str, Plan]) -> None:
    fields = {a.field for a in plans["us"].assumptions}
    assert {"cvr", "gmv_target", "reserve", "by_category"} <= fields  # the US brief gives no CVR
    assert all(a.source for a in plans["us"].assumptions)
    assert "aov" not in fields  # it was given


def test_builds_are_deterministic(builder: Builder) -> None:
    brief = load_brief(BRIEFS["beauty"])
    a, b = builder.build(brief, plan_id="x"), builder.build(brief, plan_id="x")
    assert a.model_dump() == b.model_dump()


def test_incomplete_brief_names_what_is_missing(builder: Builder) -> None:
    with pytest.raises(BadInput) as exc:
        builder.build(Brief(platforms=["天猫"], budget_total=1_000_000))
    assert exc.value.details == {"missing": ["period", "gmv_target"]}


def test_a_typo_sized_target_is_refused_clearly(builder: Builder) -> None:
    data = {"platforms": ["天猫"], "period": Period.year(2027), "budget_total": 1_000_000, "gmv_target": 18}
    with pytest.raises(ValidationError, match="gmv_target 18 is fewer than 500 orders") as exc:
        Brief.model_validate(data)
    assert exc.value.errors()[0]["loc"] == ("gmv_target",)
    with pytest.raises(BadInput, match="fewer than 500 orders"):  # a brief stored before the check
        builder.build(Brief.model_validate(data, context={STORED: True}))


def test_growth_with_last_year_sets_the_target(builder: Builder) -> None:
    brief = Brief(
        platforms=["京东"], period=Period.year(2027), budget_total=2_000_000, gmv_last_year=40_000_000, growth_rate=0.25
    )
    assert builder.build(brief).funnel.year.gmv == 50_000_000


def test_feasibility_warnings(builder: Builder) -> None:
    brief = Brief(platforms=["天猫"], period=Period.year(2027), budget_total=9_000_000, gmv_target=20_000_000)
    assert "budget_ratio_high" in {w.rule for w in builder.build(brief).warnings}
    tight = Brief(
        platforms=["天猫"], period=Period.year(2027), budget_total=2_000_000, gmv_target=60_000_000,
        uv_last_year=1_000_000, cvr=0.02, aov=200,
    )  # fmt: skip
    assert "cvr_uplift" in {w.rule for w in builder.build(tight).warnings}


@pytest.mark.parametrize("aov", [9, 35, 60, 180, 260, 999, 4500])
@pytest.mark.parametrize("language", ["zh", "en"])
def test_threshold_offers_are_below_their_threshold(aov: int, language: str) -> None:
    threshold, discount = threshold_offer(aov, 1.15, 0.17, language)
    assert 0 < discount < threshold and threshold >= aov


def test_reviews_fall_within_three_working_days(plans: dict[str, Plan]) -> None:
    p = plans["beauty"]
    ends = {c.id: c.phases[-1].end for c in p.calendar.campaigns}
    work = work_calendar(p.market)
    for r in p.measurement.reviews:
        assert work.is_working(r.due)
        assert ends[r.campaign] < r.due == work.add(ends[r.campaign], 3)


def test_kpi_data_sources_name_the_plans_own_platforms(plans: dict[str, Plan]) -> None:
    def source(p: Plan) -> str:
        return next(k.data_source for k in p.kpis if k.metric == "gmv" and k.scope == "year")

    assert source(plans["beauty"]) == "生意参谋 / 抖音电商罗盘"
    assert source(plans["jd_double11"]) == "京东商智"
    assert "Amazon Business Reports" in source(plans["us"])  # where sessions, orders and sales live

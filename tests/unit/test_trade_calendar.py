"""Issue 19: plans follow the trade's calendar (working days, carrier stops, platform waves, the period's edges).

The literal date tables for 2025-2030 live in test_trade_calendar_tables.py; these tests check the rules in
built plans and as properties."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planbot.core import calendar as C
from planbot.core import trade_calendar as TC
from planbot.core.brief import Brief, Period
from planbot.core.builder import Builder
from planbot.core.plan import DEADLINE_KINDS, Plan
from planbot.core.playbook.trade import PATH, TradeRulesError, load_trade, trade
from planbot.core.workdays import work_calendar
from tests.conftest import load_brief

dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 20))


def deadlines(plan: Plan) -> list[tuple[str, date]]:
    out = [("review", r.due) for r in plan.measurement.reviews]  # a KPI counts to its period's last day
    out += [("follow_up", f.due) for f in plan.measurement.follow_ups]
    out += [(m.kind, m.day) for c in plan.calendar.campaigns for m in c.milestones if m.kind in DEADLINE_KINDS]
    return out


def with_period(brief: Brief, start: date, end: date, **update: object) -> Brief:
    return brief.model_copy(update={"period": Period(start=start, end=end), **update})


@given(st.sampled_from(["cn", "global"]), dates, st.integers(min_value=0, max_value=15))
def test_working_day_arithmetic_lands_on_working_days(market: str, d: date, n: int) -> None:
    work = work_calendar(market)
    assert work.is_working(work.on_or_after(d)) and work.is_working(work.on_or_before(d))
    later = work.add(d, n)
    assert later >= d and (n == 0 or work.is_working(later))
    assert sum(work.is_working(d + timedelta(days=i)) for i in range(1, (later - d).days + 1)) == n


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_statutory_estimate_agrees_with_the_announced_years(year: int) -> None:
    """The rule used for unannounced years holds every estimated day off in the years the State Council announced."""
    rules = trade().workdays.cn_estimate
    days = {r.day.on(year) + timedelta(days=i) for r in rules for i in range(r.days)}
    assert days and all(chinese_calendar.is_holiday(d) for d in days if d.year == year)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.sampled_from(["beauty-tmall-douyin-2027.yaml", "us-shopify-amazon-2027.yaml"]),
    st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 6, 30)),
    st.integers(min_value=30, max_value=365),
)
def test_no_review_or_deadline_falls_on_a_non_working_day(builder: Builder, name: str, start: date, days: int) -> None:
    brief = load_brief(name)
    plan = builder.build(with_period(brief, start, start + timedelta(days=days - 1)))
    work = work_calendar(plan.market)
    for kind, day in deadlines(plan):
        assert work.is_working(day), (kind, day)
    end = plan.period.end
    assert all(k.due <= end for k in plan.kpis) and all(r.due <= end for r in plan.measurement.reviews)
    assert all(f.due > end for f in plan.measurement.follow_ups)


def test_a_plan_that_ends_mid_campaign_lists_what_falls_after_it_as_follow_ups(builder: Builder) -> None:
    plan = builder.build(with_period(load_brief("beauty-tmall-douyin-2027.yaml"), date(2027, 7, 1), date(2027, 11, 14)))
    final = next(c for c in plan.calendar.campaigns if c.id == "double11-2027")
    assert final.phases[-1].kind == "follow_through" and final.phases[-1].end == date(2027, 11, 14)
    assert "double11-2027" not in {r.campaign for r in plan.measurement.reviews}
    review = next(f for f in plan.measurement.follow_ups if f.campaign == "double11-2027" and f.due < date(2027, 12, 1))
    assert review.due == date(2027, 11, 17)  # the third working day after 14 November (a Sunday)
    assert all(k.due <= date(2027, 11, 14) for k in plan.kpis)
    assert not any(k.metric == "repurchase_rate" and k.scope_ref == "double11-2027" for k in plan.kpis)


def test_a_campaign_plan_warms_up_from_the_periods_first_day(builder: Builder) -> None:
    brief = with_period(load_brief("beauty-tmall-douyin-2027.yaml"), date(2027, 9, 25), date(2027, 11, 25))
    plan = builder.build(brief.model_copy(update={"campaigns": ["双11"]}))
    assert plan.brief.kind() == "campaign"
    first = plan.calendar.campaigns[0]
    assert first.wave == "douyin/first" and first.phases[0].kind == "warm_up"  # Douyin takes most of the media
    assert first.phases[0].start == date(2027, 9, 25)  # not the default ten days before the 8 October wave
    opens = [m for m in first.milestones if m.kind == "platform_open"]
    assert next((m.day, "天猫" in m.text) for m in opens) == (date(2027, 10, 8), False)  # Douyin opens first
    assert {m.day for m in opens} == {date(2027, 10, 8), date(2027, 10, 15)}


def test_the_spring_festival_campaign_sells_stocked_and_virtual_goods(builder: Builder) -> None:
    brief = with_period(load_brief("beauty-tmall-douyin-2027.yaml"), date(2027, 1, 1), date(2027, 3, 31))
    plan = builder.build(brief.model_copy(update={"campaigns": ["年货节", "春节", "三八"]}))
    by_key = {c.key: c for c in plan.calendar.campaigns}
    nianhuo, sf = by_key["nianhuo"], by_key["spring_festival"]
    last_order = date(2027, 1, 27)  # ten days before the Spring Festival (6 February 2027)
    assert nianhuo.logistics == "normal" and nianhuo.phases[1].end <= last_order
    assert sf.logistics == "virtual"
    assert any("提货券" in m.description for m in sf.mechanics)
    burst = next(p for p in sf.phases if p.kind == "burst")
    assert burst.actions[0].channel == "logistics" and "电子礼品卡" in burst.actions[0].text
    kinds = {m.kind: m.day for m in sf.milestones}
    assert kinds["carrier_stop"] == date(2027, 1, 30) and kinds["carrier_resume"] == date(2027, 2, 13)
    # 三八's warm-up starts 27 February: 30 days of lead time plus the 14 days couriers and factories stop
    # (30 January - 12 February); creative is final on the last working day before the holiday week
    lead = {m.kind: m for m in by_key["womens_day"].milestones}
    assert lead["stock_order"].day == date(2027, 1, 14) and "春节停工" in lead["stock_order"].text
    assert lead["creative_final"].day == date(2027, 2, 4)
    assert "春节" not in next(m.text for m in nianhuo.milestones if m.kind == "stock_order")


def test_christmas_physical_burst_ends_at_the_expedited_cut_off(plans: dict[str, Plan]) -> None:
    xmas = next(c for c in plans["us"].calendar.campaigns if c.key == "christmas")
    burst, follow = xmas.phases[1], xmas.phases[2]
    assert xmas.logistics == "ends_before_cutoff" and burst.end == date(2027, 12, 20) < xmas.day
    assert follow.start == date(2027, 12, 21) and "e-gift" in follow.actions[0].text
    kinds = {m.kind: m.day for m in xmas.milestones}
    assert kinds["ground_cutoff"] == date(2027, 12, 16) and kinds["last_order"] == date(2027, 12, 20)


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=2000, max_value=2099), st.sampled_from(["cn", "global"]))
def test_every_moment_gets_dates_and_shapes_in_any_year(year: int, market: str) -> None:
    start, end = date(year, 1, 1), date(year, 12, 31)
    keys = [k for k, s in C.SPECS.items() if market in s.markets]
    chosen = [c for k in keys if (c := C.campaign_dates(k, year, "en", start, end)) is not None]
    assert {c.key for c in chosen} == set(keys)  # every moment falls in its year
    platforms = ["tmall", "douyin"] if market == "cn" else ["amazon"]
    shaped = TC.shape(chosen, market=market, platforms=platforms, plan_type="annual", start=start, end=end,
                      language="en", carry=["nianhuo"] if market == "cn" else [])  # fmt: skip
    for c in shaped:
        burst = next((p for p in c.phases if p.kind == "burst"), None)
        assert c.carried or burst is not None
        if burst is None or c.logistics == "virtual":
            continue
        for s in TC.stops_near(market, burst.start, burst.end):
            assert burst.end <= s.last_order or burst.start >= s.resume, (c.uid, s)


def test_every_trade_rule_cites_its_guide_word_for_word() -> None:
    from planbot.core.playbook.check import quote_problems

    assert quote_problems(trade(), "trade.yaml") == []
    assert {s.guide for s in trade().sources()} == {"trade-calendar"}


def test_a_trade_file_with_waves_out_of_order_is_refused_by_name(tmp_path: Path) -> None:
    text = PATH.read_text(encoding="utf-8").replace(
        "first: [{rule: fixed, month: 5, day: 13}, {rule: fixed, month: 5, day: 20}]",
        "first: [{rule: fixed, month: 6, day: 13}, {rule: fixed, month: 6, day: 20}]",
        1,
    )
    bad = tmp_path / "trade.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(TradeRulesError, match=r"(?s)trade\.yaml.*waves out of order"):
        load_trade(bad)

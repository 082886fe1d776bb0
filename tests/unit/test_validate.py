"""Each error rule of design.md, seen firing on a plan broken in exactly that way."""

from collections.abc import Callable
from datetime import date, timedelta

import pytest

from planbot.core.plan import Plan
from planbot.core.validate import errors, validate


def rules(plan: Plan, known: set[str] | None = None) -> set[str]:
    return {i.rule for i in errors(validate(plan, known))}


def test_builder_plans_are_valid(plans: dict[str, Plan], retriever) -> None:  # type: ignore[no-untyped-def]
    for plan in plans.values():
        assert errors(validate(plan, retriever.chunk_ids())) == []


def _channel_amount(p: Plan) -> None:
    p.budget.by_channel[0].amount += 1000


def _channel_share(p: Plan) -> None:
    p.budget.by_channel[0].share += 0.05


def _share_vs_amount(p: Plan) -> None:
    a, b = p.budget.by_channel[0], p.budget.by_channel[1]
    a.amount, b.amount = a.amount + 50_000, b.amount - 50_000


def _reserve(p: Plan) -> None:
    p.budget.reserve += 1


def _month_outside(p: Plan) -> None:
    row = p.budget.by_month[-1].model_copy()
    row.key, row.start, row.end = "2028-01", date(2028, 1, 1), date(2028, 1, 31)
    p.budget.by_month.append(row)


def _month_missing(p: Plan) -> None:
    removed = p.budget.by_month.pop(3)
    p.budget.by_month[2].amount += removed.amount
    p.budget.by_month[2].share = round(p.budget.by_month[2].share + removed.share, 4)


def _empty_quarter(p: Plan) -> None:
    q3 = (date(2027, 7, 1), date(2027, 9, 30))  # every campaign with a phase in Q3 (双11's warm-up starts there)
    p.calendar.campaigns = [
        c for c in p.calendar.campaigns if not any(ph.start <= q3[1] and ph.end >= q3[0] for ph in c.phases)
    ]
    p.budget.always_on = p.budget.allocated - sum(c.budget for c in p.calendar.campaigns)


def _campaign_outside(p: Plan) -> None:
    c = next(c for c in reversed(p.calendar.campaigns) if not c.carried)
    c.day = date(2028, 11, 11)


def _phase_order(p: Plan) -> None:
    c = p.calendar.campaigns[1]
    c.phases[0], c.phases[1] = c.phases[1], c.phases[0]


def _festival_date(p: Plan) -> None:
    c = next(c for c in p.calendar.campaigns if c.id == "double11-2027")
    shift = timedelta(days=1)
    c.day += shift
    for ph in c.phases:
        ph.start, ph.end = ph.start + shift, ph.end + shift


def _review_on_a_holiday(p: Plan) -> None:
    p.measurement.reviews[0].due = date(2027, 10, 3)  # National Day week


def _kpi_due_after_the_plan(p: Plan) -> None:
    p.kpis[-1].due = date(2028, 3, 1)


def _burst_while_couriers_stop(p: Plan) -> None:
    c = next(c for c in p.calendar.campaigns if c.id == "nianhuo-2027")  # last order day 2027-01-27
    c.phases[1].end += timedelta(days=3)
    c.phases[2].start += timedelta(days=3)


def _wave_off_its_dates(p: Plan) -> None:
    c = next(c for c in p.calendar.campaigns if c.id == "618-first-2027")
    c.wave = "tmall/first"
    c.day -= timedelta(days=2)


def _funnel(p: Plan) -> None:
    p.funnel.quarters[1].uv = int(p.funnel.quarters[1].uv * 1.05)


def _discount(p: Plan) -> None:
    m = p.calendar.campaigns[0].mechanics[0]
    m.threshold, m.discount = 9, 20  # the guides' 满9减20


def _negative(p: Plan) -> None:
    p.calendar.campaigns[0].budget_by_purpose[0].amount = -5


def _citation(p: Plan) -> None:
    p.budget.citations.append("no-such-guide:0000000000")


def _currency(p: Plan) -> None:
    p.calendar.campaigns[0].currency = "USD"


def _channel_vs_category(p: Plan) -> None:
    """The issue's "Search $350,244 exceeds Advertising $270,000": channels and categories disagree."""
    media = next(line for line in p.budget.by_category if line.key == "media")
    content = next(line for line in p.budget.by_category if line.key == "content")
    media.amount -= 100_000
    content.amount += 100_000


def _campaign_contingency(p: Plan) -> None:
    """A campaign holding its own contingency on top of the plan's reserve."""
    c = p.calendar.campaigns[0]
    first = c.budget_by_purpose[0]
    held = first.amount // 10
    first.amount -= held
    c.budget_by_purpose.append(first.model_copy(update={"key": "contingency", "label": "应急储备", "amount": held}))
    total = c.budget
    for line in c.budget_by_purpose:
        line.share = line.amount / total
    c.budget_by_purpose[0].share = 1 - sum(x.share for x in c.budget_by_purpose[1:])


def _campaign_over_channel(p: Plan) -> None:
    """Campaigns spending more on a channel than its line holds."""
    c = p.calendar.campaigns[0]
    line = c.budget_by_purpose[0]
    channel = next(x for x in p.budget.by_channel if x.key == line.key)
    extra = channel.amount
    line.amount += extra
    c.budget += extra
    p.budget.always_on -= extra
    for x in c.budget_by_purpose:
        x.share = x.amount / c.budget
    c.budget_by_purpose[0].share = 1 - sum(x.share for x in c.budget_by_purpose[1:])


def _orders_not_new_plus_returning(p: Plan) -> None:
    q = p.funnel.quarters[0]
    assert q.new_orders is not None
    q.new_orders += 10


def _roas_is_mer(p: Plan) -> None:
    """The issue's ROAS "GMV / total budget" labelled as ad ROAS."""
    k = next(k for k in p.kpis if k.metric == "roas" and k.scope_ref is None)
    k.target = p.funnel.roas


def _mer_wrong(p: Plan) -> None:
    k = next(k for k in p.kpis if k.metric == "mer")
    k.target = round(k.target * 1.5, 2)


def _campaign_gmv_above_quarter(p: Plan) -> None:
    q = p.funnel.quarters[0]
    q.campaign_gmv = q.gmv + 1


BREAKS: list[tuple[Callable[[Plan], None], str]] = [
    (_channel_vs_category, "channel_category"),
    (_campaign_contingency, "reserve_twice"),
    (_campaign_over_channel, "campaign_channel"),
    (_orders_not_new_plus_returning, "customers"),
    (_roas_is_mer, "returns"),
    (_mer_wrong, "returns"),
    (_campaign_gmv_above_quarter, "funnel"),
    (_channel_amount, "table_sum"),
    (_channel_share, "share_sum"),
    (_share_vs_amount, "share_amount"),
    (_reserve, "table_sum"),
    (_month_outside, "outside_period"),
    (_month_missing, "empty_period"),
    (_empty_quarter, "empty_period"),
    (_campaign_outside, "outside_period"),
    (_phase_order, "phase_order"),
    (_festival_date, "festival_date"),
    (_review_on_a_holiday, "not_working_day"),
    (_kpi_due_after_the_plan, "due_after_end"),
    (_burst_while_couriers_stop, "carrier_stop"),
    (_wave_off_its_dates, "wave"),
    (_funnel, "funnel"),
    (_discount, "discount"),
    (_negative, "negative_money"),
    (_citation, "citation"),
    (_currency, "mixed_currency"),
]


@pytest.mark.parametrize(("breaker", "rule"), BREAKS, ids=[b.__name__.strip("_") for b, _ in BREAKS])
def test_rule_fires(beauty_plan: Plan, breaker: Callable[[Plan], None], rule: str) -> None:
    assert rules(beauty_plan) == set()
    breaker(beauty_plan)
    assert rule in rules(beauty_plan)


def test_the_table_is_named_in_the_message(beauty_plan: Plan) -> None:
    _channel_amount(beauty_plan)
    msgs = [i.message for i in errors(validate(beauty_plan))]
    assert any("budget.by_channel" in m and "sum" in m for m in msgs)


def test_unknown_chunks_are_rejected_when_the_knowledge_base_is_known(beauty_plan: Plan) -> None:
    assert "citation" in rules(beauty_plan, known={"some-other:1"})


def test_warnings_do_not_block(beauty_plan: Plan) -> None:
    shift = beauty_plan.budget.reserve - 1
    beauty_plan.budget.reserve -= shift
    beauty_plan.budget.total -= shift
    beauty_plan.brief.budget_total = beauty_plan.budget.total
    issues = validate(beauty_plan)
    assert any(i.rule == "reserve_low" and i.severity == "warning" for i in issues)
    assert errors(issues) == []

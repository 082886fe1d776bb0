"""Cross-field rules a plan must satisfy. Errors block a plan; warnings are shown with it.

The guides themselves break some of these (a channel split summing to 85%, a timeline with
no Q1, 满9减20); a plan planbot emits never does, and a hand-edited plan that does is
rejected with a message naming the table or field.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from planbot.core import calendar as C
from planbot.core.budget import month_key, quarter_key
from planbot.core.kpi import FUNNEL_TOLERANCE, funnel_error, orders_error
from planbot.core.plan import BudgetLine, FunnelRow, PeriodBudget, Plan, PlanIssue
from planbot.core.validate_calendar import deadlines, waves_and_logistics
from planbot.core.validate_money import media_views, returns_named

SHARE_EPS = 1e-6
LONG_PLAN_DAYS = 120


class _Report:
    def __init__(self) -> None:
        self.issues: list[PlanIssue] = []

    def error(self, rule: str, path: str, message: str) -> None:
        self.issues.append(PlanIssue(severity="error", rule=rule, path=path, message=message))

    def warning(self, rule: str, path: str, message: str) -> None:
        self.issues.append(PlanIssue(severity="warning", rule=rule, path=path, message=message))


def validate(plan: Plan, known_chunks: Iterable[str] | None = None) -> list[PlanIssue]:
    """Every rule of design.md; known_chunks, when given, are the chunk ids the knowledge base holds.

    One list of issues: the plan's own warnings (feasibility notes the builder wrote, such as a
    budget at 500% of the GMV target) come first, then what the rules find; each issue once.
    """
    r = _Report()
    for w in plan.warnings:  # a warning never blocks, whatever a hand-edited plan calls it
        r.issues.append(w if w.severity == "warning" else w.model_copy(update={"severity": "warning"}))
    _currency(plan, r)
    _money_signs(plan, r)
    _budget(plan, r)
    _periods(plan, r)
    _campaigns(plan, r)
    deadlines(plan, r.error)
    waves_and_logistics(plan, r.error)
    _funnel(plan, r)
    _mechanics(plan, r)
    _citations(plan, r, None if known_chunks is None else set(known_chunks))
    return _once(r.issues)


def _once(issues: Iterable[PlanIssue]) -> list[PlanIssue]:
    """Each issue once, in first-seen order: a stored plan's warnings already hold the rules' warnings."""
    seen: set[tuple[str, str, str, str]] = set()
    out: list[PlanIssue] = []
    for i in issues:
        key = (i.severity, i.rule, i.path, i.message)
        if key not in seen:
            seen.add(key)
            out.append(i)
    return out


def errors(issues: Iterable[PlanIssue]) -> list[PlanIssue]:
    return [i for i in issues if i.severity == "error"]


def _currency(plan: Plan, r: _Report) -> None:
    found = {
        "brief.currency": plan.brief.currency,
        "budget.currency": plan.budget.currency,
        "funnel.year.currency": plan.funnel.year.currency,
    }
    for i, q in enumerate(plan.funnel.quarters):
        found[f"funnel.quarters[{i}].currency"] = q.currency
    for i, c in enumerate(plan.calendar.campaigns):
        found[f"calendar.campaigns[{i}].currency"] = c.currency
        found[f"calendar.campaigns[{i}].funnel.currency"] = c.funnel.currency
    for path, cur in found.items():
        if cur != plan.currency:
            r.error(
                "mixed_currency",
                path,
                f"{path} is {cur} but the plan is in {plan.currency}: mixed currencies",
            )


def _money_signs(plan: Plan, r: _Report) -> None:
    b = plan.budget
    values: list[tuple[str, float]] = [
        ("budget.total", b.total),
        ("budget.reserve", b.reserve),
        ("budget.allocated", b.allocated),
        ("budget.always_on", b.always_on),
    ]
    for table in ("by_category", "by_channel", "by_quarter", "by_month"):
        for i, line in enumerate(getattr(b, table)):
            values.append((f"budget.{table}[{i}].amount", line.amount))
    for i, ch in enumerate(plan.channels.items):
        values.append((f"channels.items[{i}].amount", ch.amount))
    for i, c in enumerate(plan.calendar.campaigns):
        values.append((f"calendar.campaigns[{i}].budget", c.budget))
        values.extend(
            (f"calendar.campaigns[{i}].budget_by_purpose[{j}].amount", p.amount)
            for j, p in enumerate(c.budget_by_purpose)
        )
    for path, row in _funnel_rows(plan):
        values.extend(((f"{path}.gmv", row.gmv), (f"{path}.aov", row.aov), (f"{path}.uv", row.uv)))
    values.extend((f"kpis[{i}].target", k.target) for i, k in enumerate(plan.kpis))
    for path, v in values:
        if v < 0:
            r.error("negative_money", path, f"{path} is negative ({v:g})")


def _lines(r: _Report, path: str, lines: Sequence[BudgetLine | PeriodBudget], total: int) -> None:
    if not lines:
        r.error("table_sum", path, f"{path} is empty")
        return
    amount_sum = sum(line.amount for line in lines)
    if amount_sum != total:
        r.error("table_sum", path, f"{path} amounts sum to {amount_sum:,}, not the allocated budget {total:,}")
    share_sum = sum(line.share for line in lines)
    if abs(share_sum - 1) > SHARE_EPS:
        r.error("share_sum", path, f"{path} shares sum to {share_sum:.2%}, not 100%")
    for i, line in enumerate(lines):
        if line.share < 0 or line.share > 1:
            r.error(
                "share_range",
                f"{path}[{i}]",
                f"{path}[{i}] ({line.key}) has share {line.share} outside 0-100%",
            )
        elif abs(line.share * total - line.amount) > total * 1e-4 + 1:
            r.error(
                "share_amount",
                f"{path}[{i}]",
                f"{path}[{i}] ({line.key}): share {line.share:.2%} of {total:,} is not its amount {line.amount:,}",
            )


def _budget(plan: Plan, r: _Report) -> None:
    b = plan.budget
    if b.reserve + b.allocated != b.total:
        r.error(
            "table_sum",
            "budget",
            f"budget reserve {b.reserve:,} + allocated {b.allocated:,} != total {b.total:,}",
        )
    if plan.brief.budget_total is not None and plan.brief.budget_total != b.total:
        r.error(
            "table_sum",
            "budget.total",
            f"budget.total {b.total:,} differs from the brief's {plan.brief.budget_total:,}",
        )
    for table in ("by_category", "by_quarter", "by_month"):
        _lines(r, f"budget.{table}", getattr(b, table), b.allocated)
    _lines(r, "budget.by_channel", b.by_channel, b.channel_total)
    if b.media is not None:
        if b.by_platform:
            _lines(r, "budget.by_platform", b.by_platform, b.media)
        media_views(plan, r.error)
    by_channel = {line.key: line for line in b.by_channel}
    items = {ch.key: ch for ch in plan.channels.items}
    if set(by_channel) != set(items):
        r.error("table_sum", "channels.items", "channels.items and budget.by_channel list different channels")
    for key in set(by_channel) & set(items):
        if (by_channel[key].amount, by_channel[key].share) != (items[key].amount, items[key].share):
            r.error(
                "table_sum",
                f"channels.items[{key}]",
                f"channel {key}: amount/share differ between channels and budget.by_channel",
            )
    camp_sum = sum(c.budget for c in plan.calendar.campaigns)
    if camp_sum + b.always_on != b.allocated:
        r.error(
            "table_sum",
            "calendar.campaigns.budget",
            f"campaign budgets ({camp_sum:,}) + always-on ({b.always_on:,}) != allocated budget ({b.allocated:,})",
        )
    for i, c in enumerate(plan.calendar.campaigns):
        _lines(r, f"calendar.campaigns[{i}].budget_by_purpose", c.budget_by_purpose, c.budget)
        if any(line.key == "contingency" for line in c.budget_by_purpose) and b.media is not None:
            r.error(
                "reserve_twice",
                f"calendar.campaigns[{i}].budget_by_purpose",
                f"{c.name} holds its own contingency on top of the plan's reserve: draw it from the reserve",
            )
    if b.total > 0 and b.reserve / b.total < 0.05:
        r.warning("reserve_low", "budget.reserve", "the contingency reserve is below 5% of the budget")
    for line in b.by_channel:
        if line.share > 0.6:
            r.warning("concentration", "budget.by_channel", f"{line.label} takes {line.share:.0%} of the budget")


def _periods(plan: Plan, r: _Report) -> None:
    start, end = plan.period.start, plan.period.end
    expected_months = [month_key(y, m) for y, m in C.months_in(start, end)]
    expected_quarters = [quarter_key(y, q) for y, q in C.quarters_in(start, end)]
    long_plan = plan.period.days >= LONG_PLAN_DAYS
    for table, expected in (("by_month", expected_months), ("by_quarter", expected_quarters)):
        rows: list[PeriodBudget] = getattr(plan.budget, table)
        keys = [row.key for row in rows]
        for i, row in enumerate(rows):
            path = f"budget.{table}[{i}]"
            if row.key not in expected or row.start < start or row.end > end or row.start > row.end:
                r.error("outside_period", path, f"{path} ({row.key}) lies outside the plan period {start} – {end}")
            elif long_plan and (row.amount <= 0 or not row.activities):
                r.error("empty_period", path, f"{path} ({row.key}) has no budget or no activity")
        for key in expected:
            if key not in keys:
                r.error("empty_period", f"budget.{table}", f"budget.{table} has no row for {key}")
    if long_plan:
        for y, q in C.full_quarters(start, end):
            qs, qe = C.quarter_bounds(y, q)
            active = any(p.start <= qe and p.end >= qs for c in plan.calendar.campaigns for p in c.phases)
            if not active:
                r.error(
                    "empty_period",
                    "calendar",
                    f"{quarter_key(y, q)} has no campaign: every quarter needs one",
                )


def _campaigns(plan: Plan, r: _Report) -> None:
    start, end = plan.period.start, plan.period.end
    ids = [c.id for c in plan.calendar.campaigns]
    if len(ids) != len(set(ids)):
        r.error("duplicate", "calendar.campaigns", "two campaigns share an id")
    for i, c in enumerate(plan.calendar.campaigns):
        path = f"calendar.campaigns[{i}]"
        if not c.phases:
            r.error("phase_order", path, f"{c.name} has no phases")
            continue
        if c.carried and c.day <= end:
            r.error("outside_period", path, f"{c.name} ({c.day}) is carried to the next plan but falls in this one")
        elif not c.carried and not start <= c.day <= end:
            r.error("outside_period", path, f"{c.name} ({c.day}) is outside the plan period {start} – {end}")
        kinds = [p.kind for p in c.phases]
        in_order = kinds == sorted(kinds, key=C.PHASE_ORDER.index) and len(set(kinds)) == len(kinds)
        if not in_order or ("burst" not in kinds and not c.carried):
            r.error("phase_order", path, f"{c.name}: phases must be warm-up, burst, follow-through in that order")
        prev: date | None = None
        for j, p in enumerate(c.phases):
            pp = f"{path}.phases[{j}]"
            if p.start > p.end:
                r.error("phase_order", pp, f"{c.name} {p.name}: starts {p.start} after it ends {p.end}")
            if prev is not None and p.start <= prev:
                r.error("phase_order", pp, f"{c.name} {p.name}: starts {p.start} before the previous phase ends")
            prev = p.end
            if p.start < start or p.end > end:
                r.error(
                    "outside_period",
                    pp,
                    f"{c.name} {p.name} ({p.start} – {p.end}) is outside the plan period",
                )
        burst = next((p for p in c.phases if p.kind == "burst"), None)
        cut = c.logistics == "ends_before_cutoff"  # validate_calendar checks it ends on a last order day
        if burst is not None and not cut and not burst.start <= c.day <= burst.end:
            r.error("phase_order", path, f"{c.name}: the burst {burst.start} – {burst.end} does not cover {c.day}")
        if burst is not None and cut and not burst.start <= burst.end < c.day:
            r.error("phase_order", path, f"{c.name}: the burst {burst.start} – {burst.end} should end before {c.day}")
        if c.key in C.SPECS and not (c.wave or "").endswith("/first"):
            expected = C.festival_date(c.key, c.day.year)
            if c.day != expected:
                r.error("festival_date", path, f"{c.name} falls on {expected} in {c.day.year}, not {c.day}")


def _funnel_rows(plan: Plan) -> list[tuple[str, FunnelRow]]:
    rows = [("funnel.year", plan.funnel.year)]
    rows += [(f"funnel.quarters[{i}]", q) for i, q in enumerate(plan.funnel.quarters)]
    rows += [(f"funnel.months[{i}]", m) for i, m in enumerate(plan.funnel.months)]
    rows += [(f"calendar.campaigns[{i}].funnel", c.funnel) for i, c in enumerate(plan.calendar.campaigns)]
    return rows


def _within_a_visitor(row: FunnelRow) -> bool:
    """UV is a whole number: a small row (a one-day quarter) is off by at most half a visitor's GMV."""
    return abs(row.uv * row.cvr * row.aov - row.gmv) <= 0.5 * row.cvr * row.aov * (1 + 1e-9)


def _funnel(plan: Plan, r: _Report) -> None:
    for path, row in _funnel_rows(plan):
        if not 0 < row.cvr < 1:
            r.error("funnel", path, f"{path}: CVR {row.cvr} must be between 0 and 100%")
            continue
        if row.gmv > 0 and funnel_error(row) > FUNNEL_TOLERANCE and not _within_a_visitor(row):
            r.error(
                "funnel",
                path,
                f"{path}: UV {row.uv:,} x CVR {row.cvr:.2%} x AOV {row.aov:,} is "
                f"{row.uv * row.cvr * row.aov:,.0f}, more than 1% off GMV {row.gmv:,}",
            )
        if orders_error(row) > max(1.0, row.orders * FUNNEL_TOLERANCE):
            r.error("funnel", path, f"{path}: orders {row.orders:,} do not match UV x CVR")
        if (row.new_orders is None) != (row.returning_orders is None) or (
            row.new_orders is not None and row.returning_orders is not None
            and (row.new_orders < 0 or row.returning_orders < 0 or row.new_orders + row.returning_orders != row.orders)
        ):  # fmt: skip
            r.error("customers", path, f"{path}: new {row.new_orders} + returning {row.returning_orders} orders "
                                       f"!= orders {row.orders:,}")  # fmt: skip
        if row.campaign_gmv is not None and not 0 <= row.campaign_gmv <= row.gmv:
            r.error("funnel", path, f"{path}: campaign GMV {row.campaign_gmv:,} is more than the row's {row.gmv:,}")
    year = plan.funnel.year
    q_gmv = sum(q.gmv for q in plan.funnel.quarters)
    if abs(q_gmv - year.gmv) > year.gmv * FUNNEL_TOLERANCE:
        r.error("funnel", "funnel.quarters", f"quarter GMVs sum to {q_gmv:,}, not the year's {year.gmv:,}")
    q_uv = sum(q.uv for q in plan.funnel.quarters)
    if abs(q_uv - year.uv) > max(1, year.uv * FUNNEL_TOLERANCE):
        r.error("funnel", "funnel.quarters", f"quarter UVs sum to {q_uv:,}, not the year's {year.uv:,}")
    _months(plan, r)
    camp_gmv = sum(c.funnel.gmv for c in plan.calendar.campaigns)
    if camp_gmv > year.gmv:
        r.error("funnel", "calendar.campaigns", f"campaign GMVs sum to {camp_gmv:,}, more than the year's {year.gmv:,}")
    for i, k in enumerate(plan.kpis):
        if k.scope == "year" and k.metric in ("gmv", "uv") and k.target != getattr(year, k.metric):
            r.error("funnel", f"kpis[{i}]", f"KPI {k.label} target {k.target:,.0f} disagrees with the funnel")
    returns_named(plan, r.error)


def _months(plan: Plan, r: _Report) -> None:
    """Month rows (plans since release 2) are the budget's months and add up to their quarters exactly."""
    months = plan.funnel.months
    if not months:
        return
    if [m.scope for m in months] != [b.key for b in plan.budget.by_month]:
        r.error("funnel", "funnel.months", "the funnel's months are not the budget's months")
    if sum(m.gmv for m in months) != plan.funnel.year.gmv:
        r.error("funnel", "funnel.months", f"month GMVs sum to {sum(m.gmv for m in months):,}, not the year's")
    m_uv, year_uv = sum(m.uv for m in months), plan.funnel.year.uv
    if abs(m_uv - year_uv) > max(len(months), year_uv * FUNNEL_TOLERANCE):
        r.error("funnel", "funnel.months", f"month UVs sum to {m_uv:,}, not the year's {year_uv:,}")
    by_quarter: dict[str, int] = {}  # quarter key -> its months' GMV
    for m in months:
        key = quarter_key(int(m.scope[:4]), (int(m.scope[5:7]) - 1) // 3 + 1)
        by_quarter[key] = by_quarter.get(key, 0) + m.gmv
    for i, q in enumerate(plan.funnel.quarters):
        if q.scope in by_quarter and by_quarter[q.scope] != q.gmv:
            r.error(
                "funnel",
                f"funnel.quarters[{i}]",
                f"{q.label}: its months sum to {by_quarter[q.scope]:,}, not {q.gmv:,}",
            )


def _mechanics(plan: Plan, r: _Report) -> None:
    for i, c in enumerate(plan.calendar.campaigns):
        for j, m in enumerate(c.mechanics):
            path = f"calendar.campaigns[{i}].mechanics[{j}]"
            if m.kind in ("threshold_discount", "coupon") and (m.threshold is not None or m.discount is not None):
                if m.threshold is None or m.discount is None or m.discount <= 0 or m.threshold <= 0:
                    r.error(
                        "discount",
                        path,
                        f"{c.name}: a threshold discount needs a positive threshold and discount",
                    )
                elif m.discount >= m.threshold:
                    r.error(
                        "discount",
                        path,
                        f"{c.name}: discount {m.discount} is not below its threshold {m.threshold}",
                    )
            if m.percent is not None and not 0 < m.percent < 1:
                r.error("discount", path, f"{c.name}: a percentage discount must be between 0 and 100%")


def _citations(plan: Plan, r: _Report, known: set[str] | None) -> None:
    source_ids = {s.chunk_id for s in plan.sources}
    if not plan.sources:
        r.error("citation", "sources", "a plan must cite at least one guide")
    for name, section in plan.sections().items():
        for cid in section.citations:
            if cid not in source_ids:
                r.error(
                    "citation",
                    f"{name}.citations",
                    f"{name} cites {cid}, which is not among the plan's sources",
                )
    for i, a in enumerate(plan.assumptions):
        if a.source is not None and a.source not in source_ids:
            r.error(
                "citation",
                f"assumptions[{i}]",
                f"assumption {a.field} cites {a.source}, not among the sources",
            )
    if known is not None:
        for s in plan.sources:
            if s.chunk_id not in known:
                r.error("citation", "sources", f"source {s.chunk_id} does not exist in the knowledge base")

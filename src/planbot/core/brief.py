"""The Brief: what we know about the business, its goals, budget and dates.

Field names are part of the public API (design.md). Money is an integer in the currency's
base unit; rates are fractions. Ranges are checked here so that no surface can hand the
builder an absurd brief: every brief that validates can be planned on, and a value that
cannot is refused with its field named (see `unplannable`).

Limits a brief must respect, besides each field's range:
- `cvr` is at least MIN_CVR (0.01%): the funnel states rates to four decimals;
- `budget_total` is at least MIN_BUDGET (10,000 base units), so every month of a long plan gets some;
- the GMV the goal implies (gmv_target, gmv_last_year x (1 + growth_rate), or new_customers_target
  over the new-customer share of orders, times the AOV) is at least MIN_ORDERS orders and at most
  MAX_FIGURE (10^13), and so are the orders and visitors it needs.
Free text never carries control characters (NUL, escapes, bidi overrides): see `controls.py`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from planbot.core.controls import strip_controls
from planbot.core.history.baselines import same_months_last_year
from planbot.core.history.model import History
from planbot.core.numbers import SUPPORTED_CURRENCIES

Market = Literal["cn", "global"]
Language = Literal["zh", "en"]
GoalDimension = Literal["sales", "brand", "users", "conversion"]
PlanType = Literal["annual", "part_year", "campaign", "launch"]

MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_MONEY = 10**13  # ten trillion in base units: anything above is a typo, not a plan
MAX_FIGURE = MAX_MONEY  # nor may any figure a plan derives (GMV, orders, visitors) exceed it
MAX_COUNT = 10**11
MAX_PERIOD_DAYS = 2 * 366

CVR_DECIMALS = 4  # the funnel states conversion rates to four decimals (0.0275 = 2.75%)
MIN_CVR = 0.0001  # 0.01%: lower rates round to zero in the funnel
MAX_CVR = 0.5  # no planned conversion rate goes above 50%
MIN_BUDGET = 10_000  # base units: less cannot give every month of a long plan a share
MIN_ORDERS = 500  # below this a plan's funnel rounds to nonsense: the figure is almost surely a typo
NEW_CUSTOMER_SHARE = 0.35  # share of orders from first-time buyers
DEFAULT_AOV = {"CNY": 200, "USD": 60, "EUR": 55, "GBP": 50, "HKD": 450, "JPY": 8000}
DEFAULT_CVR = {"cn": 0.025, "global": 0.02}
VISITOR_SLACK = 10  # visitors added by rounding each quarter's UV to a whole number (at most 9 quarters)
SHORT_PLAN_DAYS = 120  # a plan shorter than this is a campaign plan: its money goes to the campaign
STORED = "stored"  # validation context key: `context={STORED: True}` reads a stored record (see Brief)

Money = Annotated[int, Field(gt=0, le=MAX_MONEY)]
Rate = Annotated[float, Field(gt=0, lt=1)]
Count = Annotated[int, Field(gt=0, le=MAX_COUNT)]
ShortText = Annotated[str, Field(min_length=1, max_length=200)]
LongText = Annotated[str, Field(max_length=500)]


class Period(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: date
    end: date

    @model_validator(mode="after")
    def _check(self) -> Period:
        for d in (self.start, self.end):
            if not MIN_YEAR <= d.year <= MAX_YEAR:
                raise ValueError(f"dates must fall in {MIN_YEAR}-{MAX_YEAR}, got {d.isoformat()}")
        if self.end < self.start:
            raise ValueError(f"the period ends ({self.end}) before it starts ({self.start})")
        if (self.end - self.start).days + 1 > MAX_PERIOD_DAYS:
            raise ValueError("a plan covers at most two years; split longer horizons into yearly plans")
        return self

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(start=date(year, 1, 1), end=date(year, 12, 31))

    def is_full_year(self) -> bool:
        return self.days >= 365


def _clean(v: object, *, keep_newlines: bool = False) -> object:
    """Control characters out of a text (or each text of a list), surrounding blanks trimmed."""
    if isinstance(v, str):
        return strip_controls(v, keep_newlines=keep_newlines).strip()
    if isinstance(v, list):
        return [_clean(x, keep_newlines=keep_newlines) for x in v]
    return v


class Assumption(BaseModel):
    """A value the assistant filled in, and why; shown to the user and kept in the plan."""

    model_config = ConfigDict(extra="forbid")

    field: str
    value: str
    reason: str
    source: str | None = None  # chunk id of the guide the default comes from

    @field_validator("field", "value", "reason", "source", mode="before")
    @classmethod
    def _text(cls, v: object) -> object:
        return _clean(v)


@dataclass(frozen=True)
class Goal:
    """The GMV a brief's goal implies, and the brief field it comes from."""

    gmv: int
    field: Literal["gmv_target", "growth_rate", "new_customers_target"]


@dataclass(frozen=True)
class Unplannable:
    """A value no plan can be built on: the field to name, its value and why."""

    field: str
    value: object
    message: str


def _plain(x: float) -> str:
    """0.00001, not 1e-05."""
    return format(Decimal(repr(x)).normalize(), "f")


def _pct(x: float) -> str:
    return f"{_plain(round(x * 100, 6))}%"


class Brief(BaseModel):
    """Validated with `context={STORED: True}`, a record stored before a limit existed still loads
    (the range checks of each field apply, not the plannability ones): the builder refuses it
    with the same message, and the next change the user makes is checked in full."""

    model_config = ConfigDict(extra="forbid")

    brand: ShortText | None = None
    category: ShortText | None = None
    market: Market = "cn"
    platforms: list[ShortText] = Field(default_factory=list, max_length=20)
    language: Language = "zh"
    period: Period | None = None
    plan_type: PlanType | None = None  # None: from the period (launch only when said)
    goal_focus: list[GoalDimension] = Field(default_factory=list, max_length=4)
    gmv_target: Money | None = None
    gmv_last_year: Money | None = None
    growth_rate: Annotated[float, Field(gt=-0.95, le=20)] | None = None
    budget_total: Money | None = None
    currency: str = "CNY"
    aov: Money | None = None
    cvr: Rate | None = None
    uv_last_year: Count | None = None
    new_customers_target: Count | None = None
    repurchase_rate: Rate | None = None
    audience: LongText | None = None
    campaigns: list[ShortText] = Field(default_factory=list, max_length=30)
    channels: list[ShortText] = Field(default_factory=list, max_length=20)
    constraints: list[LongText] = Field(default_factory=list, max_length=20)
    assumptions: list[Assumption] = Field(default_factory=list)
    history: History | None = None  # the brand's own sales and ad history (core/history), when attached

    @field_validator("currency")
    @classmethod
    def _currency(cls, v: str) -> str:
        code = v.strip().upper()
        if code not in SUPPORTED_CURRENCIES:
            supported = ", ".join(sorted(SUPPORTED_CURRENCIES))
            raise ValueError(f"unknown currency {v!r}; supported: {supported}")
        return code

    @field_validator("platforms", "campaigns", "channels", mode="before")
    @classmethod
    def _names(cls, v: object) -> object:
        """YAML reads `618` as a number and a lone name as a string; both mean a list of names."""
        if isinstance(v, str):
            v = [v]
        if isinstance(v, list):
            v = [str(x).strip() if isinstance(x, int | float) and not isinstance(x, bool) else x for x in v]
        return _clean(v)

    @field_validator("brand", "category", mode="before")
    @classmethod
    def _name(cls, v: object) -> object:
        return _clean(v)

    @field_validator("audience", "constraints", mode="before")
    @classmethod
    def _prose(cls, v: object) -> object:
        return _clean(v, keep_newlines=True)

    @field_validator("goal_focus")
    @classmethod
    def _dedupe(cls, v: list[GoalDimension]) -> list[GoalDimension]:
        return list(dict.fromkeys(v))

    @model_validator(mode="after")
    def _plannable(self, info: ValidationInfo) -> Brief:
        if isinstance(info.context, dict) and info.context.get(STORED):
            return self
        problems = unplannable(self)
        if problems:
            raise ValidationError.from_exception_data(
                "Brief",
                [
                    InitErrorDetails(
                        type=PydanticCustomError("unplannable", "{reason}", {"reason": p.message}),
                        loc=(p.field,),
                        input=p.value,
                    )
                    for p in problems
                ],
            )
        return self

    def missing(self) -> list[str]:
        """Required fields still unknown, in the order the interview asks for them."""
        out: list[str] = []
        if not self.platforms:
            out.append("platforms")
        if self.period is None:
            out.append("period")
        if self.budget_total is None:
            out.append("budget_total")
        has_goal = (
            self.gmv_target is not None
            or (self.last_year_gmv() is not None and self.growth_rate is not None)
            or self.new_customers_target is not None
        )
        if not has_goal:
            out.append("gmv_target")
        return out

    def last_year_gmv(self) -> int | None:
        """Last year's GMV: as the marketer said it, else the attached history's same months a year
        before the period (only when the file holds all of them)."""
        if self.gmv_last_year is not None:
            return self.gmv_last_year
        if self.history is None or self.period is None:
            return None
        return same_months_last_year(self.history, self.period.start, self.period.end, "gmv")

    def last_year_uv(self) -> int | None:
        if self.uv_last_year is not None:
            return self.uv_last_year
        if self.history is None or self.period is None:
            return None
        return same_months_last_year(self.history, self.period.start, self.period.end, "visitors")

    def is_complete(self) -> bool:
        return not self.missing()

    def kind(self) -> PlanType:
        """The plan type: the brief's, else a full year is annual, under 120 days a campaign plan,
        anything between part-year (a launch is never guessed: it changes the customer model)."""
        if self.plan_type is not None:
            return self.plan_type
        days = self.period.days if self.period is not None else 365
        return "annual" if days >= 365 else "campaign" if days < SHORT_PLAN_DAYS else "part_year"


def planned_aov(brief: Brief) -> int:
    """The AOV a plan uses: the brief's, or the guides' default for its currency."""
    return brief.aov if brief.aov is not None else DEFAULT_AOV.get(brief.currency, 200)


def baseline_cvr(brief: Brief) -> float:
    """The CVR a plan starts from: the brief's, or the guides' default for its market."""
    return brief.cvr if brief.cvr is not None else DEFAULT_CVR[brief.market]


def goal(brief: Brief) -> Goal | None:
    """The GMV the brief's goal implies, in the order the builder reads them; None without a goal."""
    if brief.gmv_target is not None:
        return Goal(brief.gmv_target, "gmv_target")
    last_year = brief.last_year_gmv()
    if last_year is not None and brief.growth_rate is not None:
        return Goal(round(last_year * (1 + brief.growth_rate)), "growth_rate")
    if brief.new_customers_target is not None:
        return Goal(round(brief.new_customers_target / NEW_CUSTOMER_SHARE * planned_aov(brief)), "new_customers_target")
    return None


def _goal_text(brief: Brief, g: Goal, aov: int) -> tuple[object, str]:
    """The goal field's value and how the message names it."""
    if g.field == "growth_rate":
        growth = brief.growth_rate or 0.0
        return growth, f"growth_rate {_pct(growth)} on gmv_last_year {brief.last_year_gmv() or 0:,}"
    if g.field == "new_customers_target":
        nc = brief.new_customers_target or 0
        return nc, (
            f"new_customers_target {nc:,} (new customers are {_pct(NEW_CUSTOMER_SHARE)} of orders, "
            f"at an average order of {aov:,})"
        )
    return g.gmv, f"gmv_target {g.gmv:,}"


def unplannable(brief: Brief) -> list[Unplannable]:
    """Why no plan can be built on this brief's values, one entry per field to fix; empty when it can.

    A partial brief is checked as far as it goes: the goal's checks wait for a goal.
    """
    out: list[Unplannable] = []
    if brief.cvr is not None and not brief.cvr >= MIN_CVR:
        out.append(
            Unplannable(
                "cvr",
                brief.cvr,
                f"cvr {_plain(brief.cvr)} is below {_pct(MIN_CVR)}: a conversion rate that low cannot be planned on",
            )
        )
    if brief.budget_total is not None and brief.budget_total < MIN_BUDGET:
        out.append(
            Unplannable(
                "budget_total",
                brief.budget_total,
                f"budget_total {brief.budget_total:,} is below {MIN_BUDGET:,}: a budget that small cannot be "
                "split over a plan's channels and months",
            )
        )
    g = goal(brief)
    if g is None or out:
        return out
    aov = planned_aov(brief)
    value, text = _goal_text(brief, g, aov)
    if g.gmv > MAX_FIGURE:
        reason = f"{text} gives a GMV of {g.gmv:,}, above {MAX_FIGURE:,}: no plan states a figure that large"
        return [Unplannable(g.field, value, reason)]
    if g.gmv < MIN_ORDERS * aov:
        field = "gmv_last_year" if g.field == "growth_rate" else g.field
        gives = "is" if g.field == "gmv_target" else f"gives a GMV of {g.gmv:,},"
        reason = (
            f"{text} {gives} fewer than {MIN_ORDERS} orders at an average order of {aov:,}; "
            "check the figure (1500万 = 15,000,000)"
        )
        return [Unplannable(field, getattr(brief, field), reason)]
    # the plan's CVR is at least the baseline (capped at MAX_CVR), rounded as the funnel states it
    cvr = max(round(min(baseline_cvr(brief), MAX_CVR), CVR_DECIMALS), MIN_CVR)
    visitors = math.ceil(g.gmv / (cvr * aov)) + VISITOR_SLACK
    if visitors > MAX_FIGURE:
        reason = (
            f"{text} at an average order of {aov:,} and a conversion rate of {_pct(cvr)} needs {visitors:,} "
            f"visitors, above {MAX_FIGURE:,}: check the target, aov and cvr"
        )
        return [Unplannable(g.field, value, reason)]
    return out


class BriefUpdate(BaseModel):
    """What one message says about the brief: only the fields it mentions are set."""

    model_config = ConfigDict(extra="forbid")

    values: dict[str, object] = Field(default_factory=dict)
    unknown: list[str] = Field(default_factory=list)  # fields the user said they don't know
    replace_lists: bool = False  # "不对，只做京东" / "only Amazon": lists are replaced, not extended
    correction: bool = False  # the message corrects something said before
    removed: dict[str, list[str]] = Field(default_factory=dict)  # "不是天猫" takes a list item away
    rejected: dict[str, str] = Field(default_factory=dict)  # field -> a stated value out of range, as written
    assumed: dict[str, str] = Field(default_factory=dict)  # field -> what was said ("300-350万": its midpoint)

    def apply(self, brief: Brief) -> Brief:
        data = brief.model_dump()
        for key, names in self.removed.items():
            if isinstance(data.get(key), list):
                data[key] = [x for x in data[key] if x not in names]
        for key, value in self.values.items():
            if isinstance(value, list) and isinstance(data.get(key), list) and not self.replace_lists:
                data[key] = list(dict.fromkeys([*data[key], *value]))
            else:
                data[key] = value
        return Brief.model_validate(data)

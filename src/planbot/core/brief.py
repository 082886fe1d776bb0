"""The Brief: what we know about the business, its goals, budget and dates.

Field names are part of the public API (design.md). Money is an integer in the currency's
base unit; rates are fractions. Ranges are checked here so that no surface can hand the
builder an absurd brief.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from planbot.core.numbers import SUPPORTED_CURRENCIES

Market = Literal["cn", "global"]
Language = Literal["zh", "en"]
GoalDimension = Literal["sales", "brand", "users", "conversion"]

MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_MONEY = 10**13  # ten trillion in base units: anything above is a typo, not a plan
MAX_COUNT = 10**11
MAX_PERIOD_DAYS = 2 * 366

Money = Annotated[int, Field(gt=0, le=MAX_MONEY)]
Rate = Annotated[float, Field(gt=0, lt=1)]
Count = Annotated[int, Field(gt=0, le=MAX_COUNT)]
ShortText = Annotated[str, Field(min_length=1, max_length=200)]


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


class Assumption(BaseModel):
    """A value the assistant filled in, and why; shown to the user and kept in the plan."""

    model_config = ConfigDict(extra="forbid")

    field: str
    value: str
    reason: str
    source: str | None = None  # chunk id of the guide the default comes from


class Brief(BaseModel):
    model_config = ConfigDict(extra="forbid")

    brand: ShortText | None = None
    category: ShortText | None = None
    market: Market = "cn"
    platforms: list[ShortText] = Field(default_factory=list, max_length=20)
    language: Language = "zh"
    period: Period | None = None
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
    audience: Annotated[str, Field(max_length=500)] | None = None
    campaigns: list[ShortText] = Field(default_factory=list, max_length=30)
    channels: list[ShortText] = Field(default_factory=list, max_length=20)
    constraints: list[Annotated[str, Field(max_length=500)]] = Field(default_factory=list, max_length=20)
    assumptions: list[Assumption] = Field(default_factory=list)

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
            return [str(x).strip() if isinstance(x, int | float) and not isinstance(x, bool) else x for x in v]
        return v

    @field_validator("goal_focus")
    @classmethod
    def _dedupe(cls, v: list[GoalDimension]) -> list[GoalDimension]:
        return list(dict.fromkeys(v))

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
            or (self.gmv_last_year is not None and self.growth_rate is not None)
            or self.new_customers_target is not None
        )
        if not has_goal:
            out.append("gmv_target")
        return out

    def is_complete(self) -> bool:
        return not self.missing()


class BriefUpdate(BaseModel):
    """What one message says about the brief: only the fields it mentions are set."""

    model_config = ConfigDict(extra="forbid")

    values: dict[str, object] = Field(default_factory=dict)
    unknown: list[str] = Field(default_factory=list)  # fields the user said they don't know
    replace_lists: bool = False  # "不对，只做京东" / "only Amazon": lists are replaced, not extended
    correction: bool = False  # the message corrects something said before
    removed: dict[str, list[str]] = Field(default_factory=dict)  # "不是天猫" takes a list item away

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

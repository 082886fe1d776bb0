"""What a brand's history holds once read: months of shop figures and months of ad spend.

Money is an integer in the currency's base unit, counts are integers; weekly and daily exports are
summed into calendar months by the reader (a week across two months is split by its days). Every
figure the plan takes from here cites `source` (file name, rows read, months covered).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

MAX_MONTHS = 120  # ten years of months: more is not a shop history
MAX_AD_ROWS = 5000

Amount = Annotated[int, Field(ge=0, le=10**13)]
Tally = Annotated[int, Field(ge=0, le=10**11)]


def month_start(d: date) -> date:
    return d.replace(day=1)


Month = Annotated[date, AfterValidator(month_start)]  # any day of a month reads as its first day


class MonthFigures(BaseModel):
    """One calendar month of the shop's figures (any may be missing from an export)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    month: Month
    gmv: Amount | None = None
    visitors: Tally | None = None
    orders: Tally | None = None
    buyers: Tally | None = None
    new_buyers: Tally | None = None


class AdMonth(BaseModel):
    """One month of one ad line: spend and the sales the back-end attributes to it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    month: Month
    channel: str = Field(min_length=1, max_length=100)  # planbot channel key where known, else as exported
    platform: str | None = Field(default=None, max_length=100)  # planbot platform key where known
    spend: Amount
    sales: Amount | None = None  # attributed GMV (ROAS = sales / spend)


class HistorySource(BaseModel):
    """Where the figures came from, as every assumption built on them cites it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    file: str = Field(min_length=1, max_length=200)
    rows: int = Field(ge=1)  # data rows read (totals and blank rows not counted)
    # the export recognised: sycm, jd, douyin, pdd, shopify, amazon, amazon_ads, template
    style: str = Field(default="template", max_length=50)
    first: date  # first month covered
    last: date  # last month covered


class History(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    currency: str = "CNY"
    source: HistorySource
    months: list[MonthFigures] = Field(default_factory=list, max_length=MAX_MONTHS)
    ads: list[AdMonth] = Field(default_factory=list, max_length=MAX_AD_ROWS)

    @model_validator(mode="after")
    def _ordered(self) -> History:
        seen = [m.month for m in self.months]
        if seen != sorted(set(seen)):
            raise ValueError("history months must be distinct and in order")
        if not self.months and not self.ads:
            raise ValueError("a history holds at least one month of figures or of ad spend")
        return self

"""The reader's public contract (issue 23): shared by the service, the surfaces and the tests.

The package (`planbot.history_read`) exports these names; they live in a module of their own so the
reader's modules can use them without importing the package's __init__ back.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel

from planbot.core.history.model import History

MAX_HISTORY_BYTES = 10 * 1024 * 1024  # a shop's monthly/daily export is well under this
TemplateFormat = Literal["csv", "xlsx"]


class ColumnMatch(BaseModel):
    """A header the reader recognised: its 1-based column, what it means and the unit it read."""

    column: int
    header: str
    field: str  # gmv, visitors, orders, buyers, new_buyers, date, ad_spend, ad_sales, channel, platform, ...
    unit: str | None = None  # 元, 万元, %, 千次, USD ...
    channel: str | None = None  # an ad line named by a merged parent header (直通车 over 花费 / 成交金额)


class Reading(BaseModel):
    """What a file held, for the preview a user confirms before the history joins the brief."""

    history: History
    columns: list[ColumnMatch]
    ignored_columns: list[str] = []  # headers not used
    skipped_rows: list[int] = []  # 1-based file rows skipped (totals, blank, notes)
    granularity: Literal["month", "week", "day"] = "month"
    future_months: list[date] = []  # months after today's: kept, but worth a word in the preview
    channels: dict[str, str] = {}  # ad line as exported -> the channel key it was filed under
    derived: list[str] = []  # figures rebuilt from a rate (orders = visitors x CVR ...), for the preview


class HistoryFileError(ValueError):
    """A file that cannot be read, naming the row and column (1-based) where it can."""

    def __init__(
        self, code: str, message_zh: str, message_en: str, row: int | None = None, column: str | None = None
    ) -> None:
        super().__init__(message_en)
        self.code, self.row, self.column = code, row, column
        self.messages = {"zh": message_zh, "en": message_en}

    def message(self, language: str) -> str:
        return self.messages.get(language, self.messages["en"])

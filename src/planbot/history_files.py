"""Reading a brand's history exports (CSV/XLSX) into a `core.history.model.History`.

Contract shared by the service, the surfaces and the tests (issue 23); the reader fills it in.
"""

from __future__ import annotations

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


class Reading(BaseModel):
    """What a file held, for the preview a user confirms before the history joins the brief."""

    history: History
    columns: list[ColumnMatch]
    ignored_columns: list[str] = []  # headers not used
    skipped_rows: list[int] = []  # 1-based file rows skipped (totals, blank, notes)
    granularity: Literal["month", "week", "day"] = "month"


class HistoryFileError(ValueError):
    """A file that cannot be read, naming the row and column (1-based) where it can."""

    def __init__(self, code: str, message_zh: str, message_en: str, row: int | None = None,
                 column: str | None = None) -> None:
        super().__init__(message_en)
        self.code, self.row, self.column = code, row, column
        self.messages = {"zh": message_zh, "en": message_en}

    def message(self, language: str) -> str:
        return self.messages.get(language, self.messages["en"])


def read_history(name: str, data: bytes, currency: str | None = None) -> Reading:
    """Read a CSV or XLSX export (or planbot's template); raise HistoryFileError when it cannot."""
    raise NotImplementedError


def history_template(language: str, fmt: TemplateFormat) -> bytes:
    """planbot's own history template, headers in `language`, with two example rows."""
    raise NotImplementedError

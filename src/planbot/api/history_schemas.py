"""Bodies of the history routes (issue 23): what a file was read as, and what is attached."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from planbot import histories
from planbot.api.schemas import TurnOut
from planbot.core.history.model import History
from planbot.history_read import ColumnMatch, Reading


class HistorySummaryOut(BaseModel):
    """The history in a few words: where it came from, the months it covers and the figures it holds."""

    file: str
    style: str = Field(
        description="the export recognised: sycm, jd, douyin, pdd, shopify, amazon, amazon_ads, template"
    )
    style_label: str = Field(description="the style's name in the conversation's language")
    rows: int = Field(description="data rows read (totals and blank rows not counted)")
    first: date
    last: date
    months: int = Field(description="calendar months covered, first to last")
    figures: list[str] = Field(description="gmv, visitors, orders, buyers, new_buyers, ad_spend, ad_sales")
    ad_lines: int = Field(description="months × ad lines of spend")
    currency: str
    text: str = Field(description="the sentence the chat says about it")

    @classmethod
    def of(cls, history: History, language: str, key: str = "attached") -> HistorySummaryOut:
        src = history.source
        months = (src.last.year - src.first.year) * 12 + src.last.month - src.first.month + 1
        label = histories.words(language)["styles"].get(src.style, src.style)
        return cls(file=src.file, style=src.style, style_label=label, rows=src.rows, first=src.first, last=src.last,
                   months=months, figures=histories.figures(history), ad_lines=len(history.ads),
                   currency=history.currency, text=histories.summary(history, language, key))  # fmt: skip


class HistoryReadingOut(BaseModel):
    """What a file was read as: the preview a user confirms before attaching it."""

    summary: HistorySummaryOut
    columns: list[ColumnMatch] = Field(description="the headers recognised (1-based column, field, unit)")
    ignored_columns: list[str] = Field(description="headers not used")
    skipped_rows: list[int] = Field(description="1-based file rows skipped (totals, blank, notes)")
    granularity: Literal["month", "week", "day"]
    history: History

    @classmethod
    def of(cls, reading: Reading, language: str, key: str = "attached") -> HistoryReadingOut:
        return cls(summary=HistorySummaryOut.of(reading.history, language, key), columns=reading.columns,
                   ignored_columns=reading.ignored_columns, skipped_rows=reading.skipped_rows,
                   granularity=reading.granularity, history=reading.history)  # fmt: skip


class HistoryUploadOut(BaseModel):
    """A preview (`attached` false, nothing stored) or an attached history with the chat turn it made."""

    attached: bool
    reading: HistoryReadingOut
    turn: TurnOut | None = Field(default=None, description="the exchange added to the conversation (attached only)")


class HistoryOut(BaseModel):
    summary: HistorySummaryOut
    history: History

"""Reading a brand's history exports (issue 23): CSV/XLSX bytes -> a validated `History`.

The core never imports this package; its names below are the public face the surfaces import.
"""

from __future__ import annotations

from datetime import date

from planbot.history_read.contract import (
    MAX_HISTORY_BYTES,
    ColumnMatch,
    HistoryFileError,
    Reading,
    TemplateFormat,
)
from planbot.history_read.decode import sheets
from planbot.history_read.reader import Rows
from planbot.history_read.table import locate
from planbot.history_read.template import history_template

__all__ = [
    "MAX_HISTORY_BYTES",
    "ColumnMatch",
    "HistoryFileError",
    "Reading",
    "TemplateFormat",
    "history_template",
    "read_history",
]

_NO_TABLE = ("empty", "no_date_column", "no_figure_column", "header_only")


def read_history(name: str, data: bytes, currency: str | None = None, today: date | None = None) -> Reading:
    """Read a CSV or XLSX export (or planbot's template); raise HistoryFileError when it cannot.

    In a workbook the first sheet that holds a table is read (the template's notes sheet is not).
    """
    first: HistoryFileError | None = None
    for sheet in sheets(name, data):
        try:
            lay = locate(sheet)
            rows = Rows(sheet, lay, name, currency.upper() if currency else None)
            for i in range(lay.header_row, len(sheet.rows)):
                rows.add(i + 1, sheet.rows[i])
            return rows.reading(today or date.today())
        except HistoryFileError as e:
            if e.code not in _NO_TABLE:
                raise
            first = first or e
    assert first is not None
    raise first

"""Reading a brand's history exports (CSV/XLSX) into a `core.history.model.History`.

Contract shared by the service, the surfaces and the tests (issue 23); the reader lives in
`planbot.history_read` and this module re-exports its public names.
"""

from __future__ import annotations

from planbot.history_read import (
    MAX_HISTORY_BYTES,
    ColumnMatch,
    HistoryFileError,
    Reading,
    TemplateFormat,
    history_template,
    read_history,
)

__all__ = [
    "MAX_HISTORY_BYTES",
    "ColumnMatch",
    "HistoryFileError",
    "Reading",
    "TemplateFormat",
    "history_template",
    "read_history",
]

"""Cells, styles, formats and localized labels shared by the workbook's sheets (render/xlsx.py, xlsx_model.py)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from planbot.core.numbers import SYMBOLS
from planbot.render.formatting import plain_text

HEADER_FILL = PatternFill("solid", fgColor="F3F5F9")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # the inputs a marketer may change
BOLD = Font(bold=True)
PERCENT = "0.00%"
DATE = "yyyy-mm-dd"
COUNT = "#,##0"
INDEX = "0.0000"


@cache
def workbook_labels(language: str) -> dict[str, Any]:
    with (Path(__file__).resolve().parent / "workbook.yaml").open(encoding="utf-8") as fh:
        data: dict[str, dict[str, Any]] = yaml.safe_load(fh)
    return data["zh" if language == "zh" else "en"]


def money_format(currency: str) -> str:
    sign = SYMBOLS.get(currency)  # the same symbols as every other rendering of the plan
    code = currency.replace('"', "")  # a hand-edited plan's unit must not end the quoted literal early
    return f'"{sign}"#,##0' if sign else f'#,##0 "{code}"'


def money_unit(currency: str, language: str) -> str:
    """The unit a money cell is in, as the plan's reader writes it: 元 in Chinese, $ in English."""
    if language == "zh":
        unit: str = workbook_labels("zh")["money"].get(currency, currency)
        return unit
    return SYMBOLS.get(currency, currency)


def ratio_text(text: str, language: str) -> str:
    """A plan's ratio range as text ("2.1–3.63x"), in the workbook's language: 2.1–3.63倍 in Chinese."""
    return re.sub(r"(?<=\d)x(?![A-Za-z])", "倍", text) if language == "zh" else text


@dataclass(frozen=True)
class Formula:
    """A formula of ours ("=SUM(...)"): every other string is stored as text, even one that starts with "="."""

    text: str


def quote(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def ref(ws: Worksheet, col: int, row: int) -> str:
    """An absolute reference to a cell, with its sheet: formulas on other sheets use it as it is."""
    return f"{quote(ws.title)}!${get_column_letter(col)}${row}"


def local(col: int, row: int) -> str:
    return f"{get_column_letter(col)}{row}"


def append(ws: Worksheet, values: Sequence[Any]) -> int:
    """A row; strings are plain text (a campaign called "=HYPERLINK(...)" stays a name, not a formula).
    Returns the row's number."""
    ws.append([v.text if isinstance(v, Formula) else plain_text(v) if isinstance(v, str) else v for v in values])
    row = ws.max_row
    for col, value in enumerate(values, start=1):
        if isinstance(value, str) and (cell := ws.cell(row=row, column=col)).data_type == "f":
            cell.data_type = "s"
            cell.quotePrefix = True  # Excel keeps it text when the cell is edited
    return row


def formats(ws: Worksheet, row: int, fmts: dict[int, str]) -> None:
    for col, fmt in fmts.items():
        ws.cell(row=row, column=col).number_format = fmt


def bold(ws: Worksheet, row: int) -> None:
    for cell in ws[row]:
        cell.font = BOLD


def mark_input(ws: Worksheet, row: int, col: int) -> None:
    ws.cell(row=row, column=col).fill = INPUT_FILL


def sheet(wb: Workbook, title: str, headers: Sequence[str], widths: Sequence[int]) -> Worksheet:
    """A table sheet: a bold header row, frozen, and the columns' widths."""
    ws: Worksheet = wb.create_sheet(title[:31])
    append(ws, list(headers))
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    for cell in ws[1]:
        cell.font, cell.fill = BOLD, HEADER_FILL
    ws.freeze_panes = "A2"
    return ws

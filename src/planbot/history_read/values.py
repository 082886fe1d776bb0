"""Cell values: numbers with signs, separators and units; dates in the forms back-ends write them."""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from typing import Literal

from planbot.history_read.headers import data, is_total, norm

Cell = str | int | float | Decimal | datetime | date | None
Period = Literal["month", "week", "day"]
EXCEL_EPOCH = date(1899, 12, 30)


@dataclass(frozen=True)
class Span:
    """The days a date cell covers: a month, a week or one day (or a range the export wrote)."""

    first: date
    last: date
    period: Period


def blank(v: Cell) -> bool:
    return v is None or (isinstance(v, str) and v.strip() in ("", "-", "--", "—", "/", "N/A", "n/a", "null"))


def text(v: Cell) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


_NUM = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$", re.I)


@dataclass(frozen=True)
class Number:
    value: Decimal
    currency: str | None  # the sign the cell carried ($ -> USD)
    percent: bool


_PLAIN = re.compile(r"^\d{1,18}(\.\d{1,12})?$")


@cache
def _signs() -> list[tuple[str, str]]:
    """Currency signs, longest first (US$ before $), in the form cells are compared in."""
    signs = [(unicodedata.normalize("NFKC", s).lower(), c) for s, c in data().signs.items()]
    return sorted(signs, key=lambda sc: -len(sc[0]))


def number(v: Cell) -> Number | None:
    """A figure from a cell ("¥1,234.50", "-$12", "12.5%", "(300)"), or None when it is not one."""
    if isinstance(v, (bool, datetime, date)):
        return None
    if isinstance(v, (int, Decimal)):
        return Number(Decimal(v), None, False)
    if isinstance(v, float):
        return Number(Decimal(repr(v)), None, False)
    if _PLAIN.match(s := str(v)):  # most cells: 1234 or 1234.5
        return Number(Decimal(s), None, False)
    s = unicodedata.normalize("NFKC", s).strip().replace("\u00a0", "").replace(" ", "")
    currency = None
    low = s.lower()
    for sign, cur in _signs():
        if sign in low:
            currency = cur
            idx = low.index(sign)
            s = s[:idx] + s[idx + len(sign) :]
            break
    negative = s.startswith("(") and s.endswith(")")
    s = s.strip("()")
    percent = s.endswith("%")
    s = s.rstrip("%").replace(",", "").replace("，", "")
    if s.startswith("-") and s[1:2] in ("$", "¥"):
        s = "-" + s[2:]
    if not _NUM.match(s):
        return None
    try:
        d = Decimal(s)
    except InvalidOperation:
        return None
    return Number(-d if negative else d, currency, percent)


_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_name) if m})
_RANGE = re.compile(r"^(.+?)\s*(?:~|～|至|到|—|–|\s-\s|\bto\b)\s*(.+)$")
_YM = re.compile(r"^(\d{4})\s*(?:[-/.年])\s*(\d{1,2})\s*月?$")
_YMD = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ t]\d{1,2}:\d{2}(?::\d{2})?)?$", re.I)
_US = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_MON_Y = re.compile(r"^([a-z]+)[\s\-,.']*(\d{4})$", re.I)
_ISO_WEEK = re.compile(r"^(\d{4})\s*-?\s*w(\d{1,2})$", re.I)
_YW = re.compile(r"^(\d{4})年?第?(\d{1,2})周$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})?$")


def month_span(y: int, m: int) -> Span:
    return Span(date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1]), "month")


def day_span(d: date) -> Span:
    return Span(d, d, "day")


def parse_date(v: Cell) -> Span | None:
    """The span a date cell stands for, or None when it is not a date a back-end writes."""
    if isinstance(v, str):
        return _parse_text(v)
    return _parse(v)


@lru_cache(maxsize=8192)  # a daily report by campaign repeats each date many times
def _parse_text(v: str) -> Span | None:
    return _parse(v)


def _parse(v: Cell) -> Span | None:
    if isinstance(v, datetime):
        return day_span(v.date())
    if isinstance(v, date):
        return day_span(v)
    if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool):
        n = float(v)
        if 20000 <= n < 80000 and float(n).is_integer():  # an Excel serial day (1954..2119)
            return day_span(EXCEL_EPOCH + timedelta(days=int(n)))
        return _compact(text(v))
    s = unicodedata.normalize("NFKC", str(v or "")).strip()
    if not s:
        return None
    m = _RANGE.match(s)
    if m and not _YM.match(s) and not _YMD.match(s):
        a, b = parse_date(m.group(1)), parse_date(m.group(2))
        if a and b and a.first <= b.last:
            days = (b.last - a.first).days + 1
            if (
                a.first.day == 1
                and b.last == month_span(b.last.year, b.last.month).last
                and a.first.month == b.last.month
            ):
                return month_span(a.first.year, a.first.month)
            return Span(a.first, b.last, "week" if days == 7 else "day")
        return None
    return _single(s)


def _single(s: str) -> Span | None:
    try:
        if m := _YMD.match(s):
            return day_span(date(int(m[1]), int(m[2]), int(m[3])))
        if m := _YM.match(s):
            return month_span(int(m[1]), int(m[2]))
        if m := _US.match(s):
            a, b = int(m[1]), int(m[2])
            month, day = (b, a) if a > 12 else (a, b)  # 01/15/2025 (US); 15/01/2025 read day-first
            return day_span(date(int(m[3]), month, day))
        if (m := _MON_Y.match(s)) and m[1].lower() in _MONTHS:
            return month_span(int(m[2]), _MONTHS[m[1].lower()])
        if m := _ISO_WEEK.match(s) or _YW.match(s):
            first = date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return Span(first, first + timedelta(days=6), "week")
        if re.fullmatch(r"\d{5}(\.0+)?", s):
            return parse_date(float(s))
        return _compact(s)
    except ValueError:  # 2025-13, 2025-02-30
        return None


def _compact(s: str) -> Span | None:
    m = _COMPACT.match(s)
    if not m or not 1990 <= int(m[1]) <= 2100:
        return None
    try:
        if m[3]:
            return day_span(date(int(m[1]), int(m[2]), int(m[3])))
        return month_span(int(m[1]), int(m[2]))
    except ValueError:
        return None


def looks_total(v: Cell) -> bool:

    return isinstance(v, str) and (is_total(v) or norm(v).startswith(("合计", "总计", "total")))

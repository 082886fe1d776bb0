"""Dates as a plan's reader writes them: 2027年12月31日 / Dec 31, 2027, and 12月31日 / Dec 31.

One place for every section and renderer (ISO dates and "02-14" read as database output in prose).
English month names are spelled here, not taken from the process's locale.
"""

from __future__ import annotations

from datetime import date

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def short_date(d: date, language: str) -> str:
    return f"{d.month}月{d.day}日" if language == "zh" else f"{MONTHS[d.month - 1]} {d.day}"


def long_date(d: date, language: str) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if language == "zh" else f"{MONTHS[d.month - 1]} {d.day}, {d.year}"

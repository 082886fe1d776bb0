"""What the campaign Gantt (`charts.calendar`) decides before it draws: the x-axis ticks for the plan's
length, the colour family of each campaign, and campaign names wrapped to fit beside their rows.

Plain functions of dates and strings (no matplotlib), so they are cheap to test on their own.
"""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta
from typing import Literal

from planbot.core.plan import Campaign

Scale = Literal["day", "week", "half_month", "month", "quarter"]

# (warm-up, follow-through, burst): light, mid and dark shades of one hue per campaign key
FAMILIES: tuple[tuple[str, str, str], ...] = (
    ("#fdba74", "#f97316", "#c2410c"),  # orange
    ("#5eead4", "#14b8a6", "#0f766e"),  # teal
    ("#93c5fd", "#3b82f6", "#1d4ed8"),  # blue
    ("#fde047", "#eab308", "#a16207"),  # yellow
    ("#c4b5fd", "#8b5cf6", "#6d28d9"),  # violet
    ("#f9a8d4", "#ec4899", "#be185d"),  # pink
    ("#86efac", "#22c55e", "#15803d"),  # green
    ("#67e8f9", "#06b6d4", "#0e7490"),  # cyan
)
NEUTRAL: tuple[str, str, str] = ("#cbd5e1", "#94a3b8", "#475569")  # the legend's phase shades
SHADE = {"warm_up": 0, "follow_through": 1, "burst": 2}

LABEL_WIDTH = 32  # a row label's line, in half-width units (a Chinese character counts two): ~30 Latin characters
LABEL_LINES = 3


def scale(days: int) -> Scale:
    """The tick step for a period of `days`: weekly up to ten weeks, half-monthly up to five months,
    monthly up to a year and a half, quarterly beyond; every other day for a plan of two weeks or less."""
    if days <= 14:
        return "day"
    if days <= 70:
        return "week"
    if days <= 155:
        return "half_month"
    if days <= 550:
        return "month"
    return "quarter"


def _months(start: date, end: date, step: int) -> list[date]:
    out: list[date] = []
    y, m = start.year, start.month
    while (d := date(y, m, 1)) <= end:
        if d >= start and (m - 1) % step == 0:
            out.append(d)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def tick_dates(start: date, end: date) -> list[date]:
    """The days that get a tick between `start` and `end` (both included), in order."""
    step = scale((end - start).days + 1)
    if step == "day":
        return [start + timedelta(days=i) for i in range(0, (end - start).days + 1, 2)]
    if step == "week":  # Mondays: the working week a marketer plans by
        first = start + timedelta(days=-start.weekday() % 7)
        return [first + timedelta(days=7 * i) for i in range((end - first).days // 7 + 1)] if first <= end else []
    if step == "half_month":
        return [d for m in _months(date(start.year, start.month, 1), end, 1) for d in (m, m.replace(day=16))
                if start <= d <= end]  # fmt: skip
    return _months(start, end, 3 if step == "quarter" else 1)


def tick_label(d: date, step: Scale, language: str, multi_year: bool) -> str:
    """A short label: "11月2日" / "11/02" for days and weeks, "11月" and "16日" for half months,
    the month (the year, at January, in a plan that crosses years) for months and quarters."""
    zh = language == "zh"
    if step in ("day", "week"):
        return f"{d.month}月{d.day}日" if zh else f"{d:%m/%d}"
    if step == "half_month" and d.day != 1:
        return f"{d.day}日" if zh else str(d.day)
    if multi_year and d.month == 1 and step != "half_month":
        return f"{d.year}年" if zh else str(d.year)
    return f"{d.month}月" if zh else f"{d:%b}"


def ticks(start: date, end: date, language: str) -> list[tuple[date, str]]:
    step = scale((end - start).days + 1)
    multi_year = start.year != end.year
    return [(d, tick_label(d, step, language, multi_year)) for d in tick_dates(start, end)]


def families(campaigns: list[Campaign]) -> dict[str, tuple[str, str, str]]:
    """A colour family per campaign key, in the order the keys first appear: the waves of one sale
    (双11's first and final waves) share their hue, and the same plan always gets the same colours."""
    out: dict[str, tuple[str, str, str]] = {}
    for c in campaigns:
        if c.key not in out:
            out[c.key] = FAMILIES[len(out) % len(FAMILIES)]
    return out


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


_CLOSING = set("）)】》」』，、。；：！？·")  # never starts a line
_OPENING = set("（(【《「『")  # never ends one
_AFTER = set("·/｜|")  # a good place to break after ("618年中大促·" / "第一波")


def _tokens(text: str) -> list[str]:
    """Unbreakable pieces: a Latin word, or a wide character with the punctuation that must stay with it;
    single spaces between them."""
    out: list[str] = []
    glue = False  # the last token ended in an opening bracket: the next character joins it
    for ch in text:
        wide = _width(ch) == 2
        if out and (glue or ch in _CLOSING or (not wide and ch != " " and out[-1] != " " and _width(out[-1][-1]) == 1
                                               and out[-1][-1] not in _AFTER)):  # fmt: skip
            out[-1] += ch
        else:
            out.append(ch)
        glue = ch in _OPENING
    return out


def _split(tokens: list[str], width: int, prefer: bool) -> list[list[str]]:
    """Greedy lines of tokens; with `prefer`, an overflowing line breaks at its last good place (after
    "·", before "（", at a space) when that keeps at least a third of the line, else where it overflowed."""
    lines: list[list[str]] = [[]]
    for tok in tokens:
        line = lines[-1]
        if tok == " ":
            if line:
                line.append(tok)
            continue
        if line and _width("".join(line) + tok) > width:
            after = [*line, tok]
            cut = next((i for i in range(len(line), 0, -1)
                        if line[i - 1][-1] in _AFTER or line[i - 1] == " " or after[i][0] in _OPENING), 0)  # fmt: skip
            if not prefer or _width("".join(line[:cut])) * 3 < width:
                cut = len(line)
            lines[-1], moved = line[:cut], line[cut:]
            lines.append(line := moved[1:] if moved[:1] == [" "] else moved)
        if _width(tok) > width:  # a word wider than a line: cut it by characters
            for ch in tok:
                if line and _width("".join(line) + ch) > width:
                    lines.append(line := [])
                line.append(ch)
        else:
            line.append(tok)
    return lines


def wrap_label(name: str, width: int = LABEL_WIDTH, max_lines: int = LABEL_LINES) -> str:
    """`name` in lines of at most `width` units (a Chinese character counts two), at most `max_lines`
    of them, the last ending in "…" if the name is cut."""
    tokens = _tokens(" ".join(name.split()))
    # break at the good places unless that costs a line
    nice, tight = (
        [s for line in _split(tokens, width, prefer) if (s := "".join(line).strip())] for prefer in (True, False)
    )
    out = nice if len(nice) <= len(tight) else tight
    if len(out) > max_lines:
        last = out[max_lines - 1]
        while last and _width(last) + 1 > width:
            last = last[:-1]
        out = [*out[: max_lines - 1], last.rstrip() + "…"]
    return "\n".join(out)

"""A located table's rows -> a `History`: parse, check, spread weeks over months, round exactly.

Rules (README "History files"): rates are never summed; a row with a rate but no count gets the count
rebuilt (orders = visitors × CVR, buyers = GMV ÷ AOV, GMV = visitors × CVR × AOV, ad sales = spend × ROAS
or spend ÷ ACoS). Weeks and date ranges are spread over months by their days; each series is rounded by
largest remainder so months are integers that sum to the file's rounded total.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Context, Decimal
from fractions import Fraction
from functools import lru_cache

from planbot.core.catalog import AD_NETWORK_ALIASES, CHANNEL_ALIASES, PLATFORM_ALIASES, exact_key, platform_key
from planbot.core.history.model import MAX_AD_ROWS, MAX_MONTHS, AdMonth, History, HistorySource, MonthFigures
from planbot.history_read.contract import Reading
from planbot.history_read.decode import Sheet
from planbot.history_read.errors import fail
from planbot.history_read.headers import channel_of, data, norm
from planbot.history_read.table import Column, Layout, style_of
from planbot.history_read.values import Cell, Period, Span, blank, looks_total, month_span, number, parse_date, text

SHOP = ("gmv", "visitors", "orders", "buyers", "new_buyers")
MONEY_MAX, COUNT_MAX = Decimal(10**13), Decimal(10**11)
ORDER = {"day": 0, "week": 1, "month": 2}


EXACT = Context(prec=80)  # sums of 200,000 rows of cents never round


class Acc:
    """One series' exact sums per month: Decimals for rows within a month, Fractions for split ones."""

    def __init__(self) -> None:
        self.whole: dict[date, Decimal] = defaultdict(Decimal)
        self.part: dict[date, Fraction] = defaultdict(Fraction)

    def add(self, shares: list[tuple[date, Fraction]], value: Decimal) -> None:
        if len(shares) == 1:
            m = shares[0][0]
            self.whole[m] = EXACT.add(self.whole[m], value)
        else:
            for m, share in shares:
                self.part[m] += Fraction(value) * share

    def exact(self) -> dict[date, Fraction]:
        return {m: Fraction(self.whole.get(m, 0)) + self.part.get(m, Fraction(0)) for m in {*self.whole, *self.part}}


@dataclass
class Tally:
    """Exact sums per series (a shop figure, or an ad line's spend or sales) and month."""

    shop: dict[str, Acc] = field(default_factory=lambda: defaultdict(Acc))
    ads: dict[tuple[str, str | None, str], Acc] = field(default_factory=lambda: defaultdict(Acc))


@lru_cache(maxsize=4096)
def _months(span: Span) -> list[tuple[date, Fraction]]:
    """The months a span touches and the share of its days in each."""
    days = (span.last - span.first).days + 1
    out: dict[date, int] = defaultdict(int)
    d = span.first
    while d <= span.last:
        m = month_span(d.year, d.month)
        end = min(m.last, span.last)
        out[m.first] += (end - d).days + 1
        d = end + timedelta(days=1)
    return [(m, Fraction(n, days)) for m, n in sorted(out.items())]


def largest_remainder(values: dict[date, Fraction]) -> dict[date, int]:
    """Integers per month summing to the rounded total, each within 1 of its exact share."""
    total = sum(values.values(), Fraction(0))
    target = _round(total)
    floors = {m: v.numerator // v.denominator for m, v in values.items()}
    left = target - sum(floors.values())
    for m in sorted(values, key=lambda m: (-(values[m] - floors[m]), m))[:left]:
        floors[m] += 1
    return floors


def _round(x: Fraction) -> int:
    return int((Decimal(x.numerator) / Decimal(x.denominator)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


class Rows:
    """Reads the data rows of one layout."""

    def __init__(self, sheet: Sheet, lay: Layout, name: str, hint: str | None) -> None:
        self.sheet, self.lay, self.name, self.hint = sheet, lay, name, hint
        self.style = style_of(lay, name, sheet.name)
        self.spec = data().styles.get(self.style)
        self.currencies: dict[str, tuple[int | None, str]] = {}  # currency -> where first seen
        self.skipped: list[int] = []
        self.derived: set[str] = set()
        self.channels: dict[str, str] = {}
        self.read = 0
        self.finest: Period = "month"
        self.seen: dict[tuple[date, str, str, str], tuple[int, tuple[object, ...]]] = {}
        self.tally = Tally()
        for c in lay.columns:
            if c.spec.currency:
                self.note_currency(c.spec.currency, None, c.header)

    def note_currency(self, currency: str, row: int | None, column: str) -> None:
        """Remember where each currency was first seen; a second one refuses the file there."""
        if currency not in self.currencies and self.currencies:
            have = ", ".join(sorted([*self.currencies, currency]))
            raise fail("currency_mix", row=row, column=column, currencies=have)
        self.currencies.setdefault(currency, (row, column))

    def cell(self, row: list[Cell], col: Column | None) -> Cell:
        return row[col.index] if col is not None and col.index < len(row) else None

    def figure(self, r: int, row: list[Cell], col: Column) -> Decimal | None:
        v = self.cell(row, col)
        if blank(v):
            return None
        n = number(v)
        if n is None:
            raise fail("not_a_number", row=r, column=col.header, value=text(v)[:40])
        if n.value < 0:
            raise fail("negative", row=r, column=col.header, value=text(v)[:40])
        if n.currency:
            self.note_currency(n.currency, r, col.header)
        kind = data().fields[col.spec.field or ""].kind
        value = EXACT.multiply(n.value, col.spec.factor)
        if kind == "rate" and (n.percent or (col.spec.unit is None and n.value > 1)):
            value = n.value / 100  # 3.2% or a bare 3.2 in a rate column
        limit = MONEY_MAX if kind == "money" else COUNT_MAX
        if value > limit:
            raise fail("too_large_value", row=r, column=col.header, value=text(v)[:40])
        return value

    def span(self, r: int, row: list[Cell]) -> Span | None:
        col = self.lay.date
        v = self.cell(row, col)
        s = parse_date(v)
        end = parse_date(self.cell(row, self.lay.date_end)) if self.lay.date_end else None
        if s is None:
            filled = [x for x in row if not blank(x)]
            if blank(v) or len(filled) <= 1:
                return None  # a note line or a row without a date: nothing to file it under
            raise fail("bad_date", row=r, column=col.header, value=text(v)[:40])
        if end is not None and end.last >= s.first:
            days = (end.last - s.first).days + 1
            return Span(s.first, end.last, "week" if days == 7 else "day" if days < 28 else "month")
        if s.period == "day" and col.spec.period == "month":
            return month_span(s.first.year, s.first.month)
        if s.period == "day" and col.spec.period == "week":
            return Span(s.first, s.first + timedelta(days=6), "week")
        return s

    def platform(self, row: list[Cell]) -> str | None:
        cols = self.lay.of("platform")
        if cols and not blank(v := self.cell(row, cols[0])):
            name = text(v)
            t = name.strip().lower()
            exact = t in PLATFORM_ALIASES or any(t in a for a in PLATFORM_ALIASES.values())
            return (platform_key(name) if exact else None) or name[:100]
        return self.spec.platform if self.spec else None

    def add(self, r: int, row: list[Cell]) -> None:
        if all(blank(x) for x in row):
            self.skipped.append(r)
            return
        first = next(x for x in row if not blank(x))
        if looks_total(first) or looks_total(self.cell(row, self.lay.date)):
            self.skipped.append(r)
            return
        span = self.span(r, row)
        if span is None:
            self.skipped.append(r)
            return
        vals = {c.index: self.figure(r, row, c) for c in self.lay.columns if c.spec.field not in _TEXT}
        for cur_col in self.lay.of("currency"):
            if not blank(v := self.cell(row, cur_col)):
                self.note_currency(_currency(text(v)), r, cur_col.header)
        plat = self.platform(row)
        chan_cols, camp_cols = self.lay.of("channel"), self.lay.of("campaign")
        chan = text(self.cell(row, chan_cols[0])) if chan_cols else ""
        camp = text(self.cell(row, camp_cols[0])) if camp_cols else ""
        if span.period == "month" and self._duplicate(r, span, plat or "", chan, camp, vals):
            return
        self.read += 1
        if ORDER[span.period] < ORDER[self.finest]:
            self.finest = span.period
        shop = {f: self._one(vals, f, channel=None) for f in (*SHOP, "cvr", "aov")}
        self._rebuild(shop)
        shares = _months(span)
        for f in SHOP:
            if (value := shop[f]) is not None:
                self.tally.shop[f].add(shares, value)
        for name, spend, sales in self._ad_lines(vals, chan):
            key, p = self._channel(name, plat)
            self.tally.ads[(key, p, "spend")].add(shares, spend)
            if sales is not None:
                self.tally.ads[(key, p, "sales")].add(shares, sales)

    def _one(self, vals: dict[int, Decimal | None], f: str, channel: str | None) -> Decimal | None:
        for c in self.lay.of(f):
            if c.spec.channel == channel:
                return vals[c.index]
        return None

    def _rebuild(self, s: dict[str, Decimal | None]) -> None:
        if s["orders"] is None and s["visitors"] is not None and s["cvr"] is not None:
            s["orders"] = s["visitors"] * s["cvr"]
            self.derived.add("orders = visitors × CVR")
        if s["gmv"] is None and s["visitors"] is not None and s["cvr"] is not None and s["aov"] is not None:
            s["gmv"] = s["visitors"] * s["cvr"] * s["aov"]
            self.derived.add("GMV = visitors × CVR × AOV")
        if s["buyers"] is None and s["gmv"] is not None and s["aov"]:
            s["buyers"] = s["gmv"] / s["aov"]
            self.derived.add("buyers = GMV ÷ AOV")

    def _ad_lines(self, vals: dict[int, Decimal | None], chan: str) -> list[tuple[str, Decimal, Decimal | None]]:
        out: list[tuple[str, Decimal, Decimal | None]] = []
        named = {c.spec.channel for c in self.lay.columns if c.spec.channel}
        for name in [None, *sorted(named)]:
            spend = self._one(vals, "ad_spend", name)
            if spend is None:
                continue
            sales = self._one(vals, "ad_sales", name)
            if name is None:
                roas, acos = self._one(vals, "roas", None), self._one(vals, "acos", None)
                if sales is None and roas is not None:
                    sales = spend * roas
                    self.derived.add("ad sales = spend × ROAS")
                elif sales is None and acos:
                    sales = spend / acos
                    self.derived.add("ad sales = spend ÷ ACoS")
            line = name or chan or (self.spec.ad_channel if self.spec and self.spec.ad_channel else "")
            out.append((line, spend, sales))
        return out

    def _channel(self, name: str, plat: str | None) -> tuple[str, str | None]:
        if not name:
            key = plat or "ads"
        else:
            spec = channel_of(name)
            # a catalog name only when it is the whole name: an unknown tool keeps the name it was exported under
            known = exact_key(name, AD_NETWORK_ALIASES, CHANNEL_ALIASES)
            key = spec.channel if spec else (known or name.strip()[:100])
            plat = plat or (spec.platform if spec else None)
        self.channels[name or "-"] = key
        return key, plat

    def _duplicate(self, r: int, span: Span, plat: str, chan: str, camp: str, vals: dict[int, Decimal | None]) -> bool:
        key = (span.first, norm(plat), norm(chan), norm(camp))
        got = tuple(vals[i] for i in sorted(vals))
        if key in self.seen:
            other, before = self.seen[key]
            if before == got:
                self.skipped.append(r)  # the same row twice: read once
                return True
            raise fail(
                "duplicate_month", row=r, column=self.lay.date.header, other=other, month=span.first.strftime("%Y-%m")
            )
        self.seen[key] = (r, got)
        return False

    def reading(self, today: date) -> Reading:
        currency = next(iter(self.currencies), None) or self.hint or (self.spec.currency if self.spec else None)
        if self.read == 0:
            raise fail("header_only", row=self.lay.header_row)
        shop = {f: largest_remainder(v.exact()) for f, v in self.tally.shop.items()}
        months = sorted({m for v in shop.values() for m in v})
        if len(months) > MAX_MONTHS:
            raise fail("too_many", what=f"{len(months)} months > {MAX_MONTHS}")
        _check_totals(shop)
        figures = [MonthFigures(month=m, **{f: shop[f][m] for f in shop if m in shop[f]}) for m in months]
        ads = self._ads()
        every = months + [a.month for a in ads]
        if not every:
            raise fail("no_figures", row=self.lay.header_row)
        source = HistorySource(
            file=(self.name or "history")[:200], rows=self.read, style=self.style, first=min(every), last=max(every)
        )
        history = History(currency=currency or "CNY", source=source, months=figures, ads=ads)
        now = today.replace(day=1)
        return Reading(
            history=history,
            columns=self.lay.matches(),
            ignored_columns=self.lay.ignored,
            skipped_rows=self.skipped,
            granularity=self.finest,
            future_months=sorted({m for m in every if m > now}),
            channels=self.channels,
            derived=sorted(self.derived),
        )

    def _ads(self) -> list[AdMonth]:
        lines: dict[tuple[str, str | None], dict[str, dict[date, int]]] = defaultdict(dict)
        for (key, plat, what), v in self.tally.ads.items():
            lines[(key, plat)][what] = largest_remainder(v.exact())
            _check_totals({f"{key} {what}": lines[(key, plat)][what]})
        out = [
            AdMonth(month=m, channel=key, platform=plat, spend=f["spend"][m], sales=f.get("sales", {}).get(m))
            for (key, plat), f in lines.items()
            for m in f["spend"]
        ]
        if len(out) > MAX_AD_ROWS:
            raise fail("too_many", what=f"{len(out)} ad lines × months > {MAX_AD_ROWS}")
        return sorted(out, key=lambda a: (a.month, a.channel, a.platform or ""))


def _check_totals(series: dict[str, dict[date, int]]) -> None:
    """A month's sum past what a shop can hold (10^13 in money, 10^11 in counts) is a unit mistake."""
    for name, months in series.items():
        limit = COUNT_MAX if name in ("visitors", "orders", "buyers", "new_buyers") else MONEY_MAX
        for m, v in months.items():
            if v > limit:
                raise fail("total_too_large", column=name, month=m.strftime("%Y-%m"), value=v)


_TEXT = {"date", "date_end", "channel", "campaign", "platform", "currency"}


def _currency(v: str) -> str:
    for sign, cur in data().signs.items():
        if norm(sign) == norm(v):
            return cur
    spec = {norm(k): u for k, u in data().units.items()}.get(norm(v))
    return spec.currency if spec and spec.currency else v.strip().upper()[:10]

"""Finding the header row (one or two rows, merged parents included) and what each column means."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from planbot.history_read.contract import ColumnMatch
from planbot.history_read.decode import Sheet
from planbot.history_read.errors import fail
from planbot.history_read.headers import FIGURES, Header, channel_of, data, norm, rank, read_header
from planbot.history_read.values import Cell, blank, text

HEADER_SEARCH_ROWS = 30


@dataclass
class Column:
    index: int  # 0-based
    header: str
    spec: Header


@dataclass
class Layout:
    """Where the table starts and what its columns mean."""

    header_row: int  # 1-based file row of the (lower) header row
    columns: list[Column]
    ignored: list[str]
    title: str  # the lines above the header, for recognising the export

    @property
    def date(self) -> Column:
        return next(c for c in self.columns if c.spec.field == "date")

    @property
    def date_end(self) -> Column | None:
        return next((c for c in self.columns if c.spec.field == "date_end"), None)

    def of(self, name: str) -> list[Column]:
        return self.by_field.get(name, [])

    @cached_property
    def by_field(self) -> dict[str, list[Column]]:
        """Columns per field, built once: rows ask for them thousands of times."""
        out: dict[str, list[Column]] = {}
        for c in self.columns:
            out.setdefault(c.spec.field or "", []).append(c)
        return out

    def matches(self) -> list[ColumnMatch]:
        return [
            ColumnMatch(
                column=c.index + 1, header=c.header, field=c.spec.field or "", unit=c.spec.unit, channel=c.spec.channel
            )
            for c in self.columns
        ]


def _cell(rows: list[list[Cell]], r: int, c: int) -> str:
    """Text of the 0-based cell, '' beyond the row's end."""
    if r < 0 or r >= len(rows) or c >= len(rows[r]):
        return ""
    v = rows[r][c]
    return "" if blank(v) else text(v)


def _read(parent: str, child: str) -> tuple[str, Header]:
    """One column's header from its own cell and, in a two-row header, the merged cell above it."""
    if child:
        spec = read_header(child)
        if parent and parent != child:
            if spec.field in ("ad_spend", "ad_sales", "gmv") and channel_of(parent) is not None:
                field = "ad_sales" if spec.field == "gmv" else spec.field
                return f"{parent} / {child}", spec.model_copy(update={"field": field, "channel": parent})
            if spec.field is None:
                joined = read_header(parent + child)
                if joined.field is not None:
                    return f"{parent} / {child}", joined
        return child, spec
    if parent:
        return parent, read_header(parent)
    return "", Header(field=None)


def _layout(sheet: Sheet, r: int, two_rows: bool) -> Layout:
    rows = sheet.rows
    width = max((len(x) for x in rows[max(0, r - 1) : r + 1]), default=0)
    cols: list[Column] = []
    ignored: list[str] = []
    for c in range(width):
        parent = _cell(rows, r - 1, c) if two_rows else ""
        name, spec = _read(parent, _cell(rows, r, c))
        if spec.field is None:
            if name:
                ignored.append(name)
            continue
        cols.append(Column(c, name, spec))
    cols = _one_per_field(cols, ignored)
    title = " ".join(_cell(rows, i, c) for i in range(0, r - (1 if two_rows else 0)) for c in range(len(rows[i])))
    return Layout(r + 1, cols, ignored, title)


def _one_per_field(cols: list[Column], ignored: list[str]) -> list[Column]:
    """Two columns for one field (成交金额 and 支付金额): keep the more telling name, note the other."""
    kept: dict[tuple[str | None, str | None], Column] = {}
    for c in cols:
        key = (c.spec.field, c.spec.channel)
        old = kept.get(key)
        if old is None:
            kept[key] = c
        elif rank(c.header) < rank(old.header):
            ignored.append(old.header)
            kept[key] = c
        else:
            ignored.append(c.header)
    out = sorted(kept.values(), key=lambda c: c.index)
    has_ad = any(c.spec.field == "ad_spend" and c.spec.channel is None for c in out)
    has_sales = any(c.spec.field == "ad_sales" and c.spec.channel is None for c in out)
    counts = any(c.spec.field in ("visitors", "orders", "buyers", "new_buyers") for c in out)
    if has_ad and not has_sales and not counts:  # an ad report's 成交金额 is the ad line's sales, not GMV
        for c in out:
            if c.spec.field == "gmv" and c.spec.ad_context:
                c.spec = c.spec.model_copy(update={"field": "ad_sales"})
                break
    return out


def _score(lay: Layout) -> tuple[int, int]:
    fields = {c.spec.field for c in lay.columns}
    figures = len([c for c in lay.columns if c.spec.field in FIGURES])
    return (1 if "date" in fields else 0, figures)


def locate(sheet: Sheet) -> Layout:
    """The header row: the first of the top rows naming a date column and the most figure columns."""
    if not any(not blank(v) for row in sheet.rows for v in row):
        raise fail("empty")
    best: Layout | None = None
    for r in range(min(HEADER_SEARCH_ROWS, len(sheet.rows))):
        for two in (False, True) if r > 0 else (False,):
            lay = _layout(sheet, r, two)
            if best is None or _score(lay) > _score(best):
                best = lay
    if best is None or _score(best)[0] == 0:
        raise fail("no_date_column", row=best.header_row if best and _score(best)[1] else None)
    if _score(best)[1] == 0:
        raise fail("no_figure_column", row=best.header_row)
    return best


def style_of(lay: Layout, name: str, sheet_name: str) -> str:
    """Which back-end exported the file, by the words above the header and the headers' own names."""
    words = norm(" ".join((lay.title, sheet_name, name)))
    headers = {norm(c.header.split(" / ")[-1]) for c in lay.columns} | {norm(h) for h in lay.ignored}
    heads = {norm(h.split("(")[0]) for h in headers}
    best, best_score = "generic", 0
    for style, spec in data().styles.items():
        score = 3 * sum(1 for m in spec.markers if norm(m) in words)
        score += sum(1 for h in spec.headers if norm(h) in headers or norm(h) in heads)
        if score > best_score:
            best, best_score = style, score
    return best

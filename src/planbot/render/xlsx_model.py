"""The workbook's planning model: an Assumptions sheet of inputs, and the Budget, Funnel and Campaigns sheets
where every figure is a formula over them.

Opened unchanged, the workbook shows the plan's exact figures: the plan splits its money with a
largest-remainder rule, which a formula cannot repeat, so each share input is the plan's own amount over
its total (full precision, shown as a percentage). ``ROUND(total * share, 0)`` then gives back the plan's
integer, and the last line of a table that sums to its total is ``total - SUM(the others)`` (its share
input is ``1 - the others``), so the table still sums exactly once a marketer changes an input. Conversion
rates are an index on the target CVR, rounded to four decimals as the plan states them; UV and orders
follow the plan's own funnel formulas (core/kpi.py, core/sections/figures.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from planbot.core.plan import FunnelRow, Plan
from planbot.render.xlsx_base import (
    COUNT,
    HEADER_FILL,
    INDEX,
    PERCENT,
    Formula,
    append,
    bold,
    formats,
    local,
    mark_input,
    money_format,
    money_unit,
    ratio_text,
    ref,
    sheet,
    workbook_labels,
)

Column = tuple[str, list[float], str, bool]  # header, values, number format, whether the last line balances


@dataclass
class Model:
    """Where each modelled figure lives (an absolute reference) and the plan's value of it."""

    refs: dict[str, str] = field(default_factory=dict)
    values: dict[str, float] = field(default_factory=dict)

    def put(self, key: str, ws: Worksheet, col: int, row: int, value: float) -> None:
        self.refs[key] = ref(ws, col, row)
        self.values[key] = value

    def formula(self, key: str, value: float) -> Formula | None:
        """A reference to the model's cell for `key`, where it holds `value` (a KPI's target)."""
        if key in self.refs and abs(self.values[key] - value) < 1e-9:
            return Formula("=" + self.refs[key])
        return None


def balances(total: int, amounts: Sequence[int]) -> bool:
    """Whether a table's last line is its total less the others: the table sums exactly to its total."""
    return total > 0 and len(amounts) > 1 and sum(amounts) == total


def _ratio(part: float | None, whole: float | None) -> float:
    return part / whole if part is not None and whole else 0.0


def amounts(total: str, shares: Sequence[str], col: int, first: int, balanced: bool) -> list[Formula]:
    """A table's amounts, rows from `first` in column `col`: ROUND(total x share), the last one balancing."""
    c, n = get_column_letter(col), len(shares)
    return [
        Formula(f"={total}-SUM({c}{first}:{c}{first + i - 1})") if balanced and i == n - 1
        else Formula(f"=ROUND({total}*{s},0)")
        for i, s in enumerate(shares)
    ]  # fmt: skip


class Inputs:
    """The Assumptions sheet: scalar inputs (label, value, unit) and tables of shares by line."""

    def __init__(self, wb: Workbook, plan: Plan) -> None:
        self.W = workbook_labels(plan.language)
        self.N: dict[str, str] = self.W["inputs"]
        self.money = money_format(plan.currency)
        self.unit = money_unit(plan.currency, plan.language)
        H = self.W["head"]
        self.ws = sheet(wb, self.W["sheets"]["assumptions"], [H["item"], H["value"], H["unit"], H["note"]],
                        [36, 18, 18, 18, 18])  # fmt: skip
        append(self.ws, [self.W["legend"]])

    def section(self, title: str, headers: Sequence[str] = ()) -> None:
        append(self.ws, [])
        row = append(self.ws, [title, *headers])
        bold(self.ws, row)
        for col in range(1, len(headers) + 2):
            self.ws.cell(row=row, column=col).fill = HEADER_FILL

    def scalar(self, label: str, value: Any, fmt: str, unit: str) -> int:
        """A row; a Formula is derived, anything else is an input (filled)."""
        row = append(self.ws, [label, value, unit])
        formats(self.ws, row, {2: fmt})
        if not isinstance(value, Formula):
            mark_input(self.ws, row, 2)
        return row

    def table(self, title: str, labels: Sequence[str], columns: Sequence[Column]) -> list[int]:
        """Rows of inputs; a balanced column's last cell is 1 - the others (derived, not an input)."""
        self.section(title, [c[0] for c in columns])
        first = self.ws.max_row + 1
        rows = []
        for i, label in enumerate(labels):
            last = [balanced and i == len(labels) - 1 for _, _, _, balanced in columns]
            values: list[Any] = [label]
            for col, (_, vals, _, _) in enumerate(columns, start=2):
                c = get_column_letter(col)
                values.append(Formula(f"=1-SUM({c}{first}:{c}{first + i - 1})") if last[col - 2] else vals[i])
            row = append(self.ws, values + [self.N["balance"]] * any(last))
            for col, (_, _, fmt, _) in enumerate(columns, start=2):
                formats(self.ws, row, {col: fmt})
                if not last[col - 2]:
                    mark_input(self.ws, row, col)
            rows.append(row)
        return rows


def shares(header: str, total: int, parts: Sequence[int | None]) -> Column:
    """A column of the plan's amounts over their total; balanced where they sum to it."""
    whole = [p or 0 for p in parts]
    return header, [_ratio(p, total) for p in whole], PERCENT, balances(total, whole)


def build(wb: Workbook, plan: Plan, L: dict[str, Any]) -> Model:
    """Assumptions, Budget, Funnel and Campaigns sheets, in that order; the model's references."""
    from planbot.render import xlsx_months  # noqa: PLC0415 - it builds on this module

    m = Model()
    inp = Inputs(wb, plan)
    ws, N, W, b, f, year = inp.ws, inp.N, inp.W, plan.budget, plan.funnel, plan.funnel.year
    pct, unit, money = W["units"]["percent"], inp.unit, inp.money

    inp.section(N["budget"])
    r = inp.scalar(N["total"], b.total, money, unit)
    m.put("total", ws, 2, r, b.total)
    r = inp.scalar(N["reserve_share"], _ratio(b.reserve, b.total), PERCENT, pct)
    m.put("reserve_share", ws, 2, r, b.reserve_share)
    r = inp.scalar(N["reserve"], Formula(f"=ROUND({local(2, r - 1)}*{local(2, r)},0)"), money, unit)
    m.put("reserve", ws, 2, r, b.reserve)
    r = inp.scalar(N["allocated"], Formula(f"={local(2, r - 2)}-{local(2, r)}"), money, unit)
    m.put("allocated", ws, 2, r, b.allocated)
    cats = b.by_category
    media_line = next((i for i, c in enumerate(cats) if c.key == "media" and c.amount == b.media), None)
    if b.media is not None and media_line is None:  # a hand-edited plan: the media as its own input
        r = inp.scalar(N["media"], b.media, money, unit)
        m.put("media", ws, 2, r, b.media)

    inp.section(N["goals"])
    ly, growth = plan.brief.gmv_last_year, plan.brief.growth_rate
    if ly and growth is not None and plan.brief.gmv_target is None and int(ly * (1 + growth) + 0.5) == year.gmv:
        r = inp.scalar(N["gmv_last_year"], ly, money, unit)
        inp.scalar(N["growth"], growth, PERCENT, pct)
        r = inp.scalar(N["gmv"], Formula(f"=ROUND({local(2, r)}*(1+{local(2, r + 1)}),0)"), money, unit)
    else:
        r = inp.scalar(N["gmv"], year.gmv, money, unit)
        if ly:
            inp.scalar(N["gmv_last_year"], ly, money, unit)
            inp.scalar(N["growth"], Formula(f"={local(2, r)}/{local(2, r + 1)}-1"), PERCENT, pct)
    m.put("gmv", ws, 2, r, year.gmv)
    r = inp.scalar(N["aov"], year.aov, money, unit)
    m.put("aov", ws, 2, r, year.aov)
    base = f.baseline_cvr if f.baseline_cvr > 0 else year.cvr
    inp.scalar(N["baseline_cvr"], base, PERCENT, pct)
    inp.scalar(N["cvr_uplift"], year.cvr / base - 1, PERCENT, pct)
    r = inp.scalar(N["target_cvr"], Formula(f"=ROUND({local(2, r + 1)}*(1+{local(2, r + 2)}),4)"), PERCENT, pct)
    m.put("target_cvr", ws, 2, r, year.cvr)
    paid = f.paid_gmv if f.paid_gmv is not None else (b.feasibility.paid_gmv if b.feasibility else None)
    if paid is not None:
        r = inp.scalar(N["paid_share"], _ratio(paid, year.gmv), PERCENT, pct)
        m.put("paid_share", ws, 2, r, _ratio(paid, year.gmv))
        r = inp.scalar(W["funnel"]["paid_gmv"], Formula(f"=ROUND({m.refs['gmv']}*{local(2, r)},0)"), money, unit)
        m.put("paid_gmv", ws, 2, r, paid)

    rows: dict[str, list[int]] = {}
    rows["cat"] = inp.table(N["categories"], [c.label for c in cats],
                            [shares(N["share"], b.allocated, [c.amount for c in cats])])  # fmt: skip
    ch, pf, items = b.by_channel, b.by_platform, plan.channels.items
    rows["ch"] = inp.table(N["channels"], [c.label for c in ch],
                           [shares(N["share"], b.channel_total, [c.amount for c in ch])])  # fmt: skip
    if paid is not None and items and all(c.attributed_gmv is not None for c in items):
        rows["attr"] = inp.table(N["attribution"], [c.name for c in items],
                                 [shares(N["share"], paid, [c.attributed_gmv for c in items])])  # fmt: skip
        for item, row in zip(items, rows["attr"], strict=True):
            m.put(f"attr_share:{item.key}", ws, 2, row, _ratio(item.attributed_gmv, paid))
    pf_cols = [shares(N["share"], b.channel_total, [p.amount for p in pf])]
    if paid is not None and pf and all(p.attributed_gmv is not None for p in pf):
        pf_cols.append(shares(N["attribution"], paid, [p.attributed_gmv for p in pf]))
    rows["pf"] = inp.table(N["platforms"], [p.label for p in pf], pf_cols) if pf else []
    rows["month"] = inp.table(N["months"], [x.label for x in b.by_month],
                              [shares(N["share"], b.allocated, [x.amount for x in b.by_month])])  # fmt: skip
    qs, camps = f.quarters, plan.calendar.campaigns
    mix = any(x.new_orders is not None for x in [year, *qs])
    rows["q"] = inp.table(N["quarters"], [q.label for q in qs], [shares(N["gmv_share"], year.gmv, [q.gmv for q in qs])])

    def index(rows_: Sequence[FunnelRow]) -> list[Column]:
        """The rows' CVR as an index on the target CVR, and their returning customers' share of orders."""
        cols: list[Column] = [(N["cvr_index"], [_ratio(r.cvr, year.cvr) for r in rows_], INDEX, False)]
        returning = [_ratio(r.returning_orders, r.orders) for r in rows_]
        return cols + [(N["returning_share"], returning, PERCENT, False)] * mix

    rows["camp"] = inp.table(N["campaigns"], [c.name for c in camps], [
        (N["budget_share"], [_ratio(c.budget, b.allocated) for c in camps], PERCENT, False),
        (N["gmv_share"], [_ratio(c.funnel.gmv, year.gmv) for c in camps], PERCENT, False),
        *index([c.funnel for c in camps]),
    ])  # fmt: skip
    rows["qx"] = inp.table(N["quarters_cvr"], [q.label for q in qs], index(qs))
    rows["mx"] = xlsx_months.inputs(inp, plan)  # the months (plans since release 2)
    append(ws, [])
    append(ws, [N["from_amounts"]])

    _budget(wb, plan, L, m, inp, rows, pf_cols, media_line)
    _funnel(wb, plan, L, m, inp, rows, mix)
    xlsx_months.funnel_rows(wb, plan, L, m, inp, rows["mx"])
    _campaigns(wb, plan, L, m, inp, rows["camp"], mix)
    return m


def _budget(wb: Workbook, plan: Plan, L: dict[str, Any], m: Model, inp: Inputs, rows: dict[str, list[int]],
            pf_cols: list[Column], media_line: int | None) -> None:  # fmt: skip
    """Totals, then the cost categories, channels, platforms, quarters and months, each with a SUM row."""
    B, b, money, a = L["budget"], plan.budget, inp.money, inp.ws
    ratio, sep = inp.W["ratio_format"], "、" if plan.language == "zh" else ", "
    ws = sheet(wb, inp.W["sheets"]["budget"], [B["item"], B["share"], B["amount"], B["activities"]], [30, 12, 18, 50])
    ws.column_dimensions["E"].width = ws.column_dimensions["F"].width = 14
    append(ws, [B["total"], None, Formula("=" + m.refs["total"])])
    append(ws, [B["reserve"], Formula("=" + m.refs["reserve_share"]), Formula("=" + m.refs["reserve"])])
    append(ws, [B["allocated"], None, Formula("=C2-C3")])
    for r in (2, 3, 4):
        formats(ws, r, {2: PERCENT, 3: money})

    def block(title: str, key: str, lines: Sequence[Any], total: str, amount_of: int, extra: list[str]) -> int:
        """A table: its lines (share, amount, activities or attributed GMV and ROAS) and a SUM row."""
        append(ws, [])
        bold(ws, append(ws, [title, None, None, *extra]))
        first = ws.max_row + 1
        shares = [ref(a, 2, r) for r in rows[key]]
        money_cells = amounts(total, shares, 3, first, balances(amount_of, [x.amount for x in lines]))
        attr: list[Formula] = []
        if extra:
            paid = plan.funnel.paid_gmv or (b.feasibility.paid_gmv if b.feasibility else 0)
            attr = amounts(m.refs["paid_gmv"], [ref(a, 3, r) for r in rows[key]], 4, first,
                           balances(paid, [x.attributed_gmv or 0 for x in lines]))  # fmt: skip
        for i, line in enumerate(lines):
            r = first + i
            tail: list[Any] = (
                [sep.join(getattr(line, "activities", []))]
                if not extra
                else [
                    attr[i],
                    Formula(f"=IF(C{r}=0,0,ROUND(D{r}/C{r},2))") if line.roas is not None else None,
                    ratio_text(line.benchmark, plan.language),
                ]
            )
            append(ws, [line.label, Formula(f"=IF({total}=0,0,C{r}/{total})"), money_cells[i], *tail])
            formats(ws, r, {2: PERCENT, 3: money, **({4: money, 5: ratio} if extra else {})})
            m.put(f"{key}:{line.key}", ws, 3, r, line.amount)
            if extra and line.roas is not None:
                m.put(f"pf_roas:{line.key}", ws, 5, r, line.roas)
        last = ws.max_row
        bold(ws, append(ws, [B["total_row"], Formula(f"=SUM(B{first}:B{last})"), Formula(f"=SUM(C{first}:C{last})")]))
        formats(ws, ws.max_row, {2: PERCENT, 3: money})
        return first

    first = block(B["by_category"], "cat", b.by_category, m.refs["allocated"], b.allocated, [])
    if media_line is not None:
        m.put("media", ws, 3, first + media_line, b.channel_total)
    elif "media" not in m.refs:  # plans before release 2: the channels share the allocated budget
        m.put("media", ws, 3, 4, b.channel_total)
    title = B["by_channel_media" if b.media is not None else "by_channel"]
    block(title, "ch", b.by_channel, m.refs["media"], b.channel_total, [])
    if b.by_platform:
        block(B["by_platform"], "pf", b.by_platform, m.refs["media"], b.channel_total,
              [B["attributed_gmv"], B["roas"], B["benchmark"]] if len(pf_cols) > 1 else [])  # fmt: skip
    # quarters: the SUM of their months (the month table follows: blank, title, then its lines)
    q_first = ws.max_row + 3
    m_first = q_first + len(b.by_quarter) + 3
    append(ws, [])
    bold(ws, append(ws, [B["by_quarter"]]))
    for i, q in enumerate(b.by_quarter):
        months = [j for j, x in enumerate(b.by_month) if q.start <= x.start <= q.end]
        amount: Any = q.amount
        if (
            months
            and sum(b.by_month[j].amount for j in months) == q.amount
            and months == list(range(months[0], months[-1] + 1))
        ):
            amount = Formula(f"=SUM(C{m_first + months[0]}:C{m_first + months[-1]})")
        alloc = m.refs["allocated"]
        r = append(ws, [q.label, Formula(f"=IF({alloc}=0,0,C{q_first + i}/{alloc})"), amount, sep.join(q.activities)])
        formats(ws, r, {2: PERCENT, 3: money})
        m.put(f"quarter:{q.key}", ws, 3, r, q.amount)
    last = ws.max_row
    bold(ws, append(ws, [B["total_row"], Formula(f"=SUM(B{q_first}:B{last})"), Formula(f"=SUM(C{q_first}:C{last})")]))
    formats(ws, ws.max_row, {2: PERCENT, 3: money})
    block(B["by_month"], "month", b.by_month, m.refs["allocated"], b.allocated, [])


def _funnel_cells(m: Model, r: int, c0: int, gmv: Any, cvr: Any, returning: str | None, mix: bool) -> list[Any]:
    """GMV, AOV, CVR, UV, orders (and new, returning orders) of a funnel row on row `r`, from column `c0`:
    the plan's own formulas (core/kpi.funnel_row)."""
    g, a, c, u, o, _, rt = (f"{get_column_letter(c0 + i)}{r}" for i in range(7))
    cells: list[Any] = [
        gmv,
        Formula("=" + m.refs["aov"]),
        cvr,
        Formula(f"=IF({g}>0,ROUND({g}/({c}*{a}),0),0)"),
        Formula(f"=ROUND({u}*{c},0)"),
    ]
    if mix and returning is not None:
        cells += [Formula(f"={o}-{rt}"), Formula(f"=MIN({o},ROUND({o}*{returning},0))")]
    return cells


FIELDS = ("gmv", "aov", "cvr", "uv", "orders", "new_orders", "returning_orders")


def _put_row(m: Model, ws: Worksheet, r: int, c0: int, scope: str, row: FunnelRow, mix: bool) -> None:
    for col, name in enumerate(FIELDS[: 7 if mix else 5], start=c0):
        m.put(f"f:{scope}:{name}", ws, col, r, getattr(row, name) or 0)


def _funnel_sheet(wb: Workbook, title: str, L: dict[str, Any], first: list[str], mix: bool,
                  widths: list[int]) -> Worksheet:  # fmt: skip
    F = L["funnel"]
    heads = [*first, "GMV", F["aov"], F["cvr"], F["uv"], F["orders"], *([F["new_orders"], F["returning_orders"]] * mix)]
    return sheet(wb, title, heads, [*widths, 16, 12, 10, 14, 12, *([14, 14] * mix)])


def _funnel(wb: Workbook, plan: Plan, L: dict[str, Any], m: Model, inp: Inputs, rows: dict[str, list[int]],
            mix: bool) -> None:  # fmt: skip
    ws = _funnel_sheet(wb, inp.W["sheets"]["funnel"], L, [L["funnel"]["scope"]], mix, [22])
    a, f, qs, money = inp.ws, plan.funnel, plan.funnel.quarters, inp.money
    fmts = {2: money, 3: money, 4: PERCENT, 5: COUNT, 6: COUNT, 7: COUNT, 8: COUNT}
    n = len(qs)
    year = [Formula("=" + m.refs["gmv"]), Formula("=" + m.refs["aov"]),
            Formula(f"=IF(E2>0,ROUND(B2/(E2*C2),4),{m.refs['target_cvr']})"), Formula(f"=SUM(E3:E{n + 2})"),
            Formula("=ROUND(E2*D2,0)")]  # fmt: skip
    if mix:
        year += [Formula(f"=MIN(SUM(G3:G{n + 2}),F2)"), Formula("=F2-G2")]
    append(ws, [f.year.label, *year])
    formats(ws, 2, fmts)
    _put_row(m, ws, 2, 2, "year", f.year, mix)
    gmv = amounts(m.refs["gmv"], [ref(a, 2, r) for r in rows["q"]], 2, 3, balances(f.year.gmv, [q.gmv for q in qs]))
    for i, q in enumerate(qs):
        r, x = 3 + i, rows["qx"][i]
        cvr = Formula(f"=ROUND({m.refs['target_cvr']}*{ref(a, 2, x)},4)")
        append(ws, [q.label, *_funnel_cells(m, r, 2, gmv[i], cvr, ref(a, 3, x), mix)])
        formats(ws, r, fmts)
        _put_row(m, ws, r, 2, q.scope, q, mix)
    append(ws, [])
    F, ratio = L["funnel"], inp.W["ratio_format"]
    if "paid_gmv" in m.refs:
        r = append(ws, [inp.W["funnel"]["paid_gmv"], Formula("=" + m.refs["paid_gmv"])])
        formats(ws, r, {2: money})
    r = append(ws, [F["roas"], Formula(f"=IF({m.refs['total']}=0,0,ROUND(B2/{m.refs['total']},2))")])
    formats(ws, r, {2: ratio})
    m.put("mer", ws, 2, r, f.roas)
    if f.ad_roas is not None and "paid_gmv" in m.refs:
        r = append(
            ws, [F["ad_roas"], Formula(f"=IF({m.refs['media']}=0,0,ROUND({m.refs['paid_gmv']}/{m.refs['media']},2))")]
        )
        formats(ws, r, {2: ratio})
        m.put("ad_roas", ws, 2, r, f.ad_roas)


def _campaigns(wb: Workbook, plan: Plan, L: dict[str, Any], m: Model, inp: Inputs, rows: list[int], mix: bool) -> None:
    cp = L["campaign"]
    ws = _funnel_sheet(wb, inp.W["sheets"]["campaigns"], L, [L["docs"]["campaign"], cp["day"], cp["budget"]], mix,
                       [24, 12, 16])  # fmt: skip
    a, money = inp.ws, inp.money
    fmts = {2: "yyyy-mm-dd", 3: money, 4: money, 5: money, 6: PERCENT, 7: COUNT, 8: COUNT, 9: COUNT, 10: COUNT}
    for i, c in enumerate(plan.calendar.campaigns):
        r, x = 2 + i, rows[i]
        budget = Formula(f"=ROUND({m.refs['allocated']}*{ref(a, 2, x)},0)")
        gmv = Formula(f"=ROUND({m.refs['gmv']}*{ref(a, 3, x)},0)")
        cvr = Formula(f"=ROUND({m.refs['target_cvr']}*{ref(a, 4, x)},4)")
        append(ws, [c.name, c.day, budget, *_funnel_cells(m, r, 4, gmv, cvr, ref(a, 5, x), mix)])
        formats(ws, r, fmts)
        m.put(f"budget:{c.id}", ws, 3, r, c.budget)
        _put_row(m, ws, r, 4, c.id, c.funnel, mix)
    n = len(plan.calendar.campaigns)
    B = L["budget"]
    r = append(ws, [inp.W["funnel"]["campaign_total"], None, Formula(f"=SUM(C2:C{n + 1})")])
    formats(ws, r, {3: money})
    if plan.budget.allocated - sum(c.budget for c in plan.calendar.campaigns) == plan.budget.always_on:
        r = append(ws, [B["always_on"], None, Formula(f"={m.refs['allocated']}-C{r}")])
        formats(ws, r, {3: money})
        m.put("always_on", ws, 3, r, plan.budget.always_on)

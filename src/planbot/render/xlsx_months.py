"""The plan's months in the workbook (issue 23): inputs on the Assumptions sheet, formulas on the Funnel sheet.

Each month's GMV is the year's GMV times its share (the last month balances, so the months sum to the
year's GMV exactly), its CVR an index on the target CVR, its visitors and orders the plan's own funnel
formulas, as the quarters'. Where the brand's history file holds last year's same months, they are
inputs too (from the file) and the change on last year a formula. A plan stored without months has no
month inputs and no month block.
"""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from planbot.core.plan import Plan
from planbot.render.formatting import labels
from planbot.render.months import month_table
from planbot.render.xlsx_base import (
    COUNT,
    HEADER_FILL,
    INDEX,
    PERCENT,
    Formula,
    append,
    bold,
    formats,
    money_format,
    ref,
)
from planbot.render.xlsx_model import Column, Inputs, Model, _funnel_cells, _put_row, amounts, balances, shares

CHANGE = "+0.0%;-0.0%;0.0%"  # "+33.0%": the sign shown either way


def _ratio(part: float | None, whole: float | None) -> float:
    return part / whole if part is not None and whole else 0.0


def inputs(inp: Inputs, plan: Plan) -> list[int]:
    """The months' GMV shares, CVR indices, returning shares and last year's GMV; their rows (none without months)."""
    t = month_table(plan)
    if t is None:
        return []
    year, N = plan.funnel.year, inp.N
    cols: list[Column] = [
        shares(N["gmv_share"], year.gmv, [r.gmv for r in t.rows]),
        (N["cvr_index"], [_ratio(r.cvr, year.cvr) for r in t.rows], INDEX, False),
    ]
    if t.mix:
        cols.append((N["returning_share"], [_ratio(r.returning_orders, r.orders) for r in t.rows], PERCENT, False))
    if t.last_year:
        header = labels(plan.language)["months"]["gmv_last_year"]
        cols.append((header, [float(r.gmv_last_year or 0) for r in t.rows], inp.money, False))
    rows = inp.table(inp.W["month_inputs"], [r.label for r in t.rows], cols)
    if t.last_year:  # a month the history file does not hold: empty, not an input
        for r, row in zip(t.rows, rows, strict=True):
            if r.gmv_last_year is None:
                cell = inp.ws.cell(row=row, column=len(cols) + 1)
                cell.value, cell.fill = None, PatternFill()
            else:
                inp.ws.cell(row=row, column=len(cols) + 1).value = r.gmv_last_year
    return rows


def funnel_rows(wb: Workbook, plan: Plan, L: dict[str, Any], m: Model, inp: Inputs, rows: list[int]) -> None:
    """Below the Funnel sheet's quarters and ratios: a row per month, a total row, and the history's source."""
    t = month_table(plan)
    if t is None or not rows:
        return
    ws = wb[inp.W["sheets"]["funnel"][:31]]
    a, F, M, money, mix = inp.ws, L["funnel"], L["months"], money_format(plan.currency), t.mix
    heads = [M["title"], M["gmv"], F["aov"], F["cvr"], F["uv"], F["orders"],
             *([F["new_orders"], F["returning_orders"]] if mix else []),
             *([M["gmv_last_year"], M["change"]] if t.last_year else [])]  # fmt: skip
    append(ws, [])
    head = append(ws, heads)
    bold(ws, head)
    for col in range(1, len(heads) + 1):
        ws.cell(row=head, column=col).fill = HEADER_FILL
    first, last = head + 1, head + len(t.rows)
    gmv = amounts(m.refs["gmv"], [ref(a, 2, r) for r in rows], 2, first, balances(t.total_gmv, [r.gmv for r in t.rows]))
    ly_in, ly_col = (5, 9) if mix else (4, 7)  # last year's GMV on the Assumptions and Funnel sheets; then the change
    c = get_column_letter(ly_col)
    ws.column_dimensions[c].width, ws.column_dimensions[get_column_letter(ly_col + 1)].width = 16, 10
    fmts = {2: money, 3: money, 4: PERCENT, 5: COUNT, 6: COUNT, 7: COUNT, 8: COUNT, ly_col: money, ly_col + 1: CHANGE}
    for i, (r, x) in enumerate(zip(t.rows, rows, strict=True)):
        n = first + i
        cvr = Formula(f"=ROUND({m.refs['target_cvr']}*{ref(a, 3, x)},4)")
        cells = _funnel_cells(m, n, 2, gmv[i], cvr, ref(a, 4, x) if mix else None, mix)
        if r.gmv_last_year is not None:
            cells += [Formula(f"={ref(a, ly_in, x)}"), Formula(f'=IF({c}{n}>0,B{n}/{c}{n}-1,"")')]
        append(ws, [r.label, *cells])
        formats(ws, n, fmts)
        _put_row(m, ws, n, 2, r.scope, r, mix)
        if r.gmv_last_year is not None:
            m.put(f"ly:{r.scope}", ws, ly_col, n, r.gmv_last_year)
    total: list[Any] = [M["total"], Formula(f"=SUM(B{first}:B{last})")]
    if t.total_last_year is not None:  # every month has last year's figure
        total += [None] * (ly_col - 3) + [Formula(f"=SUM({c}{first}:{c}{last})"),
                                          Formula(f'=IF({c}{last + 1}>0,B{last + 1}/{c}{last + 1}-1,"")')]  # fmt: skip
    end = append(ws, total)
    bold(ws, end)
    formats(ws, end, fmts)
    m.put("months:gmv", ws, 2, end, t.total_gmv)
    if t.total_last_year is not None:
        m.put("months:gmv_last_year", ws, ly_col, end, t.total_last_year)
    if t.source:
        ws.cell(row=append(ws, [t.source]), column=1).font = Font(italic=True, color="5B6577")

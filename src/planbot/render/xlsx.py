"""A plan as a workbook (openpyxl): KPIs, budget tables with SUM formulas, the calendar by phase, channels.

Totals are formulas over the rows above them, so a marketer who edits a line sees the total move;
as written, each formula equals the plan's own total (the tests check it cell by cell).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from planbot.core.numbers import SYMBOLS
from planbot.core.plan import Plan
from planbot.render.formatting import Fact, budget_facts, context, plain_plan, plain_text

HEADER_FILL = PatternFill("solid", fgColor="F3F5F9")
BOLD = Font(bold=True)
PERCENT = "0.00%"
DATE = "yyyy-mm-dd"
COUNT = "#,##0"
RATIO = '0.00"x"'


def money_format(currency: str) -> str:
    sign = SYMBOLS.get(currency)  # the same symbols as every other rendering of the plan
    code = currency.replace('"', "")  # a hand-edited plan's unit must not end the quoted literal early
    return f'"{sign}"#,##0' if sign else f'#,##0 "{code}"'


def _sheet(wb: Workbook, title: str, headers: Sequence[str], widths: Sequence[int]) -> Worksheet:
    ws: Worksheet = wb.create_sheet(title[:31])
    _append(ws, list(headers))
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    for cell in ws[1]:
        cell.font, cell.fill = BOLD, HEADER_FILL
    ws.freeze_panes = "A2"
    return ws


@dataclass(frozen=True)
class Formula:
    """A formula of ours ("=SUM(...)"): every other string is stored as text, even one that starts with "="."""

    text: str


def _append(ws: Worksheet, values: Sequence[Any]) -> None:
    """A row; strings are plain text (a campaign called "=HYPERLINK(...)" stays a name, not a formula)."""
    ws.append([v.text if isinstance(v, Formula) else plain_text(v) if isinstance(v, str) else v for v in values])
    for col, value in enumerate(values, start=1):
        if isinstance(value, str) and (cell := ws.cell(row=ws.max_row, column=col)).data_type == "f":
            cell.data_type = "s"
            cell.quotePrefix = True  # Excel keeps it text when the cell is edited


def _formats(ws: Worksheet, row: int, formats: dict[int, str]) -> None:
    for col, fmt in formats.items():
        ws.cell(row=row, column=col).number_format = fmt


def _fact_row(fact: Fact, money: str) -> tuple[str, Any, str | None, str]:
    """(label, value, number format, note) of a budget fact: numbers stay numbers in the workbook."""
    fmt = {"money": money, "percent": PERCENT, "ratio": RATIO, "count": COUNT}.get(fact.kind)
    return fact.label, fact.value, fmt, fact.note


def _milestones(wb: Workbook, plan: Plan, ctx: dict[str, Any]) -> None:
    """The trade calendar's dates: each campaign's milestones, then the follow-ups due after the plan ends.

    Only for plans that have any (plans stored before the trade calendar keep their five sheets)."""
    follow = ctx["follow_ups"]
    if not follow and not any(c.milestones for c in plan.calendar.campaigns):
        return
    L: dict[str, Any] = ctx["L"]
    T, kinds = L["trade"], L["trade"]["kinds"]
    ws = _sheet(wb, T["sheet"], [L["docs"]["campaign"], T["date"], T["kind"], T["text"]], [24, 12, 16, 60])
    for camp in plan.calendar.campaigns:
        for _, m in ctx["milestones"](camp):
            _append(ws, [camp.name, m.day, kinds[m.kind], m.text])
            _formats(ws, ws.max_row, {2: DATE})
    if follow:
        if ws.max_row > 1:
            _append(ws, [])
        _append(ws, [T["follow_ups"]])
        ws.cell(row=ws.max_row, column=1).font = BOLD
        names: dict[str, str] = ctx["campaign_names"]
        for f in follow:
            name = None if f.campaign is None else names.get(f.campaign, f.campaign)
            _append(ws, [name, f.due, kinds["follow_up"], f.text])
            _formats(ws, ws.max_row, {2: DATE})
    for row in ws.iter_rows(min_row=2, min_col=4, max_col=4):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")


def render_xlsx(plan: Plan) -> bytes:
    plan = plain_plan(plan)
    ctx = context(plan)
    L: dict[str, Any] = ctx["L"]
    D, B = L["docs"], L["budget"]
    money = money_format(plan.currency)
    wb = Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]

    # summary
    ws = _sheet(wb, D["summary"], [D["summary"], D["value"]], [34, 40, 40])
    F, year = L["funnel"], plan.funnel.year
    head, feasibility = budget_facts(plan)
    rows: list[tuple[str, Any, str | None, str]] = [
        (plan.title, "", None, ""),
        (L["period"], f"{plan.period.start.isoformat()} – {plan.period.end.isoformat()}", None, ""),
        *(_fact_row(x, money) for x in head),
        (B["total"], plan.budget.total, money, ""),
        (B["reserve"], plan.budget.reserve, money, ""),
        (B["allocated"], plan.budget.allocated, money, ""),
        ("GMV", year.gmv, money, ""),
        (F["uv"], year.uv, COUNT, ""),
        (F["cvr"], year.cvr, PERCENT, ""),
        (F["aov"], year.aov, money, ""),
        (F["orders"], year.orders, COUNT, ""),
        *((F[k], n, COUNT, "") for k in ("new_orders", "returning_orders") if (n := getattr(year, k)) is not None),
        (F["roas"], plan.funnel.roas, RATIO, ""),
        *([(F["ad_roas"], plan.funnel.ad_roas, RATIO, "")] if plan.funnel.ad_roas is not None else []),
        *(_fact_row(x, money) for x in feasibility),
        (L["version"], plan.version, None, ""),
    ]
    for label, value, fmt, note in rows:
        _append(ws, [label, value, note] if note else [label, value])
        if fmt:
            ws.cell(row=ws.max_row, column=2).number_format = fmt
    ws["A2"].font = Font(bold=True, size=13)

    # KPIs
    k = L["kpi"]
    ws = _sheet(wb, D["kpis"], [k["metric"], k["target"], D["unit"], k["benchmark"], k["scope"], k["owner"], k["due"],
                                k["source"]], [28, 16, 8, 24, 12, 18, 12, 30])  # fmt: skip
    for x in plan.kpis:
        _append(ws, [x.label, x.target, x.unit, x.benchmark, L["scopes"][x.scope], x.owner_role, x.due, x.data_source])
        fmt = PERCENT if x.unit == "%" else COUNT if x.unit in ("count", "x") else money_format(x.unit)
        _formats(ws, ws.max_row, {2: fmt if x.unit != "x" else "0.00", 7: DATE})

    # budget: four blocks, each with a SUM total row
    ws = _sheet(wb, D["budget"], [B["item"], B["share"], B["amount"], B["activities"]], [30, 12, 18, 50])
    _append(ws, [B["total"], None, plan.budget.total])
    _formats(ws, ws.max_row, {3: money})
    _append(ws, [B["reserve"], plan.budget.reserve_share, plan.budget.reserve])
    _formats(ws, ws.max_row, {2: PERCENT, 3: money})
    _append(ws, [B["allocated"], None, Formula(f"=C{ws.max_row - 1}-C{ws.max_row}")])
    _formats(ws, ws.max_row, {3: money})
    ws.column_dimensions["E"].width = ws.column_dimensions["F"].width = 14
    blocks: list[tuple[str, Sequence[Any]]] = [
        (ctx["channel_title"], plan.budget.by_channel),  # sums to the media category (release 2)
        *([(B["by_platform"], plan.budget.by_platform)] if plan.budget.by_platform else []),
        (B["by_category"], plan.budget.by_category),
        (B["by_quarter"], plan.budget.by_quarter),
        (B["by_month"], plan.budget.by_month),
    ]
    for title, lines in blocks:
        platforms = lines is plan.budget.by_platform
        _append(ws, [])
        _append(ws, [title, None, None, B["attributed_gmv"], B["roas"], B["benchmark"]] if platforms else [title])
        for cell in ws[ws.max_row]:
            cell.font = BOLD
        first = ws.max_row + 1
        for line in lines:
            extra = [line.attributed_gmv, line.roas, line.benchmark] if platforms else [
                ctx["sep"].join(getattr(line, "activities", []))]  # fmt: skip
            _append(ws, [line.label, line.share, line.amount, *extra])
            _formats(ws, ws.max_row, {2: PERCENT, 3: money, **({4: money, 5: RATIO} if platforms else {})})
        last = ws.max_row
        _append(ws, [B["total_row"], Formula(f"=SUM(B{first}:B{last})"), Formula(f"=SUM(C{first}:C{last})")])
        _formats(ws, ws.max_row, {2: PERCENT, 3: money})
        for cell in ws[ws.max_row]:
            cell.font = BOLD

    # calendar: one row per campaign phase; a notes column where a campaign is carried or bound by logistics
    cp, T = L["campaign"], L["trade"]
    notes = {id(camp): ctx["campaign_notes"](camp) for camp in plan.calendar.campaigns}
    noted = any(notes.values())
    note_sep = "；" if plan.language == "zh" else "; "  # the notes are sentences
    ws = _sheet(wb, D["calendar"], [D["campaign"], cp["day"], cp["phase"], D["start"], D["end"], D["days"],
                                     cp["budget"], cp["actions"], *([T["notes"]] if noted else [])],
                [18, 12, 12, 12, 12, 8, 16, 70, *([40] if noted else [])])  # fmt: skip
    for camp in plan.calendar.campaigns:
        for i, ph in enumerate(camp.phases):
            r = ws.max_row + 1
            _append(ws, [camp.name, camp.day, ph.name, ph.start, ph.end, Formula(f"=E{r}-D{r}+1"),
                       camp.budget if i == 0 else None, "; ".join(a.text for a in ph.actions),
                       *([note_sep.join(notes[id(camp)]) if i == 0 else None] if noted else [])])  # fmt: skip
            _formats(ws, r, {2: DATE, 4: DATE, 5: DATE, 7: money})
            for col in (8, 9) if noted else (8,):
                ws.cell(row=r, column=col).alignment = Alignment(wrap_text=True, vertical="top")
    _milestones(wb, plan, ctx)

    # channels
    c = L["channel"]
    returns = ctx["channel_returns"]  # attributed GMV and ad ROAS (release 2) in D and E
    ws = _sheet(wb, D["channels"], [c["name"], c["share"], c["amount"],
                                    *([c["attributed_gmv"], c["roas"]] if returns else []),
                                    c["role"], c["tactics"], c["kpis"]],
                [22, 10, 16, *([16, 12] if returns else []), 40, 60, 30])  # fmt: skip
    for ch in plan.channels.items:
        _append(ws, [ch.name, ch.share, ch.amount, *([ch.attributed_gmv, ch.roas] if returns else []), ch.role,
                     "; ".join(ch.tactics), ctx["sep"].join(ch.kpis)])  # fmt: skip
        _formats(ws, ws.max_row, {2: PERCENT, 3: money, **({4: money, 5: RATIO} if returns else {})})
    n = ws.max_row
    _append(ws, [B["total_row"], Formula(f"=SUM(B2:B{n})"), Formula(f"=SUM(C2:C{n})")])
    _formats(ws, ws.max_row, {2: PERCENT, 3: money})

    wb.properties.title = plan.title  # plain_plan: no control characters
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

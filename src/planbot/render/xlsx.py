"""A plan as a workbook (openpyxl) that is also a planning model.

An Assumptions sheet holds the inputs (budget, reserve, shares, GMV target, AOV, CVR, seasonality); the
Budget, Funnel and Campaigns sheets (render/xlsx_model.py) and the figures on the Summary, KPI, Calendar
and Channels sheets are formulas over them. Opened unchanged, every formula shows the plan's exact figure
(the tests recalculate the workbook in LibreOffice and compare cell by cell); change an input and
recalculate, and the whole workbook follows. Labels and units are in the plan's language
(render/labels.yaml, render/workbook.yaml).
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from planbot.core.plan import Plan
from planbot.render import xlsx_model
from planbot.render.formatting import budget_facts, context, plain_plan
from planbot.render.xlsx_base import (
    BOLD,
    COUNT,
    DATE,
    PERCENT,
    Formula,
    append,
    formats,
    money_format,
    money_unit,
    ratio_text,
    sheet,
    workbook_labels,
)
from planbot.render.xlsx_model import Model, amounts, balances

__all__ = ["money_format", "render_xlsx", "workbook"]

COUNT_UNITS = {"uv": "visitors", "orders": "orders"}  # other counts (customers, members) are people


def _milestones(wb: Workbook, plan: Plan, ctx: dict[str, Any]) -> None:
    """The trade calendar's dates: each campaign's milestones, then the follow-ups due after the plan ends.

    Only for plans that have any (plans stored before the trade calendar keep their five sheets)."""
    follow = ctx["follow_ups"]
    if not follow and not any(c.milestones for c in plan.calendar.campaigns):
        return
    L: dict[str, Any] = ctx["L"]
    T, kinds = L["trade"], L["trade"]["kinds"]
    ws = sheet(wb, T["sheet"], [L["docs"]["campaign"], T["date"], T["kind"], T["text"]], [24, 12, 16, 60])
    for camp in plan.calendar.campaigns:
        for _, m in ctx["milestones"](camp):
            formats(ws, append(ws, [camp.name, m.day, kinds[m.kind], m.text]), {2: DATE})
    if follow:
        if ws.max_row > 1:
            append(ws, [])
        ws.cell(row=append(ws, [T["follow_ups"]]), column=1).font = BOLD
        names: dict[str, str] = ctx["campaign_names"]
        for f in follow:
            name = None if f.campaign is None else names.get(f.campaign, f.campaign)
            formats(ws, append(ws, [name, f.due, kinds["follow_up"], f.text]), {2: DATE})
    for row in ws.iter_rows(min_row=2, min_col=4, max_col=4):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")


def _summary(ws: Worksheet, plan: Plan, L: dict[str, Any], m: Model) -> None:
    """The plan's headline figures, each a reference to the model (benchmark checks stay as drafted)."""
    W, F, B, f = workbook_labels(plan.language), L["funnel"], L["budget"], plan.funnel
    money, ratio, units = money_format(plan.currency), W["ratio_format"], W["units"]
    unit = money_unit(plan.currency, plan.language)
    head, feasibility = budget_facts(plan)
    rows: list[tuple[str, Any, str | None, str]] = [
        (plan.title, "", None, ""),
        (L["period"], f"{plan.period.start.isoformat()} – {plan.period.end.isoformat()}", None, ""),
        *((x.label, x.value, None, "") for x in head),
    ]
    year = [("total", B["total"], money, unit), ("reserve", B["reserve"], money, unit),
            ("allocated", B["allocated"], money, unit), ("f:year:gmv", "GMV", money, unit),
            ("f:year:uv", F["uv"], COUNT, units["visitors"]), ("f:year:cvr", F["cvr"], PERCENT, units["percent"]),
            ("f:year:aov", F["aov"], money, unit), ("f:year:orders", F["orders"], COUNT, units["orders"]),
            ("f:year:new_orders", F["new_orders"], COUNT, units["orders"]),
            ("f:year:returning_orders", F["returning_orders"], COUNT, units["orders"]),
            ("mer", F["roas"], ratio, units["ratio"]), ("ad_roas", F["ad_roas"], ratio, units["ratio"])]  # fmt: skip
    rows += [(label, Formula("=" + m.refs[key]), fmt, u) for key, label, fmt, u in year if key in m.refs]
    fb = plan.budget.feasibility
    for x in feasibility:
        key = {B["paid_share"]: "paid_share", B["required_roas"]: "ad_roas"}.get(x.label)
        fmt = {"money": money, "percent": PERCENT, "ratio": ratio, "count": COUNT}.get(x.kind)
        ref = m.refs.get(key or "")
        same = (key == "paid_share" and fb is not None) or (key == "ad_roas" and f.ad_roas == x.value)
        note = ratio_text(x.note, plan.language)
        if ref and same:
            rows.append((x.label, Formula("=" + ref), fmt, note))
        else:
            rows.append((x.label, x.value, fmt, " ".join(filter(None, [note, W["as_drafted"]]))))
    rows.append((L["version"], plan.version, None, ""))
    for label, value, fmt, note in rows:
        r = append(ws, [label, value, note] if note else [label, value])
        if fmt:
            ws.cell(row=r, column=2).number_format = fmt
    ws["A2"].font = Font(bold=True, size=13)


def _kpis(wb: Workbook, plan: Plan, L: dict[str, Any], m: Model) -> None:
    k, D, W = L["kpi"], L["docs"], workbook_labels(plan.language)
    units, ratio = W["units"], W["ratio_format"]
    ws = sheet(wb, W["sheets"]["kpis"], [k["metric"], k["target"], D["unit"], k["benchmark"], k["scope"], k["owner"],
                                         k["due"], k["source"]], [28, 16, 8, 24, 12, 18, 12, 30])  # fmt: skip
    for x in plan.kpis:
        scope = x.scope_ref if x.scope != "year" and x.scope_ref else "year"
        keys = {"mer": "mer", "new_customers": "f:year:new_orders",
                "roas": f"pf_roas:{x.scope_ref}" if x.scope_ref else "ad_roas"}  # fmt: skip
        target: Any = m.formula(keys.get(x.metric, f"f:{scope}:{x.metric}"), x.target) or x.target
        if x.unit == "%":
            fmt, unit = PERCENT, units["percent"]
        elif x.unit == "x":
            fmt, unit = ratio, units["ratio"]
        elif x.unit == "count":
            fmt, unit = COUNT, units[COUNT_UNITS.get(x.metric, "people")]
        else:
            fmt, unit = money_format(x.unit), money_unit(x.unit, plan.language)
        benchmark = ratio_text(x.benchmark, plan.language)
        r = append(ws, [x.label, target, unit, benchmark, L["scopes"][x.scope], x.owner_role, x.due, x.data_source])
        formats(ws, r, {2: fmt, 7: DATE})


def _calendar(wb: Workbook, plan: Plan, ctx: dict[str, Any], m: Model) -> None:
    """One row per campaign phase (its budget, from the Campaigns sheet, on its first); a notes column where
    a campaign is carried or bound by logistics."""
    L: dict[str, Any] = ctx["L"]
    D, cp, T, money = L["docs"], L["campaign"], L["trade"], money_format(plan.currency)
    notes = {id(camp): ctx["campaign_notes"](camp) for camp in plan.calendar.campaigns}
    noted = any(notes.values())
    note_sep = ctx["semi"]  # the notes are sentences
    heads = [D["campaign"], cp["day"], cp["phase"], D["start"], D["end"], D["days"], cp["budget"], cp["actions"]]
    ws = sheet(wb, workbook_labels(plan.language)["sheets"]["calendar"], heads + [T["notes"]] * noted,
               [18, 12, 12, 12, 12, 8, 16, 70, *([40] if noted else [])])  # fmt: skip
    for camp in plan.calendar.campaigns:
        for i, ph in enumerate(camp.phases):
            r = ws.max_row + 1
            budget = (m.formula(f"budget:{camp.id}", camp.budget) or camp.budget) if i == 0 else None
            append(ws, [camp.name, camp.day, ph.name, ph.start, ph.end, Formula(f"=E{r}-D{r}+1"), budget,
                        ctx["semi"].join(a.text for a in ph.actions),
                        *([note_sep.join(notes[id(camp)]) if i == 0 else None] if noted else [])])  # fmt: skip
            formats(ws, r, {2: DATE, 4: DATE, 5: DATE, 7: money})
            for col in (8, 9) if noted else (8,):
                ws.cell(row=r, column=col).alignment = Alignment(wrap_text=True, vertical="top")


def _channels(wb: Workbook, plan: Plan, ctx: dict[str, Any], m: Model) -> None:
    """The channels: share and amount from the Budget sheet, attributed GMV from the paid GMV, ROAS."""
    L: dict[str, Any] = ctx["L"]
    c, B, W = L["channel"], L["budget"], workbook_labels(plan.language)
    money, ratio = money_format(plan.currency), W["ratio_format"]
    returns = ctx["channel_returns"]  # attributed GMV and ad ROAS (release 2) in D and E
    ws = sheet(wb, W["sheets"]["channels"], [c["name"], c["share"], c["amount"],
                                             *([c["attributed_gmv"], c["roas"]] if returns else []),
                                             c["role"], c["tactics"], c["kpis"]],
               [22, 10, 16, *([16, 12] if returns else []), 40, 60, 30])  # fmt: skip
    items = plan.channels.items
    paid = m.values.get("paid_gmv", 0)
    modelled = returns and all(f"attr_share:{ch.key}" in m.refs for ch in items)
    attr = amounts(m.refs.get("paid_gmv", ""), [m.refs.get(f"attr_share:{ch.key}", "") for ch in items], 4, 2,
                   balances(int(paid), [ch.attributed_gmv or 0 for ch in items]))  # fmt: skip
    for i, ch in enumerate(items):
        r = i + 2
        amount = m.formula(f"ch:{ch.key}", ch.amount)
        share = Formula(amount.text.replace("$C$", "$B$")) if amount else ch.share
        gmv: Any = attr[i] if modelled else ch.attributed_gmv
        roas: Any = Formula(f"=IF(C{r}=0,0,ROUND(D{r}/C{r},2))") if modelled and ch.roas is not None else ch.roas
        append(ws, [ch.name, share, amount or ch.amount, *([gmv, roas] if returns else []), ch.role,
                    ctx["semi"].join(ch.tactics), ctx["sep"].join(ch.kpis)])  # fmt: skip
        formats(ws, r, {2: PERCENT, 3: money, **({4: money, 5: ratio} if returns else {})})
    n = ws.max_row
    r = append(ws, [B["total_row"], Formula(f"=SUM(B2:B{n})"), Formula(f"=SUM(C2:C{n})"),
                    *([Formula(f"=SUM(D2:D{n})")] if returns else [])])  # fmt: skip
    formats(ws, r, {2: PERCENT, 3: money, 4: money})


def workbook(plan: Plan) -> tuple[Workbook, Model]:
    """The workbook, and where each modelled figure sits in it with the plan's value (the tests' key)."""
    plan = plain_plan(plan)
    ctx = context(plan)
    L: dict[str, Any] = ctx["L"]
    W = workbook_labels(plan.language)
    wb = Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    summary = sheet(wb, W["sheets"]["summary"], [W["sheets"]["summary"], L["docs"]["value"]], [34, 40, 40])
    model = xlsx_model.build(wb, plan, L)  # Assumptions, Budget, Funnel, Campaigns
    _summary(summary, plan, L, model)
    _calendar(wb, plan, ctx, model)
    _milestones(wb, plan, ctx)
    _kpis(wb, plan, L, model)
    _channels(wb, plan, ctx, model)
    wb.properties.title = plan.title  # plain_plan: no control characters
    wb.calculation.fullCalcOnLoad = True  # Excel and WPS recalculate on opening, as LibreOffice does
    return wb, model


def render_xlsx(plan: Plan) -> bytes:
    wb, _ = workbook(plan)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

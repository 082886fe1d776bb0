"""The XLSX planning model (issue 20): inputs on an Assumptions sheet, every derived figure a formula.

LibreOffice recalculates the workbooks (tests/office.py: converting XLSX to XLSX writes the computed
values, which openpyxl reads with ``data_only=True``): unchanged, every formula shows the plan's exact
figure; with the total budget doubled and the baseline CVR raised, the money and the visitors follow.
The five conversions run in parallel, once per module.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from planbot.core.plan import BudgetLine, PeriodBudget, Plan
from planbot.render.formatting import labels
from planbot.render.xlsx import render_xlsx, workbook
from planbot.render.xlsx_base import INPUT_FILL, workbook_labels
from tests.office import convert

KEYS = ("beauty", "us", "jd_double11", "cold_start")  # zh annual, en annual, zh campaign plan, zh launch
TOTAL_FACTOR, CVR_FACTOR = 2, 1.25
ZH_UNITS = {"元", "%", "倍", "人", "单"}


def _ws(wb: Workbook, plan: Plan, sheet: str) -> Worksheet:
    ws: Worksheet = wb[workbook_labels(plan.language)["sheets"][sheet]]
    return ws


def _input_row(ws: Worksheet, label: str) -> int:
    rows: list[int] = [int(c.row) for c in ws["A"] if c.value == label]
    assert len(rows) == 1, label
    return rows[0]


def _edit(data: bytes, plan: Plan, path: Path) -> Path:
    """The workbook with the total budget doubled and the baseline CVR raised, as a marketer would edit it."""
    wb = load_workbook(io.BytesIO(data))
    ws, N = _ws(wb, plan, "assumptions"), workbook_labels(plan.language)["inputs"]
    for label, factor in ((N["total"], TOTAL_FACTOR), (N["baseline_cvr"], CVR_FACTOR)):
        cell = ws.cell(row=_input_row(ws, label), column=2)
        assert isinstance(cell.value, int | float) and cell.fill.fgColor.rgb == INPUT_FILL.fgColor.rgb
        cell.value = cell.value * factor
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def recalculated(plans: dict[str, Plan], tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Workbook]]:
    """Each plan's workbook as LibreOffice recalculates it, and "edited": beauty with changed inputs."""
    tmp = tmp_path_factory.mktemp("xlsx-model")
    sources: dict[str, Path] = {}
    for key in KEYS:
        sources[key] = tmp / f"{key}.xlsx"
        sources[key].write_bytes(render_xlsx(plans[key]))
    sources["edited"] = _edit(sources["beauty"].read_bytes(), plans["beauty"], tmp / "edited.xlsx")
    with ThreadPoolExecutor(len(sources)) as pool:
        done = dict(zip(sources, pool.map(lambda p: convert(p, "xlsx", tmp / f"out-{p.stem}"), sources.values()),
                        strict=True))  # fmt: skip
    yield {key: load_workbook(path, data_only=True) for key, path in done.items()}


def _cell(wb: Workbook, reference: str) -> Any:
    m = re.fullmatch(r"'(.+)'!\$([A-Z]+)\$(\d+)", reference)
    assert m is not None, reference
    return wb[m[1].replace("''", "'")][f"{m[2]}{m[3]}"].value


def _rows(ws: Worksheet) -> dict[str, tuple[Any, ...]]:
    """The sheet's rows by their label (column A); a label used twice (a block title) keeps its first row."""
    out: dict[str, tuple[Any, ...]] = {}
    for row in ws.iter_rows(min_row=2, values_only=True):
        if isinstance(row[0], str):
            out.setdefault(row[0], row)
    return out


@pytest.mark.parametrize("key", KEYS)
def test_the_unchanged_workbook_recalculates_to_the_plans_figures(
    key: str, plans: dict[str, Plan], recalculated: dict[str, Workbook]
) -> None:
    plan, wb = plans[key], recalculated[key]
    _, model = workbook(plan)
    assert len(model.refs) > 40
    for name, reference in model.refs.items():  # every modelled cell, as LibreOffice computes it
        assert _cell(wb, reference) == pytest.approx(model.values[name], abs=1e-12), name
    b, f = plan.budget, plan.funnel
    budget, funnel, campaigns = (_ws(wb, plan, s) for s in ("budget", "funnel", "campaigns"))
    assert [budget[f"C{r}"].value for r in (2, 3, 4)] == [b.total, b.reserve, b.allocated]
    amounts = [(r[0], r[2]) for r in budget.iter_rows(min_row=5, values_only=True) if isinstance(r[2], int | float)]
    lines: list[BudgetLine | PeriodBudget] = [*b.by_category, *b.by_channel, *b.by_platform, *b.by_quarter, *b.by_month]
    expected = [(x.label, x.amount) for x in lines]
    sums = [b.allocated, b.channel_total, *([b.channel_total] if b.by_platform else []), b.allocated, b.allocated]
    assert [a for a in amounts if a[0] != labels(plan.language)["budget"]["total_row"]] == expected
    assert [a[1] for a in amounts if a[0] == labels(plan.language)["budget"]["total_row"]] == sums
    rows = _rows(funnel)
    for row in [f.year, *f.quarters]:
        assert rows[row.label][1:6] == (row.gmv, row.aov, pytest.approx(row.cvr), row.uv, row.orders), row.label
        assert rows[row.label][6:8] == (row.new_orders, row.returning_orders)
    rows = _rows(campaigns)
    for c in plan.calendar.campaigns:
        assert rows[c.name][2:8] == (c.budget, c.funnel.gmv, c.funnel.aov, pytest.approx(c.funnel.cvr), c.funnel.uv,
                                     c.funnel.orders), c.name  # fmt: skip
    channels = _rows(_ws(wb, plan, "channels"))
    for ch in plan.channels.items:
        assert channels[ch.name][2:5] == (ch.amount, ch.attributed_gmv, pytest.approx(ch.roas)), ch.name


def _numbers(ws: Worksheet, col: int) -> dict[int, float]:
    return {c.row: c.value for c in ws[chr(64 + col)] if isinstance(c.value, int | float) and c.row > 1}


def test_doubling_the_total_budget_doubles_every_amount(
    plans: dict[str, Plan], recalculated: dict[str, Workbook]
) -> None:
    plan = plans["beauty"]
    before, after = recalculated["beauty"], recalculated["edited"]
    checked = 0
    for sheet, col in (("budget", 3), ("campaigns", 3), ("channels", 3)):
        old, new = _numbers(_ws(before, plan, sheet), col), _numbers(_ws(after, plan, sheet), col)
        assert old.keys() == new.keys() and old
        for row, value in old.items():
            assert abs(new[row] - TOTAL_FACTOR * value) <= 1, (sheet, row)
        checked += len(old)
    assert checked > 40
    budget = _ws(after, plan, "budget")
    b = plan.budget
    assert [budget[f"C{r}"].value for r in (2, 3, 4)] == [TOTAL_FACTOR * x for x in (b.total, b.reserve, b.allocated)]
    total_rows = [
        r for r in budget.iter_rows(min_row=5, values_only=True) if r[0] == labels("zh")["budget"]["total_row"]
    ]
    media = b.channel_total
    assert [r[2] for r in total_rows] == [
        TOTAL_FACTOR * x for x in (b.allocated, media, media, b.allocated, b.allocated)
    ]
    summary = _rows(_ws(after, plan, "summary"))
    assert summary[labels("zh")["budget"]["total"]][1] == TOTAL_FACTOR * b.total
    funnel = _rows(_ws(after, plan, "funnel"))
    assert funnel[plan.funnel.year.label][1] == plan.funnel.year.gmv  # GMV follows its own target, not the budget


def test_raising_the_cvr_lowers_the_visitors_the_gmv_needs(
    plans: dict[str, Plan], recalculated: dict[str, Workbook]
) -> None:
    plan = plans["beauty"]
    funnel = _rows(_ws(recalculated["edited"], plan, "funnel"))
    campaigns = _rows(_ws(recalculated["edited"], plan, "campaigns"))
    for row, got in [*((r, funnel[r.label][1:6]) for r in [plan.funnel.year, *plan.funnel.quarters]),
                     *((c.funnel, campaigns[c.name][3:8]) for c in plan.calendar.campaigns)]:  # fmt: skip
        gmv, aov, cvr, uv, orders = got
        assert gmv == row.gmv and aov == row.aov
        assert cvr == pytest.approx(row.cvr * CVR_FACTOR, abs=2e-4), row.label  # two roundings to 4 decimals
        assert uv == pytest.approx(row.uv / CVR_FACTOR, rel=0.01) and uv != row.uv, row.label
        assert orders == round(uv * cvr)


def test_a_chinese_workbook_has_chinese_sheets_labels_and_units(plans: dict[str, Plan]) -> None:
    plan = plans["beauty"]
    wb = load_workbook(io.BytesIO(render_xlsx(plan)))
    assert all(re.search(r"[\u4e00-\u9fff]", name) for name in wb.sheetnames), wb.sheetnames
    texts = [c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [t for t in texts if t.strip() in ("count", "x", "visitors", "orders") or re.search(r"\d ?x\b", t)]
    for name in ("assumptions", "kpis"):
        ws = _ws(wb, plan, name)
        units = {c.value for c in ws["C"][1:] if isinstance(c.value, str) and len(c.value) <= 2}
        assert units and units <= ZH_UNITS, units
    formats = {c.number_format for ws in wb for row in ws.iter_rows() for c in row}
    assert '0.00"倍"' in formats and not any('"x"' in f for f in formats)
    heads = [ws.cell(row=1, column=1).value for ws in wb]
    assert all(re.search(r"[\u4e00-\u9fff]", str(h)) for h in heads), heads


@pytest.mark.parametrize("key", ["beauty", "us"])
def test_every_sheet_freezes_its_header_and_formats_its_numbers(key: str, plans: dict[str, Plan]) -> None:
    plan = plans[key]
    wb = load_workbook(io.BytesIO(render_xlsx(plan)))
    W = workbook_labels(plan.language)["sheets"]
    assert wb.sheetnames[:5] == [W[s] for s in ("summary", "assumptions", "budget", "funnel", "campaigns")]
    for ws in wb:
        assert ws.freeze_panes == "A2", ws.title
        assert (ws.column_dimensions["A"].width or 0) >= 18, ws.title
    budget = _ws(wb, plan, "budget")
    assert budget["B8"].number_format == "0.00%" and "#,##0" in budget["C8"].number_format
    funnel = _ws(wb, plan, "funnel")
    assert [funnel.cell(row=2, column=c).number_format for c in (4, 5)] == ["0.00%", "#,##0"]


def _constants(ws: Worksheet) -> list[str]:
    """Cells holding a typed-in number (not a formula, a date or text)."""
    return [c.coordinate for row in ws.iter_rows(min_row=2) for c in row
            if isinstance(c.value, int | float) and not isinstance(c.value, bool | datetime)]  # fmt: skip


@pytest.mark.parametrize("key", KEYS)
def test_every_derived_figure_is_a_formula_and_every_input_is_marked(key: str, plans: dict[str, Plan]) -> None:
    plan = plans[key]
    wb = load_workbook(io.BytesIO(render_xlsx(plan)))
    for sheet in ("budget", "funnel", "campaigns", "channels"):
        ws = _ws(wb, plan, sheet)
        assert _constants(ws) == [], ws.title
        assert sum(1 for row in ws.iter_rows() for c in row if str(c.value).startswith("=")) >= 5
    inputs = _ws(wb, plan, "assumptions")
    for coordinate in _constants(inputs):
        assert inputs[coordinate].fill.fgColor.rgb == INPUT_FILL.fgColor.rgb, coordinate
    filled = [c for row in inputs.iter_rows() for c in row if c.fill.fgColor.rgb == INPUT_FILL.fgColor.rgb]
    assert filled and all(isinstance(c.value, int | float) for c in filled)
    kpis = _ws(wb, plan, "kpis")
    modelled = [(k, c.value) for k, c in zip(plan.kpis, kpis["B"][1:], strict=True)
                if k.metric in ("gmv", "uv", "cvr", "aov", "orders", "mer")]  # fmt: skip
    assert modelled and all(str(v).startswith("=") for _, v in modelled), modelled
    summary = _rows(_ws(wb, plan, "summary"))
    F = labels(plan.language)["funnel"]
    assert all(str(summary[label][1]).startswith("=") for label in ("GMV", F["uv"], F["cvr"], F["orders"], F["roas"]))
    calendar = _ws(wb, plan, "calendar")
    assert all(str(c.value).startswith("=") for c in calendar["G"][1:] if c.value is not None)

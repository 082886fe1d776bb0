"""Issue 23 (the brand's own months): every format shows a row per month of the plan with its GMV target
(the months sum to the year's GMV), and, for a plan built on the brand's history file, last year's same
months, the change on them and where they come from; a plan without history shows neither, and a plan
stored without months (`funnel.months == []`) still renders in every format.

The monthly GMV chart pairs each target bar ("bar-<i>") with last year's ("bar-<i>-ly") when the history
has the month; its texts fit and do not overlap (the geometry checks of test_chart_layout.py).
"""

from __future__ import annotations

import io
import itertools
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from matplotlib.patches import Rectangle
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from planbot.core.numbers import format_money
from planbot.core.plan import Plan
from planbot.render import FORMATS, render
from planbot.render import charts as C
from planbot.render.formatting import labels, md_escape
from planbot.render.html import render_html
from planbot.render.markdown import render_markdown
from planbot.render.months import change_text
from planbot.render.xlsx_base import workbook_labels
from tests.office import convert
from tests.render.test_chart_layout import TOL, _overlap, _owner, _texts


def _money(plan: Plan, amount: int) -> str:
    return format_money(amount, plan.currency)


def _source(plan: Plan) -> str:
    """The note under the history plan's table, from its history file (tests/history_data.py)."""
    h = plan.brief.history
    assert h is not None and h.source.first == date(2025, 1, 1) and h.source.last == date(2026, 12, 1)
    return f"去年同期数据来自 {h.source.file}（{h.source.rows}行，2025年1月–2026年12月）"


def _last_year(plan: Plan) -> int:
    return sum(m.gmv_last_year or 0 for m in plan.funnel.months)


def _without_months(plan: Plan) -> Plan:
    """The plan as stored before release 2: no month rows."""
    return plan.model_copy(update={"funnel": plan.funnel.model_copy(update={"months": []})}, deep=True)


def test_the_history_plan_has_last_years_months(history_plan: Plan, plans: dict[str, Plan]) -> None:
    """The fixtures the tests below rely on: months with last year's GMV, and months without."""
    assert history_plan.funnel.months and all(r.gmv_last_year for r in history_plan.funnel.months)
    assert sum(r.gmv for r in history_plan.funnel.months) == history_plan.funnel.year.gmv
    assert plans["us"].funnel.months and all(r.gmv_last_year is None for r in plans["us"].funnel.months)


def _md_rows(md: str, plan: Plan) -> list[list[str]]:
    """The monthly table's cells, from the Markdown after the table's heading."""
    M = labels(plan.language)["months"]
    section = md.split(f"### {M['title']}", 1)[1].split("\n## ", 1)[0]
    return [[c.strip() for c in line.strip("|").split("|")] for line in section.splitlines() if line.startswith("|")]


@pytest.mark.parametrize("history", [True, False])
def test_markdown_shows_a_row_per_month(history: bool, history_plan: Plan, plans: dict[str, Plan]) -> None:
    plan = history_plan if history else plans["us"]
    M = labels(plan.language)["months"]
    rows = _md_rows(render_markdown(plan), plan)
    head, body, total = rows[0], rows[2:-1], rows[-1]
    assert [r[0] for r in body] == [m.label for m in plan.funnel.months]
    assert [r[1] for r in body] == [_money(plan, m.gmv) for m in plan.funnel.months]
    assert total[1] == f"**{_money(plan, plan.funnel.year.gmv)}**"  # the months sum to the year
    assert (M["gmv_last_year"] in head and M["change"] in head) is history
    if history:
        assert [r[-2:] for r in body] == [[_money(plan, m.gmv_last_year or 0), change_text(m.gmv / (m.gmv_last_year or 1) - 1)]
                                          for m in plan.funnel.months]  # fmt: skip
        assert total[-1] == "**+33.0%**"  # the brief's target: +33% on the history's 2026
        assert md_escape(_source(plan)) in render_markdown(plan)
    else:
        assert "%" not in total[-1] and "Last year's months" not in render_markdown(plan)


@pytest.mark.parametrize("history", [True, False])
def test_html_shows_a_row_per_month_with_its_chart(history: bool, history_plan: Plan, plans: dict[str, Plan]) -> None:
    plan = history_plan if history else plans["us"]
    M, Ch = labels(plan.language)["months"], labels(plan.language)["charts"]
    html = render_html(plan)
    table = html.split('<table class="months">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1], re.S)
    assert len(rows) == len(plan.funnel.months)
    for row, m in zip(rows, plan.funnel.months, strict=True):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
        assert cells[:2] == [m.label, _money(plan, m.gmv)]
        if history:
            assert cells[-2:] == [_money(plan, m.gmv_last_year or 0), change_text(m.gmv / (m.gmv_last_year or 1) - 1)]
    assert (f'<th class="num">{M["gmv_last_year"]}</th>' in table) is history
    assert (f'aria-label="{Ch["gmv_by_month_ly"]}"' in html) is history
    assert html.count("<svg") == len(C.CHARTS)
    assert ("去年同期数据来自" in table) is history
    if history:
        assert f'<caption class="source">{_source(plan)}</caption>' in table


@pytest.mark.parametrize("history", [True, False])
def test_the_chart_pairs_each_target_with_last_years_month(
    history: bool, history_plan: Plan, plans: dict[str, Plan]
) -> None:
    plan = history_plan if history else plans["us"]
    Ch = labels(plan.language)["charts"]
    fig = C.figure(plan, "gmv_by_month")
    bars = [p for p in fig.findobj(Rectangle) if (p.get_gid() or "").startswith("bar-")]
    n = len(plan.funnel.months)
    assert len(bars) == (2 * n if history else n)
    for i, m in enumerate(plan.funnel.months):
        (target,) = [b for b in bars if b.get_gid() == f"bar-{i}"]
        assert target.get_height() == m.gmv
        last = [b.get_height() for b in bars if b.get_gid() == f"bar-{i}-ly"]
        assert last == ([m.gmv_last_year] if history else [])
    legend = [t.get_text() for lg in fig.legends for t in lg.get_texts()]
    assert legend == ([Ch["last_year"], Ch["target"]] if history else [])
    assert fig.get_suptitle() == Ch["gmv_by_month_ly" if history else "gmv_by_month"]
    texts = _texts(fig)
    for (t, a), (u, b) in itertools.combinations(texts, 2):
        assert not _overlap(a, b), (t.get_text(), u.get_text())
    r = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    for t, box in texts:
        assert box.x0 >= -TOL and box.x1 <= fig.bbox.x1 + TOL and box.y1 <= fig.bbox.y1 + TOL, t.get_text()
        if (mine := _owner(t.get_gid(), "label")) is not None:
            for bar in bars:
                assert _owner(bar.get_gid(), "bar") == mine or not _overlap(box, bar.get_window_extent(r))
    svg = C.svg(plan, "gmv_by_month")
    assert len(re.findall(r'id="bar-\d+-ly"', svg)) == (n if history else 0)


def _docx_table(data: bytes, plan: Plan) -> list[list[str]]:
    M = labels(plan.language)["months"]
    doc = Document(io.BytesIO(data))
    (table,) = [t for t in doc.tables if t.rows[0].cells[0].text == M["month"]]
    return [[c.text for c in row.cells] for row in table.rows]


@pytest.mark.parametrize("history", [True, False])
def test_docx_shows_a_row_per_month(history: bool, history_plan: Plan, plans: dict[str, Plan]) -> None:
    plan = history_plan if history else plans["us"]
    M = labels(plan.language)["months"]
    data = render(plan, "docx")
    rows = _docx_table(data, plan)
    assert [r[:2] for r in rows[1:-1]] == [[m.label, _money(plan, m.gmv)] for m in plan.funnel.months]
    assert rows[-1][:2] == [M["total"], _money(plan, plan.funnel.year.gmv)]
    assert (M["gmv_last_year"] in rows[0]) is history
    if history:
        assert rows[-1][-2:] == [_money(plan, _last_year(plan)), "+33.0%"]
    doc = Document(io.BytesIO(data))
    assert len(doc.inline_shapes) == len(C.CHARTS)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert _source(plan) in text if history else "去年同期数据来自" not in text


def _funnel_sheet(wb: Workbook, plan: Plan) -> Worksheet:
    ws: Worksheet = wb[workbook_labels(plan.language)["sheets"]["funnel"]]
    return ws


def _month_block(ws: Worksheet, plan: Plan) -> list[tuple[Any, ...]]:
    """The monthly block of the Funnel sheet: its header row, a row per month, the total row."""
    M = labels(plan.language)["months"]
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == M["title"])
    return rows[start : start + len(plan.funnel.months) + 2]


def test_xlsx_months_are_numbers_that_sum_to_the_year(
    history_plan: Plan, plans: dict[str, Plan], tmp_path: Path
) -> None:
    """Recalculated by LibreOffice: the month rows are the plan's figures (numbers with number formats, not
    text), the total row's GMV is the year's, last year's GMV and the change are there for the history plan."""
    plan = history_plan
    M = labels(plan.language)["months"]
    source = tmp_path / "months.xlsx"
    source.write_bytes(render(plan, "xlsx"))
    wb = load_workbook(convert(source, "xlsx", tmp_path / "out"), data_only=True)
    ws = _funnel_sheet(wb, plan)
    head, *body, total = _month_block(ws, plan)
    assert head[-2:] == (M["gmv_last_year"], M["change"])
    for row, m in zip(body, plan.funnel.months, strict=True):
        assert row[:6] == (m.label, m.gmv, m.aov, pytest.approx(m.cvr), m.uv, m.orders)
        assert row[6:8] == (m.new_orders, m.returning_orders)
        assert row[8] == m.gmv_last_year and row[9] == pytest.approx(m.gmv / (m.gmv_last_year or 1) - 1)
    assert total[0] == M["total"] and total[1] == plan.funnel.year.gmv == sum(r[1] for r in body)
    assert total[8] == _last_year(plan) and total[9] == pytest.approx(0.33, abs=5e-4)
    raw = _funnel_sheet(load_workbook(source), plan)
    first = next(c.row for c in raw["A"] if c.value == plan.funnel.months[0].label)
    formats = [raw.cell(row=first, column=c).number_format for c in range(2, 11)]
    assert (
        "#,##0" in formats[0] and formats[2] == "0.00%" and formats[3] == "#,##0" and formats[-1] == "+0.0%;-0.0%;0.0%"
    )
    assert str(raw.cell(row=first, column=2).value).startswith("=")  # follows the Assumptions sheet


def test_xlsx_without_history_has_no_last_year_columns(plans: dict[str, Plan]) -> None:
    plan = plans["us"]
    M = labels(plan.language)["months"]
    ws = _funnel_sheet(load_workbook(io.BytesIO(render(plan, "xlsx"))), plan)
    head, *body, total = _month_block(ws, plan)
    assert M["gmv_last_year"] not in head and M["change"] not in head
    assert [r[0] for r in body] == [m.label for m in plan.funnel.months] and total[0] == M["total"]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed (.ci/run installs it)")
def test_pdf_shows_the_months_and_their_source(history_plan: Plan, tmp_path: Path) -> None:
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(render(history_plan, "pdf"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = text.replace("\n", "")
    assert labels("zh")["months"]["title"] in text and _source(history_plan) in flat
    for m in history_plan.funnel.months:
        assert _money(history_plan, m.gmv) in text and m.label in text
    assert "+33.0%" in text


def test_docx_opens_in_libreoffice_with_the_months(history_plan: Plan, tmp_path: Path) -> None:
    source = tmp_path / "plan.docx"
    source.write_bytes(render(history_plan, "docx"))
    text = convert(source, "txt:Text", tmp_path / "out").read_text(encoding="utf-8-sig")
    assert _source(history_plan) in text
    for m in history_plan.funnel.months:
        assert _money(history_plan, m.gmv) in text and _money(history_plan, m.gmv_last_year or 0) in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_plan_stored_without_months_still_renders(fmt: str, history_plan: Plan) -> None:
    plan = _without_months(history_plan)
    data = render(plan, fmt)  # type: ignore[arg-type]
    assert data
    M = labels(plan.language)["months"]
    if fmt in ("md", "html"):
        assert M["title"] not in data.decode() and "去年同期数据来自" not in data.decode()
    elif fmt == "docx":
        doc = Document(io.BytesIO(data))
        assert len(doc.inline_shapes) == len(C.CHARTS) - 1  # no monthly chart
        assert all(t.rows[0].cells[0].text != M["month"] for t in doc.tables)
    elif fmt == "xlsx":
        ws = _funnel_sheet(load_workbook(io.BytesIO(data)), plan)
        assert all(c.value != M["title"] for c in ws["A"])

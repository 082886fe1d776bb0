"""Every format a marketer hands on, opened with its own reader: DOCX, XLSX, PDF, HTML, charts."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import warnings
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from planbot.core.plan import Plan
from planbot.render import FORMATS, render
from planbot.render import charts as C
from planbot.render.formatting import labels

LANGS = {"zh": "beauty", "en": "us"}


@pytest.fixture(scope="module", params=["zh", "en"])
def plan(request: pytest.FixtureRequest, plans: dict[str, Plan]) -> Plan:
    return plans[LANGS[request.param]]


@pytest.fixture(scope="module")
def documents(plan: Plan) -> dict[str, bytes]:
    return {fmt: render(plan, fmt) for fmt in FORMATS}


def test_docx_structure(plan: Plan, documents: dict[str, bytes]) -> None:
    doc = Document(io.BytesIO(documents["docx"]))
    headings = [p.text for p in doc.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert len(headings) == 15  # contents + the 14 sections
    assert doc.paragraphs[6].text == plan.title and doc.core_properties.title == plan.title
    assert len(doc.tables) >= 3 and len(doc.inline_shapes) == len(C.CHARTS)
    body = doc.element.xml
    assert "TOC \\o" in body  # a table-of-contents field
    footer_xml = doc.sections[1].footer._element.xml
    assert "PAGE" in footer_xml
    texts = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    for ch in plan.channels.items:
        assert ch.name in texts
    for camp in plan.calendar.campaigns:
        assert camp.name in texts
    refs = [r for p in doc.paragraphs for r in p.runs if r.font.superscript]
    assert refs and all(re.fullmatch(r"(\[\d+\])+", r.text) for r in refs)  # citations point at the sources list
    assert any(p.text.startswith(f"[{len(plan.sources)}] ") for p in doc.paragraphs)


def _block_sums(ws) -> list[tuple[int, float, float]]:  # type: ignore[no-untyped-def]
    """(row, share sum, amount sum) for every SUM total row, computed from the cells it covers."""
    out = []
    for row in ws.iter_rows(min_row=2):
        formula = row[2].value
        if isinstance(formula, str) and formula.startswith("=SUM("):
            first, last = map(int, re.findall(r"\d+", formula)[:2])
            shares = sum(ws.cell(row=r, column=2).value for r in range(first, last + 1))
            amounts = sum(ws.cell(row=r, column=3).value for r in range(first, last + 1))
            out.append((row[0].row, shares, amounts))
    return out


def test_xlsx_sums_equal_the_plan(plan: Plan, documents: dict[str, bytes]) -> None:
    wb = load_workbook(io.BytesIO(documents["xlsx"]))
    milestones = labels(plan.language)["trade"]["sheet"]  # the dated lead times and cut-offs (issue 19)
    assert len(wb.sheetnames) == 6 and wb.sheetnames[4] == milestones
    kpis, budget, calendar, channels = (wb[n] for n in wb.sheetnames[1:] if n != milestones)
    blocks = _block_sums(budget)
    assert len(blocks) == 5  # by channel and by platform (the media), then category, quarter, month (allocated)
    assert plan.budget.media is not None
    for i, (_, shares, amounts) in enumerate(blocks):
        assert amounts == (plan.budget.media if i < 2 else plan.budget.allocated), i
        assert shares == pytest.approx(1.0, abs=1e-6)
    assert budget["C2"].value == plan.budget.total and budget["C4"].value == "=C2-C3"
    assert budget["C3"].value == plan.budget.reserve
    ((_, ch_share, ch_amount),) = _block_sums(channels)
    assert ch_amount == plan.budget.media and ch_share == pytest.approx(1.0)
    phases = sum(len(c.phases) for c in plan.calendar.campaigns)
    assert calendar.max_row == phases + 1
    assert calendar["D2"].is_date and calendar["F2"].value == "=E2-D2+1"
    assert kpis.max_row == len(plan.kpis) + 1
    for ws in (kpis, budget, calendar, channels):
        assert ws.freeze_panes == "A2" and ws.column_dimensions["A"].width >= 18
    assert budget["B8"].number_format == "0.00%" and "#,##0" in budget["C8"].number_format


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed (.ci/run installs it)")
def test_pdf_embeds_a_cjk_font_and_its_text_extracts(plan: Plan, documents: dict[str, bytes], tmp_path: Path) -> None:
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(documents["pdf"])
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert rows and all("yes" in r[-5:-2] for r in rows)  # every font embedded
    assert any("Planbot-CJK" in r[0] for r in rows)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert plan.title in text.replace("\n", "")
    assert ("预算" in text) if plan.language == "zh" else ("Budget" in text)
    assert "1 / " in text  # page footer with page numbers


def test_html_is_standalone_with_charts(documents: dict[str, bytes]) -> None:
    html = documents["html"].decode()
    assert html.count("<svg") == len(C.CHARTS)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)  # nothing loaded from the internet
    assert "url(http" not in html and "<script" not in html and "@import" not in html


def test_charts_draw_chinese_with_the_bundled_font(plans: dict[str, Plan]) -> None:
    plan = plans["beauty"].model_copy(update={"version": 99})  # a fresh cache key
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        images = [C.png(plan, name) for name in C.CHARTS]
    assert not [w for w in caught if "missing from" in str(w.message)]  # no tofu boxes
    assert all(img.startswith(b"\x89PNG") and len(img) > 10_000 for img in images)
    assert C.cjk_font()[1].name == "NotoSansCJKsc-Regular.otf"
    assert C.svg(plan, "calendar") == C.svg(plan, "calendar")  # deterministic


def test_user_text_cannot_inject_markup_into_documents(beauty_plan: Plan) -> None:
    evil = '<img src=x onerror=alert(1)> [x](javascript:alert(1)) "; } body { display:none } /*'
    beauty_plan.summary.text = evil
    beauty_plan.title = evil
    html = render(beauty_plan, "html").decode()
    assert "<img src=x" not in html and "onerror=alert(1)>" not in html
    md = render(beauty_plan, "md").decode()
    assert "<img" not in md and not re.search(r"(?<!\\)\]\(javascript:", md)  # brackets escaped: no link
    doc = Document(io.BytesIO(render(beauty_plan, "docx")))
    assert any(evil in p.text for p in doc.paragraphs)  # shown as text, inert in Word

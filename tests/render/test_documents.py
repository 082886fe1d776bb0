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

from planbot.core.plan import Plan
from planbot.render import FORMATS, render
from planbot.render import charts as C

LANGS = {"zh": "beauty", "en": "us"}


@pytest.fixture(scope="module", params=["zh", "en"])
def plan(request: pytest.FixtureRequest, plans: dict[str, Plan]) -> Plan:
    return plans[LANGS[request.param]]


@pytest.fixture(scope="module")
def documents(plan: Plan) -> dict[str, bytes]:
    return {fmt: render(plan, fmt) for fmt in FORMATS}


# test_docx_structure lives in test_docx_office.py with the other DOCX checks (issue 20).


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

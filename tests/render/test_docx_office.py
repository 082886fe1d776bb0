"""The Word document as readers see it (issue 20): opened in LibreOffice (no field updates, no Word), the
contents page lists the real headings, the executive summary and each campaign's money are there, the cover
carries no render time; python-docx checks the fonts on every style and where the KPIs go."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from planbot.core.plan import Plan
from planbot.render import charts as C
from planbot.render import render
from planbot.render.executive import executive
from planbot.render.formatting import labels
from tests.office import convert

LANGS = {"zh": "beauty", "en": "us"}
SECTIONS = ("summary", "situation", "objectives", "funnel", "strategy", "channels", "budget", "calendar",
            "always_on", "measurement", "risks", "team")  # fmt: skip
EAST_ASIAN_FONT = "Noto Sans CJK SC"


@pytest.fixture(scope="module", params=["zh", "en"])
def plan(request: pytest.FixtureRequest, plans: dict[str, Plan]) -> Plan:
    return plans[LANGS[request.param]]


@pytest.fixture(scope="module")
def docx_bytes(plan: Plan) -> bytes:
    return render(plan, "docx")


@pytest.fixture(scope="module")
def office_text(plan: Plan, docx_bytes: bytes, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The document as LibreOffice reads it, saved as plain text (one call per language)."""
    folder = tmp_path_factory.mktemp(f"docx-{plan.language}")
    source = folder / "plan.docx"
    source.write_bytes(docx_bytes)
    return convert(source, "txt:Text", folder / "out").read_text(encoding="utf-8-sig")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _headings(plan: Plan) -> list[str]:
    D = labels(plan.language)["docs"]
    S = labels(plan.language)["sections"]
    appendices = [D["appendix_kpis"], D["appendix_budget"], D["appendix_campaigns"], S["assumptions"]]
    return [*(S[k] for k in SECTIONS), D["appendix"], *appendices, S["sources"]]


def _colon(plan: Plan) -> str:
    return "：" if plan.language == "zh" else ": "


def _body(doc: DocxDocument) -> Iterator[Paragraph | Table]:
    """The body's paragraphs and tables in document order."""
    for el in doc.element.body.iterchildren():
        if el.tag == qn("w:p"):
            yield Paragraph(el, doc)
        elif el.tag == qn("w:tbl"):
            yield Table(el, doc)


def test_contents_page_lists_every_heading_before_the_first_section(plan: Plan, office_text: str) -> None:
    lines = _lines(office_text)
    L = labels(plan.language)
    start = lines.index(L["docs"]["contents"])
    headings = _headings(plan)
    assert lines[start + 1 : start + 1 + len(headings)] == headings  # written out, no field update needed
    body = lines[start + 1 + len(headings) :]
    assert body[0] == L["sections"]["summary"]  # the contents come before the first section
    for heading in headings:
        assert heading in body, heading  # and every entry is a heading of the document


def test_executive_summary_and_decisions_come_first(plan: Plan, office_text: str) -> None:
    e = executive(plan)
    L = labels(plan.language)
    text = office_text
    entry = text.index(L["sections"]["summary"])  # in the contents
    summary = text.index(L["sections"]["summary"], entry + 1)  # the section
    situation = text.rindex(L["sections"]["situation"])
    assert summary < text.index(e.headline) < situation
    assert summary < text.index(L["executive"]["decisions"]) < situation
    assert len(e.decisions) == 3
    for decision in e.decisions:
        assert summary < text.index(decision) < situation
    for goal in e.goals:
        assert goal in text
    notes = [w for w in plan.warnings if w.rule not in ("roas_above_range", "roas_below_range")]
    for warning in notes:  # the notes box, after the summary (the target check is the first decision)
        assert warning.message in text[summary:]


def test_each_campaign_shows_its_funnel_and_budget_by_purpose(plan: Plan, office_text: str) -> None:
    cp = labels(plan.language)["campaign"]
    money = "¥" if plan.currency == "CNY" else "$"
    lines = _lines(office_text)
    for camp in plan.calendar.campaigns:
        semi = "；" if plan.language == "zh" else "; "
        purpose = semi.join(f"{b.label} {money}{b.amount:,}" for b in camp.budget_by_purpose)
        assert cp["purpose"] + _colon(plan) + purpose in lines, camp.name
        assert any(line.startswith(cp["funnel"] + _colon(plan)) and f"{camp.funnel.uv:,}" in line for line in lines)
    assert sum(line.startswith(cp["purpose"] + _colon(plan)) for line in lines) == len(plan.calendar.campaigns)


def test_cover_has_no_timestamp_and_labels_take_the_language_colon(plan: Plan, office_text: str) -> None:
    L = labels(plan.language)
    at = plan.created_at
    for stamp in (f"{at:%Y-%m-%d}", f"{at.year}年{at.month}月{at.day}日", f"{at:%b} {at.day}, {at.year}"):
        assert stamp not in office_text
    assert L["generated"] not in office_text
    cover = _lines(office_text)[: _lines(office_text).index(L["docs"]["contents"])]
    assert cover[0] == plan.title
    assert L["currency"] + _colon(plan) + plan.currency in cover
    assert L["version"] + _colon(plan) + str(plan.version) in cover
    for label in (L["period"], L["campaign"]["purpose"], L["campaign"]["mechanics"], L["market"]):
        assert label + _colon(plan) in office_text
        if plan.language == "zh":
            assert label + ": " not in office_text


def test_every_style_and_the_defaults_name_the_east_asian_font(plan: Plan, docx_bytes: bytes) -> None:
    doc = Document(io.BytesIO(docx_bytes))
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:rFonts"))
    assert defaults.get(qn("w:eastAsia")) == EAST_ASIAN_FONT and defaults.get(qn("w:eastAsiaTheme")) is None
    with_rpr = 0
    for style in styles.findall(qn("w:style")):
        rpr = style.find(qn("w:rPr"))
        if rpr is None:
            continue
        with_rpr += 1
        fonts = rpr.find(qn("w:rFonts"))
        name = style.find(qn("w:name")).get(qn("w:val"))
        assert fonts is not None and fonts.get(qn("w:eastAsia")) == EAST_ASIAN_FONT, name
        assert fonts.get(qn("w:eastAsiaTheme")) is None and fonts.get(qn("w:asciiTheme")) is None, name
    assert with_rpr > 50
    used = {p.style.name for p in doc.paragraphs if p.style is not None}
    used |= {p.style.name for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs if p.style}
    assert {"Normal", "Title", "Heading 1", "Heading 2", "List Bullet", "List Number", "toc 1", "toc 2"} <= used
    for name in used:  # every style the text uses names the font itself (not only through Normal)
        rpr = doc.styles[name].element.find(qn("w:rPr"))
        assert rpr is not None and rpr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == EAST_ASIAN_FONT, name


def _tables_under(doc: DocxDocument, heading: str, stop: str) -> list[Table]:
    """The tables between the paragraph `heading` (its last occurrence: not the contents entry) and `stop`."""
    blocks = list(_body(doc))
    texts = [b.text if isinstance(b, Paragraph) else None for b in blocks]
    start = max(i for i, t in enumerate(texts) if t == heading)
    end = next(i for i in range(start + 1, len(blocks)) if texts[i] == stop)
    return [b for b in blocks[start:end] if isinstance(b, Table)]


def test_kpis_whole_period_in_section_three_the_rest_in_appendix_a(plan: Plan, docx_bytes: bytes) -> None:
    doc = Document(io.BytesIO(docx_bytes))
    L = labels(plan.language)
    metric = L["kpi"]["metric"]

    def kpi_rows(tables: list[Table]) -> list[str]:
        (table,) = [t for t in tables if t.rows[0].cells[0].text == metric]
        return [row.cells[0].text for row in table.rows[1:]]

    year = [k.label for k in plan.kpis if k.scope == "year"]
    rest = [k.label for k in plan.kpis if k.scope != "year"]
    assert year and rest
    assert kpi_rows(_tables_under(doc, L["sections"]["objectives"], L["sections"]["funnel"])) == year
    assert kpi_rows(_tables_under(doc, L["docs"]["appendix_kpis"], L["docs"]["appendix_budget"])) == rest
    budget = _tables_under(doc, L["sections"]["budget"], L["sections"]["calendar"])
    periods = {row.cells[0].text for t in budget for row in t.rows}
    assert {q.label for q in plan.budget.by_quarter} <= periods
    assert not {m.label for m in plan.budget.by_month} & periods  # the months are in appendix B


def test_docx_structure(plan: Plan, docx_bytes: bytes) -> None:
    doc = Document(io.BytesIO(docx_bytes))
    L = labels(plan.language)
    h1 = [p.text for p in doc.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert h1 == [*(L["sections"][k] for k in SECTIONS), L["docs"]["appendix"], L["sections"]["sources"]]
    assert doc.paragraphs[6].text == plan.title and doc.core_properties.title == plan.title
    assert len(doc.tables) >= 3 and len(doc.inline_shapes) == len(C.CHARTS)  # every chart, once
    toc = [p for p in doc.paragraphs if p.style is not None and p.style.name in ("toc 1", "toc 2")]
    assert [p.text for p in toc] == _headings(plan)
    assert "TOC \\o" in toc[0]._p.xml and 'w:fldCharType="begin"' in toc[0]._p.xml  # Word adds page numbers
    assert 'w:fldCharType="end"' in toc[-1]._p.xml
    assert "PAGE" in doc.sections[1].footer._element.xml
    texts = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    for ch in plan.channels.items:
        assert ch.name in texts
    h3 = "\n".join(p.text for p in doc.paragraphs if p.style is not None and p.style.name == "Heading 3")
    for camp in plan.calendar.campaigns:  # each campaign's playbook in appendix C, under its own heading
        assert camp.name in h3
    refs = [r for p in doc.paragraphs for r in p.runs if r.font.superscript]
    assert refs and all(re.fullmatch(r"(\[\d+\])+", r.text) for r in refs)  # citations point at the sources list
    cited = {int(n) for r in refs for n in re.findall(r"\d+", r.text)}
    assert max(cited) <= len(plan.sources)


def test_sources_are_numbered_with_guide_heading_and_snippet(beauty_plan: Plan) -> None:
    beauty_plan.sources[1].heading = "大促节奏：预热、爆发、延续"
    doc = Document(io.BytesIO(render(beauty_plan, "docx")))
    paras = [p.text for p in doc.paragraphs]
    start = max(i for i, t in enumerate(paras) if t == labels("zh")["sections"]["sources"])
    entries = [t for t in paras[start + 1 :] if re.match(r"\[\d+\] ", t)]
    assert len(entries) == len(beauty_plan.sources)
    for i, (entry, src) in enumerate(zip(entries, beauty_plan.sources, strict=True), start=1):
        assert entry.startswith(f"[{i}] {src.title}") and src.snippet in entry
    assert "· 大促节奏：预热、爆发、延续" in entries[1]

"""User text reaches every format escaped once, for its context (issue 14, item 13).

A brand such as `Tom & Jerry's <img …>` must read exactly so in the PDF page header and title, the
HTML page, Word, Excel, Markdown as a reader renders it, chart labels and JSON: never `&amp;`, never a
live tag, never a formula or mathtext.
"""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import matplotlib.mathtext
import pytest
import tinycss2  # type: ignore[import-untyped]
from docx import Document
from markdown_it import MarkdownIt
from markupsafe import escape
from openpyxl import load_workbook

from planbot.core.builder import Builder
from planbot.core.plan import Plan
from planbot.render import FORMATS, filename, render
from planbot.render import charts as C
from planbot.render.formatting import css_string, md_escape, md_truncate
from planbot.render.html import render_html
from planbot.render.xlsx_base import workbook_labels
from tests.conftest import BRIEFS, load_brief

EN_BRAND = 'Tom & Jerry\'s <img src=x onerror=alert(1)> "Q" $5 \\ 50%'
ZH_BRAND = "花&漾<限定>"
CATEGORY = "<b>gear</b> & 'more' </style>"
CAMPAIGN = "$ave & Co $5 \\ 50% </style> <b>"  # two dollars: mathtext, were it on
CHANNEL = '=HYPERLINK("http://x","y") & <i>'
ENTITIES = ("&amp;", "&lt;", "&gt;", "&#39;", "&#34;", "&quot;")


def _plan(builder: Builder, key: str, brand: str) -> Plan:
    plan = builder.build(load_brief(BRIEFS[key]).model_copy(update={"brand": brand, "category": CATEGORY}))
    # names a marketer types for custom campaigns and channels, set directly: they reach tables and charts
    plan.calendar.campaigns[0].name = CAMPAIGN
    plan.channels.items[0].name = CHANNEL
    plan.budget.by_channel[0].label = CHANNEL
    return plan


@pytest.fixture(scope="module", params=["en", "zh"])
def plan(request: pytest.FixtureRequest, builder: Builder) -> Plan:
    if request.param == "en":
        return _plan(builder, "us", EN_BRAND)
    return _plan(builder, "beauty", ZH_BRAND)


@pytest.fixture(scope="module")
def documents(plan: Plan) -> dict[str, bytes]:
    return {fmt: render(plan, fmt) for fmt in FORMATS}


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


class _Text(HTMLParser):
    """The text a browser shows (script and style excluded), per element of interest, and the tags seen."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.by_tag: dict[str, list[str]] = {}
        self.style = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1] == "style":
            self.style += data
        for tag in set(self.stack):
            self.by_tag.setdefault(tag, []).append(data)

    def text(self, tag: str) -> str:
        return "".join(self.by_tag.get(tag, []))


def _parse(markup: str) -> _Text:
    parser = _Text()
    parser.feed(markup)
    parser.close()
    return parser


def _page_header(css: str) -> dict[str, str]:
    """The `content` strings of the @page margin boxes, as a CSS parser reads them."""
    out: dict[str, str] = {}
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type == "at-rule" and rule.lower_at_keyword == "page" and rule.content is not None:
            for box in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True):
                if box.type != "at-rule" or box.content is None:
                    continue
                for decl in tinycss2.parse_blocks_contents(box.content, skip_whitespace=True):
                    if decl.type == "declaration" and decl.lower_name == "content":
                        strings = [t.value for t in decl.value if t.type == "string"]
                        out[box.lower_at_keyword] = "".join(strings)
    return out


def test_the_brand_is_in_the_title(plan: Plan) -> None:
    assert plan.brief.brand is not None and plan.brief.brand in plan.title


def test_html_escapes_once_and_has_no_live_tags(plan: Plan, documents: dict[str, bytes]) -> None:
    page = documents["html"].decode()
    assert "&amp;amp;" not in page and "&amp;lt;" not in page and "&amp;#" not in page
    assert str(escape(plan.title)) in page  # escaped exactly once
    parsed = _parse(page)
    assert [t for t, _ in parsed.tags].count("img") == 0  # charts are SVG; the brand's <img> is text
    for raw in ("<img", "<b>gear", "<i>", "50% </style>"):  # the brand's, category's and names' markup
        assert raw not in page
    assert not any(name.startswith("on") for _, attrs in parsed.tags for name, _ in attrs)
    assert page.count("</style>") == page.count("<style")  # the page's and the SVG charts': none from user text
    # what a reader sees: the literal title in the tab, the heading, the page header of the print CSS
    assert parsed.text("title") == plan.title
    assert parsed.text("h1") == plan.title
    header = _page_header(parsed.style)
    assert header["top-left"] == plan.title
    assert header["top-right"].endswith(str(plan.version))
    body = parsed.text("body")
    for literal in (CAMPAIGN, CHANNEL):
        assert literal in body
    assert not any(e in body for e in ENTITIES)  # no entity is left over for the reader


def test_html_without_charts_is_escaped_the_same(plan: Plan) -> None:
    page = render_html(plan, charts=False)
    assert _page_header(_parse(page).style)["top-left"] == plan.title


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed (.ci/run installs it)")
def test_pdf_shows_the_brand_literally(plan: Plan, documents: dict[str, bytes], tmp_path: Path) -> None:
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(documents["pdf"])

    def text(*pages: str) -> str:
        return subprocess.run(["pdftotext", *pages, str(pdf), "-"], capture_output=True, text=True, check=True).stdout

    everything = text()
    assert not any(e in everything for e in ENTITIES)
    assert "<img src=x onerror=alert(1)>" in everything or plan.language == "zh"
    # page 1: the heading and the header; page 2 on: the header only (each page's text starts with it)
    assert _squash(everything).count(_squash(plan.title)) >= 3
    second = text("-f", "2", "-l", "2")
    assert _squash(plan.title) in _squash(second)
    # the running header, as the reader sees it: the title exactly, escaped once, then the version
    header = text("-layout", "-f", "3", "-l", "3").splitlines()[0]
    assert re.split(r"\s{3,}", header.strip())[0] == plan.title
    assert _squash(CAMPAIGN) in _squash(everything) and _squash(CHANNEL) in _squash(everything)


def test_docx_has_the_literal_text(plan: Plan, documents: dict[str, bytes]) -> None:
    doc = Document(io.BytesIO(documents["docx"]))
    assert doc.paragraphs[6].text == plan.title
    assert doc.sections[1].header.paragraphs[0].text == plan.title  # every body page's header
    assert not doc.sections[1].header.is_linked_to_previous
    assert all(not p.text for p in doc.sections[0].header.paragraphs)  # none on the cover
    assert doc.core_properties.title == plan.title
    paragraphs = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert CAMPAIGN in cells and CHANNEL in cells
    assert not any(e in paragraphs + cells for e in ENTITIES)


def test_xlsx_has_the_literal_text_and_no_injected_formula(plan: Plan, documents: dict[str, bytes]) -> None:
    wb = load_workbook(io.BytesIO(documents["xlsx"]))
    sheets = workbook_labels(plan.language)["sheets"]
    summary, calendar, channels = wb[sheets["summary"]], wb[sheets["calendar"]], wb[sheets["channels"]]
    assert summary["A2"].value == plan.title
    assert wb.properties.title == plan.title
    assert calendar["A2"].value == CAMPAIGN
    name = channels["A2"]
    assert name.value == CHANNEL and name.data_type == "s"  # text, not a formula Excel would run
    # the workbook is a model full of formulas: none of them may carry the user's text
    formulas = [str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas and not [
        f for f in formulas if any(x in f for x in ("HYPERLINK", "WEBSERVICE", "cmd", CHANNEL, CAMPAIGN))
    ]
    values = [str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]
    assert not any(e in v for v in values for e in ENTITIES)


def _rendered_markdown(md: str) -> _Text:
    return _parse(MarkdownIt("commonmark").enable("table").enable("strikethrough").render(md))


def test_markdown_reads_literally_when_rendered(plan: Plan, documents: dict[str, bytes]) -> None:
    md = documents["md"].decode()
    assert md.startswith(f"# {md_escape(plan.title)}\n")
    parsed = _rendered_markdown(md)
    assert not [t for t, _ in parsed.tags if t in ("img", "b", "i", "s", "del", "script")]
    # the only links are the plan's own: citation markers and the sources list's anchors
    links = [dict(a) for t, a in parsed.tags if t == "a"]
    assert links and all(
        (a.get("href") or "").startswith("#src-") or (a.get("id") or "").startswith("src-") for a in links
    )
    assert parsed.text("h1") == plan.title
    cells = parsed.text("table")
    assert CAMPAIGN in cells and CHANNEL in cells
    assert CAMPAIGN in parsed.text("h4")  # the campaign's own heading, in appendix C


def test_json_round_trips(plan: Plan, documents: dict[str, bytes]) -> None:
    back = Plan.model_validate_json(documents["json"])
    assert back.brief.brand == plan.brief.brand and back.title == plan.title
    assert back.calendar.campaigns[0].name == CAMPAIGN and back.channels.items[0].name == CHANNEL


def test_filename_is_safe(plan: Plan) -> None:
    for fmt in FORMATS:
        name = filename(plan, fmt)
        assert re.fullmatch(r"[\w-]+-\d{8}-\d{8}-v\d+\.\w+", name), name
        assert not name.startswith("-") and "--" not in name
    assert filename(plan, "pdf").startswith("Tom-Jerry-s-img-src-x" if plan.language == "en" else "花-漾-限定-")


@pytest.fixture
def no_mathtext(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    parsed: list[str] = []
    original = matplotlib.mathtext.MathTextParser.parse

    def spy(self: Any, s: str, *args: Any, **kwargs: Any) -> Any:
        parsed.append(s)
        return original(self, s, *args, **kwargs)

    monkeypatch.setattr(matplotlib.mathtext.MathTextParser, "parse", spy)
    yield parsed


def test_chart_labels_are_drawn_literally(plan: Plan, no_mathtext: list[str]) -> None:
    fresh = plan.model_copy(update={"version": plan.version + 1000})  # a fresh cache key: really drawn
    svgs = {name: C.svg(fresh, name) for name in C.CHARTS}
    png = C.png(fresh, "calendar")
    assert png.startswith(b"\x89PNG")
    assert no_mathtext == []  # "$ave & Co $5" is text, not a formula (a lone "\" would even fail to parse)
    # matplotlib notes each label in an XML comment beside its glyph paths: the literal text, XML-escaped once
    assert f"<!-- {html.escape(CAMPAIGN, quote=False)} -->" in svgs["calendar"]
    legend = [s for s in re.findall(r"<!-- (.*?) -->", svgs["budget_by_channel"]) if "HYPERLINK" in s]
    assert legend and html.unescape(legend[0]).startswith(CHANNEL)
    assert "<b>" not in svgs["calendar"] and "<i>" not in svgs["budget_by_channel"]


def test_css_string_escapes_for_css() -> None:
    value = "a\\b \"c\" 'd' </style><script>x</script>\nline2\x00"
    out = str(css_string(value))
    assert "</" not in out and "<" not in out and "\n" not in out
    (token,) = [t for t in tinycss2.parse_component_value_list(out) if t.type == "string"]
    assert token.value == value.replace("\x00", "\ufffd")
    assert str(css_string("花漾2027年整合营销方案")) == '"花漾2027年整合营销方案"'


@pytest.mark.parametrize(
    "text",
    [
        "Tom & Jerry's <b>x</b>",
        "AT&amp;T &#169; &copy",
        "- not a list",
        "1. not a list",
        "---",
        "3~5天 and ~~not struck~~",
        "*a* _b_ `c` [d](e) | f # g \\ h",
        "$5 \\ 50%",
        "<!-- c --> <https://x.y>",
    ],
)
def test_md_escape_reads_back_literally(text: str) -> None:
    md = md_escape(text)
    rendered = MarkdownIt("commonmark").enable("table").enable("strikethrough").render(f"{md}\n\n- {md}\n")
    parsed = _parse(rendered)
    assert [t for t, _ in parsed.tags] == ["p", "ul", "li"]  # one paragraph, one list item: no markup of its own
    assert parsed.text("p") == text and parsed.text("li") == text


def test_md_truncate_never_cuts_an_escape_in_two() -> None:
    text = "花漾" * 50 + "<限定>" + "花漾" * 50  # no spaces: the cut may fall anywhere
    for length in range(95, 115):
        out = md_truncate(text, length)
        assert out.endswith("...") and len(out) <= length
        body = out.removesuffix("...")
        assert not re.search(r"&#?[0-9A-Za-z]*$", body) and not body.endswith("\\")
        assert _parse(MarkdownIt("commonmark").render(out)).text("p").removesuffix("...") in text
    assert md_truncate("a\\b" * 60, 100).removesuffix("...").count("\\") % 2 == 0
    assert md_truncate("short <b>", 160) == "short &lt;b&gt;"


def test_xml_illegal_characters_do_not_break_word_or_excel(beauty_plan: Plan) -> None:
    beauty_plan.title = "花漾\x0b\x01 2027"
    beauty_plan.calendar.campaigns[0].name = "双11\x08大促"
    doc = Document(io.BytesIO(render(beauty_plan, "docx")))
    assert doc.paragraphs[6].text == "花漾 2027"
    wb = load_workbook(io.BytesIO(render(beauty_plan, "xlsx")))
    assert wb[workbook_labels("zh")["sheets"]["calendar"]]["A2"].value == "双11大促"
    assert "\x08" not in render(beauty_plan, "html").decode()

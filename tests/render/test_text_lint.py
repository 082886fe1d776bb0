"""What a reader sees, linted in every format: full-width punctuation in Chinese, whole bullets, no
internal notes or markup, no pasted guide excerpts (issue 20)."""

from __future__ import annotations

import io
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from planbot.core.plan import Plan
from planbot.render import render
from tests.render.text_lint import broken_bullets, half_width_in_chinese, internal_notes, pasted_runs

KEYS = ["beauty", "us", "jd_double11", "cold_start"]
SECTIONS = ("summary", "situation", "objectives", "funnel", "strategy", "channels", "budget", "calendar",
            "always_on", "measurement", "risks", "team")  # fmt: skip


class _Visible(HTMLParser):
    """The text a browser shows (no style or script) and each list item's text."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.items: list[str] = []
        self._skip = 0
        self._li: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._skip += 1
        elif tag == "li":
            self._li.append([])
        elif tag in ("p", "td", "th", "h1", "h2", "h3", "br", "div"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip -= 1
        elif tag == "li" and self._li:
            self.items.append("".join(self._li.pop()))

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.parts.append(data)
        for item in self._li:
            item.append(data)


def _html(plan: Plan) -> tuple[str, list[str]]:
    parser = _Visible()
    parser.feed(render(plan, "html").decode())
    return "".join(parser.parts), parser.items


def _docx(plan: Plan) -> tuple[str, list[str]]:
    doc = Document(io.BytesIO(render(plan, "docx")))
    paragraphs = [p.text for p in doc.paragraphs]
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    items = [p.text for p in doc.paragraphs if p.style is not None and p.style.name.startswith("List")]
    items += [line[1:].strip() for c in cells for line in c.splitlines() if line.startswith("•")]
    return "\n".join(paragraphs + cells), items


def _xlsx(plan: Plan) -> str:
    wb = load_workbook(io.BytesIO(render(plan, "xlsx")))
    return "\n".join(
        str(c.value)
        for ws in wb
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and not c.value.startswith("=")
    )


def _md(plan: Plan) -> tuple[str, list[str]]:
    md = render(plan, "md").decode()
    items = [line.strip()[2:] for line in md.splitlines() if line.strip().startswith("- ")]
    return md, items


def _lint(text: str, items: list[str], finished: bool) -> dict[str, list[str]]:
    found = {
        "half-width punctuation in Chinese": half_width_in_chinese(text),
        "broken bullets": broken_bullets(items),
        "internal notes": internal_notes(text, finished=finished),
    }
    return {k: v for k, v in found.items() if v}


@pytest.mark.parametrize("key", KEYS)
def test_markdown_html_docx_and_xlsx_read_clean(plans: dict[str, Plan], key: str) -> None:
    plan = plans[key]
    for fmt, (text, items, finished) in {
        "md": (*_md(plan), False),
        "html": (*_html(plan), True),
        "docx": (*_docx(plan), True),
        "xlsx": (_xlsx(plan), [], True),
    }.items():
        assert not _lint(text, items, finished), (fmt, _lint(text, items, finished))


@pytest.mark.parametrize("key", ["beauty", "us"])
def test_the_pdf_reads_clean(plans: dict[str, Plan], key: str, tmp_path: Path) -> None:
    path = tmp_path / "plan.pdf"
    path.write_bytes(render(plans[key], "pdf"))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert not half_width_in_chinese(text) and not internal_notes(text)


@pytest.mark.parametrize("key", KEYS)
def test_prose_cites_guides_and_never_pastes_them(plans: dict[str, Plan], key: str) -> None:
    plan = plans[key]
    quoted = [s.snippet for s in plan.sources if s.snippet]
    assert quoted and not [q for q in quoted if re.search(r"(^|\n)#|\|", q)]  # whole sentences, no markup
    for name in SECTIONS:
        section = getattr(plan, name)
        assert not pasted_runs(section.text, quoted, plan.language), (name, section.text)
    assert any(getattr(plan, name).citations for name in SECTIONS)


def test_the_lint_catches_what_the_issue_reported() -> None:
    assert half_width_in_chinese("方案周期: 2027年") and half_width_in_chinese("方案周期:年度")
    assert half_width_in_chinese("方案周期：2027年") == [] and half_width_in_chinese("库存;物流")
    assert half_width_in_chinese("Period: 2027, CNY; version 1") == []
    assert broken_bullets(["Public-domain traffic (search", "feeds", "social) brings new buyers"]) == [
        "Public-domain traffic (search",
        "social) brings new buyers",
    ]
    assert internal_notes("Christmas: phases clipped to the plan period") == ["phases clipped"]
    assert internal_notes("参考指南：《…》…运营与供应链负责库存、物… 引用: [11]") == ["参考指南：", "引用:"]
    assert internal_notes("see media-planning-zh:0724720f8680") == ["media-planning-zh:0724720f8680"]
    prose = "总预算¥1,500万。运营与供应链负责库存、物流与售后，保证大促期间的履约。"
    assert pasted_runs(prose, ["分工：运营与供应链负责库存、物流与售后，保证大促期间的履约。"], "zh")


def test_playbook_texts_close_their_parentheses() -> None:
    """A YAML flow list splits at commas: "[Ad dashboard (spend, ROAS)]" became two broken bullets."""
    import yaml

    def strings(x: object) -> list[str]:
        if isinstance(x, dict):
            return [s for v in x.values() for s in strings(v)]
        if isinstance(x, list):
            return [s for v in x for s in strings(v)]
        return [x] if isinstance(x, str) else []

    src = Path(__file__).resolve().parents[2] / "src" / "planbot"
    for path in sorted(src.rglob("*.yaml")):
        texts = strings(yaml.safe_load(path.read_text(encoding="utf-8")))
        assert not broken_bullets([t for t in texts if "(" in t or "（" in t or ")" in t or "）" in t]), path

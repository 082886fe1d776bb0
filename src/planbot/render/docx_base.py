"""The DOCX writer's building blocks: styles with an East Asian font on every one, Word fields, tables,
charts, labelled lines and a section's prose with its citation markers.

Every style in the document (and the document defaults) names the CJK font for East Asian text, so
Word and LibreOffice never fall back to a font without Chinese glyphs (boxes). Chinese documents put
a full-width colon after a label ("预算：¥35万"), English ones ": ".
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from planbot.core.plan import Plan, Section
from planbot.render import charts as C

ACCENT = RGBColor(0xC2, 0x41, 0x0C)
MUTED = RGBColor(0x5B, 0x65, 0x77)
INK = RGBColor(0x1D, 0x24, 0x33)
EAST_ASIAN_FONT = "Noto Sans CJK SC"  # falls back to the reader's CJK font (微软雅黑, 苹方) when absent
LATIN_FONT = "Calibri"
TOC_STYLES = ("toc 1", "toc 2")  # Word's built-in names for the contents entries (ids TOC1, TOC2)
APPENDIX_STYLE = "Appendix Heading"  # a Heading 2 that the contents field lists at level 2
_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def set_fonts(rpr: BaseOxmlElement, latin: str, east_asian: str = EAST_ASIAN_FONT) -> None:
    """Explicit fonts on a run-properties element: theme fonts win over named ones in Word, so they go."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)  # rFonts comes first in CT_RPr
    for attr in _THEME_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


def _add_paragraph_style(doc: DocxDocument, name: str, style_id: str, base: str, outline: int | None = None) -> None:
    styles = doc.styles
    if any(s.name == name for s in styles):
        return
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.element.set(qn("w:styleId"), style_id)
    style.base_style = styles[base]
    if outline is not None:
        ppr = style.element.get_or_add_pPr()
        level = OxmlElement("w:outlineLvl")
        level.set(qn("w:val"), str(outline))
        ppr.append(level)


def setup_styles(doc: DocxDocument, language: str) -> None:
    """Fonts on the document defaults and on every paragraph, character and table style; sizes and colours."""
    latin = EAST_ASIAN_FONT if language == "zh" else LATIN_FONT
    _add_paragraph_style(doc, TOC_STYLES[0], "TOC1", "Normal")
    _add_paragraph_style(doc, TOC_STYLES[1], "TOC2", "Normal")
    _add_paragraph_style(doc, APPENDIX_STYLE, "AppendixHeading", "Heading 2")
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        doc.styles.element.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    set_fonts(rpr, latin)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "zh-CN" if language == "zh" else "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    for style in doc.styles:
        if style.type != WD_STYLE_TYPE.LIST:  # numbering styles hold no run properties
            set_fonts(style.element.get_or_add_rPr(), latin)
    doc.styles["Normal"].font.size = Pt(10.5)
    for level in (1, 2):
        doc.styles[f"Heading {level}"].font.color.rgb = ACCENT
    doc.styles["Heading 3"].font.color.rgb = INK
    doc.styles[TOC_STYLES[0]].font.size = Pt(11)
    doc.styles[TOC_STYLES[0]].paragraph_format.space_after = Pt(4)
    toc2 = doc.styles[TOC_STYLES[1]]
    toc2.paragraph_format.left_indent = Cm(0.8)
    toc2.paragraph_format.space_after = Pt(4)


def field(paragraph: Paragraph, instruction: str, placeholder: str = "", dirty: bool = False) -> None:
    """A Word field (PAGE ...) in one paragraph: begin, instruction, separate, its shown text, end."""
    begin_field(paragraph, instruction, dirty)
    paragraph.add_run(placeholder)
    end_field(paragraph)


def _fld_char(paragraph: Paragraph, kind: str, dirty: bool = False) -> None:
    el = OxmlElement("w:fldChar")
    el.set(qn("w:fldCharType"), kind)
    if dirty:
        el.set(qn("w:dirty"), "true")  # Word recomputes it on open
    paragraph.add_run()._r.append(el)


def begin_field(paragraph: Paragraph, instruction: str, dirty: bool = False) -> None:
    """The start of a field whose shown result may run over several paragraphs (a table of contents)."""
    _fld_char(paragraph, "begin", dirty)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    _fld_char(paragraph, "separate")


def end_field(paragraph: Paragraph) -> None:
    _fld_char(paragraph, "end")


def shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def chart_name(name: str) -> C.ChartName | None:
    """`name` as a chart the charts module draws, or None where it does not (yet) draw it."""
    return next((n for n in C.CHARTS if n == name), None)


@dataclass
class Writer:
    """The document being written, the plan, and the renderers' shared context (labels, formatters)."""

    doc: DocxDocument
    plan: Plan
    ctx: dict[str, Any]

    @property
    def L(self) -> dict[str, Any]:  # the templates' name for the labels
        labels: dict[str, Any] = self.ctx["L"]
        return labels

    @property
    def zh(self) -> bool:
        return self.plan.language == "zh"

    @property
    def semi(self) -> str:
        """Between the items of a list in running text: a full-width semicolon in Chinese."""
        return "；" if self.zh else "; "

    def label(self, label: str, value: str) -> str:
        """'label：value' in Chinese, 'label: value' in English."""
        return f"{label}{'：' if self.zh else ': '}{value}"

    def paren(self, text: str) -> str:
        return f"（{text}）" if self.zh else f" ({text})"

    def heading(self, text: str, level: int, style: str | None = None) -> Paragraph:
        if style is None:
            heading: Paragraph = self.doc.add_heading(text, level=level)
            return heading
        p = self.doc.add_paragraph(style=style)
        p.add_run(text)
        return p

    def para(self, text: str = "", style: str | None = None, size: float | None = None) -> Paragraph:
        p = self.doc.add_paragraph(style=style)
        if text:
            run = p.add_run(text)
            if size is not None:
                run.font.size = Pt(size)
        return p

    def labelled(self, label: str, value: str, style: str | None = None) -> Paragraph:
        """A paragraph (or list item) that starts with a bold label: '**label**：value'."""
        p = self.doc.add_paragraph(style=style)
        p.add_run(label).bold = True
        p.add_run(("：" if self.zh else ": ") + value)
        return p

    def muted(self, text: str, size: float = 9.5) -> Paragraph:
        p = self.doc.add_paragraph()
        run = p.add_run(text)
        run.font.color.rgb = MUTED
        run.font.size = Pt(size)
        return p

    def cites(self, paragraph: Paragraph, section: Section) -> None:
        """Superscript [n] markers after the prose, n the source's place in the Sources list."""
        sources: dict[str, int] = self.ctx["sources"]
        refs = "".join(f"[{sources[c]}]" for c in section.citations if c in sources)
        if refs:
            run = paragraph.add_run(refs)
            run.font.superscript = True
            run.font.color.rgb = MUTED

    def section(self, key: str, sec: Section | None = None) -> None:
        """The section's heading, then its prose with the citation markers at the end."""
        self.doc.add_heading(self.L["sections"][key], level=1)
        if sec is not None and sec.text:
            self.cites(self.para(sec.text), sec)

    def picture(self, name: str, width_cm: float = 16, target: Paragraph | None = None) -> bool:
        """A chart as a PNG, centred; False where the charts module has no chart of that name."""
        chart = chart_name(name)
        if chart is None:
            return False
        p = target if target is not None else self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run().add_picture(io.BytesIO(C.png(self.plan, chart, dpi=130)), width=Cm(width_cm))
        return True

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[int] = (),
              total: bool = False, widths: Sequence[float] = (), spans: Sequence[int] = (),
              size: float = 9) -> Table:  # fmt: skip
        """A grid table; `widths` in cm (Word's equal columns otherwise); the rows in `spans` hold one
        full-width cell (their first value), kept on the page of the row above them; `size` in points."""
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for i, h in enumerate(headers):
            cell = table.rows[0].cells[i]
            cell.text = ""
            head = cell.paragraphs[0].add_run(h)
            head.bold = True
            if size != 9:
                head.font.size = Pt(size)
            if i in numeric:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            shade(cell, "F3F5F9")
        repeat = OxmlElement("w:tblHeader")  # repeat the header row on every page
        table.rows[0]._tr.get_or_add_trPr().append(repeat)
        for r, row in enumerate(rows):
            cells = table.add_row().cells
            if r in spans:
                cells[0].merge(cells[-1]).paragraphs[0].add_run(str(row[0])).font.size = Pt(9)
                continue
            for i, value in enumerate(row):
                p = cells[i].paragraphs[0]
                run = p.add_run(str(value))
                run.font.size = Pt(size)
                p.paragraph_format.keep_with_next = r + 1 in spans
                if total and r == len(rows) - 1:
                    run.bold = True
                if i in numeric:
                    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if widths:
            table.autofit = False
            for i, w in enumerate(widths):
                table.columns[i].width = Cm(w)
                for cell in table.columns[i].cells:
                    cell.width = Cm(w)
        self.doc.add_paragraph()
        out: Table = table
        return out

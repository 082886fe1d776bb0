"""The front of the Word document: the cover, the contents page, the one-page executive summary and the notes."""

from __future__ import annotations

from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell

from planbot.render.docx_base import APPENDIX_STYLE, TOC_STYLES, Writer, begin_field, end_field, field, shade
from planbot.render.executive import Executive, TreeNode, executive

SECTIONS = ("summary", "situation", "objectives", "funnel", "strategy", "channels", "budget", "calendar",
            "always_on", "measurement", "risks", "team")  # fmt: skip
# the summary's two charts side by side in the 17 cm of text width: the timeline's labels need the room
DONUT_CM, TIMELINE_CM = 6.4, 9.6
# Word's own contents, computed when it updates the field: the sections, and the appendices at level 2
TOC_FIELD = f'TOC \\o "1-1" \\t "{APPENDIX_STYLE},2" \\h \\z'


def contents(w: Writer) -> list[tuple[str, int]]:
    """Every heading the contents page lists, with its level: the sections, then the appendix and its parts."""
    D, S = w.L["docs"], w.L["sections"]
    appendices = [(D[k], 2) for k in ("appendix_kpis", "appendix_budget", "appendix_campaigns")]
    return [*((S[k], 1) for k in SECTIONS), (D["appendix"], 1), *appendices, (S["assumptions"], 2), (S["sources"], 1)]


def cover(w: Writer) -> None:
    """Title, period, currency and version: nothing that changes when the same plan is rendered again."""
    plan, date = w.plan, w.ctx["date"]
    for _ in range(6):
        w.para()
    w.para(plan.title, style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in (w.label(w.L["period"], f"{date(plan.period.start)} – {date(plan.period.end)}"),
                 w.label(w.L["currency"], plan.currency), w.label(w.L["version"], str(plan.version))):  # fmt: skip
        p = w.para(line, style="Subtitle")
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    w.para().add_run().add_break(WD_BREAK.PAGE)


def contents_page(w: Writer) -> None:
    """The headings written out (every reader shows them), as the shown result of a Word TOC field: Word
    replaces them with the same list plus page numbers when it updates the field."""
    w.para(w.L["docs"]["contents"], style="TOC Heading")
    entries = contents(w)
    for i, (text, level) in enumerate(entries):
        p = w.para(style=TOC_STYLES[level - 1])
        if i == 0:
            begin_field(p, TOC_FIELD, dirty=True)
        p.add_run(text)
        if i == len(entries) - 1:
            end_field(p)
    body = w.doc.add_section(WD_SECTION.NEW_PAGE)
    footer = body.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field(footer, "PAGE", "1")
    # unlink first: unlinking afterwards would give the body a new, empty header and leave the title on the cover
    body.header.is_linked_to_previous = False
    body.header.paragraphs[0].text = w.plan.title


def _tree(w: Writer, root: TreeNode, extra: TreeNode | None) -> None:
    """One line per KPI and its parts, as the PDF shows them: "GMV ¥1.2亿 = 访客数 2,020万 × 转化率 3.3% ×
    客单价 ¥180", then "订单数 66.7万 = 新客订单 45.3万 + 老客订单 21.4万"."""
    for node in (root, *([extra] if extra is not None else [])):
        p = w.para()
        p.add_run(node.label + " ")
        p.add_run(node.value).bold = True
        for i, child in enumerate(node.children):
            p.add_run(f" {'=' if i == 0 else node.operator} {child.label} ")
            p.add_run(child.value).bold = True


def _cell_title(cell: _Cell, text: str) -> None:
    p = cell.paragraphs[0]
    p.add_run(text).bold = True
    p.paragraph_format.keep_with_next = True


def _cell_lines(cell: _Cell, lines: list[str]) -> None:
    for line in lines:
        cell.add_paragraph().add_run(line).font.size = Pt(9)


def _money_and_campaigns(w: Writer, e: Executive) -> None:
    """Where the money goes (a donut) beside the key campaigns (a timeline), side by side so that the page
    keeps room for the decisions; text lines where the charts module does not draw those charts."""
    E = w.L["executive"]
    grid = w.doc.add_table(rows=1, cols=2)  # no style: no borders
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    left, right = grid.rows[0].cells
    for column, cell, width in ((grid.columns[0], left, DONUT_CM), (grid.columns[1], right, TIMELINE_CM)):
        column.width = cell.width = Cm(width + 0.5)  # the grid (LibreOffice reads it) and the cell (Word)
    _cell_title(left, E["budget"])
    if not w.picture("budget_donut", DONUT_CM, target=left.add_paragraph()):
        _cell_lines(left, [f"{label} {share} · {amount}" for label, share, amount in e.budget])
    _cell_title(right, E["campaigns"])
    if not w.picture("key_campaigns", TIMELINE_CM, target=right.add_paragraph()):
        _cell_lines(right, [f"{c.name} · {c.dates} · {c.budget} · GMV {c.gmv}" for c in e.campaigns])


def _notes_box(w: Writer) -> None:
    """The plan's warnings in a shaded box with an accent bar, as the PDF shows them."""
    notes = w.ctx["notes"]
    if not notes:
        return
    box = w.doc.add_table(rows=1, cols=1)
    box.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # the box moves whole
    cell = box.rows[0].cells[0]
    shade(cell, "FFF7ED")
    borders = OxmlElement("w:tcBorders")
    left = OxmlElement("w:left")
    for attr, value in (("w:val", "single"), ("w:sz", "24"), ("w:color", "C2410C")):
        left.set(qn(attr), value)
    borders.append(left)
    cell._tc.get_or_add_tcPr().append(borders)
    cell.paragraphs[0].add_run(w.L["warnings"]).bold = True
    for warning in notes:
        run = cell.add_paragraph().add_run(f"• {warning.message}")
        run.font.size = Pt(9)


def summary(w: Writer) -> None:
    """Section 1 on one page, in the PDF's order: the headline, the summary prose, the three decisions
    (and what is due before the plan starts), the goals and KPI tree, the money and the key campaigns;
    then the notes box, at the top of the next page (section 2 follows it)."""
    plan = w.plan
    E = w.L["executive"]
    e = executive(plan)
    w.section("summary")
    w.para().add_run(e.headline).bold = True
    w.cites(w.para(plan.summary.text), plan.summary)
    w.heading(E["decisions"], 3)
    for decision in e.decisions:
        w.para(decision, style="List Number")
    if e.before_start:
        w.labelled(E["before_start"], w.semi.join(e.before_start))
    w.heading(E["goal"], 3)
    for goal in e.goals:
        w.para(goal, style="List Bullet")
    w.heading(E["tree"], 3)
    _tree(w, e.tree, e.orders)
    _money_and_campaigns(w, e)
    w.para().add_run().add_break(WD_BREAK.PAGE)
    _notes_box(w)


def page_setup(w: Writer) -> None:
    """A4 with 2 cm side margins (17 cm of text width); later sections copy the page setup."""
    sec = w.doc.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(2)

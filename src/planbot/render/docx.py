"""A plan as a Word document (python-docx), in the order of the PDF:

1. a cover (title, period, currency, version: no render time, so the same plan gives the same cover);
2. the contents: every section and appendix heading written out by the renderer, so every reader
   (LibreOffice, WPS, a phone) shows it, as the shown result of a Word TOC field that Word refreshes
   with page numbers;
3. the one-page executive summary (section 1) and the plan's notes;
4. sections 2 to 12 with the content of the HTML template (the KPI table with the whole-period KPIs,
   the budget by quarter, the campaigns in one table);
5. the appendices: the quarter and campaign KPIs, the budget by month, each campaign's playbook (its
   funnel, phases, milestones, mechanics and budget by purpose), the assumptions;
6. the sources, numbered as the superscript [n] markers after each section's prose count.

Page numbers are PAGE fields in the footer. Every style names an East Asian font (docx_base).
The parts live in docx_base (styles, tables), docx_front, docx_sections, docx_calendar and docx_back.
"""

from __future__ import annotations

import io

from docx import Document

from planbot.core.plan import Plan
from planbot.render import docx_back, docx_calendar, docx_front, docx_sections
from planbot.render.docx_base import Writer, setup_styles
from planbot.render.formatting import context, plain_plan


def render_docx(plan: Plan) -> bytes:
    plan = plain_plan(plan)  # text goes in as plain runs (python-docx escapes it for XML once)
    doc = Document()
    w = Writer(doc, plan, context(plan))
    setup_styles(doc, plan.language)
    docx_front.page_setup(w)
    docx_front.cover(w)
    docx_front.contents_page(w)
    docx_front.summary(w)
    for part in (docx_sections.situation, docx_sections.objectives, docx_sections.funnel, docx_sections.strategy,
                 docx_sections.channels, docx_sections.budget, docx_calendar.calendar, docx_calendar.always_on,
                 docx_calendar.measurement, docx_calendar.risks, docx_calendar.team, docx_back.appendix,
                 docx_back.sources):  # fmt: skip
        part(w)
    doc.core_properties.title = plan.title
    doc.core_properties.created = plan.created_at
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()

"""The back of the Word document: the appendices (the KPIs by quarter and campaign, the monthly budget,
the campaign playbooks, the assumptions), then the numbered sources, as in the PDF."""

from __future__ import annotations

from docx.enum.text import WD_BREAK
from docx.shared import Pt

from planbot.render import docx_calendar
from planbot.render.docx_base import APPENDIX_STYLE, Writer
from planbot.render.docx_sections import period_table


def assumptions(w: Writer) -> None:
    sources: dict[str, int] = w.ctx["sources"]
    a = w.L["assumption"]
    w.heading(w.L["sections"]["assumptions"], 2, style=APPENDIX_STYLE)
    w.table([a["field"], a["value"], a["reason"], a["source"]],
            [[x.field, x.value, x.reason, f"[{sources[x.source]}]" if x.source in sources else ""]
             for x in w.plan.assumptions], widths=[3.2, 4.0, 7.4, 1.4])  # fmt: skip


def sources(w: Writer) -> None:
    """Each source numbered as the citation markers count: the guide, its section, the passage."""
    w.section("sources")
    for i, src in enumerate(w.plan.sources, start=1):
        p = w.para()
        p.paragraph_format.keep_together = True
        p.add_run(f"[{i}] {src.title}").bold = True
        if src.heading:
            p.add_run(f" · {src.heading}")
        if src.snippet:
            p.add_run().add_break()
            p.add_run(src.snippet).font.size = Pt(9)


def appendix(w: Writer) -> None:
    """Appendix A: the quarter and campaign KPIs; appendix B: the budget by month."""
    plan, ctx, D, k = w.plan, w.ctx, w.L["docs"], w.L["kpi"]
    date = ctx["date"]
    w.para().add_run().add_break(WD_BREAK.PAGE)
    w.heading(D["appendix"], 1)
    w.heading(D["appendix_kpis"], 2, style=APPENDIX_STYLE)
    w.table([k["metric"], k["target"], k["scope"], k["owner"], k["due"], k["source"]],
            [[x.label, ctx["target"](x), w.L["scopes"][x.scope], x.owner_role, date(x.due), x.data_source]
             for x in plan.kpis if x.scope != "year"], numeric=[1], widths=[4.6, 2.2, 1.4, 2.4, 3.0, 3.4])  # fmt: skip
    w.heading(D["appendix_budget"], 2, style=APPENDIX_STYLE)
    period_table(w, "by_month")
    w.heading(D["appendix_campaigns"], 2, style=APPENDIX_STYLE)
    docx_calendar.campaign_playbooks(w)
    assumptions(w)

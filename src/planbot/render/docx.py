"""A plan as a Word document (python-docx): title page, contents field, real tables, charts, references.

Citations appear as superscript [n] after a section's text and resolve in the Sources list at
the end (footnote-style references); page numbers are PAGE fields in the footer. Word fills the
table of contents when the document is opened (or on "Update field").
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from planbot.core.numbers import format_percent
from planbot.core.plan import Plan, Section
from planbot.render import charts as C
from planbot.render.formatting import context, plain_plan

ACCENT = RGBColor(0xC2, 0x41, 0x0C)
EAST_ASIAN_FONT = "Noto Sans CJK SC"  # falls back to the reader's CJK font (微软雅黑, 苹方) when absent


def _field(paragraph: Paragraph, instruction: str, placeholder: str = "") -> None:
    """A Word field (PAGE, TOC ...): begin, instruction, separate, placeholder text, end."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("text", placeholder),
                       ("end", None)):  # fmt: skip
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        elif kind == "text":
            el = OxmlElement("w:t")
            el.text = text or ""
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            if kind == "begin":
                el.set(qn("w:dirty"), "true")  # Word recomputes it on open
        run._r.append(el)


def _fonts(doc: Document) -> None:  # type: ignore[valid-type]
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3"):
        style = doc.styles[name]  # type: ignore[attr-defined]
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.append(fonts)
        fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)
    doc.styles["Normal"].font.size = Pt(10.5)  # type: ignore[attr-defined]
    for level in (1, 2):
        doc.styles[f"Heading {level}"].font.color.rgb = ACCENT  # type: ignore[attr-defined]


def _table(doc: Document, headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[int] = (),  # type: ignore[valid-type]
           total: bool = False, widths: Sequence[float] = (), spans: Sequence[int] = ()) -> Table:  # fmt: skip
    """A grid table; `widths` in cm (Word's equal columns otherwise); the rows in `spans` hold one
    full-width cell (their first value), kept on the page of the row above them."""
    table: Table = doc.add_table(rows=1, cols=len(headers))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, h in enumerate(headers):
        cell = table.rows[0].cells[i]
        cell.text = ""
        run = cell.paragraphs[0].add_run(h)
        run.bold = True
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:fill"), "F3F5F9")
        cell._tc.get_or_add_tcPr().append(shading)
    header_row = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # repeat the header row on every page
    header_row.append(repeat)
    for r, row in enumerate(rows):
        cells = table.add_row().cells
        if r in spans:
            cells[0].merge(cells[-1]).paragraphs[0].add_run(str(row[0])).font.size = Pt(9)
            continue
        for i, value in enumerate(row):
            p = cells[i].paragraphs[0]
            run = p.add_run(str(value))
            run.font.size = Pt(9)
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
    doc.add_paragraph()  # type: ignore[attr-defined]
    return table


def render_docx(plan: Plan) -> bytes:
    plan = plain_plan(plan)  # text goes in as plain runs (python-docx escapes it for XML once)
    ctx = context(plan)
    L = ctx["L"]
    money, date = ctx["money"], ctx["date"]
    ratio, opt_money, opt_count, opt_ratio = ctx["ratio"], ctx["opt_money"], ctx["opt_count"], ctx["opt_ratio"]

    def pct(x: float) -> str:
        return format_percent(x, 2)

    sources: dict[str, int] = ctx["sources"]
    sep = ctx["sep"]
    doc = Document()
    _fonts(doc)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(2)

    # title page
    for _ in range(6):
        doc.add_paragraph()
    doc.add_paragraph(plan.title, style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
    meta = doc.add_paragraph()
    meta.alignment = WD_ALIGN_PARAGRAPH.CENTER
    meta.add_run(f"{L['period']}: {date(plan.period.start)} – {date(plan.period.end)}\n")
    meta.add_run(f"{L['budget']['total']}: {money(plan.budget.total)} · GMV {money(plan.funnel.year.gmv)}\n")
    meta.add_run(f"{L['version']} {plan.version} · {L['generated']} {plan.created_at:%Y-%m-%d}")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # contents (a TOC field) and page numbers
    doc.add_heading(L["docs"]["contents"], level=1)
    _field(doc.add_paragraph(), 'TOC \\o "1-2" \\h \\z \\u', L["docs"]["toc_hint"])
    body = doc.add_section(WD_SECTION.NEW_PAGE)
    footer = body.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(footer, "PAGE", "1")
    # unlink first: unlinking afterwards would give the body a new, empty header and leave the title on the cover
    body.header.is_linked_to_previous = False
    body.header.paragraphs[0].text = plan.title

    def section(key: str, sec_obj: Section | None = None) -> None:
        doc.add_heading(L["sections"][key], level=1)
        if sec_obj is not None and sec_obj.text:
            p = doc.add_paragraph(sec_obj.text)
            refs = "".join(f"[{sources[c]}]" for c in sec_obj.citations if c in sources)
            if refs:
                run = p.add_run(refs)
                run.font.superscript = True
                run.font.color.rgb = RGBColor(0x5B, 0x65, 0x77)

    def chart(name: C.ChartName) -> None:
        doc.add_picture(io.BytesIO(C.png(plan, name, dpi=130)), width=Cm(16))
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER

    if plan.warnings:
        doc.add_paragraph(L["warnings"] + ": " + "; ".join(w.message for w in plan.warnings))
    section("summary", plan.summary)
    section("situation", plan.situation)
    s = plan.situation
    for label, value in ((L["market"], s.market), (L["competitors"], s.competitors),
                         (L["audience"], f"{s.audience.description} · {s.audience.age} · {s.audience.regions}"),
                         (L["data_sources"], sep.join(s.data_sources))):  # fmt: skip
        doc.add_paragraph(f"{label}: {value}", style="List Bullet")
    swot = ["strengths", "weaknesses", "opportunities", "threats"]
    _table(doc, [L["swot"][k] for k in swot], [["\n".join(getattr(s.swot, k)) for k in swot]])

    section("objectives", plan.objectives)
    _table(doc, [L["objective"]["dimension"], L["objective"]["statement"], ""],
           [[L["dimensions"][o.dimension], o.statement, L["objective"]["core" if o.core else "supporting"]]
            for o in plan.objectives.items])  # fmt: skip
    k = L["kpi"]
    _table(doc, [k["metric"], k["target"], k["benchmark"], k["scope"], k["owner"], k["due"], k["source"]],
           [[x.label, ctx["target"](x), x.benchmark, L["scopes"][x.scope], x.owner_role, date(x.due), x.data_source]
            for x in plan.kpis], numeric=[1])  # fmt: skip

    section("funnel", plan.funnel)
    f = L["funnel"]
    mix = ctx["order_mix"]  # new/returning orders: release-2 plans only
    _table(doc, [f["scope"], f["gmv"], f["uv"], f["cvr"], f["aov"], f["orders"],
                 *([f["new_orders"], f["returning_orders"]] if mix else [])],
           [[r.label, money(r.gmv), f"{r.uv:,}", pct(r.cvr), money(r.aov), f"{r.orders:,}",
             *([opt_count(r.new_orders), opt_count(r.returning_orders)] if mix else [])]
            for r in [plan.funnel.year, *plan.funnel.quarters]], numeric=[1, 2, 3, 4, 5, 6, 7],
           widths=[2.0, 2.6, 2.2, 1.5, 1.4, 1.9, 2.7, 2.7] if mix else [2.6, 3.2, 3.0, 2.4, 2.4, 3.4])  # fmt: skip
    ratios = [f"{f['baseline']}: {pct(plan.funnel.baseline_cvr)}", f"{f['roas']}: {ratio(plan.funnel.roas)}"]
    if plan.funnel.ad_roas is not None:
        ratios.append(f"{f['ad_roas']}: {ratio(plan.funnel.ad_roas)}")
    doc.add_paragraph(" · ".join(ratios))
    chart("funnel")

    section("strategy", plan.strategy)
    for key in ("product", "price", "place", "promotion", "traffic_loop"):
        doc.add_heading(L["strategy"][key], level=2)
        for item in getattr(plan.strategy, key):
            doc.add_paragraph(item, style="List Bullet")
    doc.add_heading(L["strategy"]["segments"], level=2)
    for seg in plan.strategy.segments:
        doc.add_paragraph(f"{seg.name}: {seg.approach}", style="List Bullet")

    section("channels", plan.channels)
    c = L["channel"]
    returns = ctx["channel_returns"]  # attributed GMV and ad ROAS: release-2 plans only
    # a row of figures per channel, its role and tactics in a full-width row under it (room for the returns)
    figures = [[x.name, pct(x.share), money(x.amount),
                *([opt_money(x.attributed_gmv), opt_ratio(x.roas)] if returns else []), sep.join(x.kpis)]
               for x in plan.channels.items]  # fmt: skip
    details = [[f"{c['role']}: {x.role}\n{c['tactics']}:\n" + "\n".join(f"• {t}" for t in x.tactics)]
               for x in plan.channels.items]  # fmt: skip
    _table(doc, [c["name"], c["share"], c["amount"], *([c["attributed_gmv"], c["roas"]] if returns else []), c["kpis"]],
           [row for pair in zip(figures, details, strict=True) for row in pair],
           numeric=[1, 2, 3, 4] if returns else [1, 2], spans=range(1, 2 * len(figures), 2),
           widths=[3.0, 1.8, 2.6, 2.8, 1.8, 5.0] if returns else [3.4, 2.0, 2.8, 8.8])  # fmt: skip

    section("budget", plan.budget)
    b = L["budget"]
    doc.add_paragraph(" · ".join([*(f"{label}: {value}" for label, value in ctx["facts"]),
                                  f"{b['total']}: {money(plan.budget.total)}",
                                  f"{b['reserve']}: {money(plan.budget.reserve)}",
                                  f"{b['allocated']}: {money(plan.budget.allocated)}"]))  # fmt: skip
    if ctx["feasibility"]:
        doc.add_paragraph().add_run(b["feasibility"]).bold = True
        for label, value in ctx["feasibility"]:
            doc.add_paragraph(f"{label}: {value}", style="List Bullet")
    chart("budget_by_channel")
    for title, lines, total in ((b["by_category"], plan.budget.by_category, plan.budget.allocated),
                                (ctx["channel_title"], plan.budget.by_channel, ctx["media_total"])):  # fmt: skip
        doc.add_heading(title, level=2)
        _table(doc, [b["item"], b["share"], b["amount"]],
               [*[[x.label, pct(x.share), money(x.amount)] for x in lines],
                [b["total_row"], "100%", money(total)]], numeric=[1, 2], total=True)  # fmt: skip
    if plan.budget.by_platform:
        doc.add_heading(b["by_platform"], level=2)
        _table(doc, [b["item"], b["share"], b["amount"], b["attributed_gmv"], b["roas"], b["benchmark"]],
               [*[[x.label, pct(x.share), money(x.amount), opt_money(x.attributed_gmv), opt_ratio(x.roas), x.benchmark]
                  for x in plan.budget.by_platform],
                [b["total_row"], "100%", money(ctx["media_total"]), "", "", ""]],
               numeric=[1, 2, 3, 4], total=True, widths=[4.2, 1.8, 2.6, 2.8, 2.2, 3.4])  # fmt: skip
    chart("budget_by_month")
    for key in ("by_quarter", "by_month"):
        doc.add_heading(b[key], level=2)
        rows = getattr(plan.budget, key)
        _table(doc, [b["period"], b["share"], b["amount"], b["activities"]],
               [*[[x.label, pct(x.share), money(x.amount), sep.join(x.activities)] for x in rows],
                [b["total_row"], "100%", money(plan.budget.allocated), ""]], numeric=[1, 2], total=True)  # fmt: skip

    section("calendar", plan.calendar)
    chart("calendar")
    cp = L["campaign"]
    _table(doc, [L["measurement"]["campaign"], cp["phase"], cp["dates"], cp["budget"], cp["actions"]],
           [[camp.name, ph.name, f"{ctx['sdate'](ph.start)} – {ctx['sdate'](ph.end)}",
             money(camp.budget) if i == 0 else "", "\n".join(a.text for a in ph.actions)]
            for camp in plan.calendar.campaigns for i, ph in enumerate(camp.phases)], numeric=[3])  # fmt: skip
    for camp in plan.calendar.campaigns:
        doc.add_paragraph(f"{camp.name} · {cp['mechanics']}: " + "; ".join(m.description for m in camp.mechanics),
                          style="List Bullet")  # fmt: skip
    tr = L["trade"]
    for camp in plan.calendar.campaigns:  # the trade calendar: what shapes the dates, and the deadlines around them
        notes, marks = ctx["campaign_notes"](camp), ctx["milestones"](camp)
        if not notes and not marks:
            continue
        doc.add_heading(camp.name, level=3)
        for note in notes:
            doc.add_paragraph().add_run(note).italic = True
        if marks:
            _table(doc, [tr["date"], tr["milestones"]], [[day, x.text] for day, x in marks],
                   widths=[3.6, 12.4])  # fmt: skip

    section("always_on", plan.always_on)
    a = L["always_on"]
    _table(doc, [a["area"], a["cadence"], a["actions"], a["owner"]],
           [[i.area, i.cadence, "; ".join(i.actions), i.owner_role] for i in plan.always_on.items])  # fmt: skip

    section("measurement", plan.measurement)
    m = L["measurement"]
    for d in plan.measurement.dashboards:
        doc.add_paragraph(d, style="List Bullet")
    _table(doc, [m["metric"], m["threshold"], m["response"]],
           [[x.metric, x.threshold, x.response] for x in plan.measurement.alerts])  # fmt: skip
    _table(doc, [m["campaign"], m["due"], m["agenda"]],
           [[ctx["campaign_names"].get(r.campaign, r.campaign), date(r.due), r.agenda]
            for r in plan.measurement.reviews])  # fmt: skip
    if ctx["follow_ups"]:
        doc.add_paragraph().add_run(tr["follow_ups"]).bold = True
        _table(doc, [tr["due"], tr["follow_up"]], [[date(x.due), x.text] for x in ctx["follow_ups"]],
               widths=[3.6, 12.4])  # fmt: skip

    section("risks", plan.risks)
    r = L["risk"]
    _table(doc, [r["risk"], r["trigger"], r["impact"], r["response"], r["owner"]],
           [[x.risk, x.trigger, x.impact, x.response, x.owner_role] for x in plan.risks.items])  # fmt: skip

    section("team", plan.team)
    _table(doc, [L["team"]["role"], L["team"]["responsibilities"]],
           [[t.role, "; ".join(t.responsibilities)] for t in plan.team.items])  # fmt: skip

    section("assumptions")
    asm = L["assumption"]
    _table(doc, [asm["field"], asm["value"], asm["reason"], asm["source"]],
           [[x.field, x.value, x.reason, f"[{sources[x.source]}]" if x.source in sources else ""]
            for x in plan.assumptions])  # fmt: skip

    section("sources")
    for i, src in enumerate(plan.sources, start=1):
        p = doc.add_paragraph()
        p.add_run(f"[{i}] {src.title}").bold = True
        p.add_run(f" ({src.chunk_id})\n{src.snippet[:300]}").font.size = Pt(9)

    doc.core_properties.title = plan.title
    doc.core_properties.created = plan.created_at
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()

"""Sections 8 to 12 of the Word document (calendar to team): each campaign with its funnel, phases,
milestones, mechanics and budget by purpose, as the HTML and PDF show them."""

from __future__ import annotations

from docx.shared import Pt

from planbot.core.plan import Campaign
from planbot.render.docx_base import MUTED, Writer
from planbot.render.docx_sections import pct


def _campaign(w: Writer, camp: Campaign) -> None:
    ctx, L = w.ctx, w.L
    money, date, sdate = ctx["money"], ctx["date"], ctx["sdate"]
    cp, f, tr = L["campaign"], L["funnel"], L["trade"]
    head = w.heading(f"{camp.name} · {date(camp.day)}", 3)
    if camp.estimated:
        run = head.add_run(w.paren(cp["estimated"]))
        run.font.size = Pt(9)
        run.font.color.rgb = MUTED
    cf = camp.funnel
    figures = [f"GMV {money(cf.gmv)}", f"UV {cf.uv:,}", f"{f['cvr']} {pct(cf.cvr)}", f"{f['orders']} {cf.orders:,}"]
    if cf.new_orders is not None:
        figures.append(f"{f['new_orders']} {cf.new_orders:,}")
    if cf.returning_orders is not None:
        figures.append(f"{f['returning_orders']} {cf.returning_orders:,}")
    w.labelled(cp["budget"], money(camp.budget)).paragraph_format.keep_with_next = True
    w.labelled(cp["funnel"], " · ".join(figures))  # the heading keeps its figures; the long table may move on
    for note in ctx["campaign_notes"](camp):
        run = w.para().add_run(note)
        run.italic = True
        run.font.color.rgb = MUTED
    w.table([cp["phase"], cp["dates"], cp["actions"]],
            [[ph.name, f"{sdate(ph.start)} – {sdate(ph.end)}", "\n".join(f"• {a.text}" for a in ph.actions)]
             for ph in camp.phases], widths=[2.2, 3.4, 10.4])  # fmt: skip
    if camp.milestones:
        w.para().add_run(tr["milestones"]).bold = True
        w.table([tr["date"], tr["milestone"]], [[day, x.text] for day, x in ctx["milestones"](camp)],
                widths=[3.6, 12.4])  # fmt: skip
    w.labelled(cp["mechanics"], w.semi.join(m.description for m in camp.mechanics))
    w.labelled(cp["purpose"], w.semi.join(f"{b.label} {money(b.amount)}" for b in camp.budget_by_purpose))


def calendar(w: Writer) -> None:
    """The Gantt and one row per campaign; each campaign's playbook is appendix C (as in the PDF)."""
    ctx, L = w.ctx, w.L
    w.section("calendar", w.plan.calendar)
    w.picture("calendar")
    kinds = ("warm_up", "burst", "follow_through")
    money_c, sdate = ctx["money_c"], ctx["sdate"]
    rows = []
    for c in w.plan.calendar.campaigns:
        name = c.name + (w.paren(L["campaign"]["estimated"]) if c.estimated else "")
        spans = ["\n".join(f"{sdate(p.start)}–{sdate(p.end)}" for p in c.phases if p.kind == k) for k in kinds]
        gmv = "—" if c.carried else money_c(c.funnel.gmv)  # next plan's target: only its warm-up is here
        rows.append([name, sdate(c.day), *spans, money_c(c.budget), gmv])
    heads = [L["measurement"]["campaign"], L["campaign"]["day"], *(L["phases"][k] for k in kinds)]
    widths = [3.6, 1.8, 2.6, 2.6, 2.6, 1.6, 1.6]
    w.table([*heads, L["campaign"]["budget"], "GMV"], rows, numeric=[5, 6], widths=widths)
    w.para(L["docs"]["campaign_details"]).runs[0].font.color.rgb = MUTED


def campaign_playbooks(w: Writer) -> None:
    """Appendix C: every campaign's funnel, phase actions, milestones, mechanics and budget by purpose."""
    for camp in w.plan.calendar.campaigns:
        _campaign(w, camp)


def always_on(w: Writer) -> None:
    plan, a = w.plan, w.L["always_on"]
    w.section("always_on", plan.always_on)
    w.table([a["area"], a["cadence"], a["actions"], a["owner"]],
            [[i.area, i.cadence, w.semi.join(i.actions), i.owner_role] for i in plan.always_on.items])  # fmt: skip


def measurement(w: Writer) -> None:
    plan, ctx, m, tr = w.plan, w.ctx, w.L["measurement"], w.L["trade"]
    date = ctx["date"]
    w.section("measurement", plan.measurement)
    w.heading(m["dashboards"], 2)
    for d in plan.measurement.dashboards:
        w.para(d, style="List Bullet")
    w.heading(m["alerts"], 2)
    w.table([m["metric"], m["threshold"], m["response"]],
            [[x.metric, x.threshold, x.response] for x in plan.measurement.alerts])  # fmt: skip
    w.labelled(m["ab_tests"], w.semi.join(plan.measurement.ab_tests))
    w.heading(m["reviews"], 2)
    w.table([m["campaign"], m["due"], m["agenda"]],
            [[ctx["campaign_names"].get(r.campaign, r.campaign), date(r.due), r.agenda]
             for r in plan.measurement.reviews])  # fmt: skip
    if ctx["follow_ups"]:
        w.heading(tr["follow_ups"], 2)
        w.table([tr["due"], tr["follow_up"]], [[date(x.due), x.text] for x in ctx["follow_ups"]],
                widths=[3.6, 12.4])  # fmt: skip


def risks(w: Writer) -> None:
    plan, r = w.plan, w.L["risk"]
    w.section("risks", plan.risks)
    w.table([r["risk"], r["trigger"], r["impact"], r["response"], r["owner"]],
            [[x.risk, x.trigger, x.impact, x.response, x.owner_role] for x in plan.risks.items])  # fmt: skip


def team(w: Writer) -> None:
    plan, t = w.plan, w.L["team"]
    w.section("team", plan.team)
    w.table([t["role"], t["responsibilities"]],
            [[x.role, w.semi.join(x.responsibilities)] for x in plan.team.items], widths=[4.0, 12.0])  # fmt: skip

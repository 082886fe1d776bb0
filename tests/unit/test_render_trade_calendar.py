"""Issue 19 in the documents: milestones, carried campaigns, logistics notes and follow-ups in every
format, and a Gantt whose ticks fit the plan's length and whose labels fit the figure.

The plans come from the shared fixtures; the trade-calendar fields are then set by hand (whatever the
builder decides for them), so these tests pin the renderers, not the trade calendar's rules.
"""

from __future__ import annotations

import io
import itertools
from datetime import date, timedelta
from typing import Any

import pytest
from docx import Document
from matplotlib.figure import Figure
from openpyxl import load_workbook

from planbot.core.brief import Period
from planbot.core.plan import FollowUp, Milestone, Plan
from planbot.render import charts as C
from planbot.render import gantt, render
from planbot.render.formatting import labels
from planbot.render.html import render_html
from planbot.render.markdown import render_markdown

LANGS = {"zh": "beauty", "en": "us"}
TEXT = {  # what the hand-set trade calendar says, per language: each string appears once in a document
    "zh": {"stock": "测试节点：备货下单截止", "resume": "测试节点：快递恢复揽收", "carried": "测试·来年活动",
           "early": "测试跟进：复盘会", "late": "测试跟进：复购率检查"},
    "en": {"stock": "Test milestone: stock order deadline", "resume": "Test milestone: carriers resume",
           "carried": "Test carried campaign", "early": "Test follow-up: review meeting",
           "late": "Test follow-up: repurchase check"},
}  # fmt: skip
LONG = {"zh": "春节年货不打烊·电子礼品卡与提货券专场活动（第二波冲刺加码）", "en": "Spring Festival e-gift card pushes"}


def _bare(plan: Plan) -> Plan:
    """The plan as stored before the trade calendar: no milestones, nothing carried, no follow-ups."""
    camps = [c.model_copy(update={"milestones": [], "carried": False, "logistics": "normal", "wave": None})
             for c in plan.calendar.campaigns]  # fmt: skip
    return plan.model_copy(
        update={
            "calendar": plan.calendar.model_copy(update={"campaigns": camps}),
            "measurement": plan.measurement.model_copy(update={"follow_ups": []}),
        },
        deep=True,
    )


def _trade(plan: Plan) -> Plan:
    """The bare plan, then: the first campaign sells virtual goods and has two milestones (listed out of
    date order), the last ends before the carrier cut-off, a carried campaign warms up in the last ten
    days, and two follow-ups fall after the end (listed late first)."""
    plan = _bare(plan)
    t = TEXT[plan.language]
    camps = plan.calendar.campaigns
    first, last, end = camps[0], camps[-1], plan.period.end
    first = first.model_copy(update={"logistics": "virtual", "milestones": [
        Milestone(kind="carrier_resume", day=first.day + timedelta(days=10), text=t["resume"]),
        Milestone(kind="stock_order", day=first.day - timedelta(days=40), text=t["stock"]),
    ]})  # fmt: skip
    last = last.model_copy(update={"logistics": "ends_before_cutoff"})
    warm = first.phases[0].model_copy(update={"kind": "warm_up", "start": end - timedelta(days=9), "end": end})
    carried = first.model_copy(update={"id": "carried-test", "name": t["carried"], "carried": True,
                                       "logistics": "normal", "milestones": [], "day": end + timedelta(days=20),
                                       "phases": [warm]})  # fmt: skip
    follow = [FollowUp(campaign=last.id, due=end + timedelta(days=60), text=t["late"]),
              FollowUp(campaign=None, due=end + timedelta(days=5), text=t["early"])]  # fmt: skip
    calendar = plan.calendar.model_copy(update={"campaigns": [first, *camps[1:-1], last, carried]})
    return plan.model_copy(update={"calendar": calendar,
                                   "measurement": plan.measurement.model_copy(update={"follow_ups": follow})})  # fmt: skip


@pytest.fixture(scope="module", params=["zh", "en"])
def plan(request: pytest.FixtureRequest, plans: dict[str, Plan]) -> Plan:
    return _trade(plans[LANGS[request.param]])


def _in_order(text: str, *parts: str) -> bool:
    at = [text.find(p) for p in parts]
    return all(i >= 0 for i in at) and at == sorted(at)


def _notes(plan: Plan) -> tuple[str, str, str]:
    T = labels(plan.language)["trade"]
    return T["carried"], T["logistics"]["virtual"], T["logistics"]["ends_before_cutoff"]


def _between(text: str, start: str, end: str) -> str:
    i = text.index(start)
    return text[i : text.index(end, i)]


def test_markdown_shows_milestones_notes_and_follow_ups(plan: Plan) -> None:
    md = render_markdown(plan)
    t, T = TEXT[plan.language], labels(plan.language)["trade"]
    camps = plan.calendar.campaigns
    first = _between(md, f"### {camps[0].name}", f"### {camps[1].name}")  # names are plain text here
    # the note above the phases, the milestones under them, in date order
    assert _in_order(
        first,
        f"> {T['logistics']['virtual']}",
        "| --- | --- | --- |",
        f"**{T['milestones']}**",
        f"| {T['date']} | {T['milestone']} |\n| --- | --- |\n",
        t["stock"],
        t["resume"],
    )
    for note in _notes(plan):
        assert f"> {note}" in md
    assert md.count(f"**{T['milestones']}**") == 1  # only the campaign that has milestones
    assert _in_order(
        md,
        "## " + labels(plan.language)["sections"]["measurement"],
        f"**{T['follow_ups']}**",
        t["early"],
        t["late"],
        "## " + labels(plan.language)["sections"]["risks"],
    )


def test_html_shows_milestones_notes_and_follow_ups(plan: Plan) -> None:
    html = render_html(plan, charts=False)
    t, T = TEXT[plan.language], labels(plan.language)["trade"]
    assert _in_order(html, f"<caption>{T['milestones']}</caption>", t["stock"], t["resume"])
    for note in _notes(plan):
        assert f'<p class="campaign-note">{note}</p>' in html.replace("&#39;", "'")
    assert _in_order(html, f"<h3>{T['follow_ups']}</h3>", t["early"], t["late"])


def test_docx_shows_milestones_notes_and_follow_ups(plan: Plan) -> None:
    doc = Document(io.BytesIO(render(plan, "docx")))
    t, T = TEXT[plan.language], labels(plan.language)["trade"]
    paragraphs = [p.text for p in doc.paragraphs]
    for note in _notes(plan):
        assert note in paragraphs
    assert T["follow_ups"] in paragraphs
    first = plan.calendar.campaigns[0].name  # its playbook, in appendix C
    assert [p for p in doc.paragraphs if p.style.name == "Heading 3" and p.text.startswith(f"{first} · ")]
    tables = {
        t.rows[0].cells[1].text: [[c.text for c in r.cells] for r in t.rows[1:]]
        for t in doc.tables
        if len(t.columns) > 1
    }
    assert [row[1] for row in tables[T["milestone"]]] == [t["stock"], t["resume"]]
    assert [row[1] for row in tables[T["follow_up"]]] == [t["early"], t["late"]]


def test_xlsx_has_a_milestones_sheet_and_follow_ups(plan: Plan) -> None:
    wb = load_workbook(io.BytesIO(render(plan, "xlsx")))
    t, T, D = TEXT[plan.language], labels(plan.language)["trade"], labels(plan.language)["docs"]
    ws = wb[T["sheet"]]
    assert ws.freeze_panes == "A2"
    rows: list[tuple[Any, ...]] = list(ws.iter_rows(values_only=True))
    assert rows[0] == (D["campaign"], T["date"], T["kind"], T["text"])
    first = plan.calendar.campaigns[0]
    assert rows[1][0] == rows[2][0] == first.name
    assert [r[2:] for r in rows[1:3]] == [
        (T["kinds"]["stock_order"], t["stock"]),
        (T["kinds"]["carrier_resume"], t["resume"]),
    ]
    assert rows[1][1].date() == first.day - timedelta(days=40)  # a real date, not text
    head = rows.index((T["follow_ups"], None, None, None))
    names = {c.id: c.name for c in plan.calendar.campaigns}
    assert rows[head + 1][2:] == (T["kinds"]["follow_up"], t["early"]) and rows[head + 1][0] is None
    assert rows[head + 2][0] == names[plan.calendar.campaigns[-2].id] and rows[head + 2][3] == t["late"]
    calendar = wb[D["calendar"]]
    notes = [c.value for c in calendar["I"][1:] if c.value]
    assert calendar["I1"].value == T["notes"] and sorted(notes) == sorted(_notes(plan))  # one note each


def test_plans_without_a_trade_calendar_render_as_before(plans: dict[str, Plan]) -> None:
    for lang, key in LANGS.items():
        plan = _bare(plans[key])
        T = labels(lang)["trade"]
        md = render_markdown(plan)
        assert f"**{T['milestones']}**" not in md and T["follow_ups"] not in md
        assert not any(note in md for note in (T["carried"], *T["logistics"].values()))
        wb = load_workbook(io.BytesIO(render(plan, "xlsx")))
        assert T["sheet"] not in wb.sheetnames and len(wb.sheetnames) == 8
        assert wb[labels(lang)["docs"]["calendar"]].max_column == 8  # no notes column


def _with_period(plan: Plan, start: date, end: date) -> Plan:
    return plan.model_copy(update={"period": Period(start=start, end=end)})


def test_gantt_ticks_follow_the_plan_length(plans: dict[str, Plan]) -> None:
    zh, en = plans["beauty"], plans["us"]
    six_weeks = (date(2027, 10, 18), date(2027, 11, 28))
    fig = C.calendar(_with_period(zh, *six_weeks))
    ticks = fig.axes[0].get_xticks()
    assert 5 <= len(ticks) <= 7
    assert [x.get_text() for x in fig.axes[0].get_xticklabels()][:2] == ["10月18日", "10月25日"]
    assert [x.get_text() for x in C.calendar(_with_period(en, *six_weeks)).axes[0].get_xticklabels()][:2] == [
        "10/18", "10/25"]  # fmt: skip
    assert 10 <= len(C.calendar(zh).axes[0].get_xticks()) <= 13  # Jan-Dec: monthly
    assert len(C.calendar(_with_period(en, date(2027, 7, 1), date(2027, 11, 30))).axes[0].get_xticks()) == 10
    assert gantt.scale(70) == "week" and gantt.scale(71) == "half_month" and gantt.scale(156) == "month"
    assert gantt.tick_dates(date(2027, 10, 19), date(2027, 10, 24)) == [date(2027, 10, 19), date(2027, 10, 21),
                                                                         date(2027, 10, 23)]  # fmt: skip


def _bars(fig: Figure, row: int) -> list[Any]:
    return [p for p in fig.axes[0].patches if (p.get_gid() or "").startswith(f"gantt-{row}-")]  # its phases, in order


def test_gantt_draws_carried_campaigns_and_shares_colours_between_waves(plan: Plan) -> None:
    camps = plan.calendar.campaigns
    second = camps[1].model_copy(update={"id": "wave-first", "key": camps[0].key, "wave": "tmall/first"})
    first = camps[0].model_copy(update={"wave": "tmall/final"})
    waved = plan.model_copy(
        update={"calendar": plan.calendar.model_copy(update={"campaigns": [first, second, *camps[2:]]})}
    )
    fig = C.calendar(waved)
    ax = fig.axes[0]
    carried = len(camps) - 1
    assert ax.get_yticklabels()[carried].get_text() == gantt.wrap_label(TEXT[plan.language]["carried"])
    assert _bars(fig, carried) and all(p.get_hatch() for p in _bars(fig, carried))
    assert not any(p.get_hatch() for row in range(carried) for p in _bars(fig, row))

    def burst(row: int) -> tuple[float, ...]:
        kinds = [ph.kind for ph in waved.calendar.campaigns[row].phases]
        return tuple(_bars(fig, row)[kinds.index("burst")].get_facecolor())

    assert burst(0) == burst(1) != burst(2)  # two waves of one sale, then another campaign


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_gantt_labels_fit_the_figure(plans: dict[str, Plan], lang: str) -> None:
    plan = _trade(plans[LANGS[lang]])
    for name in (LONG[lang], "x" * 30 if lang == "en" else "长" * 30):
        assert len(name) >= 30
        camps = [
            c.model_copy(update={"name": name}) if i in (0, 2) else c for i, c in enumerate(plan.calendar.campaigns)
        ]
        for period in ((plan.period.start, plan.period.end), (date(2027, 10, 4), date(2027, 12, 12))):
            fig = C.calendar(_with_period(plan.model_copy(update={
                "calendar": plan.calendar.model_copy(update={"campaigns": camps})}), *period))  # fmt: skip
            fig.canvas.draw()
            renderer = fig.canvas.get_renderer()
            ax, page = fig.axes[0], fig.bbox
            ys = [t.get_window_extent(renderer) for t in ax.get_yticklabels()]
            xs = [t.get_window_extent(renderer) for t in ax.get_xticklabels() if t.get_text()]
            assert ys[0].width < page.width / 3  # wrapped, not a line across the page
            for box in ys + xs:
                assert box.x0 >= 0 and box.x1 <= page.x1 and box.y0 >= 0 and box.y1 <= page.y1  # nothing clipped
            for box in ys:
                assert box.x1 <= ax.bbox.x0  # left of the bars
            for a, b in itertools.pairwise(ys):
                assert not a.overlaps(b)  # each name beside its own row only
            for a, b in itertools.pairwise(xs):
                assert not a.overlaps(b)


def test_wrap_label_breaks_at_natural_places() -> None:
    assert gantt.wrap_label("618年中大促·第一波（开门红）", width=24) == "618年中大促·第一波\n（开门红）"
    assert gantt.wrap_label("春节不打烊·电子礼品卡专场", width=16) == "春节不打烊·\n电子礼品卡专场"  # after "·"
    assert gantt.wrap_label("双11·第一波（开门红）", width=14) == "双11·第一波\n（开门红）"  # "（" starts a line
    assert gantt.wrap_label("Prime Big Deal Days (October)", width=24) == "Prime Big Deal Days\n(October)"
    assert gantt.wrap_label("x" * 30, width=24) == "x" * 24 + "\n" + "x" * 6  # a word longer than a line
    assert gantt.wrap_label("An exceptionally long sale name") == "An exceptionally long sale name"  # 31: one line
    cut = gantt.wrap_label("很" * 80)
    assert cut.count("\n") == gantt.LABEL_LINES - 1 and cut.endswith("…")

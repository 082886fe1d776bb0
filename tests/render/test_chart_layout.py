"""Issue 20 (charts): every chart, for Chinese and English plans and for copies with 40+ character
channel and campaign names, draws every text inside the figure, no two texts over each other, and no
bar's label over another bar; the executive-summary donut and key-campaign timeline show the plan's
figures and dates.

Geometry is read from the drawn figure (`charts.figure`) with the Agg renderer: each text artist's
window extent, each bar's. Bars carry gids "bar-<i>" (a burst overlay "bar-<i>-burst") and the label
that belongs to bar i carries "label-<i>", so a label may touch its own bar, never another's.
"""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from matplotlib.dates import date2num
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Wedge
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from planbot.core.plan import Plan
from planbot.render import chart_summary as S
from planbot.render import charts as C
from planbot.render import executive as E
from planbot.render.chart_layout import ELLIPSIS, cuts_word, fit_lines, money_label, new_figure

PLANS = ("beauty", "us", "jd_double11", "cold_start")  # zh, en, zh (six weeks), zh (six months)
LONG = {
    "zh": "春节年货不打烊·电子礼品卡与提货券专场活动（第二波冲刺加码）全渠道联动与会员私域深度运营",
    "en": "Spring Festival e-gift cards and vouchers push, second wave (all channels)",
}
TOL = 0.5  # pixels: anti-aliasing, not a layout fault


def long_names(plan: Plan) -> Plan:
    """A deep copy whose campaigns, channels and cost categories all have 40+ character names."""
    out = plan.model_copy(deep=True)
    base = LONG[out.language]
    for i, c in enumerate(out.calendar.campaigns):
        c.name = f"{i + 1}·{base}"
    for i, x in enumerate([*out.budget.by_channel, *out.budget.by_category]):
        x.label = f"{i + 1} {base}"
    assert all(len(c.name) >= 40 for c in out.calendar.campaigns) and len(base) >= 40
    return out


@pytest.fixture(scope="module", params=[(k, v) for k in PLANS for v in ("plain", "long")], ids="-".join)
def plan(request: pytest.FixtureRequest, plans: dict[str, Plan]) -> Plan:
    key, variant = request.param
    return long_names(plans[key]) if variant == "long" else plans[key]


def _undrawn_ticks(fig: Figure) -> set[int]:
    """The tick labels outside their axis's view: matplotlib keeps them visible but does not draw them."""
    out: set[int] = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            pad = (hi - lo) * 1e-9
            for tick in [*axis.get_major_ticks(), *axis.get_minor_ticks()]:
                if not lo - pad <= tick.get_loc() <= hi + pad:
                    out |= {id(tick.label1), id(tick.label2)}
    return out


def _texts(fig: Figure) -> list[tuple[Text, Bbox]]:
    """Every text the figure draws, with its extent in pixels."""
    r = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    hidden = _undrawn_ticks(fig)
    return [(t, t.get_window_extent(r)) for t in fig.findobj(Text)
            if t.get_visible() and t.get_text().strip() and id(t) not in hidden]  # fmt: skip


def _overlap(a: Bbox, b: Bbox) -> bool:
    """Whether the two boxes share more than a hair (TOL on each side)."""
    return min(a.x1, b.x1) - max(a.x0, b.x0) > 2 * TOL and min(a.y1, b.y1) - max(a.y0, b.y0) > 2 * TOL


def _owner(gid: str | None, kind: str) -> str | None:
    return gid.split("-")[1] if gid and gid.startswith(kind + "-") else None


@pytest.mark.parametrize("name", C.CHARTS)
def test_chart_texts_fit_and_do_not_overlap(plan: Plan, name: C.ChartName) -> None:
    fig = C.figure(plan, name)  # drawn once more, as `savefig` draws it: no draw here (a 2nd pass can hide faults)
    page = fig.bbox
    texts = _texts(fig)
    assert texts, "a chart without any text"
    for t, box in texts:  # (a) nothing clipped at the figure's edge
        assert box.x0 >= -TOL and box.y0 >= -TOL, (name, t.get_text())
        assert box.x1 <= page.x1 + TOL and box.y1 <= page.y1 + TOL, (name, t.get_text())
    for (t, a), (u, b) in itertools.combinations(texts, 2):  # (b) no two texts over each other
        assert not _overlap(a, b), (name, t.get_text(), u.get_text())
    r = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    bars = [(o, p.get_window_extent(r)) for p in fig.findobj(Patch) if (o := _owner(p.get_gid(), "bar"))]
    for t, box in texts:  # (c) a bar's label never over another bar
        if (mine := _owner(t.get_gid(), "label")) is not None:
            for other, bar in bars:
                assert other == mine or not _overlap(box, bar), (name, t.get_text(), other)


@pytest.mark.parametrize("name", ["budget_by_channel", "budget_donut"])
def test_legend_money_keeps_its_unit(plan: Plan, name: C.ChartName) -> None:
    """The "$350.24K lost its K" report: each legend entry ends with its whole amount, inside the figure."""
    fig = C.figure(plan, name)
    entries = [t.get_text() for legend in fig.legends for t in legend.get_texts()]
    if name == "budget_donut":
        amounts = [w.amount for w in S.donut_lines(plan)]
    else:
        amounts = [x.amount for x in plan.budget.by_channel if x.amount > 0]
    assert len(entries) == len(amounts)
    for entry, amount in zip(entries, amounts, strict=True):
        assert entry.endswith(money_label(amount, plan.currency, plan.language)), entry


def test_month_labels_stay_over_their_own_month(plans: dict[str, Plan]) -> None:
    """The "December label across the November bar" report, with the names made long on purpose."""
    for key in ("us", "beauty"):
        plan = long_names(plans[key])
        fig = C.figure(plan, "budget_by_month")
        r = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        ax = fig.axes[0]
        slot = ax.bbox.width / len(plan.budget.by_month)
        labels = {
            t.get_gid(): t.get_window_extent(r) for t in fig.findobj(Text) if (t.get_gid() or "").startswith("label-")
        }
        assert len(labels) == len(plan.budget.by_month)
        for i in range(len(plan.budget.by_month)):
            box = labels[f"label-{i}"]
            centre = ax.transData.transform((i, 0))[0]
            assert abs((box.x0 + box.x1) / 2 - centre) < 1 and box.width < slot  # centred, inside its slot
            assert box.y1 <= ax.bbox.y1 + TOL  # and inside the plot


def test_money_labels_are_compact_and_keep_their_unit() -> None:
    assert money_label(350_240, "USD", "en") == "$350K"
    assert money_label(63_231, "USD", "en") == "$63.2K"
    assert money_label(4_128, "USD", "en") == "$4.13K"
    assert money_label(999_600, "USD", "en") == "$1M"
    assert money_label(4_500_000, "USD", "en") == "$4.5M"
    assert money_label(950, "USD", "en") == "$950"
    assert money_label(12_340_000, "CNY", "zh") == "¥1,234万"
    assert money_label(923_000, "CNY", "zh") == "¥92.3万"
    assert money_label(120_000_000, "CNY", "zh") == "¥1.2亿"
    assert money_label(999_990_000, "CNY", "zh") == "¥10亿"
    assert money_label(-15_000, "CNY", "zh") == "-¥1.5万"


def test_long_names_wrap_at_words_and_end_in_an_ellipsis_only_when_cut() -> None:
    fig = new_figure(4, 3)
    assert fit_lines(fig, "Memorial Day sale", 50, 7, 3) == "Memorial\nDay sale"  # at spaces, not "Memori|al"
    assert fit_lines(fig, "Prime Day", 500, 7, 3) == "Prime Day"
    cut = fit_lines(fig, LONG["en"], 60, 7, 2)
    assert cut.count("\n") <= 1 and cut.endswith(ELLIPSIS) and not cuts_word(LONG["en"], cut.rstrip(ELLIPSIS))
    zh = fit_lines(fig, LONG["zh"], 60, 7, 3)
    assert zh.count("\n") == 2 and zh.endswith(ELLIPSIS)
    assert cuts_word("Valentine's Day", "Valent\nine's Day") and not cuts_word("Valentine's Day", "Valentine's\nDay")


@pytest.mark.parametrize("key", PLANS)
def test_donut_wedges_are_the_plans_budget_lines(plans: dict[str, Plan], key: str) -> None:
    plan = plans[key]
    b = plan.budget
    wedges = S.donut_lines(plan)
    assert len(wedges) <= S.MAX_WEDGES and sum(w.amount for w in wedges) == b.total
    assert wedges[-1].key == "reserve" and wedges[-1].amount == b.reserve
    source = {x.key: x.amount for x in (b.by_category if b.media is not None else b.by_channel)}
    shown = [w for w in wedges if w.key not in ("reserve", "other")]
    assert all(source[w.key] == w.amount for w in shown)
    assert sum(w.amount for w in wedges if w.key == "other") == sum(source.values()) - sum(w.amount for w in shown)
    fig = C.figure(plan, "budget_donut")
    drawn = {p.get_gid(): p for p in fig.findobj(Wedge) if (p.get_gid() or "").startswith("wedge-")}
    assert list(drawn) == [f"wedge-{w.key}" for w in wedges]
    for w in wedges:  # each wedge's angle is its amount's share of the total
        patch = drawn[f"wedge-{w.key}"]
        assert (patch.theta2 - patch.theta1) / 360 * b.total == pytest.approx(w.amount, rel=1e-6, abs=1)
    centre = [
        t.get_text() for t in fig.findobj(Text) if money_label(b.total, plan.currency, plan.language) in t.get_text()
    ]
    assert centre  # the total budget in the middle


def test_donut_groups_small_lines_as_other(plans: dict[str, Plan]) -> None:
    plan = plans["beauty"].model_copy(deep=True)
    plan.budget.media = None  # a plan whose channel table shares out the whole allocated budget
    wedges = S.donut_lines(plan)
    channels = [x for x in plan.budget.by_channel if x.amount > 0]
    assert len(channels) > S.MAX_WEDGES - 1 and len(wedges) == S.MAX_WEDGES
    assert [w.key for w in wedges[-2:]] == ["other", "reserve"]
    top = sorted(channels, key=lambda x: -x.amount)[: S.MAX_WEDGES - 2]
    assert [w.amount for w in wedges[:-2]] == [x.amount for x in top]
    assert wedges[-2].amount == sum(x.amount for x in channels) - sum(x.amount for x in top)


@pytest.mark.parametrize("key", PLANS)
def test_key_campaigns_has_one_row_per_key_campaign_with_its_dates(plans: dict[str, Plan], key: str) -> None:
    plan = plans[key]
    camps = E.key_campaign_list(plan)
    candidates = [c for c in plan.calendar.campaigns if not c.carried]
    assert 0 < len(camps) <= min(E.MAX_KEY_CAMPAIGNS, len(candidates)) and not any(c.carried for c in camps)
    heroes = [c for c in candidates if c.tier == "S"]
    assert all(c in camps for c in heroes[: E.MAX_KEY_CAMPAIGNS])  # the hero campaigns come first
    left_out = [c for c in candidates if c not in camps]
    for c in left_out:  # nothing left out outranks a campaign shown
        assert all((E.TIERS[k.tier], -k.budget) <= (E.TIERS[c.tier], -c.budget) for k in camps)
    fig = C.figure(plan, "key_campaigns")
    ax = fig.axes[0]
    rows = {p.get_gid(): p for p in ax.patches if (p.get_gid() or "").count("-") == 1}
    assert sorted(rows) == sorted(f"bar-{i}" for i in range(len(camps)))
    names = [t.get_text() for t in ax.get_yticklabels()]
    for i, c in enumerate(camps):
        start = max(min(p.start for p in c.phases), plan.period.start)
        end = min(max(p.end for p in c.phases), plan.period.end)
        bar = rows[f"bar-{i}"]
        assert bar.get_x() == pytest.approx(date2num(start))
        assert bar.get_x() + bar.get_width() == pytest.approx(date2num(end + timedelta(days=1)))
        assert bar.get_y() + bar.get_height() / 2 == pytest.approx(i)
        assert "".join(names[i].split()).startswith("".join(c.name.split()))  # its name on its row
        dates = S.date_range(start, end, plan.language)
        beside = [t.get_text() for t in ax.texts if t.get_gid() == f"label-{i}"]
        assert beside == [dates] or names[i].endswith("\n" + dates)
    starts = [min(p.start for p in c.phases) for c in camps]
    assert starts == sorted(starts)
    w, h = fig.get_size_inches()
    assert w == pytest.approx(16 / 2.54) and h < 10 / 2.54  # a summary page's size

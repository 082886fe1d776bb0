"""Does a model's prose contradict the plan it describes? (a check `prose_check.problems` cannot make)

`problems` only asks that every figure appear somewhere in the facts, so a model that swaps the budget
and the GMV target, or repeats a guide's "put 100% of the budget into TikTok", passes it. Here each
figure is tied to the metric word nearest it in its clause (总预算, GMV target, 转化率…: playbook/claims.yaml)
and to the channels, platforms and campaigns the clause names, and must equal a value the plan holds for
that metric there, at the precision the prose shows. Figures tied to no metric are left to `problems`;
where a metric has several values in scope, any of them is accepted: a false rejection throws good prose away.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import Field

from planbot.core.catalog import CHANNEL_ALIASES as CHANNELS
from planbot.core.catalog import PLATFORM_AD_TOOLS, find_in_text, platform_key, platform_name, term_pattern
from planbot.core.catalog import PLATFORM_ALIASES as PLATFORMS
from planbot.core.numbers import find_amounts, find_percents, format_money, format_percent, normalize
from planbot.core.plan import Campaign, Plan
from planbot.core.playbook.schema import Model, load_data

PATH = Path(__file__).resolve().parent / "playbook" / "claims.yaml"
METRICS = ("total", "budget", "media", "reserve", "gmv", "roas", "cvr", "aov", "uv", "orders", "share")
_BUDGET = ("total", "budget", "media")
_MONEY = {*_BUDGET, "reserve", "gmv", "aov"}
_COMPATIBLE = {"pct": {*_BUDGET, "cvr", "share", "reserve", "gmv"}, "ratio": {"roas"}, "money": _MONEY,
               "count": {"uv", "orders"}, "number": _MONEY | {"uv", "orders"}, "change": set()}  # fmt: skip
_LABELS = {"total": "total budget", "budget": "budget", "media": "media budget", "reserve": "reserve",
           "gmv": "GMV", "roas": "ROAS", "cvr": "conversion rate", "aov": "average order value",
           "uv": "visitors", "orders": "orders", "share": "share", "reserve_share": "reserve share"}  # fmt: skip
_SENTENCE = re.compile(r"[；。！？\n;!?]|(?<!\d)\.|\.(?!\d)")
_COMMA = re.compile(r"，|,(?!\d{3}(?!\d))")  # not the comma of 1,500
_JOIN = re.compile(r"(?<![a-z])(?:and|while|but|plus|with|whereas)(?![a-z])|以及|并且|而且|和")  # a new phrase
_DATE_UNIT = re.compile(r"\s*(?:年|月|日|号|天|周|小时|个月|个工作日|个?星期|(?:working )?(?:day|week|month|year)s?\b)")
_COUNT_UNIT = re.compile(r"\s*(?:人次|次|单|人|位|笔|件|个|家|款|名|(?:clicks?|orders?|units?|buyers?|customers?|"
                         r"people|visits?|visitors?|sessions?|impressions?)\b)", re.I)  # fmt: skip
_RATIO_UNIT = re.compile(r"\s*(?:x|倍|×)(?![a-z])", re.I)
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
_PERIOD = re.compile(rf"q[1-4]|[一二三四1-4]季度|\d{{1,2}}月|\b(?:{_MONTHS})[a-z]*\b|quarter", re.I)
_AFTER_MAX = 15  # a metric word after a figure ("$5M GMV", "2,020万访客") binds only this close


class Words(Model):
    zh: list[str]
    en: list[str]


class ClaimWords(Model):
    metrics: dict[str, Words]
    recommend: Words
    whole: Words
    approximate: Words
    change: Words
    vague_aliases: list[str] = Field(default_factory=list)
    owned_platforms: dict[str, list[str]] = Field(default_factory=dict)


class ClaimWordsError(ValueError):
    """claims.yaml does not load."""


@cache
def words() -> ClaimWords:
    loaded = load_data(PATH, ClaimWords, ClaimWordsError)
    if set(loaded.metrics) != set(METRICS):
        raise ClaimWordsError(f"claims.yaml: metrics must be exactly {', '.join(METRICS)}")
    return loaded


def _alternation(terms: Sequence[str]) -> str:
    """Longest first; ASCII words as whole words."""
    ordered = sorted({t.lower() for t in terms}, key=lambda t: (-len(t), t))
    return "|".join(rf"(?<![a-z]){re.escape(t)}(?![a-z])" if t.isascii() else re.escape(t) for t in ordered)


@cache
def _metric_words() -> dict[str, str]:
    return {t.lower(): m for m, w in words().metrics.items() for t in [*w.zh, *w.en]}


@cache
def _word_re(kind: str) -> re.Pattern[str]:
    if kind == "metric":
        return re.compile(_alternation(list(_metric_words())))
    w: Words = getattr(words(), kind)
    return re.compile(_alternation([*w.zh, *w.en]))


def _metrics(low: str, pos: int = 0) -> list[tuple[int, int, str]]:
    """(start, end, metric) of every metric word in a lower-case clause."""
    return [(m.start(), m.end(), _metric_words()[m.group(0)]) for m in _word_re("metric").finditer(low, pos)]


@dataclass(frozen=True)
class Entity:
    """A channel, platform or campaign of the plan, and its values by metric family."""

    name: str
    values: Mapping[str, Sequence[float]]


@dataclass(frozen=True)
class Claim:
    """A figure in a clause tied to a metric: where it is in the (normalised) clause, and what it says."""

    clause: str
    start: int
    end: int
    text: str
    kind: str  # pct, ratio, money, count or number (money or count)
    metric: str
    value: float
    tolerance: float


def _sentences(text: str) -> list[list[str]]:
    """Each sentence's clauses, normalised as the figure finders read them."""
    split = [[normalize(c) for c in _COMMA.split(s) if c.strip()] for s in _SENTENCE.split(text)]
    return [s for s in split if s]


def clauses(text: str) -> list[str]:
    return [c for s in _sentences(text) for c in s]


def _places(text: str) -> int:
    m = re.search(r"\d[\d,]*(?:\.(\d+))?", text)
    return len(m.group(1)) if m and m.group(1) else 0


def _changed(low: str, start: int) -> bool:
    """同比增长26.3%, up 25%, 增加¥200万: a change, not a value (提高到, raise to: a value)."""
    window = low[max(0, start - 10) : start]
    return any(not re.match(r"\s*(?:到|至|to\b)", window[m.end() :]) for m in _word_re("change").finditer(window))


def _figures(clause: str, plan: Plan) -> list[Claim]:
    """Every figure with its kind, value and tolerance (metric not yet known); years, dates and names left out."""
    low, names = clause.lower(), " ".join(c.name for c in plan.calendar.campaigns)
    out: list[Claim] = []
    for p in find_percents(clause):
        kind = "change" if _changed(low, p.start) or "点" in p.text or p.negative or p.ranged else "pct"
        out.append(Claim(clause, p.start, p.end, p.text, kind, "", float(p.value), 10.0 ** -_places(p.text) / 200))
    for a in find_amounts(clause):
        if any(p.start <= a.start < p.end for p in out) or a.negative or a.ranged:
            continue
        v, rest, plain = float(a.value), low[a.end :], not a.currency and a.scale == 1
        name_like = plain and not re.search("[.,]", a.text) and (1900 <= v <= 2100 or a.text.strip() in names)
        if _DATE_UNIT.match(rest) or name_like:  # 2027年, 618, 双11
            continue
        if _RATIO_UNIT.match(rest) or (plain and v <= 100 and ("." in a.text or v <= 31)):
            kind = "ratio"
        else:
            kind = "count" if _COUNT_UNIT.match(rest) and not a.currency else "money" if a.currency else "number"
        kind = "change" if _changed(low, a.start) else kind
        if kind in ("ratio", "change") or v > 31:
            approx = bool(_word_re("approximate").search(low[max(0, a.start - 8) : a.start]))
            tol = max(float(a.scale) * 10.0 ** -_places(a.text) / 2, (0.03 if approx else 0.005) * v)
            out.append(Claim(clause, a.start, a.end, a.text.strip(), kind, "", v, tol))
    return sorted(out, key=lambda c: c.start)


def claims(clause: str, plan: Plan) -> list[Claim]:
    """The figures of one clause a metric word claims: the nearest compatible one, never across another figure;
    one after the figure only when close and not the next figure's ("$5M GMV", "媒介投放¥743万")."""
    low, figs = clause.lower(), _figures(clause, plan)
    found, out = _metrics(low), []
    for i, f in enumerate(figs):
        lo = figs[i - 1].end if i else 0
        hi = figs[i + 1].start if i + 1 < len(figs) else len(low)
        best: tuple[float, str] | None = None
        for ws, we, metric in found:
            if metric not in _COMPATIBLE[f.kind]:
                continue
            if lo <= ws and we <= f.start and not _JOIN.search(low, we, f.start):
                score = float(f.start - we)
            elif f.end <= ws < hi and ws - f.end <= _AFTER_MAX and not (i + 1 < len(figs) and hi - we < ws - f.end):
                score = 2.0 * (ws - f.end) + 1
            else:
                continue
            best = (score, metric) if best is None or score < best[0] else best
        if best is not None:
            out.append(Claim(clause, f.start, f.end, f.text, f.kind, best[1], f.value, f.tolerance + 1e-9))
    return out


def _entities(plan: Plan) -> tuple[list[tuple[list[str], Entity]], set[str]]:
    """(aliases, entity) for the plan's channels, platforms and campaigns; and the platforms it sells on."""
    b, vague, cps = plan.budget, set(words().vague_aliases), plan.calendar.campaigns
    out: list[tuple[list[str], Entity]] = []
    # fmt: off
    for c in plan.channels.items:
        lines = [float(ln.amount) for cp in cps for ln in cp.budget_by_purpose if ln.key == c.key]
        out.append(([c.name, c.key, *CHANNELS.get(c.key, ())], Entity(c.name, {"budget": [c.amount, *lines],
                    "share": [c.share], "gmv": [c.attributed_gmv or 0], "roas": [c.roas or 0]})))
    for ln in b.by_platform:
        out.append(([ln.label, ln.key, *PLATFORMS.get(ln.key, ()), *PLATFORM_AD_TOOLS.get(ln.key, ())],
                    Entity(ln.label, {"budget": [ln.amount], "share": [ln.share], "gmv": [ln.attributed_gmv or 0],
                                      "roas": [ln.roas or 0]})))
    groups: dict[str, list[Campaign]] = {}
    for cp in cps:  # 双11 names both waves: each wave's figures and their sums
        for alias in {cp.name, cp.name.split("·")[0], cp.key}:
            groups.setdefault(alias, []).append(cp)
    for alias, group in sorted(groups.items()):
        budget, gmv = sum(c.budget for c in group), sum(c.funnel.gmv for c in group)
        money = [budget, *(c.budget for c in group), *(ln.amount for c in group for ln in c.budget_by_purpose)]
        out.append(([alias], Entity(alias, {"budget": money, "gmv": [gmv, *(c.funnel.gmv for c in group)],
                    "share": [budget / d for d in (b.total, b.allocated, b.channel_total) if d],
                    "roas": [gmv / budget if budget else 0, *(c.funnel.gmv / c.budget for c in group if c.budget)]})))
    # fmt: on
    cleaned = [([a.lower() for a in aliases if a and a.lower() not in vague], e) for aliases, e in out]
    return cleaned, {k for p in plan.brief.platforms if (k := platform_key(p))} | {ln.key for ln in b.by_platform}


def _plan_values(plan: Plan, metric: str, period: bool) -> list[float]:
    """The plan-level values of a metric (and the quarters' and months' when the clause names a period)."""
    b, f, fe = plan.budget, plan.funnel, plan.budget.feasibility
    rows = [f.year, *f.quarters, *(c.funnel for c in plan.calendar.campaigns)]
    needed = [fe.budget_needed or 0] if fe else []
    periods = [p.amount for p in [*b.by_quarter, *b.by_month]] if period else []
    values: dict[str, Sequence[float]] = {
        "total": [b.total, *needed, *periods],
        "budget": [b.total, b.allocated, b.always_on, b.channel_total, b.reserve, *needed, *periods,
                   *(ln.amount for ln in b.by_category), sum(c.budget for c in plan.calendar.campaigns)],
        "media": [b.channel_total, *(ln.amount for ln in b.by_category if ln.key == "media"), *periods],
        "reserve": [b.reserve],
        "reserve_share": [b.reserve_share],
        "gmv": [f.year.gmv, plan.brief.gmv_target or 0, plan.brief.last_year_gmv() or 0, f.paid_gmv or 0,
                *([fe.paid_gmv, fe.reachable_gmv or 0] if fe else []),
                *([n or 0 for q in f.quarters for n in (q.gmv, q.campaign_gmv)] if period else [])],
        "aov": [r.aov for r in rows] + [plan.brief.aov or 0],
        "uv": [r.uv for r in rows],
        "orders": [n or 0 for r in rows for n in (r.orders, r.new_orders, r.returning_orders)]
                  + ([fe.click_orders] if fe else []),
        "roas": [f.roas, f.ad_roas or 0, *([fe.required_roas, fe.roas_low, fe.roas_high] if fe else [])],
        "cvr": [f.year.cvr, f.baseline_cvr, f.campaign_cvr or 0, f.always_on_cvr or 0, *(r.cvr for r in rows)],
    }  # fmt: skip
    return [float(v) for v in values.get(metric, []) if v]


def _show(value: float, kind: str, plan: Plan) -> str:
    shown = {
        "pct": format_percent(value, 2),
        "ratio": f"{value:.2f}",
        "money": format_money(round(value), plan.currency),
    }
    return shown.get(kind, f"{round(value):,}")


def _check(c: Claim, ents: list[Entity], plan: Plan) -> str | None:
    """Why this claim contradicts the plan, or None."""
    if c.kind == "pct" and c.metric == "gmv":
        return None  # 占GMV的53.7%: not a value the plan's tables state
    pct = c.kind == "pct"
    metric = "share" if pct and c.metric in _BUDGET else "reserve_share" if pct and c.metric == "reserve" else c.metric
    scoped = [v for e in ents for v in e.values.get("budget" if metric in _BUDGET else metric, []) if v]
    allowed = scoped if metric == "share" else _plan_values(plan, metric, bool(_PERIOD.search(c.clause))) + scoped
    if not allowed or any(abs(c.value - x) <= c.tolerance for x in allowed):
        return None
    label, shown = _LABELS[metric], "money" if c.kind == "number" and metric in _MONEY else c.kind
    if scoped and metric != "total":
        names = " / ".join(e.name for e in ents)
        value = _show(scoped[0], shown, plan)
        return f"it gives {names} a {label} of {c.text}, but the plan's {label} for {names} is {value}"
    return f"it gives the {label} as {c.text} but the plan's {label} is {_show(allowed[0], shown, plan)}"


def _named(low: str, entities: list[tuple[list[str], Entity]]) -> list[Entity]:
    return [e for aliases, e in entities if any(term_pattern(a).search(low) for a in aliases)]


def _known(table: dict[str, tuple[str, ...]], vague: set[str]) -> dict[str, tuple[str, ...]]:
    return {k: tuple(a for a in v if a not in vague and len(a) > 1) for k, v in table.items()}


def contradictions(text: str, plan: Plan) -> list[str]:
    """Why this prose contradicts the plan's own figures and tables; [] when it agrees with them."""
    entities, sells_on = _entities(plan)
    vague, channels = set(words().vague_aliases), {c.key for c in plan.channels.items}
    used = sells_on | {k for c in plan.channels.items for k in find_in_text(" ".join([c.name, *c.tactics]), PLATFORMS)}
    used |= {k for k, hosts in words().owned_platforms.items() if channels & set(hosts)}  # 微信 hosts 私域
    out: list[str] = []
    for clause, sentence in [(c, " ".join(s)) for s in _sentences(text) for c in s]:
        low = clause.lower()
        ents, found = _named(low, entities), claims(clause, plan)
        whole = _word_re("whole").search(low)  # 全部预算投入直播, all of the budget: a 100% share
        if whole and ents and not any(c.kind == "pct" for c in found):
            after = [ws for ws, _, m in _metrics(low, whole.end()) if m in _BUDGET]
            if after and after[0] - whole.end() <= 6:
                found.append(
                    Claim(clause, whole.start(), whole.end(), f"100% ({whole.group(0)})", "pct", "share", 1, 0)
                )
        near = ents or _named(sentence.lower(), entities)  # 双11·巅峰期是最大的活动，预算¥181万
        out += [r for c in found if (r := _check(c, ents if c.kind == "pct" else near, plan))]
        if not _word_re("recommend").search(low):
            continue
        for key in find_in_text(low, _known(PLATFORMS, vague)):
            name = platform_name(key, "en")
            if key not in used:
                out.append(f"it recommends {name}, which is not in this plan")
            elif key not in sells_on and not ents and any(c.metric in (*_BUDGET, "share") for c in found):
                out.append(f"it gives {name} a part of the budget, but the plan has no budget line for {name}")
        for key in find_in_text(low, _known(CHANNELS, vague)):
            if key not in channels:
                out.append(f"it recommends the {key} channel, which is not in this plan")
    return list(dict.fromkeys(out))

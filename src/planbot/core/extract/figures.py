"""Money, counts and rates in a message, and the brief field each belongs to.

A figure's field comes from the words around it, before or after, in its clause ("预算300万",
"$400k budget", "3000万，这是明年的GMV目标"); a figure no word names is "loose" and answers the
field just asked only if it is plausible for that field. A stated value out of range is refused
(`rejected`), never stored, and the rest of the message is still read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from planbot.core import calendar as C
from planbot.core.extract.figure_words import SPECIFIC_COUNT, WORDS
from planbot.core.number_words import CURRENCY_WORDS
from planbot.core.numbers import Amount, Percent, find_amounts, find_percents, to_base_units

PERCENT_FIELDS = frozenset({"cvr", "growth_rate", "repurchase_rate"})
AMOUNT_FIELDS = frozenset(
    {"gmv_target", "gmv_last_year", "budget_total", "aov", "uv_last_year", "new_customers_target"}
)
MAX_MONEY = 10**13

_RATE_KINDS = ("repurchase_rate", "cvr", "growth_rate")
_GMV_KINDS = ("last", "this", "target", "gmv")
_MODIFIERS = ("next",)  # says which year, never which field: only refines a GMV word

_CLAUSE_END = re.compile(r"[，。；;！!？?\n（）()【】|/]|(?<!\d),|,(?!\d)|(?<![.\s][a-z])\.(?=\s|$)|→|->|\s-\s", re.I)
_SENTENCE_END = re.compile(r"[。！!？?\n]|\.(?=\s|$)")
# what follows "and" is the next figure's: "1,2 million euros and the marketing budget is 150.000 €"
_AFTER_CUT = re.compile(r"\s(?:and|but|while|with|plus|whereas|vs\.?|versus|compared)\s|和|而|但|相比|对比", re.I)
_COMPARED = re.compile(r"vs|versus|compared|相比|对比", re.I)  # names the figure after it
_NEXT_YEAR = re.compile(r"明年|下一年|next\s*(?:year|yr)", re.I)
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
_CORRECTING = re.compile(
    r"(改成|改为|改到|调到|调整为|变成|换成|应该是|actually|make\s*(?:it|that)|i\s*meant|change\s*(?:it|that)\s*to|"
    r"update\s*(?:it|that)?\s*to|→|->)\s*$",
    re.I,
)
# softer words that take back the figure just said, when the new one names no other field
_TAKING_BACK = re.compile(
    r"哦不|不对|不不|说错|错了|算了|还是按?|其实|更正|改一下|重新说|no\s*wait|\bwait\b|sorry|oops|\bscratch\b|"
    r"\brather\b|on\s*second\s*thought|let'?s\s*(?:say|go\s*with)|correction|\bno,",
    re.I,
)
_NEGATED = re.compile(r"(不是|而不是|并非|\bnot|instead\s*of)\s*$", re.I)
_PAST_YEAR = re.compile(r"今年|去年|this\s*(?:year|yr)|last\s*(?:year|yr)", re.I)
_DECLINE = re.compile(r"下降|下滑|减少|缩水|降低|decline|drop|down|shrink|fall", re.I)
_PER_MONTH = re.compile(r"每个?月|月均|月销|/月|per\s*month|a\s*month|monthly|/mo(?:nth)?\b", re.I)
_DOUBLE = re.compile(
    r"翻(?:一)?倍|翻一?番|(?<![a-z])(?:double|twice)(?![a-z\d])(?![\s-]*digits?)|(?<![\d.])2\s*x(?![a-z\d])", re.I
)
_NOT_MONEY_AFTER = re.compile(
    r"^\s*(?:%|个(?![亿万])|家|条|场|款|名|位|件|台|间|群|代|版|号|点|分|岁|单(?!价)|周岁|天|日|个月|月|年|周|小时|次|倍|折|人|"
    r"g\b|kg|ml|cm|h\b|x\b|am\b|pm\b|years?\b|yrs?\b|months?\b|days?\b|weeks?\b|hours?\b|mins?\b|people|persons?|"
    r"staff|employees|team|founders|of\s+(?:our|the|them|us)\b)",
    re.I,
)  # fmt: skip
_NOT_MONEY_BEFORE = re.compile(
    r"(第|邮编|电话|手机|编号|(?<![a-z])[a-z#]|\bversion|\bno\.|\btop|\bages?|\baged|team\s*of|\bsince)\s*$",
    re.I,
)
_ALLOWED_PLURALS = {"dollars", "euros", "pounds", "bucks", "visitors", "sessions", "customers", "buyers", "users",
                    "sales", "uvs", "this", "plus", "less", "ads"}  # fmt: skip


_CURRENCY_WORD = re.compile(
    "|".join(rf"(?<![a-z]){re.escape(w)}(?![a-z])" if w.isascii() else re.escape(w)
             for w in sorted(CURRENCY_WORDS, key=len, reverse=True)), re.I)  # fmt: skip


@dataclass
class Figures:
    values: dict[str, object] = field(default_factory=dict)  # field -> int (base units) or float (rates)
    currency: str | None = None  # the currency the figures are written in, when a word or sign says
    rejected: dict[str, str] = field(default_factory=dict)  # field -> the figure as written, out of range
    assumed: dict[str, str] = field(default_factory=dict)  # field -> a range as written, read as its midpoint


@dataclass
class _Fig:
    start: int
    end: int
    amount: Amount | None = None
    percent: Percent | None = None
    kind: str | None = None  # a keyword's kind, then the brief field


def _bounds(norm: str) -> list[tuple[int, int]]:
    return [m.span() for m in _CLAUSE_END.finditer(norm)]


def _clause(bounds: list[tuple[int, int]], start: int, end: int, size: int) -> tuple[int, int]:
    lo = max([e for s, e in bounds if e <= start], default=0)
    hi = min([s for s, e in bounds if s >= end], default=size)
    return lo, hi


def _hits(text: str, after: bool) -> list[tuple[int, int, str]]:
    """(distance to the figure, 0 for a specific metric / 1 for a generic word, kind) for each keyword."""
    out = []
    for rank, (name, pat) in enumerate(WORDS):
        for m in pat.finditer(text):
            dist = m.start() if after else len(text) - m.end()
            out.append((dist, 0 if rank < SPECIFIC_COUNT else 1, name))
    return out


def _refine(kind: str, kinds: set[str]) -> str:
    """GMV words: last year beats a target word, which beats this year, which beats a bare GMV."""
    if kind == "gmv" or (kind == "this" and "target" in kinds):
        for k in ("last", "target", "this", "next"):
            if k in kinds:
                return "target" if k == "next" else k
    return kind


def _kind(before: str, after: str, percent: bool) -> str | None:
    hits = [*_hits(before, False), *_hits(after, True)]
    if percent:
        hits = [h for h in hits if h[2] in _RATE_KINDS]
        # the metric word (复购率, CVR) beats a growth word (提升, increase) in the same clause
        return min(hits, key=lambda h: (h[2] == "growth_rate", h[0]))[2] if hits else None
    hits = [h for h in hits if h[2] not in _RATE_KINDS]
    if not any(h[2] not in _MODIFIERS for h in hits):
        return None
    # a specific metric word a few characters further away still beats a bare target word: 新客目标20万
    best = min((h for h in hits if h[2] not in _MODIFIERS), key=lambda h: (h[0] - (8 if h[1] == 0 else 0), h[1], h[2]))
    if best[2] in ("last", "this") and (specific := [h for h in hits if h[1] == 0]):
        best = min(specific)  # "visitors last year": the time says which year, the metric which field
    if best[2] == "budget_total" and any(h[2] == "last" for h in hits):
        return "other"  # "去年投了150万": last year's spend is not the plan's budget
    return _refine(best[2], {h[2] for h in hits})


def _is_noise(norm: str, a: Amount) -> bool:
    """Ages, durations, counts of things, versions, dates and campaign numbers are not money."""
    after, before = norm[a.end : a.end + 12], norm[max(0, a.start - 10) : a.start]
    plain = a.currency is None and a.scale == 1
    unit = _NOT_MONEY_AFTER.search(after)
    if a.currency is None and unit and not (a.scale > 1 and re.fullmatch(r"\s*(人|名|位|个|people)", unit.group(0))):
        return True  # "10个人" is a team, "5万人" may be new customers
    if plain and (_NOT_MONEY_BEFORE.search(before) or re.fullmatch(r"(19|20|21|22)\d\d", a.text)):
        return True
    if plain and (re.match(r"\s*[/:]\s*\d", after) or re.search(r"\d\s*[/:]\s*$", before)):
        return True  # "1/10", "12/5", "1:5", "3:30": fractions, dates, ratios and times
    if plain and a.value < 100 and a.start > 0 and norm[a.start - 1].isascii() and norm[a.start - 1].isalpha():
        return True  # FY27, H1, B2B: a code, not a figure
    if plain and a.value < 100 and re.match(r"[.、)]\s", after) and not before.strip(" \t")[-1:].isalnum():
        return True  # "1. 品牌", "2) budget": a list's numbering
    if plain and a.ranged and a.value < 100:
        return True  # "25-35": ages
    words = re.findall(r"[a-z]+", re.split(r"[,.;:!?，。；：]", norm[a.end : a.end + 30])[0].lower())[:2]
    if any(p.match(w) for w in words for _, p in WORDS[:SPECIFIC_COUNT]):
        words = []  # "1.2 million site visits": the metric names it
    elif words and any(pat.match(words[0]) for _, pat in WORDS):
        words = words[1:]  # "450k budget" names the figure; "5 sales reps" counts people
    if a.currency is None and any(len(w) > 3 and w.endswith("s") and w not in _ALLOWED_PLURALS for w in words):
        return True  # "3 warehouses", "120 SKUs", "5 CS agents"
    return plain and C.find_campaigns(norm[max(0, a.start - 2) : a.end + 3]) != []


def _plausible(fld: str, a: Amount | None, p: Percent | None) -> float | int | None:
    """The value a loose figure gives the field just asked, or None when it cannot be that field."""
    if fld in PERCENT_FIELDS:
        if p is not None:
            rate = float(p.value)
        elif a is not None and a.currency is None and a.scale == 1 and not a.negative:
            rate = float(a.value) / 100  # "about 3" answering the conversion rate is 3%
        else:
            return None
        low, high = {"cvr": (0.001, 0.5), "repurchase_rate": (0.01, 0.95), "growth_rate": (0.01, 3.0)}[fld]
        return rate if low <= rate <= high else None
    if a is None or a.negative or a.value <= 0:
        return None
    n = to_base_units(a.value)
    marked = a.currency is not None or a.scale > 1
    if fld in ("budget_total", "gmv_target", "gmv_last_year"):
        return n if (n >= 10_000 or marked) and n <= MAX_MONEY else None
    if fld == "aov":
        return n if 1 <= a.value <= 1_000_000 else None  # a price
    integral = a.value == a.value.to_integral_value()
    return n if integral and a.currency is None and (n >= 100 or a.scale > 1) else None  # counts


def _figures(norm: str) -> list[_Fig]:
    percents = find_percents(norm)
    figs = [_Fig(p.start, p.end, percent=p) for p in percents]
    for a in find_amounts(norm):
        if any(p.start < a.end and a.start < p.end for p in percents) or _is_noise(norm, a):
            continue
        figs.append(_Fig(a.start, a.end, amount=a))
    return sorted(figs, key=lambda f: f.start)


def _classify(norm: str, figs: list[_Fig]) -> None:
    """Each figure's keyword kind: its own clause first, then a clause of words alone beside it."""
    bounds, size = _bounds(norm), len(norm)
    clauses = [_clause(bounds, f.start, f.end, size) for f in figs]
    named_to = [_named_after(norm, g.end) for g in figs]  # once per figure: a long list of figures stays linear
    by_end = sorted(range(len(figs)), key=lambda j: figs[j].end)
    reach, k = -1, 0  # how far the words naming an earlier figure run; k: figures ending before this one
    for i, f in enumerate(figs):
        lo, hi = clauses[i]
        while k < len(by_end) and figs[by_end[k]].end <= f.start:
            reach = max(reach, named_to[by_end[k]])
            k += 1
        b_from = max(lo, reach)
        a_to = min(hi, next((g.start for g in figs[i + 1 :] if g.start >= f.end), hi))
        before, after = norm[b_from : f.start], _AFTER_CUT.split(norm[f.end : a_to])[0]
        if f.percent is not None and f.start > 0 and norm[f.start - 1] == "+":
            before += " growth"  # "+20%"
        f.kind = _kind(before, after, f.percent is not None) or _neighbour_kind(norm, bounds, figs, i)


def _named_after(norm: str, end: int) -> int:
    """Where the words that name a figure from behind end ("250K spend for 2.5M": spend is the 250K's)."""
    m = re.match(r"\s?", norm[end:])
    pos = end + (m.end() if m else 0)
    named = [w.end() for _, pat in WORDS if (w := pat.match(norm, pos)) and not _COMPARED.match(w.group(0))]
    return max([end, *named])


def _neighbour_kind(norm: str, bounds: list[tuple[int, int]], figs: list[_Fig], i: int) -> str | None:
    """ "预算我们定了，就是200万" / "3000万，这是明年的GMV目标": the topic sits in a clause of its own."""
    f, percent = figs[i], figs[i].percent is not None
    lo, hi = _clause(bounds, f.start, f.end, len(norm))
    others = [g for j, g in enumerate(figs) if j != i and lo <= g.start < hi and (g.percent is not None) == percent]
    if any(g.start < f.start for g in others):
        return None  # only a clause's first figure takes the topic of the clause before
    sides = []
    sep = next((s for s, e in bounds if e == lo), None)
    if sep is not None:
        sides.append((max([e for s, e in bounds if e <= sep], default=0), sep))
    sep_end = next((e for s, e in bounds if s == hi), None)
    if sep_end is not None and not others:
        sides.append((sep_end, min([s for s, e in bounds if s >= sep_end], default=len(norm))))
    for c_lo, c_hi in sides:
        if any(c_lo <= g.start < c_hi and (g.percent is not None) == percent for g in figs):
            continue
        hits = [h for h in _hits(norm[c_lo:c_hi], True) if (h[2] in _RATE_KINDS) == percent and h[2] != "next"]
        if hits:  # the clause's first word is its topic
            return _refine(min(hits)[2], {h[2] for h in hits})
    return None


def _reject(fld: str, value: Decimal, negative: bool) -> bool:
    if fld in PERCENT_FIELDS:
        signed = -value if negative else value
        return not (-0.95 < signed <= 20) if fld == "growth_rate" else (negative or value <= 0 or value >= 1)
    return negative or value <= 0 or value > MAX_MONEY


def _currency(norm: str, figs: list[_Fig]) -> str | None:
    for f in figs:
        if f.amount is not None and f.amount.currency and not _NEGATED.search(norm[: f.start]):
            return f.amount.currency
    for m in _CURRENCY_WORD.finditer(norm):
        if not _NEGATED.search(norm[: m.start()]) and m.group(0).lower() not in ("元", "块", "刀"):
            return CURRENCY_WORDS[m.group(0).lower()]
    return None


def read_figures(norm: str, expecting: Sequence[str]) -> Figures:
    """Every amount and rate of a message with its field; loose figures answer `expecting`."""
    out = Figures()
    figs = _figures(norm)
    _classify(norm, figs)
    years = sorted({int(y) for y in _YEAR.findall(norm)})
    explicit_target = any(f.kind == "target" for f in figs if f.amount is not None)
    # a this-year figure is the baseline when the message also names a target, next year or a growth rate
    growth = any(f.kind == "growth_rate" for f in figs)
    baseline = explicit_target or growth or bool(_NEXT_YEAR.search(norm))
    loose: list[_Fig] = []
    pending: str | None = None  # "推广费每个月50万，一年下来就是600万": the monthly figure names the total's field
    negated: _Fig | None = None
    for i, f in enumerate(figs):
        text = norm[f.start : f.end]
        prev = figs[i - 1] if i else None
        if _NEGATED.search(norm[max(0, f.start - 8) : f.start]):
            negated = f  # "199不是299": the figure corrected away; "预算不是200万，是250万": its field goes on
            continue
        if negated is not None and f.kind is None and (negated.percent is None) == (f.percent is None):
            f.kind, negated = negated.kind, None
        gap = norm[prev.end : f.start] if prev is not None else ""
        same = prev is not None and (prev.percent is None) == (f.percent is None)
        if (
            prev is not None
            and prev.kind
            and same
            and (
                _CORRECTING.search(gap) or (len(gap) < 20 and _TAKING_BACK.search(gap) and f.kind in (None, prev.kind))
            )
        ):
            f.kind = prev.kind  # "预算200万，哦不，是250万", "budget 180k, actually make it 200k": the latest wins
            out.values.pop(prev.kind, None)
        kind = f.kind
        if kind is None and f.amount is not None and _next_year_sales(norm, figs, f):
            kind = "target"  # "GMV呢，今年4500万，明年5500万": next year's sales are the target
        if kind in _GMV_KINDS and len(years) > 1 and re.search(str(years[0]), norm[max(0, f.start - 16) : f.start]):
            kind = "last"  # "Revenue 2026: 3.8M" in a 2027 plan
        if kind == "gmv" and _earlier_last_year(norm, figs, f):
            kind = "last"  # "去年访客数不清楚，GMV大概1200万": the sentence is about last year
        if kind == "gmv":  # a bare GMV beside a stated target or a growth rate is the baseline
            kind = "last" if explicit_target or growth else "target"
        elif kind == "this":
            kind = "last" if baseline else "target"
        fld = {"last": "gmv_last_year", "target": "gmv_target"}.get(kind or "", kind)
        f.kind = fld
        if f.amount is not None and _PER_MONTH.search(norm[max(0, f.start - 6) : f.end + 12]):
            pending = fld or pending
            continue
        if fld is None and pending and f.amount is not None:
            fld, pending = pending, None
        if fld == "other":
            continue
        if fld is None or (f.amount is not None and fld in PERCENT_FIELDS):
            loose.append(f)
            continue
        if f.percent is not None and fld in AMOUNT_FIELDS:
            loose.append(f)
            continue
        clause = norm[max(_clause(_bounds(norm), f.start, f.end, len(norm))[0], prev.end if prev else 0) : f.start]
        clause = _AFTER_CUT.split(clause)[-1]  # "£2.8m this year and want 20% growth": the plan's growth
        if fld == "growth_rate" and _PAST_YEAR.search(clause) and _NEXT_YEAR.search(norm):
            continue  # "今年同比下降10%，明年希望增长20%": this year's growth is history, not the plan's
        if fld == "growth_rate" and f.percent and _DECLINE.search(norm[max(0, f.start - 8) : f.start]):
            f.percent = replace(f.percent, negative=not f.percent.negative)  # "同比下降10%": -10%
        _store(out, fld, f, text)
    if _DOUBLE.search(norm) and "growth_rate" not in out.values and "growth_rate" not in out.rejected:
        loose.append(_Fig(0, 0, percent=Percent(Decimal(1), 0, 0, "翻倍")))  # a stated percentage beats it
    for fld in [f for f in expecting if (f in AMOUNT_FIELDS or f in PERCENT_FIELDS) and f not in out.values]:
        for f in loose:
            value = _plausible(fld, f.amount, f.percent)
            if value is not None:
                out.values[fld] = value
                if (f.amount and f.amount.ranged) or (f.percent and f.percent.ranged):
                    out.assumed[fld] = norm[f.start : f.end]
                loose.remove(f)
                break
    out.currency = _currency(norm, figs)
    return out


_SALES_KINDS = {"this", "last", "gmv", "target", "gmv_last_year", "gmv_target"}


def _next_year_sales(norm: str, figs: list[_Fig], f: _Fig) -> bool:
    """A figure named only by "明年 / next year" in a message about sales figures."""
    lo = _clause(_bounds(norm), f.start, f.end, len(norm))[0]
    if not _NEXT_YEAR.search(norm[lo : f.start]):
        return False
    gmv_word = next(pat for name, pat in WORDS if name == "gmv").search(norm)
    return gmv_word is not None or any(g.kind in _SALES_KINDS for g in figs if g is not f)


def _earlier_last_year(norm: str, figs: list[_Fig], f: _Fig) -> bool:
    start = max([m.end() for m in _SENTENCE_END.finditer(norm, 0, f.start)], default=0)
    start = max([start, *(g.end for g in figs if g.amount is not None and g.end <= f.start)])
    return any(name == "last" and pat.search(norm[start : f.start]) for name, pat in WORDS)


def _store(out: Figures, fld: str, f: _Fig, text: str) -> None:
    if f.percent is not None:
        value, negative = f.percent.value, f.percent.negative
    else:
        assert f.amount is not None
        value, negative = f.amount.value, f.amount.negative
    if _reject(fld, value, negative):
        out.rejected.setdefault(fld, ("-" if negative else "") + text)
        return
    if fld in out.values or fld in out.rejected:
        return
    out.values[fld] = float(-value if negative else value) if f.percent is not None else to_base_units(value)
    if (f.amount is not None and f.amount.ranged) or (f.percent is not None and f.percent.ranged):
        out.assumed[fld] = text

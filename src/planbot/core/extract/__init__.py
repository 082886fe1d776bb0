"""Offline extractor: free prose (Chinese or English) -> the Brief fields it states.

One pure reader per kind of fact, composed here: `figures` (money, counts, rates and the field each
belongs to), `names` (brand, category, audience), `places` (where the brand sells and where it
advertises), `periods` (the plan period). Nothing is guessed: what the text does not say stays
unset, and the builder's defaults are listed as assumptions later.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from planbot.core import calendar as C
from planbot.core.brief import Brief, BriefUpdate
from planbot.core.catalog import GLOBAL_PLATFORMS
from planbot.core.extract.figures import AMOUNT_FIELDS, PERCENT_FIELDS, read_figures
from planbot.core.extract.names import read_audience, read_brand, read_category
from planbot.core.extract.periods import extract_period, rejected_year
from planbot.core.extract.places import negated_keys, read_places
from planbot.core.language import language_guess
from planbot.core.numbers import normalize

__all__ = [
    "AMOUNT_FIELDS",
    "PERCENT_FIELDS",
    "brief_from_text",
    "extract",
    "extract_period",
    "language_of",
    "says_unsure",
]

_CJK = re.compile(r"[\u4e00-\u9fff]")
_NEXT_YEAR = re.compile(r"(明年|下一年|next\s*year)", re.I)
# A correction replaces earlier values (lists too); "only" narrows a list instead of adding to it.
_CORRECTION = re.compile(
    r"(不对|不是|错了|说错|哦不|改成|改为|换成|更正|纠正|应该是|其实是|actually|instead|correction|i meant|make it|"
    r"no\s*wait|oops|"
    r"change\s+(it|that|this|the\s+\w+)\s+to|sorry|scratch that)",
    re.I,
)
_ONLY = re.compile(
    r"(只做|只在|只投|只有|仅|only|\bjust\b(?!\s+(estimate|guess|started|launched|need|want|a\b|an\b)))", re.I
)
_UNKNOWN = re.compile(
    r"(不知道|不太?清楚|不太?确定|不太?了解|没有?数据|[没不](有)?统计|[没不](有)?跟踪|没算过|没具体算|没概念|没底|"
    r"说不好|说不准|拿不准|不好说|记不清|不记得|忘了|(还)?没定|未定|待定|没想好|还没有?数|暂时没有|"
    r"你估|帮我估|估一下|估一个|你定|你来定|你看着办|随便|按行业|参考行业|"
    r"not\s+sure|unsure|don'?t\s+know|do\s+not\s+know|no\s+idea|no\s+clue|\bidk\b|dunno|unknown|unclear|"
    r"no\s+(\S+\s+){0,2}(data|numbers?|figures?|history)\b|tbd|n/a|can'?t\s+say|don'?t\s+remember|"
    r"(not|haven'?t|have\s+not|never)\s+(been\s+)?(decided|settled|set|tracked|measured|picked|chosen|named)|undecided|"
    r"don'?t\s+(track|measure)|don'?t\s+have\s+(\S+\s+){0,3}(numbers?|data|figures?|stats)|"
    r"you\s+(decide|estimate|pick|guess)|just\s+estimate|estimate\s+it|your\s+call|whatever\s+you\s+think|"
    r"industry\s+(average|default|benchmark))",
    re.I,
)
# Words naming a field, to tell which one "不知道 / not sure" is about.
FIELD_WORDS: list[tuple[str, re.Pattern[str]]] = [
    ("cvr", re.compile(r"(转化率|转化|cvr|conversion)", re.I)),
    ("aov", re.compile(r"(客单价|客单|aov|order\s*value|basket)", re.I)),
    ("repurchase_rate", re.compile(r"(复购|回购|repurchase|repeat)", re.I)),
    ("uv_last_year", re.compile(r"(uv|访客|流量|visitors|traffic)", re.I)),
    ("new_customers_target", re.compile(r"(新客|拉新|new\s*customers)", re.I)),
    ("gmv_last_year", re.compile(r"(去年|上一年|last[\s-]*year)", re.I)),
    ("growth_rate", re.compile(r"(增长|增速|growth)", re.I)),
    ("budget_total", re.compile(r"(预算|budget|spend)", re.I)),
    ("gmv_target", re.compile(r"(gmv|销售额|目标|target|revenue|sales)", re.I)),
    ("audience", re.compile(r"(人群|用户画像|受众|audience|persona)", re.I)),
    ("brand", re.compile(r"(品牌名|brand\s*name)", re.I)),
]
GOAL_WORDS: list[tuple[str, re.Pattern[str]]] = [
    ("sales", re.compile(r"(gmv|销售|营收|sales|revenue)", re.I)),
    (
        "brand",
        re.compile(r"(品牌(认知|曝光|声量|知名度|建设)|知名度|awareness|brand\s*(building|awareness|equity))", re.I),
    ),
    ("users", re.compile(r"(拉新|新客|会员|私域|复购|new\s*customers|members|retention|repurchase)", re.I)),
    (
        "conversion",
        re.compile(
            r"(转化率提升|提升转化|提高转化|(improve|increase|lift|boost)\w*\s+conversion|"
            r"conversion\s+(uplift|lift|improvement))",
            re.I,
        ),
    ),
]


def language_of(text: str) -> str:
    return "zh" if len(_CJK.findall(text)) >= 2 else "en"


def says_unsure(norm: str) -> bool:
    """Whether the text says the user does not know something ("不清楚", "no idea", "你估一下")."""
    return bool(_UNKNOWN.search(norm))


def _unknown_fields(norm: str, expecting: Sequence[str]) -> list[str]:
    """Fields the user says they don't know: named in the same clause, else the one just asked."""
    out: list[str] = []
    for m in _UNKNOWN.finditer(norm):
        clause_start = max(norm.rfind(ch, 0, m.start()) for ch in _CLAUSE_ENDS) + 1
        clause_end = min([i for ch in _CLAUSE_ENDS if (i := norm.find(ch, m.end())) >= 0] or [len(norm)])
        # "new customers? no idea": a clause naming nothing is about the one just before it
        earlier = norm[: max(clause_start - 1, 0)]
        before_start = max(earlier.rfind(ch) for ch in _CLAUSE_ENDS) + 1
        for clause in (norm[clause_start:clause_end], earlier[before_start:]):
            named = _named_fields(clause)
            if named:
                break
        for f in named or list(expecting[:1]):
            if f not in out:
                out.append(f)
    return out


_SEPARATORS = re.compile(r"\s*[|｜•▪]\s*|\s+/\s+")
# "店在淘宝 拼夕夕 明年目标3kw": in Chinese chat a space often ends a phrase; not after a label ("品牌 青禾")
_CJK_SPACE = re.compile(
    r"(?:(?<=[\u4e00-\u9fff0-9%])|(?<=\d[a-zA-Z])|(?<=\d[a-zA-Z]{2}))"  # after Chinese, a figure, or 3kw / 200w
    r"(?<!品牌)(?<!品类)(?<!平台)(?<!预算)(?<!目标)\s+(?=[\u4e00-\u9fff])"
)


def _clauses(norm: str) -> str:
    """Notes written with separators instead of punctuation, read as clauses: " | ", bullets, and
    spaces between Chinese phrases become clause breaks (","), so each figure and name keeps its own words."""
    norm = _SEPARATORS.sub("; ", re.sub(r"[ \t]{2,}", " ", norm))  # runs of spaces say nothing more than one
    if language_guess(norm) == "zh":  # not in English with Chinese names: "CVR on 天猫 不清楚 honestly"
        norm = _CJK_SPACE.sub(",", norm)
    return norm


# a launch or cold start: the plan front-loads spend and has no returning customers at first
_LAUNCH = re.compile(
    r"(冷启动|新品牌|新品上市|新品首发|新店开业|新开的店|从零开始|从0开始|0到1|零基础起步|"
    r"\bcold[- ]start|\bbrand[- ]new (brand|store|shop)|\bnew brand\b|\blaunch(ing)? (a |our |the )?(new )?"
    r"(brand|product|store|shop|line)|\bfrom scratch\b|\bfrom zero\b)",
    re.I,
)
_NOT_LAUNCH = re.compile(r"(不是新品|不是新店|老品牌|not a (new )?launch|not new\b)", re.I)
_CLAUSE_ENDS = "，,。；;！!？?\n"


def _named_fields(clause: str) -> list[str]:
    """The fields a clause names ("客单价和转化率都不清楚": both); 去年 / last year only qualifies
    another field when one is named ("去年访客数" is the visitors, not last year's GMV)."""
    named = [f for f, pat in FIELD_WORDS if pat.search(clause)]
    if "gmv_last_year" in named:
        named = [f for f in named if f != "gmv_target"]
        if len(named) > 1:
            named.remove("gmv_last_year")
    return named


def extract(text: str, today: date | None = None, expecting: Sequence[str] = ()) -> BriefUpdate:
    """Every Brief field a text states.

    `expecting` lists the fields the assistant just asked about (or last heard): a bare figure
    such as "两百万" or "3%", or "not sure" without a field name, is about those.
    """
    today = today or date.today()
    norm = _clauses(normalize(text))
    lang = language_of(norm)
    values: dict[str, object] = {"language": lang}
    correction = bool(_CORRECTION.search(norm))
    replace_lists = correction or bool(_ONLY.search(norm))

    places = read_places(norm, lang)
    if places.platforms:
        values["platforms"] = places.platforms
    if places.channels:
        values["channels"] = places.channels
    campaigns = C.find_campaigns(norm)
    dropped_campaigns = [k for k in campaigns if k in negated_keys(norm, C.CAMPAIGN_ALIASES)]
    campaigns = [k for k in campaigns if k not in dropped_campaigns]
    if campaigns:
        values["campaigns"] = [C.SPECS[k].name(lang) for k in campaigns]

    figures = read_figures(norm, expecting)
    values.update(figures.values)
    plat_keys = places.platform_keys
    global_market = bool(plat_keys) and all(k in GLOBAL_PLATFORMS for k in plat_keys)
    if figures.currency:
        values["currency"] = figures.currency
    elif global_market:
        values["currency"] = "USD"
    if global_market or (figures.currency and figures.currency != "CNY" and not plat_keys):
        values["market"] = "global"
    elif plat_keys:
        values["market"] = "cn"
    elif places.market and (places.market == "global" or not figures.currency):  # "我们在美国卖" / "US shoppers"
        values["market"] = places.market

    period = extract_period(norm, today, [str(c) for c in values.get("campaigns", [])])  # type: ignore[attr-defined]
    if period:
        values["period"] = {"start": period[0], "end": period[1]}
    rejected = dict(figures.rejected)
    if not period and (year := rejected_year(norm)):
        rejected["period"] = year  # "1999年" / "in 2200": refused by name, never a plan in that year
    for name, found in (("category", read_category(norm)), ("brand", read_brand(norm)),
                        ("audience", read_audience(norm))):  # fmt: skip
        if found:
            values[name] = found
    if _LAUNCH.search(norm) and not _NOT_LAUNCH.search(norm):
        values["plan_type"] = "launch"
    goals = sorted(((m.start(), g) for g, pat in GOAL_WORDS if (m := pat.search(norm))), key=lambda x: x[0])
    if goals:
        values["goal_focus"] = [g for _, g in goals]
    if "period" not in values and _NEXT_YEAR.search(norm):
        values["period"] = {"start": date(today.year + 1, 1, 1), "end": date(today.year + 1, 12, 31)}
    unknown = [f for f in _unknown_fields(norm, expecting) if f not in values]
    removed: dict[str, list[str]] = {}
    if places.removed_platforms:
        removed["platforms"] = places.removed_platforms
    if places.removed_channels:
        removed["channels"] = places.removed_channels
    if dropped_campaigns:  # every spelling a brief may hold: the removal compares names
        removed["campaigns"] = [n for k in dropped_campaigns for n in (k, C.SPECS[k].name("zh"), C.SPECS[k].name("en"))]
    if removed and not _ONLY.search(norm):
        replace_lists = False  # "微博不投了，换成B站" takes one away and adds one: the rest stay
    return BriefUpdate(values=values, unknown=unknown, replace_lists=replace_lists, correction=correction,
                       removed=removed, rejected=rejected, assumed=getattr(figures, "assumed", {}))  # fmt: skip


def brief_from_text(text: str, today: date | None = None) -> Brief:
    return extract(text, today).apply(Brief())

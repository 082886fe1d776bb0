"""Offline extractor: free prose (Chinese or English) -> the Brief fields it states.

Figures are classified by the words just before them (预算 / budget, 去年 / last year, 客单价 /
AOV ...), so one sentence can carry several fields at once. Nothing is guessed here: what the
text does not say stays unset, and the builder's defaults are listed as assumptions later.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta

from planbot.core import calendar as C
from planbot.core.brief import Brief, BriefUpdate
from planbot.core.catalog import GLOBAL_PLATFORMS, PLATFORM_ALIASES, find_in_text, platform_name
from planbot.core.numbers import Amount, find_amounts, find_percents, normalize, to_base_units

_CJK = re.compile(r"[\u4e00-\u9fff]")
# Figure kinds in priority order: the first whose keyword ends the text before a figure wins.
AMOUNT_KEYWORDS: list[tuple[str, re.Pattern[str]]] = [
    (
        "gmv_last_year",
        re.compile(r"(去年|上一年|上年|前一年|last\s*year'?s?|prior\s*year|in\s*20\d\d\s*we\s*did)", re.I),
    ),
    ("aov", re.compile(r"(客单价?|件单价|aov|average\s*order(\s*value)?|basket\s*size)", re.I)),
    ("uv_last_year", re.compile(r"(uv|访客|流量|visitors|traffic|sessions)", re.I)),
    ("new_customers_target", re.compile(r"(新客|新用户|拉新|new\s*(customers|buyers|users))", re.I)),
    ("budget_total", re.compile(r"(预算|投入|营销费用|费用|花费|budget|spend(ing)?|marketing\s*cost)", re.I)),
    (
        "gmv_target",
        re.compile(r"(gmv|销售额|营业额|成交额|销售目标|做到|冲到|达到|冲刺|sales|revenue|\bhit\b|\breach\b)", re.I),
    ),
]
# "明年想做到6000万，今年4500万": with the plan set next year, this year's figure is the baseline.
_THIS_YEAR = re.compile(r"(今年|this\s*year)", re.I)
_NEXT_YEAR = re.compile(r"(明年|下一年|next\s*year)", re.I)
# A correction replaces earlier values (lists too); "only" narrows a list instead of adding to it.
_CORRECTION = re.compile(
    r"(不对|不是|错了|改成|改为|换成|更正|纠正|应该是|其实是|actually|instead|correction|i meant|make it|"
    r"change\s+(it|that|this|the\s+\w+)\s+to|sorry|scratch that)",
    re.I,
)
_ONLY = re.compile(r"(只做|只在|只投|只有|仅|only)", re.I)
_UNKNOWN = re.compile(
    r"(不知道|不清楚|不确定|没有数据|没数据|不了解|说不好|你估|帮我估|估一下|你定|你来定|你看着办|随便|"
    r"not\s+sure|don'?t\s+know|do\s+not\s+know|no\s+idea|unknown|no\s+data|"
    r"you\s+(decide|estimate|pick|guess)|estimate\s+it|your\s+call|whatever\s+you\s+think)",
    re.I,
)
# Words naming a field, to tell which one "不知道 / not sure" is about.
FIELD_WORDS: list[tuple[str, re.Pattern[str]]] = [
    ("cvr", re.compile(r"(转化率|转化|cvr|conversion)", re.I)),
    ("aov", re.compile(r"(客单价|客单|aov|order\s*value|basket)", re.I)),
    ("repurchase_rate", re.compile(r"(复购|回购|repurchase|repeat)", re.I)),
    ("uv_last_year", re.compile(r"(uv|访客|流量|visitors|traffic)", re.I)),
    ("new_customers_target", re.compile(r"(新客|拉新|new\s*customers)", re.I)),
    ("gmv_last_year", re.compile(r"(去年|上一年|last\s*year)", re.I)),
    ("growth_rate", re.compile(r"(增长|增速|growth)", re.I)),
    ("budget_total", re.compile(r"(预算|budget|spend)", re.I)),
    ("gmv_target", re.compile(r"(gmv|销售额|目标|target|revenue|sales)", re.I)),
    ("audience", re.compile(r"(人群|用户画像|受众|audience|persona)", re.I)),
    ("brand", re.compile(r"(品牌名|brand\s*name)", re.I)),
]
PERCENT_FIELDS = frozenset({"cvr", "growth_rate", "repurchase_rate"})
AMOUNT_FIELDS = frozenset(
    {"gmv_target", "gmv_last_year", "budget_total", "aov", "uv_last_year", "new_customers_target"}
)
# A bare 目标 / target names the GMV target only when no more specific word stands before the figure.
GENERIC_TARGET = re.compile(r"(目标|target|goal)", re.I)
PERCENT_KEYWORDS: list[tuple[str, re.Pattern[str]]] = [
    ("repurchase_rate", re.compile(r"(复购率?|回购|repurchase|repeat(\s*purchase)?)", re.I)),
    ("cvr", re.compile(r"(转化率|转化|cvr|conversion(\s*rate)?)", re.I)),
    ("growth_rate", re.compile(r"(增长|增速|提升|同比|涨|growth|grow|increase|yoy|up)", re.I)),
]
CATEGORIES: list[tuple[str, str]] = [
    ("护肤", "护肤"),
    ("彩妆", "彩妆"),
    ("美妆", "美妆"),
    ("母婴", "母婴"),
    ("户外", "户外用品"),
    ("宠物", "宠物用品"),
    ("零食", "零食"),
    ("食品", "食品"),
    ("女装", "女装"),
    ("男装", "男装"),
    ("服饰", "服饰"),
    ("服装", "服装"),
    ("鞋", "鞋履"),
    ("家电", "家电"),
    ("数码", "3C数码"),
    ("3c", "3C数码"),
    ("家居", "家居"),
    ("茶", "茶饮"),
    ("咖啡", "咖啡"),
    ("酒", "酒水"),
    ("珠宝", "珠宝"),
    ("运动", "运动"),
    ("玩具", "玩具"),
    ("skincare", "skincare"),
    ("beauty", "beauty"),
    ("cosmetics", "cosmetics"),
    ("apparel", "apparel"),
    ("fashion", "fashion"),
    ("outdoor", "outdoor gear"),
    ("home", "home goods"),
    ("pet", "pet supplies"),
    ("electronics", "electronics"),
    ("snack", "snacks"),
    ("food", "food"),
    ("toy", "toys"),
    ("jewelry", "jewelry"),
    ("baby", "baby products"),
    ("sports", "sports"),
    ("coffee", "coffee"),
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
_BRAND = [
    re.compile(
        r"品牌(?:名|名称)?(?:是|叫|为|：|:)\s*[「“\"]?([\w\u4e00-\u9fff&'·-]{1,20}?)[」”\"]?(?=[，,。.；;、\s]|$)"
    ),
    re.compile(r"(?:我们是|我们的品牌)\s*[「“\"]?([\w\u4e00-\u9fff&'·-]{1,20}?)[」”\"]?(?=[，,。.；;、\s]|$)"),
    re.compile(r"\b(?i:brand)(?:\s+(?i:is|called|named)|:)\s+[\"“]?([A-Z][\w&'.-]*(?:\s+[A-Z][\w&'.-]*){0,2})"),
    re.compile(r"^\s*([A-Z][\w&'.-]*(?:\s+[A-Z][\w&'.-]*){0,2}),?\s+(?:a|an|is a|is an)\s", re.M),
    # "outdoor gear brand TrailCo on Shopify", "We are TrailCo, an outdoor gear brand"
    re.compile(
        r"\b(?i:brand)\s+([A-Z][\w&'.-]*(?:\s+[A-Z][\w&'.-]*){0,2})(?=\s+(?i:on|sells?|selling|in|for|with)\b|[,.;]|$)"
    ),
    re.compile(r"\b(?i:we are|we're)\s+([A-Z][\w&'.-]*(?:\s+[A-Z][\w&'.-]*){0,2})(?=[,.;]|\s+(?:an?|the)\s|$)"),
]
# "我们是家电配件品牌" describes the business, it does not name it.
# A figure no word names counts as an answer only if it looks like one: digits, a unit or a currency,
# or a full Chinese numeral ("三百五十万"), not the 一 of 一般.
_LOOSE_OK = re.compile(r"(\d|[万亿千百kKwWmM$¥€£]|^[一二两三四五六七八九十百千]{2,})")
# capitalised words that follow "brand" or "we are" without naming a brand
_GENERIC = re.compile(r"(awareness|building|equity|name|day|week|new|based|selling|DTC|B2C|B2B)\b", re.I)
_NOT_A_BRAND = re.compile(r"(品牌|公司|商家|店铺|卖家|团队|企业|新品牌|brand|company|store|seller)$", re.I)
_AUDIENCE = [
    re.compile(r"(?:目标人群|目标用户|目标客群|面向|人群)(?:改成|改为|换成|变成|是|为|：|:)?\s*([^，,。.；;\n]{2,60})"),
    re.compile(r"(?:targeting|target audience(?: is|:)?|audience(?: is|:)|aimed at)\s+([^,.;\n]{3,80})", re.I),
]
_YEAR = re.compile(r"(?<!\d)(20\d\d|2100)(?!\d)\s*(?:年|财年|fy|年度)?", re.I)
_ISO_RANGE = re.compile(
    r"(20\d\d|2100)[-/.](\d{1,2})[-/.](\d{1,2})\s*(?:至|到|~|～|-|–|—|to|until)\s*"
    r"(20\d\d|2100)[-/.](\d{1,2})[-/.](\d{1,2})",
    re.I,
)
_CN_RANGE = re.compile(
    r"(?:(20\d\d|2100)年)?(\d{1,2})月(?:(\d{1,2})[日号])?\s*(?:至|到|~|～|-|–|—)\s*"
    r"(?:(20\d\d|2100)年)?(\d{1,2})月(?:(\d{1,2})[日号])?"
)
_MONTHS = {
    m: i + 1 for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])
}
_EN_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_EN_RANGE = re.compile(rf"{_EN_MONTH}\s*(20\d\d)?\s*(?:to|through|until|-|–)\s*{_EN_MONTH}\s*(20\d\d)?", re.I)
_N_MONTHS = re.compile(r"(\d+|[一二两三四五六七八九十]+|six|three|nine|twelve)\s*(?:个月|months?)", re.I)
_START_MONTH = re.compile(
    rf"(?:从|自)?(\d{{1,2}})月(?:份)?(?:开始|起)|(?:starting|from|beginning)\s+(?:in\s+)?{_EN_MONTH}", re.I
)
_HALF = {
    "上半年": (1, 6),
    "下半年": (7, 12),
    "h1": (1, 6),
    "h2": (7, 12),
    "first half": (1, 6),
    "second half": (7, 12),
}
_QUARTER = re.compile(r"(?:\bq([1-4])\b|第([一二三四1-4])季度)", re.I)
_CN_SMALL = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
    "十二": 12,
    "six": 6,
    "three": 3,
    "nine": 9,
    "twelve": 12,
}
_CAMPAIGN_ONLY = re.compile(r"(活动|大促|campaign|promotion|sale event)", re.I)
_CURRENCY_WORDS = re.compile(r"(美元|美金|usd|us\$|\$|dollars?)", re.I)


def language_of(text: str) -> str:
    return "zh" if len(_CJK.findall(text)) >= 2 else "en"


def _month_end(y: int, m: int) -> date:
    return date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1)


def _safe_date(y: int, m: int, d: int | None, end: bool) -> date | None:
    try:
        if d is None:
            return _month_end(y, m) if end else date(y, m, 1)
        return date(y, m, d)
    except ValueError:
        return None


def _years(norm: str) -> list[int]:
    years = []
    for m in _YEAR.finditer(norm):
        tail = norm[m.end(1) : m.end(1) + 1]
        if (
            m.group(0).strip().endswith(("年", "财年", "年度"))
            or tail in (" ", "", ",", "，", "。", ".")
            or norm[max(0, m.start() - 4) : m.start()].lower().strip().endswith(("for", "in", "fy"))
        ):
            years.append(int(m.group(1)))
    return years


def extract_period(text: str, today: date, campaigns: list[str]) -> tuple[date, date] | None:
    """The plan period a text states: explicit ranges, a year, a half, a quarter, N months, or one campaign."""
    norm = normalize(text)
    low = norm.lower()
    if m := _ISO_RANGE.search(norm):
        s = _safe_date(int(m[1]), int(m[2]), int(m[3]), False)
        e = _safe_date(int(m[4]), int(m[5]), int(m[6]), True)
        if s and e:
            return s, e
    years = _years(norm)
    year = years[0] if years else None
    if m := _CN_RANGE.search(norm):
        y1 = int(m[1]) if m[1] else (year or today.year)
        y2 = int(m[4]) if m[4] else y1
        s = _safe_date(y1, int(m[2]), int(m[3]) if m[3] else None, False)
        e = _safe_date(y2, int(m[5]), int(m[6]) if m[6] else None, True)
        if s and e:
            return (s, e) if e >= s else (s, _safe_date(y2 + 1, int(m[5]), int(m[6]) if m[6] else None, True) or e)
    if m := _EN_RANGE.search(low):
        y1 = int(m[2]) if m[2] else (year or today.year)
        y2 = int(m[4]) if m[4] else y1
        s, e = date(y1, _MONTHS[m[1][:3]], 1), _month_end(y2, _MONTHS[m[3][:3]])
        return (s, e) if e >= s else (s, _month_end(y2 + 1, _MONTHS[m[3][:3]]))
    default_year = year or (today.year + 1 if today.month >= 10 else today.year)
    for word, (m1, m2) in _HALF.items():
        if word in low:
            return date(default_year, m1, 1), _month_end(default_year, m2)
    if m := _QUARTER.search(norm):
        q = int(m[1]) if m[1] else _CN_SMALL.get(m[2], 0) or int(m[2])
        return C.quarter_bounds(default_year, q)
    if m := _N_MONTHS.search(low):
        raw = m[1]
        n = int(raw) if raw.isdigit() else _CN_SMALL.get(raw, 0)
        if 1 <= n <= 24:
            sm = _START_MONTH.search(low)
            month = 1
            if sm:
                month = int(sm[1]) if sm[1] else _MONTHS[sm[2][:3]]
            start = date(default_year, month if 1 <= month <= 12 else 1, 1)
            end_month_index = start.month - 1 + n - 1
            return start, _month_end(start.year + end_month_index // 12, end_month_index % 12 + 1)
    if year is not None:
        if len(campaigns) == 1 and _CAMPAIGN_ONLY.search(norm) and not re.search(r"(全年|年度|annual|full.year)", low):
            key = C.match_campaign(campaigns[0])
            if key:
                cd = C.campaign_dates(key, year, "zh", date(year, 1, 1), date(year, 12, 31))
                if cd:
                    return cd.unclipped[0].start, cd.unclipped[-1].end
        return date(year, 1, 1), date(year, 12, 31)
    return None


def _classify_amount(before: str) -> str | None:
    tail = re.split(r"[，,。；;\n]", before[-24:])[-1]
    best: tuple[int, int, str] | None = None  # (distance to the figure, priority, field)
    for prio, (name, pattern) in enumerate(AMOUNT_KEYWORDS):
        for m in pattern.finditer(tail):
            dist = len(tail) - m.end()
            if best is None or (dist, prio) < best[:2]:
                best = (dist, prio, name)
    if best is None:
        return "gmv_target" if GENERIC_TARGET.search(tail[-10:]) else None
    # 去年GMV / last year's GMV: the last-year marker wins even when GMV sits closer to the figure
    if AMOUNT_KEYWORDS[0][1].search(tail) and best[2] == "gmv_target":
        return "gmv_last_year"
    return best[2]


_AFTER_KEYWORDS: list[tuple[str, re.Pattern[str]]] = [
    ("budget_total", re.compile(r"^\s*(?:of\s+|in\s+)?(?:marketing\s+)?(budget|spend|的预算|预算)", re.I)),
    ("gmv_target", re.compile(r"^\s*(?:of\s+|in\s+)?(gmv|revenue|sales|的销售额|销售额)", re.I)),
    ("uv_last_year", re.compile(r"^\s*(visitors|uv|sessions|访客)", re.I)),
    ("new_customers_target", re.compile(r"^\s*(new\s+customers|new\s+buyers|新客|新用户)", re.I)),
]


def _classify_after(after: str) -> str | None:
    """English often names the figure after it: "a $500k budget", "$4M in revenue"."""
    for name, pattern in _AFTER_KEYWORDS:
        if pattern.search(after):
            return name
    return None


_NOT_MONEY_AFTER = re.compile(
    r"^\s*(%|个百分点|个点|折|岁|周岁|天|日|号|个月|月|年|周|小时|次|倍|years?\b|yrs?\b|"
    r"months?\b|days?\b|weeks?\b|x\b|\s*[-–~到至]\s*\d)",
    re.I,
)


def _is_noise(norm: str, a: Amount) -> bool:
    """Ages, durations, ranges and dates are figures but not money or counts."""
    if a.currency is None and _NOT_MONEY_AFTER.search(norm[a.end : a.end + 6]):
        return True
    if re.search(r"\d\s*[-–~到至]\s*$", norm[max(0, a.start - 4) : a.start]):
        return True
    after = norm[a.end : a.end + 2]
    if a.currency is None and re.fullmatch(r"(20\d\d|2100)", a.text) and (after[:1] in "年 -/.," or after == ""):
        return True
    if a.currency is not None or re.search(r"[万亿kKwWmM]", a.text):
        return False
    # a campaign's own number: "618", the 11 of "双11", the 12 of "双12"
    return C.find_campaigns(norm[max(0, a.start - 2) : a.end + 2]) != []


_NEGATION = r"(不是|不做|不要|不投|不再做|去掉|去除|删掉|除了|not|no longer|without|drop|except)\s*(在|on)?\s*"


def _negated(low: str, aliases: Sequence[str]) -> bool:
    """ "不是天猫" / "not Amazon": the user takes a platform away."""
    return any(re.search(_NEGATION + re.escape(a), low) for a in aliases)


def _unknown_fields(norm: str, expecting: Sequence[str]) -> list[str]:
    """Fields the user says they don't know: named in the same clause, else the one just asked."""
    out: list[str] = []
    for m in _UNKNOWN.finditer(norm):
        clause_start = max(norm.rfind(ch, 0, m.start()) for ch in "，,。.；;！!？?\n") + 1
        clause_end = min([i for ch in "，,。；;！!？?\n" if (i := norm.find(ch, m.end())) >= 0] or [len(norm)])
        clause = norm[clause_start:clause_end]
        named = [f for f, pat in FIELD_WORDS if pat.search(clause)]
        for f in named[:1] or list(expecting[:1]):
            if f not in out:
                out.append(f)
    return out


def extract(text: str, today: date | None = None, expecting: Sequence[str] = ()) -> BriefUpdate:
    """Every Brief field a text states.

    `expecting` lists the fields the assistant just asked about (or last heard): a bare figure
    such as "两百万" or "3%", or "not sure" without a field name, is about those.
    """
    today = today or date.today()
    norm = normalize(text)
    low = norm.lower()
    lang = language_of(norm)
    values: dict[str, object] = {"language": lang}
    correction = bool(_CORRECTION.search(norm))
    replace_lists = correction or bool(_ONLY.search(norm))

    plat_keys = find_in_text(norm, PLATFORM_ALIASES)
    dropped = [k for k in plat_keys if _negated(low, PLATFORM_ALIASES[k])]
    plat_keys = [k for k in plat_keys if k not in dropped]
    if plat_keys:
        values["platforms"] = [platform_name(k, lang) for k in plat_keys]
    campaigns = C.find_campaigns(norm)
    if campaigns:
        values["campaigns"] = [C.SPECS[k].name(lang) for k in campaigns]

    baseline_this_year = bool(_NEXT_YEAR.search(norm))
    currency: str | None = None
    loose: list[int] = []  # figures no keyword names: they answer the question just asked
    for a in find_amounts(norm):
        if a.currency:
            currency = currency or a.currency
        if _is_noise(norm, a) or a.value <= 0:
            continue
        before = norm[: a.start]
        fld = _classify_amount(before) or _classify_after(norm[a.end : a.end + 24])
        if baseline_this_year and _THIS_YEAR.search(re.split(r"[，,。；;\n]", before[-12:])[-1]):
            fld = "gmv_last_year" if fld in (None, "gmv_target") else fld
        if fld is None:
            if _LOOSE_OK.search(a.text):
                loose.append(to_base_units(a.value))
            continue
        if fld in values:
            continue
        values[fld] = to_base_units(a.value)
    for fld in [f for f in expecting if f in AMOUNT_FIELDS and f not in values]:
        if not loose:
            break
        values[fld] = loose.pop(0)
    if currency is None and _CURRENCY_WORDS.search(low):
        currency = "USD"
    global_market = bool(plat_keys) and all(k in GLOBAL_PLATFORMS for k in plat_keys)
    if currency:
        values["currency"] = currency
    elif global_market:
        values["currency"] = "USD"
    if global_market or (currency and currency != "CNY" and not plat_keys):
        values["market"] = "global"
    elif plat_keys:
        values["market"] = "cn"

    loose_pct: list[float] = []
    for p in find_percents(norm):
        before = re.split(r"[，,。；;、%\n]", norm[max(0, p.start - 20) : p.start])[-1]
        # the metric word (复购率, CVR) beats a growth word (提升, increase) in the same clause
        hits = [
            (name == "growth_rate", len(before) - m.end(), name)
            for name, pat in PERCENT_KEYWORDS
            for m in pat.finditer(before)
        ]
        after = norm[p.end : p.end + 16]
        named_after = [name for name, pat in PERCENT_KEYWORDS if pat.match(after.strip())]
        if hits or named_after:
            name = min(hits)[2] if hits else named_after[0]
            if name not in values:
                values[name] = float(p.value)
        else:
            loose_pct.append(float(p.value))
    for fld in [f for f in expecting if f in PERCENT_FIELDS and f not in values]:
        if not loose_pct:
            break
        values[fld] = loose_pct.pop(0)

    period = extract_period(norm, today, [str(c) for c in values.get("campaigns", [])])  # type: ignore[attr-defined]
    if period:
        values["period"] = {"start": period[0], "end": period[1]}
    for needle, name in CATEGORIES:
        if (needle in low) if not needle.isascii() else re.search(rf"\b{needle}", low):
            values["category"] = name
            break
    for pattern in _BRAND:
        name = m.group(1) if (m := pattern.search(norm)) else ""
        if name and not (_NOT_A_BRAND.search(name) or _GENERIC.match(name) or find_in_text(name, PLATFORM_ALIASES)):
            values["brand"] = name.strip()
            break
    for pattern in _AUDIENCE:
        if m := pattern.search(norm):
            values["audience"] = m.group(1).strip()
            break
    goals = sorted(((m.start(), g) for g, pat in GOAL_WORDS if (m := pat.search(norm))), key=lambda x: x[0])
    if goals:
        values["goal_focus"] = [g for _, g in goals]
    if "period" not in values and _NEXT_YEAR.search(norm):
        values["period"] = {"start": date(today.year + 1, 1, 1), "end": date(today.year + 1, 12, 31)}
    unknown = [f for f in _unknown_fields(norm, expecting) if f not in values]
    removed = {"platforms": [platform_name(k, lang) for k in dropped]} if dropped else {}
    return BriefUpdate(
        values=values, unknown=unknown, replace_lists=replace_lists, correction=correction, removed=removed
    )


def brief_from_text(text: str, today: date | None = None) -> Brief:
    return extract(text, today).apply(Brief())

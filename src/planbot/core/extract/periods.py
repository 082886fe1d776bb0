"""The plan period a message states: ranges, a year, a half, quarters, N months, or one campaign.

A year counts as the plan's only where it is said as one ("2027年", "for 2027", "明年", "next yr"):
not a year in the past ("since 2019"), not one inside a phone number, not the year of a campaign
("Prime Day 2027" dates the campaign, not the plan). A quarter in a sentence about something else
("2 new hires in Q1", "Q3的时候我们上了3个新品") is no period. A year outside 2000-2100 said as the
plan's ("1999年", "plan for 2200") is no period either: `rejected_year` gives it back as written
so that the reply can refuse it with the field named.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from planbot.core import calendar as C
from planbot.core.numbers import normalize

_Y = r"(20\d\d|2100)"
_YEAR = re.compile(rf"(?<!\d){_Y}(?!\d)\s*(?:年|财年|fy|年度)?", re.I)
_TO = r"\s*(?:至|到|~|～|-|–|—|to|until|through|thru|till)\s*"
_ISO_RANGE = re.compile(rf"{_Y}[-/.](\d{{1,2}})[-/.](\d{{1,2}}){_TO}{_Y}[-/.](\d{{1,2}})[-/.](\d{{1,2}})", re.I)
_YM_RANGE = re.compile(
    rf"{_Y}\s*[-/.年]\s*(\d{{1,2}})(?![\d.])月?{_TO}(?:{_Y}\s*[-/.年]\s*)?(\d{{1,2}})(?!\d)月?", re.I
)
# "3月到8月", "3月份开始做到8月底", "4月1号起一直到9月"
_CN_RANGE = re.compile(
    rf"(?:{_Y}年)?(\d{{1,2}})月(?:份|初)?(?:(\d{{1,2}})[日号])?\s*(?:开始|起)?\s*(?:做|跑|推|持续|一直|做到|)\s*"
    rf"(?:至|到|~|～|-|–|—)\s*(?:{_Y}年)?(\d{{1,2}})月(?:份|底|末)?(?:(\d{{1,2}})[日号])?"
)
_CN_SHORT_RANGE = re.compile(r"(?<![\d./\-])(\d{1,2})\s*(?:-|–|~|～|到|至)\s*(\d{1,2})月")  # "3-8月", "3到8月份"
# "从3月开始做到年底", "from March through year-end": the start month to the end of that year
_TO_YEAR_END = re.compile(
    r"(\d{1,2})月(?:份|初)?(?:\d{1,2}[日号])?\s*(?:开始|起)?[^，,。；;\d]{0,6}?(?:到|至)\s*(?:年底|年末|年终)"
    r"|(?:from|starting|start|beginning|begin)\s+(?:in\s+)?(?:early\s+|mid\s+)?"
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|"
    r"nov(?:ember)?)\b[^,;.\d]{0,12}?(?:to|through|thru|until|till)\s+(?:the\s+)?(?:end\s+of\s+(?:the\s+)?year|year[-\s]?end)",
    re.I,
)
_MONTH_WORDS = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    "oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_EN_MONTH = rf"\b({_MONTH_WORDS})\b\.?"
_DAY = r"(?:\s*(\d{1,2})(?:st|nd|rd|th)?\b)?,?"
_EN_RANGE = re.compile(rf"{_EN_MONTH}{_DAY}\s*{_Y}?{_TO}{_EN_MONTH}{_DAY}\s*{_Y}?", re.I)
# day first, as in Britain and Europe: "from 1 Feb 2027 to 31 Jan 2028"
_ORD = r"(?:st|nd|rd|th)?"
_EN_DMY_RANGE = re.compile(
    rf"(?<!\d)(\d{{1,2}}){_ORD}\s+(?:of\s+)?{_EN_MONTH},?\s*{_Y}?{_TO}(\d{{1,2}}){_ORD}\s+(?:of\s+)?{_EN_MONTH},?\s*{_Y}?",
    re.I,
)
_MONTHS = {
    m: i + 1 for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])
}
_N_MONTHS = re.compile(
    r"(?<!\d)(\d{1,2}|[一二两三四五六七八九十]+|six|three|nine|twelve)\s*(?:个月|months?)|(?<![上下])(半年)|(half\s+a\s+year)",
    re.I,
)
_START_MONTH = re.compile(
    rf"(\d{{1,2}})月(?:份|初)?(?:\d{{1,2}}[日号])?\s*(?:开始|起)|(?:starting|from|beginning|start)\s+(?:in\s+)?{_EN_MONTH}",
    re.I,
)
_HALF = {"上半年": (1, 6), "下半年": (7, 12), "h1": (1, 6), "h2": (7, 12), "first half": (1, 6), "second half": (7, 12)}
_HALF_RE = re.compile(r"上半年|下半年|(?<![a-z0-9])h[12](?![0-9])|first half|second half", re.I)
_QUARTER = re.compile(r"(?<![a-z0-9])q([1-4])(?![0-9])|第?([一二三四1-4])(?:[、和到至-]第?([一二三四1-4]))?季度", re.I)
_NEXT_QUARTER = re.compile(r"下个?季度|下一季度|next\s+quarter|following\s+quarter|coming\s+quarter", re.I)
_THIS_QUARTER = re.compile(r"本季度|这个?季度|this\s+quarter|current\s+quarter", re.I)
_NEXT_YEAR = re.compile(r"明年|来年|下一年|次年|next\s+(?:year|yr)\b|the\s+coming\s+year", re.I)
_YEAR_AFTER = re.compile(r"后年|year\s+after\s+next", re.I)
_THIS_YEAR_PERIOD = re.compile(
    r"(?:今年|this\s+year'?s?)\s*(?:的)?\s*(?:上半年|下半年|q[1-4]|第?[一二三四1-4]季度|\d{1,2}月|h[12])", re.I
)
_CN_SMALL = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
             "十二": 12, "six": 6, "three": 3, "nine": 9, "twelve": 12, "半": 6}  # fmt: skip
# Words around a single campaign that make the plan that campaign only.
_CAMPAIGN_PLAN = re.compile(r"活动|大促|期间|方案|campaign|promotion|sale\s+event|plan|push", re.I)
_FULL_YEAR = re.compile(r"全年|年度|annual|full.year|whole\s+(?:of\s+)?|calendar\s+year", re.I)
# A clause about something that happens in the period rather than the period to plan.
_EVENT = re.compile(
    r"上了|上新品|发布|上市|招聘|招了|新人|入职|版本|launch\w*|hires?|hiring|released?|version|app\b|joined|opened",
    re.I,
)
_PAST = re.compile(
    r"去年|实际|做了|成立|创立|创办|以来|since|founded|established|\bdid\b|\bwas\b|\bwere\b|last\s+year", re.I
)
_CLAUSE = re.compile(r"[，,；;。！!？?\n]|\.(?=\s|$)")

# Years said as the plan's that no plan can cover.
_BAD_YEAR_ZH = re.compile(r"(?<!\d)(\d{4})\s*(?:年度|财年|年)(?!\d)")
_BAD_YEAR_EN = re.compile(
    r"\b(?:for|in|during|fy|year|period|plan|until|through|covering)\s*:?\s*(\d{4})(?!\d)"
    r"(?=\s*(?:$|[,.;!?)]|please\b|pls\b|plan\b|on\b|and\b|only\b|as\b|with\b|too\b|budget\b|is\b|calendar\b|"
    r"fiscal\b|then\b|instead\b))|(?<!\d)(\d{4})\s+plan\b",
    re.I,
)
_MONEY = re.compile(
    r"预算|费用|客单|价|元|块|gmv|budget|spend|aov|price|revenue|sales|target|[$€£¥]|\b(?:usd|eur|rmb)\b", re.I
)
_FOUNDING = re.compile(
    r"成立|创立|创办|创建|起家|以来|至今|历史|老字号|since|founded|established|\best\b|started|began|born|ago", re.I
)


def _month_end(y: int, m: int) -> date:
    return date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1)


def _safe_date(y: int, m: int, d: int | None, end: bool) -> date | None:
    try:
        if d is None:
            return _month_end(y, m) if end else date(y, m, 1)
        return date(y, m, d)
    except ValueError:
        return None


def _clause(norm: str, pos: int) -> str:
    lo = max([0, *(m.end() for m in _CLAUSE.finditer(norm, 0, pos))])
    hi = m.start() if (m := _CLAUSE.search(norm, pos)) else len(norm)
    return norm[lo:hi]


def _in_phone(norm: str, start: int, end: int) -> bool:
    """ "555-2027" or "+1 (303) 2027...": digits of a phone number, not a year."""
    lo, hi = start, end
    while lo > 0 and norm[lo - 1] in "0123456789-()+ ":
        lo -= 1
    while hi < len(norm) and norm[hi] in "0123456789-()+ ":
        hi += 1
    return sum(ch.isdigit() for ch in norm[lo:hi]) >= 8


def _campaign_spans(low: str) -> list[tuple[int, int]]:
    spans = []
    for aliases in C.CAMPAIGN_ALIASES.values():
        for a in aliases:
            spans += [(m.start(), m.end()) for m in re.finditer(re.escape(a), low)]
    return spans


def _years(norm: str, today: date) -> tuple[list[int], list[int]]:
    """(years said as the plan's, years that date a campaign), in order."""
    low = norm.lower()
    campaigns = _campaign_spans(low)
    plan: list[int] = []
    dated: list[int] = []
    for m in _YEAR.finditer(norm):
        year, s, e = int(m.group(1)), m.start(1), m.end(1)
        tail = norm[e : e + 1]
        said = (
            m.group(0).strip().lower().endswith(("年", "财年", "年度", "fy"))
            or tail in (" ", "", ",", "，", "。", ".", ":", "：", ")", "）")
            or low[max(0, s - 4) : s].strip().endswith(("for", "in", "fy"))
        )
        if not said or year < today.year or _in_phone(norm, s, e):
            continue
        if any(ce <= s <= ce + 1 or e <= cs <= m.end() + 1 for cs, ce in campaigns):
            dated.append(year)
        elif not (_PAST.search(_clause(norm, s)) and year <= today.year):
            plan.append(year)
    return plan, dated


def _relative_year(norm: str, today: date) -> int | None:
    if _NEXT_YEAR.search(norm):
        return today.year + 1
    if _YEAR_AFTER.search(norm):
        return today.year + 2
    if _THIS_YEAR_PERIOD.search(norm):
        return today.year
    return None


def _quarters(norm: str) -> list[int]:
    """Quarters named as the plan's, not those of a sentence about a launch or a hire."""
    out: list[int] = []
    for m in _QUARTER.finditer(norm):
        if _EVENT.search(_clause(norm, m.start())):
            continue
        for g in (m[1], m[2], m[3]):
            if g:
                out.append(int(g) if g.isdigit() else _CN_SMALL[g])
    return out


def _month_ranges(norm: str, low: str, year: int) -> tuple[date, date] | None:
    if m := _YM_RANGE.search(norm):
        y1 = int(m[1])
        y2 = int(m[3]) if m[3] else y1
        if 1 <= int(m[2]) <= 12 and 1 <= int(m[4]) <= 12:
            s, e = date(y1, int(m[2]), 1), _month_end(y2, int(m[4]))
            if e > s:
                return s, e
    if m := _CN_RANGE.search(norm):
        y1 = int(m[1]) if m[1] else year
        y2 = int(m[4]) if m[4] else y1
        s0 = _safe_date(y1, int(m[2]), int(m[3]) if m[3] else None, False)
        e0 = _safe_date(y2, int(m[5]), int(m[6]) if m[6] else None, True)
        if s0 and e0:
            later = _safe_date(y2 + 1, int(m[5]), int(m[6]) if m[6] else None, True)
            return (s0, e0) if e0 >= s0 else (s0, later or e0)
    if (m := _CN_SHORT_RANGE.search(norm)) and 1 <= int(m[1]) < int(m[2]) <= 12:
        return date(year, int(m[1]), 1), _month_end(year, int(m[2]))
    if m := _EN_DMY_RANGE.search(low):
        y2 = int(m[6]) if m[6] else (int(m[3]) if m[3] else year)
        y1 = int(m[3]) if m[3] else y2
        s2 = _safe_date(y1, _MONTHS[m[2][:3]], int(m[1]), False)
        e2 = _safe_date(y2, _MONTHS[m[5][:3]], int(m[4]), True)
        if s2 and e2 and e2 < s2 and not m[6]:
            e2 = _safe_date(y2 + 1, _MONTHS[m[5][:3]], int(m[4]), True)
        if s2 and e2 and e2 >= s2:
            return s2, e2
    if m := _TO_YEAR_END.search(low):
        month = int(m[1]) if m[1] else _MONTHS[m[2][:3]]
        if 1 <= month <= 12:
            return date(year, month, 1), date(year, 12, 31)
    if m := _EN_RANGE.search(low):
        y2 = int(m[6]) if m[6] else (int(m[3]) if m[3] else year)
        y1 = int(m[3]) if m[3] else y2
        s1 = _safe_date(y1, _MONTHS[m[1][:3]], int(m[2]) if m[2] else None, False)
        e1 = _safe_date(y2, _MONTHS[m[4][:3]], int(m[5]) if m[5] else None, True)
        if s1 and e1:
            if e1 < s1 and not m[6]:
                e1 = _safe_date(y2 + 1, _MONTHS[m[4][:3]], int(m[5]) if m[5] else None, True) or e1
            if e1 >= s1:
                return s1, e1
    return None


def _campaign_window(norm: str, low: str, campaigns: list[str], year: int | None) -> tuple[date, date] | None:
    """A plan for one campaign only ("2027年双11活动", "a Prime Day 2027 plan"): that campaign's window."""
    if year is None or len(campaigns) != 1 or _FULL_YEAR.search(low):
        return None
    near = [low[max(0, s - 12) : e + 12] for s, e in _campaign_spans(low)]
    if not any(_CAMPAIGN_PLAN.search(text) for text in near):
        return None
    key = C.match_campaign(campaigns[0])
    cd = C.campaign_dates(key, year, "zh", date(year, 1, 1), date(year, 12, 31)) if key else None
    return (cd.unclipped[0].start, cd.unclipped[-1].end) if cd else None


def extract_period(text: str, today: date, campaigns: list[str]) -> tuple[date, date] | None:
    """The plan period a text states, or None: explicit ranges first, then halves, quarters, months, a year."""
    norm = normalize(text)
    low = norm.lower()
    if m := _ISO_RANGE.search(norm):
        s = _safe_date(int(m[1]), int(m[2]), int(m[3]), False)
        e = _safe_date(int(m[4]), int(m[5]), int(m[6]), True)
        if s and e and e >= s:
            return s, e
    plan_years, dated = _years(norm, today)
    relative = _relative_year(norm, today)
    year = plan_years[0] if plan_years else relative
    default_year = year or (dated[0] if dated else None) or (today.year + 1 if today.month >= 10 else today.year)
    if found := _month_ranges(norm, low, default_year):
        return found
    for m in _HALF_RE.finditer(low):
        if not _EVENT.search(_clause(norm, m.start())):
            m1, m2 = _HALF[m.group(0)]
            return date(default_year, m1, 1), _month_end(default_year, m2)
    if qs := _quarters(norm):
        return C.quarter_bounds(default_year, min(qs))[0], C.quarter_bounds(default_year, max(qs))[1]
    q_now = (today.month - 1) // 3 + 1
    if _NEXT_QUARTER.search(low):
        y, q = (today.year + 1, 1) if q_now == 4 else (today.year, q_now + 1)
        return C.quarter_bounds(y, q)
    if _THIS_QUARTER.search(low):
        return C.quarter_bounds(today.year, q_now)
    for m in _N_MONTHS.finditer(low):
        raw = m[1] or "半"
        n = int(raw) if raw.isdigit() else _CN_SMALL.get(raw, 0)
        if 1 <= n <= 24:
            sm = _START_MONTH.search(low)
            month = (int(sm[1]) if sm[1] else _MONTHS[sm[2][:3]]) if sm else 1
            start = date(default_year, month if 1 <= month <= 12 else 1, 1)
            last = start.month - 1 + n - 1
            return start, _month_end(start.year + last // 12, last % 12 + 1)
        break
    if window := _campaign_window(norm, low, campaigns, year or (dated[0] if dated else None)):
        return window
    if year is not None:
        return date(year, 1, 1), date(year, 12, 31)
    return None


def rejected_year(norm: str) -> str | None:
    """A year outside 2000-2100 said as the plan's ("1999年全年", "plan for 2200"), as written; else None.

    A founding year ("成立于1998年", "since 1995") is history, not a plan, and is let be.
    """
    text = normalize(norm)
    for pattern in (_BAD_YEAR_ZH, _BAD_YEAR_EN):
        for m in pattern.finditer(text):
            group = 1 if m.group(1) else 2
            year = int(m.group(group))
            clause = _clause(text, m.start())
            if 2000 <= year <= 2100 or _FOUNDING.search(clause):
                continue
            if pattern is _BAD_YEAR_EN and _MONEY.search(clause):
                continue  # "budget for 1500, please": money, not a year
            if pattern is _BAD_YEAR_ZH:
                return text[m.start(1) : m.end()].strip()
            return m.group(group)
    return None


_DATE_WORDS = re.compile(
    rf"{_Y}|\d{{1,2}}\s*(?:月|号|日)|[一二三四五六七八九十]+月|季度|半年|全年|年度|明年|今年|来年|后年|下一年|次年|"
    rf"{_EN_MONTH}|\b(?:q[1-4]|h[12]|quarter|half|year|month|week|annual)\b|周|星期|\d{{1,2}}[/.-]\d{{1,2}}",
    re.I,
)


def period_grounded(text: str, today: date, start: date, end: date) -> bool:
    """Whether a period proposed for this text (by a model) rests on a date expression the text holds:
    a year, month, quarter, half or week word; its years among those named (or this year and the
    next when none is); a single day only where the text names days."""
    norm = normalize(text)
    if not _DATE_WORDS.search(norm):
        return False
    plan_years, dated = _years(norm, today)
    named = {*plan_years, *dated}
    if relative := _relative_year(norm, today):
        named.add(relative)
    years = named or {today.year, today.year + 1}
    if start.year not in years or end.year not in {*years, start.year + 1}:
        return False
    return start != end or bool(re.search(r"\d\s*(?:号|日)|\b\d{1,2}(?:st|nd|rd|th)?\b", norm))

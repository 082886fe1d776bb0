"""Whom the brand sells to, as the user put it: after a trigger word (目标人群, "targeting", "we sell
to"), after "for" when people follow, or a clause or message that is only people ("户外爱好者",
"dog owners", "主要是25-35岁的宝妈"). Split from `names` so each reader stays readable.
"""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u4e00-\u9fff]")
_AUD_ZH = re.compile(
    r"(?:目标(?:人群|用户|客户|客群|受众|消费者)|(?:核心|主要|主力)(?:人群|用户|客户|客群|消费者|买家)|(?:用户|人群)画像|"
    r"(?:我们的(?:客户|用户|消费者|买家|顾客)(?:大多|主要|多半|基本)?|(?:客户|用户|消费者|买家|顾客)(?:大多|主要|多半|基本))"
    r"(?:是|为)|主要卖给|卖给|面向|"
    r"(?<![A-Za-z])TA(?=\s*:)|(?:人群|客群|受众)(?=\s*(?:是|为|:|在|偏|主要是|大多是)))"
    r"\s*(?:定位|改成|改为|换成|变成|主要是|大多是|是|为|在|偏|:)?\s*"
)
_AUD_EN = re.compile(
    r"\b(?:targeting|we\s+(?:mainly\s+|mostly\s+|want\s+to\s+)?target|aimed\s+at|geared\s+towards?|"
    r"(?:we\s+|mainly\s+|mostly\s+)*(?:sell|sells|selling|market|cater)(?:\s+(?:mainly|mostly|primarily|largely|only))?\s+to|"
    r"target(?:\s+(?:audience|users|customers|market|demographic|demo|group|buyers))?\s*(?:is|are|:|=|是)|"
    r"(?:core\s+|main\s+|primary\s+|key\s+)?(?:audience|customers|buyers|users|shoppers|demographic|persona)"
    r"\s*(?:is|are|:|是)(?:\s+(?:mostly|mainly|largely|primarily|usually))?)\s*",
    re.I,
)
_AUD_BEFORE = re.compile(
    r"(?<!\S)(\S[^,.;:!?\n]{2,59}?)\s{1,3}(?:are|is)\s{1,3}our\s+(?:core|main|primary|key|target|biggest)\b", re.I
)
# who people are, by a noun (no trigger word needed: "dog owners", "户外爱好者")
_PEOPLE_EN = (
    r"moms?|mums?|mothers|dads|fathers|parents|women|men|girls|boys|guys|ladies|students|gamers|owners|"
    r"professionals|seniors|retirees|millennials|gen\s*[zx]|gen\s*alpha|boomers|teens|teenagers|families|buyers|"
    r"shoppers|lovers|enthusiasts|fans|workers|athletes|runners|hikers|travell?ers|kids|couples|homeowners|renters|"
    r"creators|people|consumers|adults|grandparents|brides|nurses|teachers|gardeners|cyclists|golfers|campers|"
    r"anglers|foodies|expats|freelancers|entrepreneurs|founders|executives|caregivers|commuters|collectors|"
    r"beginners|newlyweds|yogis|crafters|bakers|cooks|drivers|riders|players|readers|techies|geeks|nerds"
)
_PEOPLE_ZH = (
    r"女性|男性|女生|男生|宝妈|妈妈|爸妈|父母|家长|白领|学生|年轻人|中老年|老年人|一族|人群|青年|Z世代|银发|中产|上班族|"
    r"职场人|男士|女士|爱好者|发烧友|玩家|人士|群体|消费者|宝宝|孩子|儿童|新手|打工人|学生党|铲屎官|车主|养宠人|主妇|家庭|"
    r"女孩|男孩|精英|老人"
)
_PEOPLE = re.compile(
    rf"\b(?:{_PEOPLE_EN}|aged?\s+\d+|\d+\s*[-–]\s*\d+|\d+\s*\+|years?\s+olds?)\b|"
    rf"(?:{_PEOPLE_ZH}|\d+\s*[-~到至]\s*\d+\s*岁)",
    re.I,
)
# "for dog owners", "aimed at new moms": the phrase is people when a people noun comes in its first words
_FOR = re.compile(r"\bfor\s+(?=(?:[\w'’-]+\s+){0,3}?(?:" + _PEOPLE_EN + r")\b(?![’']s\b))", re.I)
# "主要是25-35岁的宝妈", "30-45岁男性为主": a clause that is people, said without a trigger word
_ZH_PEOPLE_CLAUSE = re.compile(
    rf"(?:^|[,;。\n])\s*+(?:客户|买家|用户|顾客|消费者)?(?:主要|大多|基本|多半)?(?:是|为|以)?(?:卖给|给|面向)?\s*+"
    rf"([^,;。\n]{{0,30}}?(?:{_PEOPLE_ZH}))(?:为主|居多|偏多|比较多|多一些)?\s*+(?=[,;。\n]|$)"
)
# (\s*+ is possessive: with plain \s* a message of 4,000 spaces took a minute to read)
# a following clause that goes on describing the people, and one that has moved on to another field
_MORE = re.compile(
    r"(岁|城市|一线|二线|三线|收入|喜欢|爱好|\baged?\b|years?\s+old|\bincome\b|\bwho\b|\d+\s*[-–]\s*\d+|\d+\+)", re.I
)
_FIELD = re.compile(
    r"(预算|目标|GMV|平台|转化|客单|复购|增长|budget|target|revenue|sales|aov|conversion|growth|[$¥])", re.I
)


def _audience_from(norm: str, start: int) -> tuple[int, int] | None:
    """The phrase from `start` to its clause's end, plus following clauses that go on describing people."""
    parts = re.split(r"([,;。\n]|\.(?=\s|$))", norm[start : start + 400])
    end = start + len(parts[0])
    for sep, nxt in zip(parts[1::2], parts[2::2], strict=False):
        if sep not in ",;" or not _MORE.search(nxt) or _FIELD.search(nxt):
            break
        end += len(sep) + len(nxt)
    while start < end and norm[start] in " :":
        start += 1
    out = norm[start:end].rstrip(" :")
    vague = re.search(r"谁|什么|不清楚|不知道|不确定|没想好|unknown|not sure|no idea|\?", out, re.I)
    return (start, start + len(out)) if len(out) >= 2 and not (_FIELD.match(out) or vague) else None


def audience_span(norm: str, brand: str | None) -> tuple[int, int] | None:
    """Where the audience phrase is in `norm` (ASCII breaks); the brand's own name is never it."""
    if m := _AUD_ZH.search(norm):
        return _audience_from(norm, m.end())
    for m in _AUD_EN.finditer(norm):
        span = _audience_from(norm, m.end())
        if span and (_PEOPLE.search(norm[span[0] : span[1]]) or "audience" in m.group(0).lower()):
            return span
    if (m := _AUD_BEFORE.search(norm)) and _PEOPLE.search(m.group(1)):
        return m.start(1) + len(m.group(1)) - len(m.group(1).lstrip()), m.end(1)
    for m in _FOR.finditer(norm):
        if span := _audience_from(norm, m.end()):
            return span
    for m in _ZH_PEOPLE_CLAUSE.finditer(norm):
        if not (_FIELD.search(m.group(1)) or _NOT_PEOPLE_MSG.search(m.group(1))):
            return m.span(1)
    return _people_message(norm, brand)


_NOT_PEOPLE_MSG = re.compile(
    r"\b(we|our|i|(?<!on a )budget(?![- ](?:conscious|minded|friendly))|plan|target|sell|sells|selling|sold|making|"
    r"brand|products?|categor(?:y|ies)|revenue|gmv|aov)\b|预算|目标|卖|做|我们|平台|品类|类目|品牌",
    re.I,
)


def _people_message(norm: str, brand: str | None) -> tuple[int, int] | None:
    """A short message that is only a description of people ("moms aged 25-35", "一二线城市的年轻女性")."""
    text = norm.strip()
    if len(text.split()) > 12 or len(text) > 80 or _NOT_PEOPLE_MSG.search(text):
        return None
    first = re.split(r"[,;。\n(]|\.(?=\s|$)", text)[0].strip()
    start = norm.find(first)
    if _CJK.search(first):
        ok = bool(re.search(f"(?:{_PEOPLE.pattern})$", first, re.I))
    else:
        ok = bool(_PEOPLE.search(" ".join(first.split()[:4])))
    ok = ok and not (brand and brand.lower() in first.lower())  # "Lumen Kids, baby clothing" names the brand
    return (start, start + len(first)) if ok and first else None

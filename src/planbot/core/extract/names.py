"""Who the brand is, what it sells and whom it sells to, as the user wrote them.

Each reader tries patterns from the surest to the loosest and keeps what the surest finds. Nothing
is guessed: a verb phrase (我们是卖母婴用品的), a sentence's first word ("Want a plan…"), a
platform, a campaign or a category word is never a brand, and what no pattern finds stays None.
A category is kept in the user's words (宠物食品 stays 宠物食品); `category_key` maps it to the
catalogue. A loose pattern (a bare clause, "做X", "X brand") counts only when its words end in a
catalogue alias, so "做跨境" or "a new brand" are not read as what the brand sells.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from planbot.core import calendar as C
from planbot.core.catalog import PLATFORM_ALIASES, find_in_text
from planbot.core.categories import alias_tail_words, ends_in_alias, is_alias

_CJK = re.compile(r"[\u4e00-\u9fff]")
# Clause breaks; NFKC has already turned full-width ，：；！？（） into ASCII.
_BREAK = r"[,。;:!?\n、()「」『』“”\"《》【】\[\]|]"
_CLAUSES = re.compile(rf"{_BREAK}|[+/]|\.(?=\s|$)|\s[-–—]\s|[—–]")
_NEGATED = re.compile(r"(不是|并非|并不是|不做|不卖|\bnot\b|\bno longer\b|n't)\s*\S{0,4}\s*$", re.I)

# ---------------------------------------------------------------- brand
_EN_NAME = r"[A-Z0-9][\w'’-]{0,24}(?:\.[A-Za-z]\w{0,12})?(?:\s+(?:&\s+)?[A-Z0-9][\w'’-]{0,24}){0,3}"
_ZH_NAME = r"[\w\u4e00-\u9fff&'’·.\- ]{1,24}?"
# a word of a noun phrase before "brand": never an article, a preposition or "plan"
_NP = r"(?:(?!(?i:a|an|the|our|my|for|of|to|with|and|in|on|at|plan|we|is|are)\b)[\w&'’-]+\s+)"
_Q_OPEN, _Q_CLOSE = "[\"“「『《‘']?", "[\"”」』》’']?"
_ZH_END = rf"(?=\s*(?:{_BREAK}|[(’'‘]|\.(?:\s|$)|$|是我们|的品牌))"
_EN_AFTER = (
    r"(?=\s*(?:[,.;:!?()\"”’—–]|\s-\s|$)|\s+(?:an?|the|here|and|on|is|sells?|selling|in|for|with|at|has|was|will|"
    r"we|from|to)\b)"
)
_HI = r"\b(?i:hi|hello|hey|hiya)\b[,!]?\s+"
_ROLE = r"(?i:team|lead|manager|director|founder|owner|marketer|marketing|cmo|ceo|head)"
_BRAND_IS = r"\b(?i:brand)(?:\s+(?i:name))?(?:\s+(?i:for|of)\s+[\w\s]{1,30}?)?(?:\s+(?i:is)\b|\s*[:=]|\s+[-–—])\s*"
# "a brand called X", "a Brooklyn-based coffee roaster called X", "we're called X"
_CALLED = r"\b(?:(?i:an?|our|my)\s+[\w\s&'’-]{0,40}?|(?i:we\s+are|we're|we’re))\s+(?i:called|named)\s+"
_ZH_NAMED = r"(?:品牌|牌子|店铺?|公司|店名|(?i:brand))(?:名|名字|名称)?\s*(?:叫做?|是|为|:)\s*"
# (tier, pattern): explicit naming, then quotes, then the looser shapes; group 1 is the name.
_BRAND: list[tuple[int, re.Pattern[str]]] = [
    (0, re.compile(rf"{_ZH_NAMED}{_Q_OPEN}({_ZH_NAME}){_ZH_END}")),
    (
        0,
        re.compile(
            rf"(?:名叫|名字叫|名称是|(?:我们家?|咱们家?|本店|我们店)就?叫做?|(?:^|[,。;]\s*)叫做?)\s*{_Q_OPEN}({_ZH_NAME}){_ZH_END}"
        ),
    ),
    (0, re.compile(rf"(?:^|[,。;!]\s*){_Q_OPEN}({_ZH_NAME}){_Q_CLOSE}\s*是我们的(?:品牌|牌子)")),
    (0, re.compile(rf"{_BRAND_IS}{_Q_OPEN}({_EN_NAME}){_EN_AFTER}")),
    (0, re.compile(rf"{_BRAND_IS}{_Q_OPEN}([a-z][\w'’-]+){_Q_CLOSE}(?=\s*(?:[,.;:!?]|$)|\s+(?:and|we)\b)")),
    (0, re.compile(rf"{_CALLED}{_Q_OPEN}({_EN_NAME}){_EN_AFTER}")),
    (0, re.compile(rf"\b({_EN_NAME})\s+is\s+(?i:our|the)\s+brand\b(?!\s+for)")),
    (1, re.compile(r"[「『《“]([^」』》”\n]{1,30})[」』》”]")),
    (1, re.compile(r"\"([^\"\n]{1,30})\"")),
    (1, re.compile(r"(?<![A-Za-z])[‘']([A-Z0-9\u4e00-\u9fff][^'’\n]{0,29})['’](?![A-Za-z])")),
    (2, re.compile(rf"(?:我们|咱们)(?:就)?是\s*({_ZH_NAME}){_ZH_END}")),
    (2, re.compile(rf"(?:品牌|牌子)(?![名方日力词部馆周节店])\s*({_ZH_NAME}){_ZH_END}")),
    (2, re.compile(rf"\b(?i:we\s+are|we're|we’re)\s+({_EN_NAME}|[\u4e00-\u9fff]{{2,8}}){_EN_AFTER}")),
    (2, re.compile(rf"\b(?i:brand),?\s+({_EN_NAME}){_EN_AFTER}")),
    (2, re.compile(rf"\b(?i:our|my)\s+(?i:company|brand|store|shop|business),\s+({_EN_NAME}),")),
    (2, re.compile(rf"\b(?i:i'm|im|i\s+am|this\s+is)\s+(?:[A-Z]\w+\s+)?(?i:from|at|with)\s+({_EN_NAME}){_EN_AFTER}")),
    (2, re.compile(rf"\b{_ROLE}\s+(?i:at|of|for)\s+({_EN_NAME}){_EN_AFTER}")),
    (2, re.compile(rf"(?:^|[,.!?;:—–]\s*|\s-\s|{_HI})({_EN_NAME})\s+here\b")),
    (2, re.compile(rf"\b(?i:plan|something|strategy)\s+for\s+({_EN_NAME}){_EN_AFTER}")),
    (2, re.compile(rf"({_EN_NAME})(?:,\s*|\s+is\s+)an?\s+{_NP}{{0,4}}(?i:brand|company|label)\b")),
    # "Hey — Brightleaf, organic tea" / "- Brightleaf (organic tea)": a name set beside what it sells
    (3, re.compile(rf"(?:^|[—–:]\s*|\s-\s|{_HI})({_EN_NAME})(?=\s*[,(—–]\s*([^,()\n—–]{{2,40}}))")),
]
_GENERIC_EN = re.compile(
    r"^(awareness|building|equity|name|names|day|week|new|based|selling|dtc|d2c|b2c|b2b|hi|hello|hey|hiya|thanks|"
    r"thank|dear|subject|re|fw|plan|budget|q[1-4]|h[12]|i|we|our|the|this|that|these|please|want|need|make|"
    r"draft|generate|ok|okay|yes|no|not|still|growing|small|big|young|local|global|chinese|american|british|"
    r"german|dutch|french|japanese|korean|european|us|uk|eu|usa|china|gmv|aov|cvr|roi|roas|kpi|seo|ads?|"
    r"january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|"
    r"jun|jul|aug|sep|sept|oct|nov|dec|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mtg|notes|"
    r"brief|meeting|marketing|team|called|named|about|focused|launching|going|tbd|tbc|n/?a|none|unknown|pending|"
    r"online|offline|wholesale|worldwide|everywhere|overseas|abroad|retail|undecided|secret|\d[\d.,%]*\w?)$",
    re.I,
)
_GENERIC_ZH = re.compile(
    r"^(?:[名方日周节店馆部力词家])$|"  # 品牌日, 品牌方, 品牌力: a word after 品牌, not a name
    r"^(的|是|认知|曝光|声量|知名度|建设|推广|营销|投放|自播|形象|定位|故事|调性|升级|官方|旗舰|店铺|"
    r"活动|广告|打错|团队|方案|预算|目标|一家|一个|个|卖|做|专注|专门|主营|从事|搞|在|来自|刚|"
    r"也|还|都|只|想|要|准备|计划|自己|出海|国货|跨境|待定|未定|暂无|没有|没想|待确认|保密|种草|直播|内容|带货|"
    r"达人|私域|拉新|复购|转化|大促|爆款|引流|投流|生成|出方案|方案)"
    r"|(的|品牌|牌子|公司|商家|店|店铺|卖家|团队|企业|工厂|厂家|门店|小店|网店|品牌方)$"
)


def _brand_ok(name: str) -> bool:
    """A name, not a platform, campaign, category word, greeting, month or verb phrase."""
    low = name.lower()
    if not name or len(name) > 24 or _GENERIC_EN.match(name) or _GENERIC_ZH.search(name):
        return False
    if find_in_text(name, PLATFORM_ALIASES) or C.match_campaign(name) or C.find_campaigns(name):
        return False
    if is_alias(low) or is_alias(_ZH_LEAD.sub("", low)):  # "Socks", "新锐彩妆": what it sells
        return False
    return not re.fullmatch(r"[\d\s.,%$¥€£-]+", name)


def read_brand(norm: str) -> str | None:
    """The brand as written; the surest pattern wins, the last one said within it (a correction)."""
    best: tuple[int, int, str] | None = None
    for tier, pattern in _BRAND:
        for m in pattern.finditer(norm):
            name = m.group(1).strip(" '’\"“”‘.-")
            if " " in name and _CJK.search(tail := name.rsplit(" ", 1)[1]) and _category_phrase(tail):
                name = name.rsplit(" ", 1)[0]  # "我们是 Toastie 袜子": the name, then what it sells
            if tier == 3 and not _category_phrase(m.group(2)):
                continue
            if tier == 1 and not _CJK.search(name) and not (name[:1].isupper() or name[:1].isdigit()):
                continue  # 'viral', "the sock drawer": quoted words, not a name
            if tier == 1 and len(name.split()) > 4:
                continue
            if tier >= 2 and re.search(r"[不没要想很太做卖是的]|比较|提升|提高|增加|加强", name):
                continue  # "品牌曝光要提升": a sentence after 品牌, not a name
            if not _brand_ok(name) or _NEGATED.search(norm[max(0, m.start() - 8) : m.start()]):
                continue
            if best is None or tier < best[0] or (tier == best[0] and m.start() > best[1]):
                best = (tier, m.start(), name)
    return best[2] if best else None


# ---------------------------------------------------------------- category
_ZH_LEAD = re.compile(
    r"^(?:我们家?|咱们|这边|主要|主营|就是|其实|也|还|都|新锐|小众|高端|原创|自有|一家|一个|专业|专门|纯|准确说|"
    r"准确地说|应该|做的|卖的|hi|hello|hey|你好)+",
    re.I,
)
# "准确说是宠物食品", "品类是茶叶": what comes after 是 when only fillers come before it
_ZH_IS = re.compile(r"^(?:不对|哦|嗯|其实|准确地?说|应该|我们家?|咱们|就|主要|都|品类|类目|卖的|做的|主营的)*是")
_ZH_TAIL = re.compile(r"(?:的|类|这块|为主|品类|类目|行业|赛道|领域|产品线)+$")
_ZH_HEAD = re.compile(r"(?:用品|产品|系列|商品|好物|类产品)$")  # 洗护用品: the alias is 洗护
# a verb or particle first, or 的/是 inside: a sentence, not a product ("主推狗粮", "得最好的是连衣裙")
_ZH_VERB = re.compile(r"^(主推|主打|想|要|做|卖|在|有(?!机)|不|没|给|买|送|每|第|得|了|着|到|投放|投流)")
_ZH_INNER_VERB = re.compile(r"[的是了把被让找想要做卖买给喝吃叫]|打算|计划|准备|上新|主推|主打")
_EN_CUT = re.compile(
    r"(?:^|(?<!\s)\s+)(?:on|via|in|at|through|for|from|with|under|across|sold|selling|mostly|mainly|only|is|are|that|which|online|"
    r"space|industry|niche|"
    r"who|but|to|and\s+(?:we|sell|our)|&\s+(?:we|sell))\b.*$",
    re.I | re.S,
)
_EN_LEAD = re.compile(
    r"^(?:(?:hi|hello|hey|ok|okay|so|and|also|just|mostly|mainly|our|my|a|an|the|some|basically|own|we|i|they|it|"
    r"sells?|selling|makes?|making|offers?|offering|"
    r"premium|new|small|indie|independent|local|global|online|young|growing|emerging|family|dtc|d2c|"
    r"e-?commerce|startup|start-up)\s+)+",
    re.I,
)
_EN_FILLER_TAIL = re.compile(r"(?<!\s)\s+(?:stuff|things|etc|items|range|line|goods)$", re.I)
_EN_WORD = re.compile(r"[A-Za-z][A-Za-z'’&-]*|&")


def _en_category(text: str) -> str | None:
    phrase = _EN_CUT.sub("", text.strip(" '\"‘’“”")).strip()
    phrase = _EN_LEAD.sub("", phrase + " ").strip()
    words = phrase.split()
    if not words or len(words) > 5 or not all(_EN_WORD.fullmatch(w) for w in words):
        return None
    if len(words) > 1 and all(w[0].isupper() or w == "&" for w in words):
        return None  # "Crestline Outdoor": a name, not what it sells
    # "UK homeware", "Chinese tea-set", "DTC skincare": a place or label before the product words
    covered = len(alias_tail_words(" ".join(words)))
    while len(words) > covered and words[0][0].isupper() and not is_alias(words[0]):
        words = words[1:]
    phrase = " ".join(w if (w.isupper() and len(w) > 1) else w.lower() for w in words)
    if _GENERIC_EN.match(phrase) or not ends_in_alias(_EN_FILLER_TAIL.sub("", phrase)):
        return None
    return phrase


def _zh_category(text: str) -> str | None:
    phrase = text.strip(" '\"‘’“”")
    phrase = _ZH_IS.sub("", phrase)
    phrase = _ZH_TAIL.sub("", _ZH_LEAD.sub("", phrase.strip().rsplit(" ", 1)[-1])).strip()
    if not phrase or len(phrase) > 10 or _ZH_VERB.match(phrase) or _ZH_INNER_VERB.search(phrase):
        return None
    if re.search(r"[\d\s]", phrase) or find_in_text(phrase, PLATFORM_ALIASES):
        return None
    if not ends_in_alias(_ZH_HEAD.sub("", phrase) or phrase):
        return None
    return phrase


def _category_phrase(text: str) -> str | None:
    """The product words of `text` if it names what is sold on its own ("坚果零食", "organic tea")."""
    if re.match(r"\s*(不是|并非|not\b|no longer\b)", text, re.I):
        return None
    return _zh_category(text) if _CJK.search(text) else _en_category(text)


# 做汉服的小店: 的 ends the product when a seller or a particle follows it
_SELLER = r"(?:小|一家|一个)?(?:公司|店|品牌|商家|企业|卖家|工厂|厂|团队)|哈|啊|呀|哦"
_SPAN = r"([^,。;:!?\n、()「」“”\"《》]{1,16}?)"
_EN_SPAN = r"([A-Za-z][\w'’& -]{1,60})"
# Stated outright: taken without the catalogue (卖二手奢侈品的, "Category: yoga mats").
_CATEGORY_SURE = [
    re.compile(rf"(?:品类|类目|主营类目|所属类目|行业)\s*(?:是|为|:)\s*{_SPAN}(?={_BREAK}|$)"),
    re.compile(rf"主营(?:产品|业务)?\s*(?:是|为|:)?\s*{_SPAN}(?={_BREAK}|$)"),
    re.compile(rf"(?:卖|做|经营|专做)\s*{_SPAN}的(?=\s*(?:{_BREAK}|$|{_SELLER}))"),
    re.compile(rf"\b(?i:category|product\s+category|niche|vertical)\s*(?:is|:)\s*{_EN_SPAN}"),
    re.compile(
        rf"\b(?i:we|i)\s+(?:(?i:also|mainly|mostly|primarily|only|now|currently)\s+)?"
        r"(?i:sell|make|produce|manufacture|roast|brew|craft|design|bake|import)\s+"
        rf"(?:(?i:mostly|mainly|primarily|only)\s+)?{_EN_SPAN}"
    ),
]
# Loose: what follows counts only if it ends in a catalogue alias.
_CATEGORY_LOOSE = [
    re.compile(rf"(?:主要|专注于?|专门)?(?:做|卖|经营)\s*{_SPAN}(?={_BREAK}|$|到|给|生意|这块|这一块)"),
    re.compile(rf"在\s*{_SPAN}(?:赛道|行业|类目|领域)"),
    re.compile(rf"(?:^|{_BREAK}|是|个|家)\s*([\u4e00-\u9fffA-Za-z0-9&]{{1,10}}?)品牌"),
    re.compile(rf"\b(?i:our|a|an|the|my)\s+({_NP}{{1,4}}?)(?i:brand|store|shop|label|business|company)\b"),
    re.compile(rf"(?:^|[,.;:!?]\s*)({_NP}{{1,3}}?)(?i:brand)\s+{_EN_NAME}"),
    re.compile(
        r"\b(?i:brand\s+for|for\s+our|sells|selling|making|offering|we\s+do|specializ(?:e|ing)\s+in|"
        r"in\s+the(?=\s+[\w\s&'’-]{1,30}\s(?:space|industry|category|niche|business)\b)|"
        rf"products?\s*(?:are|is|include|:))\s+{_EN_SPAN}"
    ),
    re.compile(r"\(([^()\n]{1,30})\)"),
]


def _clauses(norm: str) -> Iterator[tuple[int, str]]:
    start = 0
    for m in _CLAUSES.finditer(norm + "\n"):
        yield start, norm[start : m.start()]
        start = m.end()


def read_category(norm: str) -> str | None:
    """What the brand sells, in the user's words and trimmed of verbs and particles; None if unsaid.

    The surest pattern wins and, within it, the first mention (a later "主推狗粮" is a hero product,
    not the category); a negated mention ("不是宠物用品") never counts.
    """
    aud = _audience_span(norm) or (-1, -1)
    low, brand = norm.lower(), (read_brand(norm) or "").lower()
    in_brand = [(i, i + len(brand)) for i in range(len(low)) if brand and low.startswith(brand, i)]

    def names_brand(pos: int, phrase: str) -> bool:
        at = low.find(phrase.lower(), pos)
        return phrase.lower() == brand or any(a <= at < b for a, b in in_brand)

    for tier in (_CATEGORY_SURE, _CATEGORY_LOOSE, None):
        found: list[tuple[int, str]] = []
        if tier is None:
            found = [(pos, p) for pos, clause in _clauses(norm) if (p := _category_phrase(clause))]
        else:
            for pattern in tier:
                for m in pattern.finditer(norm):
                    if _NEGATED.search(norm[max(0, m.start() - 6) : m.start()]):
                        continue
                    phrase = _sure_phrase(m.group(1)) if tier is _CATEGORY_SURE else _category_phrase(m.group(1))
                    if phrase:
                        found.append((m.start(), phrase))
        # "喜欢健身" describes the people; "青岛啤酒", "Crestline Outdoor" name the brand
        found = [(pos, p) for pos, p in found if not aud[0] <= pos < aud[1] and not names_brand(pos, p)]
        if found:
            return min(found)[1]
    return None


_NOT_PRODUCT = re.compile(
    r"^(直播|投放|种草|内容|推广|营销|方案|运营|电商|跨境|活动|品牌|广告|生意|外贸|代运营|测评|数据|货|什么|哪|得|"
    r"个|点|了|到|好|过|成|出|一下|起来|不|on|via|in|it|them|to|more|a lot|lots|well|sure|money|sales|"
    r"revenue|better|good|great)",
    re.I,
)


def _sure_phrase(text: str) -> str | None:
    """An outright-stated category trimmed like a loose one, or kept as written when no alias fits."""
    if _NOT_PRODUCT.match(text.strip()) or re.search(r"\d", text):
        return None
    if phrase := _category_phrase(text):
        return phrase
    if _CJK.search(text):
        phrase = _ZH_TAIL.sub("", _ZH_LEAD.sub("", text.strip())).strip()
        ok = 1 <= len(phrase) <= 10 and not (_ZH_VERB.match(phrase) or _ZH_INNER_VERB.search(phrase))
        ok = ok and not find_in_text(phrase, PLATFORM_ALIASES)
        return phrase if ok else None
    words = _EN_LEAD.sub("", _EN_CUT.sub("", text).strip() + " ").split()
    phrase = " ".join(w if (w.isupper() and len(w) > 1) else w.lower() for w in words)
    ok = 1 <= len(words) <= 4 and not _GENERIC_EN.match(phrase) and not _NOT_PRODUCT.match(phrase)
    ok = ok and not (len(words) == 1 and phrase.endswith("ly"))  # "we sell globally"
    ok = ok and not find_in_text(phrase, PLATFORM_ALIASES)
    return phrase if ok else None


# ---------------------------------------------------------------- audience
_AUD_ZH = re.compile(
    r"(?:目标(?:人群|用户|客户|客群|受众|消费者)|(?:核心|主要|主力)(?:人群|用户|客户|客群|消费者|买家)|(?:用户|人群)画像|"
    r"(?:我们的(?:客户|用户|消费者|买家|顾客)(?:大多|主要|多半|基本)?|(?:客户|用户|消费者|买家|顾客)(?:大多|主要|多半|基本))"
    r"(?:是|为)|主要卖给|卖给|面向|"
    r"(?<![A-Za-z])TA(?=\s*:)|(?:人群|客群|受众)(?=\s*(?:是|为|:|在|偏|主要是|大多是)))"
    r"\s*(?:定位|改成|改为|换成|变成|主要是|大多是|是|为|在|偏|:)?\s*"
)
_AUD_EN = re.compile(
    r"\b(?:targeting|we\s+(?:mainly\s+|mostly\s+|want\s+to\s+)?target|aimed\s+at|geared\s+towards?|we\s+(?:sell|market)\s+to|"
    r"target(?:\s+(?:audience|users|customers|market|demographic|demo|group|buyers))?\s*(?:is|are|:|=|是)|"
    r"(?:core\s+|main\s+|primary\s+|key\s+)?(?:audience|customers|buyers|users|shoppers|demographic|persona)"
    r"\s*(?:is|are|:|是)(?:\s+(?:mostly|mainly|largely|primarily|usually))?)\s*",
    re.I,
)
_AUD_BEFORE = re.compile(
    r"(?<!\S)(\S[^,.;:!?\n]{2,59}?)\s{1,3}(?:are|is)\s{1,3}our\s+(?:core|main|primary|key|target|biggest)\b", re.I
)
_PEOPLE = re.compile(
    r"\b(?:moms?|mums?|mothers|dads|fathers|parents|women|men|girls|boys|guys|ladies|students|gamers|owners|"
    r"professionals|seniors|retirees|millennials|gen\s*z|teens|teenagers|families|buyers|shoppers|lovers|"
    r"enthusiasts|fans|workers|athletes|runners|hikers|travell?ers|kids|couples|homeowners|renters|creators|"
    r"people|consumers|adults|grandparents|brides|aged?\s+\d+|\d+\s*[-–]\s*\d+|\d+\s*\+|years?\s+olds?)\b|"
    r"(?:女性|男性|女生|男生|宝妈|妈妈|爸妈|父母|家长|白领|学生|年轻人|中老年|老年人|一族|人群|青年|Z世代|银发|中产|"
    r"上班族|职场人|男士|女士|\d+\s*[-~到至]\s*\d+\s*岁)",
    re.I,
)
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


def _audience_span(norm: str) -> tuple[int, int] | None:
    if m := _AUD_ZH.search(norm):
        return _audience_from(norm, m.end())
    for m in _AUD_EN.finditer(norm):
        span = _audience_from(norm, m.end())
        if span and (_PEOPLE.search(norm[span[0] : span[1]]) or "audience" in m.group(0).lower()):
            return span
    if (m := _AUD_BEFORE.search(norm)) and _PEOPLE.search(m.group(1)):
        return m.start(1) + len(m.group(1)) - len(m.group(1).lstrip()), m.end(1)
    return _people_message(norm)


def read_audience(norm: str) -> str | None:
    """Whom the brand sells to, the user's whole phrase (ages and city tiers are part of it)."""
    span = _audience_span(norm)
    return norm[span[0] : span[1]] if span else None


_NOT_PEOPLE_MSG = re.compile(
    r"\b(we|our|i|budget|plan|target|sell|sells|selling|sold|making|brand|products?|revenue|gmv|aov)\b|预算|目标|卖|做|我们|平台",
    re.I,
)


def _people_message(norm: str) -> tuple[int, int] | None:
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
    return (start, start + len(first)) if ok and first else None

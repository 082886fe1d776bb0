"""Who the brand is, what it sells and whom it sells to, as the user wrote them.

Each reader tries patterns from the surest to the loosest and keeps what the surest finds. Nothing
is guessed: a verb phrase (我们是卖母婴用品的), a sentence's first word ("Want a plan…"), a
platform, a campaign or a category word is never a brand, and what no pattern finds stays None.
A category is kept in the user's words (宠物食品 stays 宠物食品); `category_key` maps it to the
catalogue. A loose pattern (a bare clause, "做X", "X brand") counts only when its words end in a
catalogue alias (or, in Chinese, hold one and end in a product noun: 婴儿湿巾), so "做跨境" or "a new
brand" are not read as what the brand sells; words stated outright ("Category: X", "是男装不是女装",
the field after "brand = X" in notes) are kept even outside the catalogue. Audience: `audience`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from planbot.core import calendar as C
from planbot.core.catalog import PLATFORM_ALIASES, find_in_text
from planbot.core.categories import alias_tail_words, category_key, ends_in_alias, is_alias
from planbot.core.extract.audience import audience_span

_CJK = re.compile(r"[\u4e00-\u9fff]")
# The extractor writes "，" between Chinese phrases after NFKC: read as ASCII breaks, one for one.
_ASCII_BREAKS = str.maketrans("，；：！？（）", ",;:!?()")
# Clause breaks; NFKC has already turned full-width ，：；！？（） into ASCII.
_BREAK = r"[,。;:!?\n、()「」『』“”\"《》【】\[\]|]"
_CLAUSES = re.compile(rf"{_BREAK}|[+/]|\.(?=\s|$)|\s[-–—]\s|[—–]")
_ZH_NOT = re.compile(r"(?:不|没|不再|别|并不)$")
_NEGATED = re.compile(r"(不是|并非|并不是|不做|不卖|\bnot\b|\bno longer\b|n't)\s*\S{0,4}\s*$", re.I)

# ---------------------------------------------------------------- brand
_EN_NAME = r"[A-Z0-9][\w'’&+-]{0,24}(?:\.[A-Za-z]\w{0,12})?(?:\s+(?:&\s+)?[A-Z0-9][\w'’-]{0,24}){0,3}"
_ZH_NAME = r"[\w\u4e00-\u9fff&'’·.\- ]{1,24}?"
# a word of a noun phrase before "brand": never an article, a preposition or "plan"
_NP = r"(?:(?!(?i:a|an|the|our|my|for|of|to|with|and|in|on|at|plan|we|is|are)\b)[\w&'’-]+\s+)"
_Q_OPEN, _Q_CLOSE = "[\"“「『《‘']?", "[\"”」』》’']?"
_ZH_END = rf"(?=\s*(?:{_BREAK}|[(’'‘]|\.(?:\s|$)|$|是我们|的品牌))"
_EN_AFTER = (
    r"(?=\s*(?:[,.;:!?()\"”’—–]|\s-\s|$)|\s+(?:an?|the|here|and|on|is|sells?|selling|in|for|with|at|has|was|will|"
    r"we|from|to)\b)"
)
# "plan for Toastie", "China expansion for Lumen Kids:": the work is for the brand
_FOR_WHOM = r"plan|plans|something|strategy|expansion|launch|brief|proposal|roadmap|deck|budget|notes|ideas"
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
    (2, re.compile(rf"\b(?i:{_FOR_WHOM})\s+for\s+({_EN_NAME})(?=\s*[:;,.!?(—–]|\s+-\s|$|\s+(?i:on|in|at)\b)")),
    (2, re.compile(rf"({_EN_NAME})(?:,\s*|\s+is\s+)an?\s+{_NP}{{0,4}}(?i:brand|company|label)\b")),
    # "Hey — Brightleaf, organic tea" / "- Brightleaf (organic tea)": a name set beside what it sells
    (3, re.compile(rf"(?:^|[—–:]\s*|\s-\s|{_HI})({_EN_NAME})(?=\s*[,(—–]\s*((?:[^,()\n—–;.]|\.(?!\s|$)){{2,40}}))")),
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


_INTRO = re.compile(r"^(?i:meet|introducing|presenting|welcome\s+to|about|re|fwd?|dear)\s+(?=[A-Z0-9])")


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
    norm = norm.translate(_ASCII_BREAKS)
    best: tuple[int, int, str] | None = None
    for tier, pattern in _BRAND:
        for m in pattern.finditer(norm):
            name = m.group(1).strip(" '’\"“”‘.-")
            name = _INTRO.sub("", name) or name  # "Meet Lumen Kids": the name is after the greeting
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
    r"^(?:(?:我们|咱们)家?的?|这边|主要|主营|就是|其实|也|还|都|新锐|小众|高端|原创|自有|一家|一个|专业|专门|纯|准确说|"
    r"准确地说|应该|做的|卖的|hi|hello|hey|你好)+",
    re.I,
)
# "准确说是宠物食品", "品类是茶叶": what comes after 是 when only fillers come before it
_ZH_IS = re.compile(
    r"^(?:不对|哦|嗯|其实|准确地?说|应该|我们家?|咱们|就|主要|都|品类|类目|卖的|做的|主营的)*(?:是|改成|改为|换成|变成)"
)
_ZH_TAIL = re.compile(r"(?:的|类|这块|为主|品类|类目|行业|赛道|领域|产品线)+$")
# the last character of a product noun: clothes, food, containers, tools (not 直播, 赛道, 代运营)
_ZH_GOODS = re.compile(
    r"[服装衣裤裙鞋袜帽包巾粮具器机酱油米面粉茶酒奶膏霜乳液露贴纸垫袋杯壶锅灯架车表链绳球糖饼肉果料片剂仪盒箱床柜椅桌套镜饰香皂笔本册伞被枕毯]$"
)
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
    r"it's|it’s|its|it\s+is|that's|we're|we’re|we\s+are|actually|really|rather|"
    r"sells?|selling|makes?|making|offers?|offering|"
    r"premium|new|small|indie|independent|local|global|online|young|growing|emerging|family|dtc|d2c|"
    r"e-?commerce|startup|start-up)\s+)+",
    re.I,
)
_EN_FILLER_TAIL = re.compile(r"(?<!\s)\s+(?:stuff|things|etc|items|range|line|goods|products)$", re.I)
_EN_SELLER_TAIL = re.compile(r"(?<=\S)\s+(?:brand|label|shop|store|company|business)$", re.I)  # "a sock brand"
_EN_WORD = re.compile(r"[A-Za-z][A-Za-z'’&-]*|&")


def _en_category(text: str) -> str | None:
    phrase = _EN_SELLER_TAIL.sub("", _EN_CUT.sub("", text.strip(" '\"‘’“”")).strip())
    phrase = _EN_LEAD.sub("", phrase + " ").strip()
    words = phrase.split()
    if not words or len(words) > 5 or not all(_EN_WORD.fullmatch(w) for w in words):
        return None
    if re.search(r"(?<![\w-])(?:not|never|no|don't|doesn't|won't)(?![\w-])", phrase, re.I):
        return None  # "we do not sell candles": a negated sentence names nothing sold
    if len(words) > 1 and all(w[0].isupper() or w == "&" for w in words):
        return None  # "Crestline Outdoor": a name, not what it sells
    # "UK homeware", "Chinese tea-set", "DTC skincare": a place or label before the product words
    covered = len(alias_tail_words(" ".join(words)))
    while len(words) > covered and words[0][0].isupper() and not is_alias(words[0]):
        words = words[1:]
    phrase = " ".join(w if (w.isupper() and len(w) > 1) else w.lower() for w in words)
    if _GENERIC_EN.match(phrase) or not ends_in_alias(_EN_FILLER_TAIL.sub("", phrase)):
        return None
    return re.sub(r"\s+(?:line|range|collection)$", "", phrase)  # "a hot sauce line" sells hot sauce


def _zh_category(text: str) -> str | None:
    phrase = text.strip(" '\"‘’“”")
    phrase = _ZH_IS.sub("", phrase)
    phrase = _ZH_TAIL.sub("", _ZH_LEAD.sub("", phrase.strip().rsplit(" ", 1)[-1])).strip()
    if not phrase or len(phrase) > 10 or _ZH_VERB.match(phrase) or _ZH_INNER_VERB.search(phrase):
        return None
    if re.search(r"[\d\s]", phrase) or find_in_text(phrase, PLATFORM_ALIASES):
        return None
    head = _ZH_HEAD.sub("", phrase) or phrase
    if not ends_in_alias(head) and not (category_key(head) and _ZH_GOODS.search(head)):
        return None  # 瑜伽裤, 婴儿湿巾: a catalogue word, then a product noun the catalogue lacks
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
    re.compile(
        rf"(?:品类|类目|主营类目|所属类目|行业|(?:产品|商品)(?=\s*:))\s*(?:改成|改为|换成|变成|应该是|其实是|是|为|:)\s*{_SPAN}(?={_BREAK}|$)"
    ),
    re.compile(rf"主营(?:产品|业务)?\s*(?:是|为|:)?\s*{_SPAN}(?={_BREAK}|$)"),
    re.compile(rf"(?:卖|做|经营|专做)\s*{_SPAN}的(?=\s*(?:{_BREAK}|$|{_SELLER}))"),
    re.compile(rf"\b(?i:products?|what\s+we\s+sell)\s*[:=]\s*{_EN_SPAN}"),
    re.compile(
        rf"\b(?i:category|product\s+category|niche|vertical)\s*(?i:is|:|=|to|should\s+be|becomes)\s*"
        rf"(?:(?i:now|actually|really)\s+)?{_EN_SPAN}"
    ),
    re.compile(
        rf"\b(?:(?i:we|i)|(?i:our|my)\s+(?i:shop|store|brand|company|business|label))\s+"
        r"(?:(?i:also|mainly|mostly|primarily|only|now|currently)\s+)?"
        r"(?i:sell|make|produce|manufacture|roast|brew|craft|design|bake|import)(?i:s)?\s+"
        rf"(?:(?i:mostly|mainly|primarily|only)\s+)?{_EN_SPAN}"
    ),
    # "selling refurbished phones on eBay": goods, then the named place they are sold
    re.compile(r"\b(?i:selling|sells?)\s+([A-Za-z][\w'’& -]{1,40}?)\s+(?i:on|via|through|at)\s+(?=[A-Z])"),
]
# Loose: what follows counts only if it ends in a catalogue alias.
_CATEGORY_LOOSE = [
    re.compile(rf"(?:主要|专注于?|专门)?(?:做|卖|经营)\s*{_SPAN}(?={_BREAK}|$|到|给|生意|这块|这一块)"),
    re.compile(rf"在\s*{_SPAN}(?:赛道|行业|类目|领域)"),
    re.compile(rf"(?:^|{_BREAK}|是|个|家)\s*([\u4e00-\u9fffA-Za-z0-9&]{{1,10}}?)品牌"),
    # "our sock brand", "Small candle shop", "it's a hot sauce line", "coffee brand, selling on…"
    re.compile(
        rf"(?:\b(?i:our|a|an|the|my)\s+|(?:^|[,.;:!?(]\s*))({_NP}{{1,4}}?)"
        r"(?i:brand|store|shop|label|business|company|line|range)\b"
    ),
    re.compile(rf"\b(?i:we're|we’re|we\s+are|i'm|i\s+am|we\s+work)\s+in\s+(?:(?i:the)\s+)?{_EN_SPAN}"),
    re.compile(rf"(?:^|[,.;:!?]\s*)({_NP}{{1,3}}?)(?i:brand)\s+{_EN_NAME}"),
    re.compile(
        r"\b(?i:brand\s+for|for\s+our|(?:plan|strategy|ideas)\s+for|sells|selling|making|offering|we\s+do|specializ(?:e|ing)\s+in|"
        r"in\s+the(?=\s+[\w\s&'’-]{1,30}\s(?:space|industry|category|niche|business)\b)|"
        rf"products?\s*(?:are|is|include|:))\s+{_EN_SPAN}"
    ),
    re.compile(r"\(([^()\n]{1,30})\)"),
]


# A category corrected in the same breath: (pattern, group of the new one, group of the one taken back).
_PART_ZH, _PART_EN = r"([^,;。!?\n]{1,12}?)", r"([A-Za-z][\w'’& -]{1,40}?)"
_CORRECTED = [
    (re.compile(rf"不是\s*{_PART_ZH}\s*,?\s*(?:而|其实|应该|准确说)?是\s*{_PART_ZH}(?=[,;。!?\n]|$)"), 2, 1),
    (re.compile(rf"是\s*{_PART_ZH}\s*,?\s*(?:而)?(?:不是|并非)\s*{_PART_ZH}(?=[,;。!?\n]|$)"), 1, 2),
    (
        re.compile(
            rf"\b(?i:not)\s+(?:(?i:an?|the)\s+)?{_PART_EN}\s*[,;.]\s*"
            rf"(?:(?i:it's|it’s|it\s+is|we're|we\s+are|we\s+sell|we\s+make|but|rather|actually|just)\s+)*{_PART_EN}"
            r"(?=\s*[,;.!?]|$)"
        ),
        2,
        1,
    ),
    (
        re.compile(
            rf"(?:^|[,;:.!?]\s*)(?:(?i:actually|no|so|it's|it’s|it\s+is)\s*,?\s+)*{_PART_EN}\s*,?\s*"
            rf"(?i:not|rather\s+than|instead\s+of)\s+{_PART_EN}(?=\s*[,;.!?]|$)"
        ),
        1,
        2,
    ),
]
# "we do not sell candles", "our focus is skincare not makeup": a sentence, not the corrected words
_CLAUSE_VERB = re.compile(r"\b(?:is|are|was|were|do|does|did|don't|doesn't|have|has|focus)\b", re.I)


def _corrected(norm: str) -> str | None:
    """ "是男装不是女装", "not candles, it's wax melts": the new words count as a category, even ones the
    catalogue lacks, because the words taken back are one."""
    for pattern, new, old in _CORRECTED:
        for m in pattern.finditer(norm):
            if _CLAUSE_VERB.search(_EN_LEAD.sub("", m.group(new).strip() + " ")):
                continue
            if _category_phrase(m.group(old)) and (phrase := _sure_phrase(m.group(new))):
                return phrase
    return None


_LABEL = re.compile(r"^\s*(?:(?i:brand(?:\s+name)?)\s*(?:=|is\b)?|品牌名?(?:叫|是)?|牌子(?:叫|是)?)?\s*$")
_LABEL_ONLY = re.compile(r"^\s*(?:(?i:brand(?:\s+name)?)|品牌名?|牌子)\s*$")
_NOT_NOTE = re.compile(r"^\s*(?:need|want|please|pls|can|could|would|we|i|our|my|thanks|thank|hi|hello|hey)\b", re.I)


def _after_brand(norm: str, brand: str) -> tuple[int, str] | None:
    """Notes in fields ("brand = Fernwick; ceramic planters; Shopify"): an unlabelled clause right
    after the brand's own clause says what it sells."""
    parts = [(0, ""), *_clauses(norm)]
    for (_, before), (_, clause), (nxt_pos, nxt) in zip(parts, parts[1:], parts[2:], strict=False):
        at = clause.lower().find(brand)
        if at < 0 or clause[at + len(brand) :].strip() or not _LABEL.match(clause[:at]):
            continue
        if not (clause[:at].strip() or _LABEL_ONLY.match(before)) or _NOT_NOTE.match(nxt):
            continue  # the name alone, with no label: a sentence may go on, not a field
        if not re.search(r"[\d$¥€£]", nxt) and (phrase := _sure_phrase(nxt)) and len(phrase.split()) <= 4:
            return nxt_pos, phrase
    return None


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
    norm = norm.translate(_ASCII_BREAKS)
    found_brand = read_brand(norm)
    aud = audience_span(norm, found_brand) or (-1, -1)
    low, brand = norm.lower(), (found_brand or "").lower()
    in_brand = [(i, i + len(brand)) for i in range(len(low)) if brand and low.startswith(brand, i)]

    def names_brand(pos: int, phrase: str) -> bool:
        at = low.find(phrase.lower(), pos)
        return phrase.lower() == brand or any(a <= at < b for a, b in in_brand)

    if corrected := _corrected(norm):
        return corrected
    for tier in (_CATEGORY_SURE, _CATEGORY_LOOSE, None):
        found: list[tuple[int, str]] = []
        if tier is _CATEGORY_LOOSE and brand and (after := _after_brand(norm, brand)):
            found.append(after)
        if tier is None:
            found = [(pos, p) for pos, clause in _clauses(norm) if (p := _category_phrase(clause))]
        else:
            for pattern in tier:
                for m in pattern.finditer(norm):
                    if _NEGATED.search(norm[max(0, m.start() - 6) : m.start()]) or _ZH_NOT.search(norm[: m.start()]):
                        continue  # "不是宠物用品", "我们不卖女装"
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
    r"产品$|商品$|平台|渠道|人群|"
    r"个|点|了|到|好|过|成|出|一下|起来|不|(?:on|via|in|it|them|to|more|a lot|lots|well|sure|money|sales|"
    r"revenue|better|good|great|stuff|things|products?|direct|directly|exclusively|globally|internationally|"
    r"mostly|mainly|only)(?![\w'’]))",
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
    words = _EN_LEAD.sub("", _EN_SELLER_TAIL.sub("", _EN_CUT.sub("", text).strip()) + " ").split()
    phrase = " ".join(w if (w.isupper() and len(w) > 1) else w.lower() for w in words)
    ok = 1 <= len(words) <= 4 and not _GENERIC_EN.match(phrase) and not _NOT_PRODUCT.match(phrase)
    ok = ok and not (len(words) == 1 and phrase.endswith("ly"))  # "we sell globally"
    ok = ok and not find_in_text(phrase, PLATFORM_ALIASES)
    return phrase if ok else None


def read_audience(norm: str) -> str | None:
    """Whom the brand sells to, the user's whole phrase (ages and city tiers are part of it)."""
    norm = norm.translate(_ASCII_BREAKS)
    span = audience_span(norm, read_brand(norm))
    return norm[span[0] : span[1]] if span else None

"""Where the brand sells (platforms) and where it advertises, seeds or tests (channels).

A name's role comes from the words nearest to it: "店在京东" / "sell on Amazon" make a platform,
"小红书种草" / "ads on Meta" / "want to try TikTok" a channel. Names listed together ("天猫、京东",
"Amazon and Walmart") share one role; a name said twice may be both. A name with no cue in its
clause takes the role of the cue before it in the sentence ("We sell on Tmall, JD and Pinduoduo"),
else its kind's: a shop platform sells, an ad network advertises. Negations ("不做京东", "drop
eBay", "微博不投了") take a name away instead of adding it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from planbot.core.catalog import (
    AD_NETWORK_ALIASES,
    AD_NETWORK_NAMES,
    PLATFORM_AD_NAMES,
    PLATFORM_AD_TOOLS,
    PLATFORM_ALIASES,
    PLATFORM_NAMES,
    channel_name,
    platform_name,
)

SELL, AD, BOTH = "sell", "ad", "both"
# Words that name a shop itself: always a place the brand sells.
_SHOP_ALIASES = frozenset({"tiktok shop", "抖店", "独立站", "dtc site", "shopify"})
# Everyday words that are ad networks only when the clause is about marketing ("发邮件给我" is not).
_GENERIC = frozenset({"email", "sms", "affiliate", "influencers"})
# Short names written in capitals only: "DY上投千川", "RED" (not "red candles").
_CASED: dict[str, str] = {"DY": "douyin", "RED": "xiaohongshu"}

_SELL_CUE = re.compile(
    r"(?<![不没])(?:店开在|开店|开了店|有店|店铺|小店|旗舰店|自营|专卖店|卖货|在卖|卖|销售|主阵地|主战场|主营|上架|入驻|出单|"
    r"成交|平台|(?<!独立)站(?![外内])|店)"
    r"|\b(?:sell|sells|selling|sold|stores?|storefront|shops?|list|listed|listings?|marketplace|sales|dtc|d2c|"
    r"site|website|sellers?|retail|main\s+store|we(?:'|’)?re\s+on|we\s+are\s+on|launching\s+on|available\s+on|"
    r"(?:amazon|walmart)\.\w+)\b",
    re.I,
)
_AD_CUE = re.compile(
    r"种草|投放|投流|投(?![资入产])|广告|信息流|千川|直通车|推广|试试|试一下|试一试|试水|测试|尝试|内容|测评|"
    r"站外|引流|曝光|笔记|问答|视频|声量"
    r"|\b(?:ads?|advertis\w*|adverts?|marketing\s+(?:on|via|through)|try|trying|test|testing|tests|seed|seeding|awareness|promot\w*|paid|"
    r"media|content|spark|sponsored|ppc|cpc|retarget\w*|ugc|videos?|boost\w*|"
    r"keep\s+\w+\s+going)\b",
    re.I,
)
# For the everyday-word networks: any marketing word in the clause will do.
_MARKETING = re.compile(
    r"营销|会员|复购|召回|私域|渠道|带货|合作|找|推|群发|retention|marketing|campaigns?|outreach|crm|channels?|"
    r"flows?|newsletters?|blasts?|program(?:me)?s?|partners?|collabs?|drive|push",
    re.I,
)

_NEG_BEFORE = re.compile(
    r"(?:不做|不投|不卖|不开|不参加|不再做|不再投|不再卖|不再|不要|去掉|去除|删掉|删除|取消|暂停|停掉|停止|放弃|撤掉|砍掉|关掉|关了|关闭|"
    r"撤出|退出|下掉|下架|不是"
    r"|\b(?:not|no\s+longer|don'?t|do\s+not|drop|dropping|forget|skip|skipping|remove|cut|stop|stopping|without|except|"
    r"scratch|get\s+rid\s+of|(?:we'?re|we\s+are|got|getting|pulled)\s+off|got\s+rid\s+of|kill|axe|ditching|cancel(?:l?ed|l?ing)?|pull(?:ing)?\s+out\s+of|"
    r"no\s+more|quit|pause|ditch|exit|leave|leaving|closed?|closing|shut)\b)"
    r"(?P<fill>(?:\s*(?:在|做|投|卖|上|the|our|my|on|in|at|with|doing|selling|sell|using|use|running|run|"
    r"advertising|advertise|ads?|any|more|anymore|longer|a|an|that|down)\b)*)\s*$",
    re.I,
)
_NEG_AFTER = re.compile(
    r"^\s*(?:\S{0,3}?)(?:先|也|就|暂时|今年|明年)?(?P<verb>不做了|不做|不参加了?|不投了|不投|不卖了|不卖|不开了|关了|关掉|停了|停掉|不要了|"
    r"去掉|算了|不考虑|撤了|下架|砍掉|取消|is\s+out|no\s+more|(?:is|are|'s)\s+(?:gone|dead|done|over|history)|"
    r"(?:is|are)\s+(?:off|out)\s+the\s+(?:list|table)|(?:is|are)\s+off\b(?!\s+to\b)|goes|has\s+to\s+go)",
    re.I,
)
_NOT_NEG = re.compile(r"\b(?:not\s+only|not\s+just)\b|不是只|不只", re.I)
_SELL_WORD = re.compile(r"卖|开|店|关|下架|\bsell|\bselling|\bstore|\bshop|\bon\b|\bclosed?\b|\blist", re.I)
_AD_WORD = re.compile(r"投|广告|\bads?\b|advertis", re.I)

# "加我微信" / "微信号" is a way to reach the user, not a place to sell.
_CONTACT_BEFORE = re.compile(r"(?:加|加个|加我|联系|发到|发我|我的)\s*$")
_CONTACT_AFTER = re.compile(r"\s*(?:号|聊|联系|电话)")
_CLAUSE = re.compile(r"[，,；;。！!？?\n]|\.(?=\s|$)")
_SENTENCE = re.compile(r"[；;。！!？?\n]|\.(?=\s|$)")
_JOIN = re.compile(r"^(?:\s|、|\+|&|/|和|及|以及|与|跟|或|还有|and|or|plus|以及)*$", re.I)

_GLOBAL_WORDS = re.compile(
    r"出海|海外|跨境|美国|英国|德国|法国|日本|欧洲|欧美|东南亚|北美|中东|澳洲|加拿大|美国站|欧洲站|日本站"
    r"|\b(?:us|usa|u\.s\.|uk|eu|europe|european|germany|german|france|french|japan|canada|australia|overseas|"
    r"international|global|abroad|cross-border|north\s+america|southeast\s+asia)\b",
    re.I,
)
_CN_WORDS = re.compile(r"国内|中国|内地|大陆|\b(?:china|chinese\s+market|mainland)\b", re.I)


@dataclass
class Places:
    platforms: list[str] = field(default_factory=list)  # names in the message's language, in order
    channels: list[str] = field(default_factory=list)
    removed_platforms: list[str] = field(default_factory=list)  # every spelling a brief may hold
    removed_channels: list[str] = field(default_factory=list)
    platform_keys: list[str] = field(default_factory=list)  # selling platforms only: the market follows them
    channel_keys: list[str] = field(default_factory=list)
    market: str | None = None  # what the words say when no platform does: "cn" / "global"


@dataclass
class _Mention:
    start: int
    end: int
    key: str
    network: bool  # an ad network (never a place to sell)
    shop: bool  # the name itself is a shop ("TikTok Shop", "独立站")


@cache
def _name_pattern(alias: str) -> re.Pattern[str]:
    """ASCII names as whole words, though a list number may touch them ("④Meta" reads "4meta")."""
    if alias.isascii():
        return re.compile(rf"(?<![a-z]){re.escape(alias)}(?![a-z0-9])")
    return re.compile(re.escape(alias))


def _mentions(norm: str) -> list[_Mention]:
    """Every platform or ad-network name in the text, longest first where they overlap."""
    low = norm.lower()
    found: list[_Mention] = []
    # a platform's ad tool (巨量千川, 直通车) names the platform as a place to advertise only
    for table, network in ((PLATFORM_ALIASES, False), (AD_NETWORK_ALIASES, True), (PLATFORM_AD_TOOLS, True)):
        for key, aliases in table.items():
            for a in aliases:
                if a == "red":
                    continue
                for m in _name_pattern(a).finditer(low):
                    found.append(_Mention(m.start(), m.end(), key, network, a in _SHOP_ALIASES))
    for word, key in _CASED.items():
        for m in re.finditer(rf"(?<![A-Za-z]){word}(?![A-Za-z])", norm):
            found.append(_Mention(m.start(), m.end(), key, False, False))
    found = [x for x in found if not _CONTACT_BEFORE.search(low[: x.start]) and not _CONTACT_AFTER.match(low[x.end :])]
    found.sort(key=lambda x: (x.start, -(x.end - x.start)))
    out: list[_Mention] = []
    for x in found:
        if not out or x.start >= out[-1].end:
            out.append(x)
    return out


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """Start and end of each piece of text between the separators."""
    out, start = [], 0
    for m in pattern.finditer(text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return out


def _masked(norm: str, mentions: list[_Mention]) -> str:
    """The text with every name blanked out, so that "B站" or "TikTok Shop" is no cue by itself."""
    chars = list(norm)
    for x in mentions:
        chars[x.start : x.end] = "\0" * (x.end - x.start)
    return "".join(chars)


def _groups(norm: str, mentions: list[_Mention]) -> list[list[_Mention]]:
    """Names listed together ("天猫、京东", "Amazon and Walmart") share one role."""
    groups: list[list[_Mention]] = []
    for x in mentions:
        if groups and _JOIN.match(norm[groups[-1][-1].end : x.start]):
            groups[-1].append(x)
        else:
            groups.append([x])
    return groups


def _cues(masked: str, lo: int, hi: int, generic: bool = False) -> list[tuple[int, int, str]]:
    found = [(m.start() + lo, m.end() + lo, SELL) for m in _SELL_CUE.finditer(masked[lo:hi])]
    found += [(m.start() + lo, m.end() + lo, AD) for m in _AD_CUE.finditer(masked[lo:hi])]
    if generic:
        found += [(m.start() + lo, m.end() + lo, AD) for m in _MARKETING.finditer(masked[lo:hi])]
    return found


def _nearest(cues: list[tuple[int, int, str]], start: int, end: int, before_only: bool = False) -> str | None:
    best: tuple[int, int, str] | None = None
    for cs, ce, role in cues:
        if ce <= start:
            gap = start - ce
        elif cs >= end and not before_only:
            gap = cs - end + 1  # a tie goes to the cue before the name
        else:
            continue
        if best is None or gap < best[0]:
            best = (gap, 0, role)
    return best[2] if best else None


def _span_of(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    return next(((s, e) for s, e in spans if s <= pos <= e), (0, 0))


def _role(norm: str, masked: str, group: list[_Mention]) -> str | None:
    """sell / ad for a group of names listed together, from the nearest cue; None to skip it."""
    start, end = group[0].start, group[-1].end
    generic = all(x.network and x.key in _GENERIC for x in group)
    lo, hi = _span_of(_spans(_CLAUSE, norm), start)
    role = _nearest(_cues(masked, lo, hi, generic), start, end)
    if role is None:
        slo, shi = _span_of(_spans(_SENTENCE, norm), start)
        role = _nearest(_cues(masked, slo, shi, generic), start, end, before_only=True)
    if generic and role != AD:
        return None  # "发邮件给我" / "email me the plan": not a channel
    return role or (AD if all(x.network for x in group) else SELL)


def _negation(norm: str, x: _Mention) -> str | None:
    """sell / ad / both when the name is taken away ("不做京东", "drop eBay", "微博不投了"), else None."""
    words = _negating_words(norm, x.start, x.end)
    if words is None:
        return None
    sells, ads = bool(_SELL_WORD.search(words)), bool(_AD_WORD.search(words))
    tail = norm[x.end : x.end + 10].lower()
    if re.match(r"\s*(ads?\b|广告|投放|信息流)", tail):
        ads, sells = True, False
    if x.network or (ads and not sells):
        return AD
    if sells and not ads:
        return SELL
    return BOTH


def _negating_words(norm: str, start: int, end: int) -> str | None:
    """The words that take the name at start:end away ("不做", "drop", "不投了"), or None."""
    lo = max([0, *(m.end() for m in _CLAUSE.finditer(norm, 0, start))])
    before = norm[lo:start]
    if _NOT_NEG.search(before[-12:]):
        return None
    if m := _NEG_BEFORE.search(before):
        return m.group(0)
    after = norm[end : end + 12]
    hi = m2.start() if (m2 := _CLAUSE.search(after)) else len(after)
    if m := _NEG_AFTER.match(after[:hi]):
        return m.group("verb")
    return None


def negated_keys(norm: str, table: dict[str, tuple[str, ...]]) -> list[str]:
    """Keys of a name table that the message takes away: "618不做了" / "skip Prime Day" for campaigns."""
    low = norm.lower()
    out: list[str] = []
    for key, aliases in table.items():
        for a in aliases:
            for m in _name_pattern(a.lower()).finditer(low):
                if _negating_words(norm, m.start(), m.end()) is not None:
                    _add(out, key)
    return out


def _spellings(key: str, ad: bool) -> list[str]:
    """Every name a brief may hold for a key: the key and its display names in both languages."""
    names = [key, *PLATFORM_NAMES.get(key, ()), *AD_NETWORK_NAMES.get(key, ())]
    if ad:
        names += PLATFORM_AD_NAMES.get(key, ())
    return list(dict.fromkeys(names))


def _add(keys: list[str], key: str) -> None:
    if key not in keys:
        keys.append(key)


def read_places(norm: str, lang: str) -> Places:
    mentions = _mentions(norm)
    masked = _masked(norm, mentions)
    plats: list[str] = []
    chans: list[str] = []
    gone_plats: list[str] = []
    gone_chans: list[str] = []
    for group in _groups(norm, mentions):
        live: list[tuple[_Mention, str | None]] = []
        for x in group:
            neg = _negation(norm, x)
            if neg in (SELL, BOTH) and not x.network:
                _add(gone_plats, x.key)
            if neg in (AD, BOTH):
                _add(gone_chans, x.key)
            if neg != BOTH:  # "抖音只投流不卖货": not a shop, still a channel
                live.append((x, neg))
        if not live:
            continue
        role = _role(norm, masked, [x for x, _ in live])
        for x, neg in live:
            if (x.shop or role == SELL) and not x.network and neg != SELL:
                _add(plats, x.key)
            elif role is not None and (role == AD or x.network) and neg != AD:
                _add(chans, x.key)
    plats = [k for k in plats if k not in gone_plats]
    chans = [k for k in chans if k not in gone_chans]
    market = "global" if _GLOBAL_WORDS.search(norm) else "cn" if _CN_WORDS.search(norm) else None
    return Places(
        platforms=[platform_name(k, lang) for k in plats],
        channels=[channel_name(k, lang) for k in chans],
        removed_platforms=[n for k in gone_plats for n in _spellings(k, False)],
        removed_channels=[n for k in gone_chans for n in _spellings(k, True)],
        platform_keys=plats,
        channel_keys=chans,
        market=market,
    )


def mentioned_keys(norm: str) -> set[str]:
    """Every platform or ad network a text names (by any alias), whatever it says about it."""
    return {x.key for x in _mentions(norm)}

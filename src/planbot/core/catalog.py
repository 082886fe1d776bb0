"""Names people use for platforms and channels, mapped to the keys the builder works with."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

PLATFORM_ALIASES: dict[str, tuple[str, ...]] = {
    "tmall": ("天猫", "tmall", "猫超", "天喵", "天猫国际", "tmall global", "tmall.com"),
    "taobao": ("淘宝", "taobao", "淘系", "某宝", "taobao.com"),
    "jd": ("京东", "jd", "jd.com", "jingdong", "狗东"),
    "pinduoduo": (
        "拼多多",
        "pdd",
        "pinduoduo",
        "拼夕夕",
        "拼爹爹",
    ),
    "douyin": ("抖音", "douyin", "抖店", "抖音小店", "抖音商城"),
    "kuaishou": ("快手", "kuaishou"),
    "xiaohongshu": ("小红书", "xiaohongshu", "red", "rednote", "xhs", "小红薯", "红书"),
    "wechat": ("微信", "视频号", "小程序", "公众号", "企业微信", "wechat", "weixin", "mini-program"),
    "vipshop": ("唯品会", "vipshop"),
    "shopify": ("shopify", "独立站", "dtc site"),
    "amazon": ("amazon", "亚马逊", "amzon", "amazn", "amazom", "amazone", "amz", "amazon.com"),
    "tiktok": ("tiktok shop", "tiktok", "tik tok", "tt shop"),
    "walmart": ("walmart", "沃尔玛", "wal-mart", "walmart.com"),
    "ebay": ("ebay",),
    "temu": ("temu",),
    "shein": ("shein", "希音"),
    "aliexpress": ("aliexpress", "速卖通"),
    "shopee": ("shopee", "虾皮"),
    "lazada": ("lazada",),
}
PLATFORM_NAMES: dict[str, tuple[str, str]] = {
    "tmall": ("天猫", "Tmall"),
    "taobao": ("淘宝", "Taobao"),
    "jd": ("京东", "JD.com"),
    "pinduoduo": ("拼多多", "Pinduoduo"),
    "douyin": ("抖音", "Douyin"),
    "kuaishou": ("快手", "Kuaishou"),
    "xiaohongshu": ("小红书", "Xiaohongshu (RED)"),
    "wechat": ("微信", "WeChat"),
    "vipshop": ("唯品会", "Vipshop"),
    "shopify": ("Shopify独立站", "Shopify"),
    "amazon": ("亚马逊", "Amazon"),
    "tiktok": ("TikTok Shop", "TikTok Shop"),
    "walmart": ("沃尔玛", "Walmart"),
    "ebay": ("eBay", "eBay"),
    "temu": ("Temu", "Temu"),
    "shein": ("SHEIN", "SHEIN"),
    "aliexpress": ("速卖通", "AliExpress"),
    "shopee": ("Shopee", "Shopee"),
    "lazada": ("Lazada", "Lazada"),
}
# Where each platform's shop data lives: the KPI table names these as data sources.
PLATFORM_ANALYTICS: dict[str, tuple[str, str]] = {
    "tmall": ("生意参谋", "Tmall Business Advisor (生意参谋)"),
    "taobao": ("生意参谋", "Taobao Business Advisor (生意参谋)"),
    "jd": ("京东商智", "JD Shangzhi (京东商智)"),
    "pinduoduo": ("拼多多商家后台", "Pinduoduo merchant console"),
    "douyin": ("抖店罗盘", "Douyin Compass (抖店罗盘)"),
    "kuaishou": ("快手生意通", "Kuaishou Shengyitong"),
    "xiaohongshu": ("小红书千帆", "Xiaohongshu Qianfan"),
    "wechat": ("微信小商店后台", "WeChat shop console"),
    "amazon": ("亚马逊品牌分析", "Amazon Brand Analytics"),
    "shopify": ("Shopify Analytics", "Shopify Analytics"),
    "tiktok": ("TikTok Shop数据中心", "TikTok Shop Seller Center"),
}


def analytics_sources(platforms: Iterable[str], language: str) -> list[str]:
    """The shop-analytics tools of the given platforms, in order, without repeats."""
    out: list[str] = []
    for p in platforms:
        key = platform_key(p)
        if key in PLATFORM_ANALYTICS:
            zh, en = PLATFORM_ANALYTICS[key]
            name = zh if language == "zh" else en
            if name not in out:
                out.append(name)
    return out


GLOBAL_PLATFORMS = frozenset(
    {"shopify", "amazon", "tiktok", "walmart", "ebay", "temu", "shein", "aliexpress", "shopee", "lazada"}
)

CHANNEL_ALIASES: dict[str, tuple[str, ...]] = {
    "search": ("搜索", "直通车", "京东快车", "sem", "seo", "search", "关键词", "站内广告", "sponsored"),
    "short_video": ("短视频", "short video", "short-video", "reels", "视频内容"),
    "kol": ("达人", "kol", "kols", "koc", "种草", "influencer", "influencers", "网红", "博主", "creator", "creators"),
    "feed_ads": (
        "信息流",
        "朋友圈广告",
        "feed",
        "social ads",
        "meta ads",
        "facebook ads",
        "千川",
        "巨量",
        "投流",
    ),
    "livestream": ("直播", "livestream", "live stream", "live-stream", "live commerce", "带货"),
    "private_domain": ("私域", "社群", "企微", "community", "社区", "群"),
    "crm": ("crm", "短信", "邮件", "email", "e-mail", "sms", "会员营销", "push"),
    "partners": ("联名", "异业", "合作伙伴", "partners", "partner", "affiliate", "联盟", "ip合作", "collab"),
}

# Places a brand buys media or seeds content that are not shops of its own.
AD_NETWORK_ALIASES: dict[str, tuple[str, ...]] = {
    "meta": ("meta", "facebook", "instagram", "ig", "fb", "ins", "meta ads", "advantage+", "脸书"),
    "google": ("google", "google ads", "google shopping", "performance max", "pmax", "adwords", "谷歌"),
    "youtube": ("youtube", "油管"),
    "pinterest": ("pinterest",),
    "bilibili": ("bilibili", "b站", "哔哩哔哩"),
    "weibo": ("weibo", "微博"),
    "zhihu": ("zhihu", "知乎"),
    "email": ("email", "e-mail", "邮件", "edm", "newsletter", "klaviyo"),
    "sms": ("sms", "短信", "text message", "text messages", "texting"),
    "affiliate": ("affiliate", "affiliates", "联盟", "淘宝客", "淘客"),
    "influencers": (
        "influencer",
        "influencers",
        "达人",
        "kol",
        "kols",
        "koc",
        "博主",
        "网红",
        "红人",
        "主播",
        "达播",
        "creators",
        "creator",
    ),
}
# A platform's own ad tools: naming one says the brand advertises there, never that it sells there.
PLATFORM_AD_TOOLS: dict[str, tuple[str, ...]] = {
    "douyin": ("巨量千川", "千川", "巨量引擎", "巨量", "随心推", "dou+", "qianchuan", "ocean engine"),
    "tmall": ("万相台", "引力魔方", "钻展", "超级推荐"),
    "taobao": ("直通车",),
    "jd": ("京准通", "京东快车", "jd ads"),
    "kuaishou": ("磁力金牛", "磁力引擎"),
    "wechat": ("腾讯广告", "广点通", "朋友圈广告"),
    "amazon": ("amazon ads", "amazon ppc", "sponsored products"),
    "tiktok": ("tiktok ads",),
}
# How an ad network is shown to the user (zh, en); ad_channel_key reads each back.
AD_NETWORK_NAMES: dict[str, tuple[str, str]] = {
    "meta": ("Meta", "Meta"),
    "google": ("Google", "Google"),
    "youtube": ("YouTube", "YouTube"),
    "pinterest": ("Pinterest", "Pinterest"),
    "bilibili": ("B站", "Bilibili"),
    "weibo": ("微博", "Weibo"),
    "zhihu": ("知乎", "Zhihu"),
    "email": ("邮件", "Email"),
    "sms": ("短信", "SMS"),
    "affiliate": ("联盟推广", "Affiliates"),
    "influencers": ("达人", "Influencers"),
}
# A platform advertised on goes by its ad side's name where that differs from the shop's.
PLATFORM_AD_NAMES: dict[str, tuple[str, str]] = {
    "tiktok": ("TikTok", "TikTok"),
    "amazon": ("亚马逊广告", "Amazon Ads"),
}


def _inside(alias: str, text: str) -> bool:
    """A Chinese alias anywhere in the text; a Latin one as a whole word ("red" is not in "sponsored")."""
    if not alias.isascii():
        return alias in text
    return re.search(rf"(?<![a-z0-9]){re.escape(alias)}(?![a-z0-9])", text) is not None


def exact_key(text: str, *tables: dict[str, tuple[str, ...]]) -> str | None:
    """The key the text is, or whose alias it is exactly, in the first table that has it."""
    t = text.strip().lower()
    for table in tables:
        if t in table:
            return t
        for key, aliases in table.items():
            if t in aliases:
                return key
    return None


def match_alias(text: str, table: dict[str, tuple[str, ...]]) -> str | None:
    """The key whose alias the text is, or the key of the longest alias it contains."""
    t = text.strip().lower()
    if (exact := exact_key(t, table)) is not None:
        return exact
    best: tuple[int, str] | None = None
    for key, aliases in table.items():
        for a in aliases:
            if len(a) >= 2 and _inside(a, t) and (best is None or len(a) > best[0]):
                best = (len(a), key)
    return best[1] if best else None


def platform_key(name: str) -> str | None:
    return match_alias(name, PLATFORM_ALIASES)


def platform_keys(platforms: Iterable[str]) -> set[str]:
    return {k for p in platforms if (k := platform_key(p))}


def channel_key(name: str) -> str | None:
    return match_alias(name, CHANNEL_ALIASES)


def ad_channel_key(name: str) -> str | None:
    """Where a brand advertises or tests: a platform key (小红书 -> xiaohongshu) or an ad network's.

    Exact names first (keys, aliases, the names `channel_name` shows), then the longest alias inside.
    """
    t = name.strip().lower()
    if (exact := exact_key(t, PLATFORM_ALIASES, AD_NETWORK_ALIASES)) is not None:
        return exact
    for names in (PLATFORM_AD_NAMES, PLATFORM_NAMES, AD_NETWORK_NAMES):
        for key, pair in names.items():
            if t in (pair[0].lower(), pair[1].lower()):
                return key
    return platform_key(name) or match_alias(name, AD_NETWORK_ALIASES)


def channel_name(key: str, language: str) -> str:
    """The display name of a place to advertise: an ad network's, else the platform's ad side."""
    zh, en = AD_NETWORK_NAMES.get(key) or PLATFORM_AD_NAMES.get(key) or PLATFORM_NAMES.get(key, (key, key))
    return zh if language == "zh" else en


@cache
def term_pattern(term: str) -> re.Pattern[str]:
    """How a lower-case name is found in lower-case text: ASCII names as whole words ("red" not in "reduce")."""
    if term.isascii():
        return re.compile(rf"(?<![a-z0-9]){re.escape(term)}(?![a-z0-9])")
    return re.compile(re.escape(term))


def find_in_text(text: str, table: dict[str, tuple[str, ...]]) -> list[str]:
    """Keys whose aliases occur in text, in order of first appearance (ASCII aliases as whole words)."""
    low = text.lower()
    hits: list[tuple[int, str]] = []
    for key, aliases in table.items():
        positions = [m.start() for a in aliases if (m := term_pattern(a).search(low))]
        if positions:
            hits.append((min(positions), key))
    return [k for _, k in sorted(hits)]


def platform_name(key: str, language: str) -> str:
    zh, en = PLATFORM_NAMES.get(key, (key, key))
    return zh if language == "zh" else en

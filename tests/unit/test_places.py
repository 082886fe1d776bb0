"""Where the brand sells (platforms) vs where it advertises (channels), and names taken away (issue 16)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from planbot.core import calendar as C
from planbot.core.brief import Brief
from planbot.core.catalog import (
    AD_NETWORK_NAMES,
    PLATFORM_NAMES,
    ad_channel_key,
    channel_name,
    platform_key,
    platform_name,
)
from planbot.core.extract.places import negated_keys, read_places
from planbot.core.numbers import normalize


def keys(text: str) -> tuple[list[str], list[str]]:
    p = read_places(normalize(text), "zh")
    return p.platform_keys, p.channel_keys


# --- sell cues: the shop is there -------------------------------------------------------------


def test_sell_cues_zh() -> None:
    assert keys("店在京东和天猫") == (["jd", "tmall"], [])
    assert keys("主阵地是抖音小店") == (["douyin"], [])
    assert keys("Shopee和Lazada在卖") == (["shopee", "lazada"], [])
    assert keys("淘宝和小红书都有店") == (["taobao", "xiaohongshu"], [])
    assert keys("店开在天猫和唯品会") == (["tmall", "vipshop"], [])


def test_sell_cues_en() -> None:
    assert keys("our store is on Shopify") == (["shopify"], [])
    assert keys("we sell on Amazon and Walmart") == (["amazon", "walmart"], [])
    assert keys("We're on Walmart.") == (["walmart"], [])
    assert keys("we list on eBay and Amazon") == (["ebay", "amazon"], [])


def test_a_bare_list_takes_the_cue_before_it() -> None:
    assert keys("We sell on Tmall, JD and Pinduoduo.") == (["tmall", "jd", "pinduoduo"], [])
    assert keys("平台：天猫、京东、抖音") == (["tmall", "jd", "douyin"], [])
    assert keys("做女装的，抖音，2027年") == (["douyin"], [])  # no cue at all: a shop platform sells


# --- ad cues: advertise, seed, test -----------------------------------------------------------


def test_ad_cues_zh() -> None:
    assert keys("店在京东和天猫，也想在小红书做点种草") == (["jd", "tmall"], ["xiaohongshu"])
    assert keys("主阵地是抖音小店，另外想在B站投点视频") == (["douyin"], ["bilibili"])
    assert keys("独立站用Shopify，广告投Meta和Google") == (["shopify"], ["meta", "google"])
    assert keys("店主要在PDD，DY上投千川") == (["pinduoduo"], ["douyin"])
    assert keys("天喵+狗东在卖，XHS想种草") == (["tmall", "jd"], ["xiaohongshu"])


def test_ad_cues_en() -> None:
    assert keys("our store is on Shopify and we run ads on Meta and Google") == (["shopify"], ["meta", "google"])
    assert keys("we sell on Amazon and Walmart, want to try TikTok") == (["amazon", "walmart"], ["tiktok"])
    assert keys("we're on Temu and AliExpress, might test Meta ads") == (["temu", "aliexpress"], ["meta"])
    assert keys("We're on Walmart. Google Shopping drives most of it, also testing Pinterest") == (
        ["walmart"],
        ["google", "pinterest"],
    )


def test_an_ad_network_alone_is_a_channel() -> None:
    assert keys("We'd like to do more on Instagram/Meta and Google.") == ([], ["meta", "google"])
    assert keys("Sales: Walmart Marketplace + Amazon. Awareness: Pinterest, Meta.") == (
        ["walmart", "amazon"],
        ["pinterest", "meta"],
    )


def test_a_name_said_as_both_is_both() -> None:
    assert keys("TikTok Shop is our main store, plus Amazon. Ads are mostly Spark Ads on TikTok.") == (
        ["tiktok", "amazon"],
        ["tiktok"],
    )
    assert keys("Our products are sold on Amazon. We advertise on Amazon (Sponsored Products) and Google.") == (
        ["amazon"],
        ["amazon", "google"],
    )


def test_only_advertised_is_not_a_platform() -> None:
    assert keys("主阵地是小红书店铺+淘宝，抖音只投流不卖货") == (["xiaohongshu", "taobao"], ["douyin"])
    assert keys("亚马逊美国站卖货，想在TikTok投点广告试试") == (["amazon"], ["tiktok"])


def test_everyday_words_are_channels_only_about_marketing() -> None:
    assert keys("we sell through our own Shopify site and on Amazon; affiliate + SMS for retention") == (
        ["shopify", "amazon"],
        ["affiliate", "sms"],
    )
    assert keys("店在淘宝，站外主要找达人种草") == (["taobao"], ["influencers"])
    assert keys("方案做好发我邮件") == ([], [])
    assert keys("email me the plan") == ([], [])


def test_names_that_are_no_place() -> None:
    assert keys("we sell red candles on Amazon") == (["amazon"], [])  # "red" is not RED
    assert keys("加我微信聊") == ([], [])
    assert keys("④Meta和Google继续投") == ([], ["meta", "google"])  # a list number touches the name


def test_market_hint_from_words() -> None:
    assert read_places(normalize("Gen Z gamers in the US"), "en").market == "global"
    assert read_places(normalize("明年出海美国"), "zh").market == "global"
    assert read_places(normalize("a pet food brand in China"), "en").market == "cn"
    assert read_places(normalize("we sell on Amazon"), "en").market is None


def test_platform_keys_are_selling_platforms_only() -> None:
    p = read_places(normalize("独立站用Shopify，广告投Meta和TikTok"), "en")
    assert p.platform_keys == ["shopify"] and p.platforms == ["Shopify"]
    assert p.channels == ["Meta", "TikTok"]


# --- negations: a name taken away -------------------------------------------------------------


def removed(text: str) -> tuple[list[str], list[str]]:
    p = read_places(normalize(text), "zh")
    return [k for k in p.removed_platforms if k.islower() and k.isascii()], [
        k for k in p.removed_channels if k.islower() and k.isascii()
    ]


def test_negations_zh() -> None:
    assert removed("不做京东了") == (["jd"], ["jd"])
    assert removed("不是天猫，只做京东") == (["tmall"], ["tmall"])
    assert removed("去掉拼多多") == (["pinduoduo"], ["pinduoduo"])
    assert removed("微博不投了，换成B站") == ([], ["weibo"])
    assert removed("我们的天猫店关了") == (["tmall"], [])
    assert keys("微博不投了，换成B站") == ([], ["bilibili"])


def test_negations_en() -> None:
    assert removed("not on JD") == (["jd"], [])
    assert removed("drop eBay, we closed that store") == (["ebay"], ["ebay"])
    assert removed("no longer on Walmart") == (["walmart"], [])
    assert removed("forget the TikTok ads, legal said no") == ([], ["tiktok"])
    assert removed("we're not doing Meta anymore, moving that money to Google") == ([], ["meta"])
    assert keys("we're not doing Meta anymore, moving that money to Google") == ([], ["google"])


def test_not_a_negation() -> None:
    assert removed("除了天猫，我们也在京东卖") == ([], [])
    assert removed("not only on Amazon but also Walmart") == ([], [])
    assert removed("we don't have data on Amazon conversion") == ([], [])


def test_removal_takes_the_name_out_of_the_brief_in_any_spelling() -> None:
    p = read_places(normalize("drop eBay"), "en")
    for held in (["amazon", "ebay"], ["Amazon", "eBay"]):
        brief = Brief(platforms=held)
        data = brief.model_dump()
        data["platforms"] = [x for x in held if x not in p.removed_platforms]
        assert [platform_key(x) for x in data["platforms"]] == ["amazon"]


def test_negated_campaigns() -> None:
    assert negated_keys("618不做了，只做双11", C.CAMPAIGN_ALIASES) == ["618"]
    assert negated_keys("skip Prime Day this year, just BFCM", C.CAMPAIGN_ALIASES) == ["prime_day"]
    assert negated_keys("重点做618和双11", C.CAMPAIGN_ALIASES) == []


# --- catalogue: every shown name reads back to its key ----------------------------------------


def test_every_channel_name_maps_back_to_its_key() -> None:
    for key in [*AD_NETWORK_NAMES, *PLATFORM_NAMES]:
        for lang in ("zh", "en"):
            assert ad_channel_key(channel_name(key, lang)) == key
            assert ad_channel_key(key) == key
    for key in PLATFORM_NAMES:
        assert platform_key(platform_name(key, "zh")) == key == platform_key(platform_name(key, "en"))


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("天猫京东不做投卖店 ,，。.adsonShopifyMetanotdrop了种草")), max_size=40))
def test_reading_places_never_raises(text: str) -> None:
    p = read_places(normalize(text), "zh")
    assert set(p.platform_keys) <= set(PLATFORM_NAMES)
    assert all(ad_channel_key(c) for c in p.channels)


def test_slang_and_typos_name_the_platform() -> None:
    assert keys("店在淘宝，拼夕夕") == (["taobao", "pinduoduo"], [])
    assert keys("天猫国际和狗东都有店") == (["tmall", "jd"], [])
    assert keys("we sell on Tmall Global") == (["tmall"], [])
    assert keys("we're on amzon + our shopify") == (["amazon", "shopify"], [])


def test_a_platform_ad_tool_is_a_channel_of_that_platform() -> None:
    assert keys("主要在拼多多卖，抖音也开了小店，投流走巨量千川") == (["pinduoduo", "douyin"], ["douyin"])
    assert keys("天猫开店，直通车和万相台在投") == (["tmall"], ["taobao", "tmall"])
    assert keys("京准通也开着") == ([], ["jd"])


def test_labelled_notes_split_sellers_from_ads() -> None:
    assert keys("Shopify + Walmart; ads: Meta, Pinterest") == (["shopify", "walmart"], ["meta", "pinterest"])
    assert keys("Shopify store. Email + SMS are our main channels, plus affiliates") == (
        ["shopify"],
        ["email", "sms", "affiliate"],
    )
    assert keys("TikTok Shop和Temu都上架了，想找海外达人带货") == (["tiktok", "temu"], ["influencers"])
    assert keys("please email me the plan") == ([], [])


def test_more_ways_to_take_a_name_away() -> None:
    assert removed("scratch Walmart, we're not on it anymore")[0] == ["walmart"]
    assert removed("get rid of eBay")[0] == ["ebay"]
    assert removed("Walmart is gone")[0] == ["walmart"]
    assert removed("关了京东店") == (["jd"], [])
    assert removed("京东店关了") == (["jd"], [])


def test_more_members_of_those_classes() -> None:
    assert keys("找红人和主播合作") == ([], ["influencers"])
    assert keys("Klaviyo flows and text messages for retention") == ([], ["email", "sms"])
    assert keys("influencer marketing on TikTok") == ([], ["influencers", "tiktok"])
    assert keys("营销预算800万美元，主战场是亚马逊") == (["amazon"], [])
    assert removed("we're off Amazon now")[0] == ["amazon"]
    assert removed("下掉天猫")[0] == ["tmall"]

"""One fixture per export style, with figures worked out by hand from the fixture's rows."""

from __future__ import annotations

from datetime import date

from tests.history.fixtures.make_fixtures import jd_day
from tests.history.helpers import ad, month, read


def test_sycm_monthly_overview() -> None:
    r = read("sycm_monthly.csv")
    h = r.history
    assert (h.source.style, h.currency, r.granularity, h.source.rows) == ("sycm", "CNY", "month", 3)
    jan = month(r, 2025, 1)
    # ¥1,862,530.40 rounds to 1,862,530; 128,450 visitors; 支付子订单数 4,102; 支付买家数 3,675; 新买家 1,530
    assert (jan.gmv, jan.visitors, jan.orders, jan.buyers, jan.new_buyers) == (1862530, 128450, 4102, 3675, 1530)
    assert month(r, 2025, 3).gmv == 1540221  # 1,540,220.75
    assert ad(r, 2025, 1, "search").spend == 96200  # 直通车消耗
    assert ad(r, 2025, 1, "feed_ads").spend == 168351  # 引力魔方 48,350.50 + 万相台 120,000
    assert ad(r, 2025, 2, "affiliate").spend == 25012  # 淘宝客佣金 25,012.4
    assert {a.platform for a in h.ads} == {"tmall"}
    assert r.skipped_rows == [7, 8, 9]  # blank, 合计, 注
    assert r.ignored_columns == ["浏览量"]
    assert r.channels["直通车"] == "search"


def test_sycm_ad_report_gbk_daily() -> None:
    r = read("sycm_ads_gbk.csv")
    h = r.history
    assert (h.source.style, r.granularity, h.months) == ("sycm", "day", [])
    kw = ad(r, 2025, 1, "search")
    assert (kw.platform, kw.spend, kw.sales) == ("tmall", 6200, 24800)  # 3,210.50 + 2,989.50; 12,842 + 11,958
    assert (ad(r, 2025, 1, "feed_ads").spend, ad(r, 2025, 1, "feed_ads").sales) == (10000, 43500)
    assert ad(r, 2025, 2, "search").sales == 34050
    unknown = ad(r, 2025, 1, "人群推广")  # not a tool planbot knows: kept as exported
    assert (unknown.spend, unknown.sales) == (1200, 2880)
    assert r.skipped_rows == [11]


def test_jd_daily_xlsx_with_merged_two_row_header() -> None:
    r = read("jd_daily_merged.xlsx")
    h = r.history
    assert (h.source.style, h.currency, r.granularity, h.source.rows) == ("jd", "CNY", "day", 59)
    jan = month(r, 2025, 1)
    assert (jan.gmv, jan.visitors, jan.orders, jan.buyers, jan.new_buyers) == (604884, 97650, 3032, 2877, 1300)
    days = [jd_day(i) for i in range(31, 59)]
    feb = month(r, 2025, 2)
    assert feb.visitors == sum(d[0] for d in days) == 96460
    assert feb.gmv == round(sum(d[3] for d in days))
    kc = ad(r, 2025, 1, "search", "jd")  # 京东快车 / 花费, 成交金额 under the merged 京东快车 cell
    assert (kc.spend, kc.sales) == (46973, 187891)  # Σ(1500.25 + i) for i < 31 = 46972.75; sales ×4
    touch = ad(r, 2025, 2, "feed_ads", "jd")
    assert (touch.spend, touch.sales) == (28 * 800, 28 * 1600)
    headers = {c.header: (c.field, c.channel) for c in r.columns}
    assert headers["京东快车 / 花费"] == ("ad_spend", "京东快车")
    assert headers["成交金额(元)"] == ("gmv", None)
    assert r.skipped_rows == [64]  # 合计


def test_douyin_weekly_utf16_tab_separated() -> None:
    r = read("douyin_weekly_utf16.csv")
    h = r.history
    assert (h.source.style, r.granularity, h.source.rows) == ("douyin", "week", 4)
    jan, feb = month(r, 2025, 1), month(r, 2025, 2)
    # 万元: 12.35 + 15.80 + 21.00 × 5/7 (the week of 27 Jan - 2 Feb has five January days)
    assert jan.gmv == 123500 + 158000 + 150000
    assert feb.gmv == 60000 + 98700
    assert jan.orders == 1020 + 1301 + 1215 and feb.orders == 486 + 820  # 1,701 split 1,215 / 486
    assert (jan.buyers or 0) + (feb.buyers or 0) == 968 + 1222 + 1610 + 780
    assert (jan.visitors or 0) + (feb.visitors or 0) == 40200 + 47900 + 63000 + 35100
    assert jan.new_buyers == 512 + 650 + 645  # 903 × 5/7 = 645
    qc = ad(r, 2025, 1, "feed_ads", "douyin")
    assert (qc.spend, qc.sales) == (18000 + 21000 + 20000, 61200 + 73500 + 70000)
    gmv_col = next(c for c in r.columns if c.field == "gmv")
    assert (gmv_col.header, gmv_col.unit) == ("用户支付金额(万元)", "万元")


def test_pdd_monthly_serials_text_and_datetimes() -> None:
    r = read("pdd_monthly.xlsx")
    h = r.history
    assert (h.source.style, r.granularity) == ("pdd", "month")
    assert [m.month for m in h.months] == [date(2025, m, 1) for m in (1, 2, 3, 4)]
    jan = month(r, 2025, 1)  # month given as the Excel serial 45658
    assert (jan.gmv, jan.visitors, jan.orders, jan.buyers, jan.new_buyers) == (356821, 98210, 3050, 2904, 1320)
    mar = month(r, 2025, 3)  # "2025年3月", numbers as text with separators
    assert (mar.gmv, mar.visitors, mar.new_buyers) == (401233, 105300, 1609)
    search = ad(r, 2025, 1, "search", "pinduoduo")  # 多多搜索
    assert (search.spend, search.sales) == (30500, 118000)
    assert ad(r, 2025, 1, "feed_ads", "pinduoduo").sales == 30501  # 多多场景 30,500.5
    assert "曝光量(千次)" in r.ignored_columns
    assert r.skipped_rows == [8, 9]


def test_shopify_sales_over_time() -> None:
    r = read("shopify_monthly.csv")
    h = r.history
    assert (h.source.style, h.currency) == ("shopify", "USD")
    jan = month(r, 2025, 1)
    assert (jan.gmv, jan.visitors, jan.orders, jan.buyers, jan.new_buyers) == (98450, 48230, 1312, 1190, 702)
    assert month(r, 2025, 3).gmv == 112906  # gross sales $112,905.99, not total or net sales
    assert {"Net sales", "Total sales", "Discounts"} <= set(r.ignored_columns)  # negative discounts never read
    assert h.ads == []
    assert r.skipped_rows == [5]


def test_amazon_business_report_daily_us_dates() -> None:
    r = read("amazon_business_daily.csv")
    h = r.history
    assert (h.source.style, h.currency, r.granularity, h.source.rows) == ("amazon", "USD", "day", 40)
    dec = month(r, 2024, 12)  # 12/25 - 12/31: 40..46 order items at $23.75
    assert (dec.orders, dec.gmv) == (301, 7149)
    assert dec.visitors == sum(1200 + 5 * i for i in range(7))
    jan = month(r, 2025, 1)
    assert jan.orders == sum(40 + i % 9 for i in range(7, 38))
    assert jan.buyers is None and jan.new_buyers is None  # the report has no buyer counts


def test_amazon_sponsored_products_report() -> None:
    r = read("amazon_ads_sp.xlsx")
    h = r.history
    assert (h.source.style, h.currency, h.months) == ("amazon_ads", "USD", [])
    jan = ad(r, 2025, 1, "search", "amazon")  # 29-31 Jan, both campaigns
    assert (jan.spend, jan.sales) == (220, 947)  # 52.3 + 53.3 + 54.3 + 3 × 20 = 219.9; 660 + 286.5
    feb = ad(r, 2025, 2, "search", "amazon")
    assert feb.spend == round(55.3 + 56.3 + 57.3 + 60)
    assert r.channels == {"Sponsored Products": "search"}

"""Header recognition (names, units, Traditional Chinese), date forms and headers.yaml's own checks."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from planbot.history_read.headers import HeaderData, data, read_header, split_unit
from planbot.history_read.values import number, parse_date
from tests.history.helpers import TODAY, month, read

MONEY_UNITS = {"元": 1, "万元": 10_000, "千元": 1_000, "萬元": 10_000, "人民币": 1, "RMB": 1, "CNY": 1, "¥": 1}
BRACKETS = [("(", ")"), ("（", "）"), ("[", "]"), ("/", "")]


@given(
    name=st.sampled_from(["支付金额", "成交金额", "销售额", "GMV", "支付金額", "成交额"]),
    unit=st.sampled_from(sorted(MONEY_UNITS)),
    brackets=st.sampled_from(BRACKETS),
    pad=st.sampled_from(["", " "]),
)
def test_money_headers_with_units(name: str, unit: str, brackets: tuple[str, str], pad: str) -> None:
    h = read_header(f"{name}{pad}{brackets[0]}{unit}{brackets[1]}")
    assert h.field == "gmv"
    assert h.factor == MONEY_UNITS[unit]
    assert h.currency == "CNY"


@given(
    st.sampled_from(["访客数", "訪客數", "Visitors", "UV", "商品访客数", "Sessions - Total"]),
    st.sampled_from([("千人", 1000), ("万人", 10_000), ("千", 1000), ("人", 1), ("K", 1000)]),
)
def test_count_headers_with_multipliers(name: str, unit: tuple[str, int]) -> None:
    h = read_header(f"{name}({unit[0]})")
    assert (h.field, h.factor) == ("visitors", Decimal(unit[1]))


@pytest.mark.parametrize(
    ("header", "field", "unit", "factor"),
    [
        ("支付转化率(%)", "cvr", "%", Decimal("0.01")),
        ("转化率%", "cvr", "%", Decimal("0.01")),
        ("曝光量(千次)", None, "千次", Decimal(1)),
        ("Spend ($)", "ad_spend", "$", Decimal(1)),
        ("Amount spent (USD)", "ad_spend", "USD", Decimal(1)),
        ("成交额万元", "gmv", "万元", Decimal(10_000)),
        ("支付新買家數", "new_buyers", None, Decimal(1)),
        ("First-time customers", "new_buyers", None, Decimal(1)),
        ("Total Advertising Cost of Sales (ACOS)", "acos", None, Decimal(1)),
        ("投入產出比", "roas", None, Decimal(1)),
        ("備註", None, None, Decimal(1)),
    ],
)
def test_named_headers(header: str, field: str | None, unit: str | None, factor: Decimal) -> None:
    h = read_header(header)
    assert (h.field, h.unit, h.factor) == (field, unit, factor)


def test_ad_tool_in_the_header() -> None:
    h = read_header("直通车消耗(元)")
    assert (h.field, h.channel, h.currency) == ("ad_spend", "直通车", "CNY")
    assert (read_header("千川成交金额").field, read_header("千川成交金额").channel) == ("ad_sales", "千川")
    assert read_header("某某消耗").field is None  # not a tool planbot knows: not guessed


def test_date_headers_say_the_period() -> None:
    assert (read_header("月份").period, read_header("Week").period, read_header("统计日期").period) == (
        "month",
        "week",
        "day",
    )
    assert read_header("End Date").field == "date_end"
    assert split_unit("支付金额（万元）") == ("支付金额", "万元")


@pytest.mark.parametrize(
    ("cell", "first", "last", "period"),
    [
        ("2025-01", date(2025, 1, 1), date(2025, 1, 31), "month"),
        ("2025/1", date(2025, 1, 1), date(2025, 1, 31), "month"),
        ("2025年2月", date(2025, 2, 1), date(2025, 2, 28), "month"),
        ("2024年02月", date(2024, 2, 1), date(2024, 2, 29), "month"),
        ("Jan 2025", date(2025, 1, 1), date(2025, 1, 31), "month"),
        ("202503", date(2025, 3, 1), date(2025, 3, 31), "month"),
        ("2025-01-15", date(2025, 1, 15), date(2025, 1, 15), "day"),
        ("2025/1/5", date(2025, 1, 5), date(2025, 1, 5), "day"),
        ("2025年1月5日", date(2025, 1, 5), date(2025, 1, 5), "day"),
        ("01/15/2025", date(2025, 1, 15), date(2025, 1, 15), "day"),
        ("2025-01-15 00:00:00", date(2025, 1, 15), date(2025, 1, 15), "day"),
        (45672, date(2025, 1, 15), date(2025, 1, 15), "day"),
        ("45672", date(2025, 1, 15), date(2025, 1, 15), "day"),
        (datetime(2025, 1, 15, 8, 30), date(2025, 1, 15), date(2025, 1, 15), "day"),
        ("2025-01-27~2025-02-02", date(2025, 1, 27), date(2025, 2, 2), "week"),
        ("2025/01/27 - 2025/02/02", date(2025, 1, 27), date(2025, 2, 2), "week"),
        ("2025-01-01 至 2025-01-31", date(2025, 1, 1), date(2025, 1, 31), "month"),
        ("2025-W05", date(2025, 1, 27), date(2025, 2, 2), "week"),
    ],
)
def test_date_forms(cell: object, first: date, last: date, period: str) -> None:
    span = parse_date(cell)  # type: ignore[arg-type]
    assert span is not None
    assert (span.first, span.last, span.period) == (first, last, period)


@pytest.mark.parametrize("cell", ["2025-13", "2025-02-30", "明年", "合计", "", "12345678"])
def test_not_dates(cell: str) -> None:
    assert parse_date(cell) is None


@pytest.mark.parametrize(
    ("cell", "value", "currency", "percent"),
    [
        ("¥1,234.50", Decimal("1234.50"), "CNY", False),
        ("￥1,234", Decimal(1234), "CNY", False),
        ("$12,000.40", Decimal("12000.40"), "USD", False),
        ("-$1,234.00", Decimal(-1234), "USD", False),
        ("3.2%", Decimal("3.2"), None, True),
        ("1 234", Decimal(1234), None, False),
        ("(300)", Decimal(-300), None, False),
        ("1,234元", Decimal(1234), "CNY", False),
        ("１２３", Decimal(123), None, False),
    ],
)
def test_numbers(cell: str, value: Decimal, currency: str | None, percent: bool) -> None:
    n = number(cell)
    assert n is not None and (n.value, n.currency, n.percent) == (value, currency, percent)


@pytest.mark.parametrize("cell", ["一百", "n/a x", "1.2.3", "12abc", "$"])
def test_not_numbers(cell: str) -> None:
    assert number(cell) is None


def test_traditional_chinese_export() -> None:
    text = "統計日期,訪客數,支付金額(萬元),支付買家數,支付轉化率\n2025-01,10000,1.5,300,3%\n"
    r = read("tw.csv", text.encode("utf-8"))
    jan = month(r, 2025, 1)
    assert (jan.visitors, jan.gmv, jan.buyers, jan.orders) == (10000, 15000, 300, 300)


def test_merged_parent_joined_with_child_and_child_alone() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["月份", "支付金额", "流量", None, "引力魔方", None])
    ws.append([None, "(万元)", "访客数", "浏览量", "花费", "成交金额"])
    ws.merge_cells("A1:A2")
    ws.merge_cells("C1:D1")
    ws.merge_cells("E1:F1")
    ws.append(["2025-01", 12.5, 4000, 9000, 3000, 9000])
    out = io.BytesIO()
    wb.save(out)
    r = read("merged.xlsx", out.getvalue())
    jan = month(r, 2025, 1)
    assert (jan.gmv, jan.visitors) == (125000, 4000)
    a = r.history.ads[0]
    assert (a.channel, a.platform, a.spend, a.sales) == ("feed_ads", "tmall", 3000, 9000)
    cols = {c.header: (c.field, c.unit) for c in r.columns}
    assert cols["支付金额 / (万元)"] == ("gmv", "万元")
    assert r.history.source.first == date(2025, 1, 1) and TODAY.year == 2025


def test_yaml_schema_refuses_an_alias_of_two_fields() -> None:
    raw = data().model_dump()
    raw["fields"]["visitors"]["aliases"].append("订单数")
    with pytest.raises(ValidationError, match="订单数"):
        HeaderData.model_validate(raw)
    raw = data().model_dump(mode="json")
    del raw["fields"]["gmv"]
    with pytest.raises(ValidationError, match="gmv"):
        HeaderData.model_validate(yaml.safe_load(yaml.safe_dump(raw)))

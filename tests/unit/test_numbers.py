from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planbot.core.numbers import (
    find_amounts,
    format_count,
    format_money,
    format_money_compact,
    parse_amount,
    parse_numeral,
    parse_percent,
)


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("1.2亿", 120_000_000, None),
        ("1500万", 15_000_000, None),
        ("两百万", 2_000_000, None),
        ("三百五十万", 3_500_000, None),
        ("八十万", 800_000, None),
        ("80w", 800_000, None),
        ("3k", 3_000, None),
        ("$4.5M", 4_500_000, "USD"),
        ("4.5 million", 4_500_000, None),
        ("¥1,234", 1_234, "CNY"),
        ("RMB 1,000", 1_000, "CNY"),
        ("USD 600k", 600_000, "USD"),
        ("１５００万", 15_000_000, None),
        ("预算一千万元", 10_000_000, "CNY"),
        ("一亿二千万", 120_000_000, None),
        ("1亿2000万", 120_000_000, None),
        ("一万五", 15_000, None),
        ("一百零五", 105, None),
        ("一点二亿", 120_000_000, None),
        ("600k美元", 600_000, "USD"),
        ("￥35万", 350_000, "CNY"),
        ("€2.5M", 2_500_000, "EUR"),
        ("5kw", 50_000_000, None),
        ("3千万", 30_000_000, None),
        ("2百万", 2_000_000, None),
        ("3个亿", 300_000_000, None),
        ("一亿二", 120_000_000, None),
        ("贰佰万元", 2_000_000, "CNY"),
        ("100来万", 1_000_000, None),
        ("1,2 million euros", 1_200_000, "EUR"),
        ("95.000 €", 95_000, "EUR"),
        ("3.5 mil", 3_500_000, None),
        ("1.2亿美元", 120_000_000, "USD"),
        ("3000万日元", 30_000_000, "JPY"),
        ("£200k", 200_000, "GBP"),
        ("two hundred and fifty thousand dollars", 250_000, "USD"),
        ("three point two million", 3_200_000, None),
        ("half a million", 500_000, None),
    ],
)
def test_amounts(text: str, value: int, currency: str | None) -> None:
    a = parse_amount(text)
    assert a is not None
    assert a.to_int() == value
    assert a.currency == currency


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("25%", "0.25"),
        ("２５％", "0.25"),
        ("百分之二十五", "0.25"),
        ("同比增长25%", "0.25"),
        ("百分之二点五", "0.025"),
        ("转化率2.5%", "0.025"),
        ("提升10个百分点", "0.1"),
        ("grow 30 percent", "0.3"),
        ("两个点", "0.02"),
        ("复购三成", "0.3"),
        ("like 20ish %", "0.2"),
    ],
)
def test_percents(text: str, value: str) -> None:
    assert parse_percent(text) == Decimal(value)


def test_several_figures_in_one_sentence_keep_their_positions() -> None:
    found = find_amounts("预算1500万，GMV目标1.2亿，客单价260元")
    assert [a.to_int() for a in found] == [15_000_000, 120_000_000, 260]
    assert found[2].currency == "CNY"


@pytest.mark.parametrize("word", ["万", "亿", "点", "abc", ""])
def test_words_without_digits_are_not_numbers(word: str) -> None:
    assert parse_numeral(word) is None


def test_compact_formats_read_as_a_marketer_expects() -> None:
    assert format_money_compact(15_000_000, "CNY", "zh") == "¥1,500万"
    assert format_money_compact(120_000_000, "CNY", "zh") == "¥1.2亿"
    assert format_money_compact(600_000, "USD", "en") == "$600K"
    assert format_money_compact(4_500_000, "USD", "en") == "$4.5M"
    assert format_money(1_234_567, "CNY") == "¥1,234,567"


@given(st.integers(min_value=0, max_value=10**13), st.sampled_from(["CNY", "USD", "EUR", "GBP", "HKD"]))
def test_exact_money_round_trips(n: int, currency: str) -> None:
    a = parse_amount(format_money(n, currency))
    assert a is not None and a.to_int() == n and a.currency == currency


@given(st.integers(min_value=10_000, max_value=10**12))
def test_compact_chinese_reads_back_within_its_precision(n: int) -> None:
    """Three significant digits (never fewer than whole 万/亿): within 0.5% of the exact amount."""
    text = format_money_compact(n, "CNY", "zh")
    a = parse_amount(text)
    assert a is not None and abs(a.to_int() - n) <= n * 0.005 + 1, text
    digits = text.strip("¥万亿").replace(",", "").replace(".", "").lstrip("0")
    assert len(digits) <= max(3, len(text.strip("¥万亿").split(".")[0].replace(",", ""))), text


@given(st.integers(min_value=1_000, max_value=10**11))
def test_compact_english_reads_back_within_its_precision(n: int) -> None:
    text = format_money_compact(n, "USD", "en")
    a = parse_amount(text)
    assert a is not None and abs(a.to_int() - n) <= n * 0.005 + 1, text


def test_compact_figures_drop_false_precision() -> None:
    assert format_count(20_202_867, "zh") == "2,020万"
    assert format_count(1_196_800, "zh") == "120万"
    assert format_count(452_721, "zh") == "45.3万"
    assert format_count(24_500, "zh") == "2.45万"
    assert format_count(3_047_777, "en") == "3.05M" and format_count(51_634, "en") == "51,634"
    assert format_money_compact(13_241_379, "CNY", "zh") == "¥1,324万"
    assert format_money_compact(353_200, "CNY", "zh") == "¥35.3万"
    assert format_money_compact(269_770, "USD", "en") == "$270K"


def _to_chinese(n: int) -> str:
    """An independent writer of Chinese numerals (below 1亿) for the round-trip test."""
    digits = "零一二三四五六七八九"

    def below_wan(x: int) -> str:
        out, zero = "", False
        for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = x // unit % 10
            if d:
                out += ("零" if zero and out else "") + digits[d] + name
                zero = False
            else:
                zero = True
        return out

    wan, rest = divmod(n, 10_000)
    if not wan:
        return below_wan(rest)
    tail = below_wan(rest)
    return below_wan(wan) + "万" + (("零" if rest < 1000 else "") + tail if rest else "")


@given(st.integers(min_value=1, max_value=99_999_999))
def test_chinese_numerals_round_trip(n: int) -> None:
    assert parse_numeral(_to_chinese(n)) == n


@given(st.text(max_size=200))
def test_parsers_never_crash_on_arbitrary_text(text: str) -> None:
    for a in find_amounts(text):
        assert a.value >= 0
    parse_percent(text)


def test_base_units_of_huge_and_fractional_figures() -> None:
    from decimal import Decimal

    from planbot.core.extract import extract
    from planbot.core.numbers import to_base_units

    assert to_base_units(Decimal("10000000000000000000000000000")) == 10**28  # beyond 28 digits of precision
    assert (to_base_units(Decimal("2.5")), to_base_units(Decimal("1234.49"))) == (3, 1234)
    assert "budget_total" not in extract("10000000000000000000000000000").values  # a loose figure, nobody asked


@pytest.mark.parametrize(
    ("text", "value", "written"),
    [
        ("300-350万", 3_250_000, "300-350万"),
        ("$300-350k", 325_000, "$300-350k"),
        ("1000～1200万", 11_000_000, "1000~1200万"),
        ("两三百万", 2_500_000, "两三百万"),
        ("五六十块", 55, "五六十块"),
        ("between 2 and 2.5 million", 2_250_000, "2 and 2.5 million"),
    ],
)
def test_a_range_is_one_figure_at_its_midpoint(text: str, value: int, written: str) -> None:
    (a,) = find_amounts(text)
    assert (a.to_int(), a.ranged, a.text) == (value, True, written)


def test_a_minus_sign_is_kept_apart_from_a_range_dash() -> None:
    assert [a.negative for a in find_amounts("预算-500万")] == [True]
    assert [a.negative for a in find_amounts("budget -500k")] == [True]
    assert [a.negative for a in find_amounts("300-350万")] == [False]


@pytest.mark.parametrize("text", ["13800138000", "call 415-555-0132", "+1 (303) 555-0178", "一二线城市"])
def test_phone_numbers_and_tier_words_are_not_figures(text: str) -> None:
    assert find_amounts(text) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [("伍佰万", 5_000_000), ("壹亿", 100_000_000), ("壹仟贰佰万", 12_000_000), ("叁拾伍万", 350_000)],
)
def test_formal_numerals(text: str, value: int) -> None:
    a = parse_amount(text)
    assert a is not None and a.to_int() == value


def test_number_words_module_keeps_positions() -> None:
    from planbot.core.number_words import european, spelled

    assert european("GMV target 1,2 million") == "GMV target 1.2 million"
    assert [(int(v), s, e) for v, _, s, e, _ in spelled("about two hundred thousand dollars")] == [(200_000, 6, 34)]

"""Properties of figures (issue 16): cn2an round trips, unit scaling, approximations, ranges."""

from __future__ import annotations

from decimal import Decimal

import cn2an
from hypothesis import given
from hypothesis import strategies as st

from planbot.core.extract.figures import read_figures
from planbot.core.numbers import find_amounts, find_percents, normalize

APPROX_ZH = st.sampled_from([("", ""), ("大概", ""), ("约", ""), ("差不多", ""), ("", "左右"), ("", "上下"),
                             ("大概", "左右"), ("~", "")])  # fmt: skip
APPROX_EN = st.sampled_from(["", "about ", "roughly ", "around ", "~", "maybe ", "up to ", "ballpark ", "approx "])


def _only(text: str) -> int:
    found = find_amounts(text)
    assert len(found) == 1, found
    return found[0].to_int()


@given(st.integers(min_value=1, max_value=10**12 - 1), st.sampled_from(["low", "up"]))
def test_cn2an_numerals_round_trip_through_find_amounts(n: int, mode: str) -> None:
    assert _only(cn2an.an2cn(n, mode) + "元") == n


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal(99_999), places=2))
def test_wan_scales_by_ten_thousand(x: Decimal) -> None:
    assert _only(f"{x}万") == int(x * 10_000)
    assert _only(f"{x}w") == int(x * 10_000)


@given(st.integers(min_value=1, max_value=9999))
def test_chinese_wan_and_yi_scale(x: int) -> None:
    numeral = cn2an.an2cn(x)
    assert _only(numeral + "万") == x * 10_000
    assert _only(numeral + "亿") == x * 100_000_000


@given(st.decimals(min_value=Decimal("0.1"), max_value=Decimal(999), places=1),
       st.sampled_from([("k", 1_000), ("K", 1_000), (" million", 10**6), ("M", 10**6), ("mn", 10**6), ("kw", 10**7),
                        ("bn", 10**9), ("千万", 10**7), ("百万", 10**6), ("亿", 10**8)]))  # fmt: skip
def test_latin_and_chinese_scales(x: Decimal, unit: tuple[str, int]) -> None:
    assert _only(f"{x}{unit[0]}") == int(x * unit[1])


@given(st.integers(min_value=1, max_value=99_999), APPROX_ZH, st.sampled_from(["万", "w", "元", "万元"]))
def test_chinese_approximations_never_change_the_value(x: int, approx: tuple[str, str], unit: str) -> None:
    plain = read_figures(normalize(f"预算{x}{unit}"), ()).values
    loose = read_figures(normalize(f"预算{approx[0]}{x}{unit}{approx[1]}"), ()).values
    assert loose == plain and "budget_total" in plain


@given(st.integers(min_value=10, max_value=999), APPROX_EN, st.sampled_from(["k", "K", "M", " million"]))
def test_english_approximations_never_change_the_value(x: int, approx: str, unit: str) -> None:
    plain = read_figures(normalize(f"marketing budget is ${x}{unit}"), ()).values
    loose = read_figures(normalize(f"marketing budget is {approx}${x}{unit}"), ()).values
    assert loose == plain and "budget_total" in plain


@given(st.integers(min_value=1, max_value=9_999), st.integers(min_value=1, max_value=9_999),
       st.sampled_from([("万", 10_000, "-"), ("万", 10_000, "~"), ("万", 10_000, "到"), ("k", 1_000, "-"),
                        ("k", 1_000, " to ")]))  # fmt: skip
def test_ranges_give_the_midpoint(a: int, b: int, unit: tuple[str, int, str]) -> None:
    lo, hi = min(a, b), max(a, b) + 1
    text = f"预算{lo}{unit[2]}{hi}{unit[0]}"
    figures = read_figures(normalize(text), ())
    assert figures.values == {"budget_total": (lo + hi) * unit[1] // 2}  # 万 and k are even: exact
    assert "budget_total" in figures.assumed


@given(
    st.text(alphabet="0123456789.,-~万亿千百十点零一二两三四五六七八九个来kKwWmM$¥€%％ 元块预算目标和到", max_size=40)
)
def test_figure_readers_never_raise_on_numeral_soup(text: str) -> None:
    for a in find_amounts(text):
        assert a.value >= 0
    find_percents(text)
    read_figures(normalize(text), ("budget_total", "cvr", "aov"))

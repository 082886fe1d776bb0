import itertools
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from planbot.core import calendar as C
from planbot.core import trade_calendar as TC
from planbot.core.playbook.library import resolve
from planbot.core.sections.figures import campaign_choices


@pytest.mark.parametrize(
    ("key", "year", "expected"),
    [
        ("spring_festival", 2027, date(2027, 2, 6)),
        ("spring_festival", 2026, date(2026, 2, 17)),
        ("spring_festival", 2028, date(2028, 1, 26)),
        ("mid_autumn", 2027, date(2027, 9, 15)),
        ("qixi", 2027, date(2027, 8, 8)),
        ("dragon_boat", 2027, date(2027, 6, 9)),
        ("bfcm", 2027, date(2027, 11, 26)),
        ("bfcm", 2026, date(2026, 11, 27)),
        ("mothers_day", 2027, date(2027, 5, 9)),
        ("double11", 2030, date(2030, 11, 11)),
        ("618", 2027, date(2027, 6, 18)),
        ("christmas", 2027, date(2027, 12, 25)),
        ("nianhuo", 2027, date(2027, 1, 27)),
    ],
)
def test_festival_dates(key: str, year: int, expected: date) -> None:
    assert C.festival_date(key, year) == expected


@given(st.integers(min_value=2000, max_value=2100))
def test_lunar_festivals_are_computed_for_every_supported_year(year: int) -> None:
    sf = C.spring_festival(year)
    assert date(year, 1, 21) <= sf <= date(year, 2, 20)
    assert C.festival_date("nianhuo", year) < sf
    assert date(year, 9, 7) <= C.festival_date("mid_autumn", year) <= date(year, 10, 8)
    tg = C.thanksgiving_us(year)
    assert tg.weekday() == 3 and 22 <= tg.day <= 28 and tg.month == 11


@given(st.integers(min_value=2000, max_value=2100), st.sampled_from(sorted(C.SPECS)))
def test_phases_are_ordered_and_the_burst_covers_the_day(year: int, key: str) -> None:
    c = C.campaign_dates(key, year, "en", date(year, 1, 1), date(year, 12, 31))
    assert c is not None
    full = c.unclipped
    assert [p.kind for p in full] == ["warm_up", "burst", "follow_through"]
    assert all(p.start <= p.end for p in full)
    assert all(a.end < b.start for a, b in itertools.pairwise(full))
    burst = full[1]
    assert burst.start <= c.day <= burst.end
    if key == "christmas":  # the gifting window, cut at the expedited shipping cut-off (trade.yaml)
        shaped = TC.apply_logistics(c, "global")
        assert shaped.logistics == "ends_before_cutoff" and shaped.phases[1].end == date(year, 12, 20)
        assert shaped.phases[2].end == full[2].end  # the follow-through keeps its end (e-gift cards, Boxing Day)
    else:
        assert 3 <= (burst.end - burst.start).days + 1 <= 5
    longest = 50 if key == "nianhuo" else 31  # 年货节 warms up from 20 December (trade-calendar guide)
    assert 7 <= (full[0].end - full[0].start).days + 1 <= longest
    assert (full[2].end - full[2].start).days + 1 == 7


def test_phases_are_clipped_to_the_period() -> None:
    c = C.campaign_dates("double11", 2027, "zh", date(2027, 11, 1), date(2027, 11, 14))
    assert c is not None and c.clipped
    assert c.start == date(2027, 11, 1) and c.end == date(2027, 11, 14)


def test_a_campaign_whose_day_is_outside_the_period_is_left_out() -> None:
    assert C.campaign_dates("618", 2027, "zh", date(2027, 7, 1), date(2027, 12, 31)) is None


def _choices(market: str, platforms: list[str], category: str | None = None) -> dict[str, list[str]]:
    defaults, fallbacks = campaign_choices(resolve(market, platforms, category))
    return {"defaults": defaults, "fallbacks": fallbacks}


def test_year_plan_gets_a_campaign_in_every_quarter() -> None:
    year = (date(2027, 1, 1), date(2027, 12, 31))
    chosen, added = C.select_campaigns("cn", ["618", "double11"], *year, "zh", **_choices("cn", ["天猫"]))
    quarters = {(c.day.month - 1) // 3 + 1 for c in chosen}
    assert quarters == {1, 2, 3, 4}
    assert "618" not in added and added  # the user's campaigns are not "assumed"


def test_excluded_campaigns_are_replaced_by_another_festival_in_that_quarter() -> None:
    year = (date(2027, 1, 1), date(2027, 12, 31))
    beauty = _choices("cn", ["天猫"], "护肤品")
    chosen, _ = C.select_campaigns("cn", [], *year, "zh", **beauty)
    assert "qixi" in {c.key for c in chosen}  # beauty's moments include 七夕
    chosen, _ = C.select_campaigns("cn", [], *year, "zh", excluded=["qixi"], **beauty)
    q3 = [c.key for c in chosen if 7 <= c.day.month <= 9]
    assert q3 and "qixi" not in q3


def test_global_market_skips_prime_day_without_amazon() -> None:
    year = (date(2027, 1, 1), date(2027, 12, 31))
    keys = {c.key for c in C.select_campaigns("global", [], *year, "en", **_choices("global", ["Shopify"]))[0]}
    assert "prime_day" not in keys and "bfcm" in keys
    with_amazon = C.select_campaigns("global", [], *year, "en", **_choices("global", ["Amazon"]))[0]
    assert "prime_day" in {c.key for c in with_amazon}


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("重点做618和双十一", ["618", "double11"]),
        ("Black Friday and Christmas", ["bfcm", "christmas"]),
        ("预算6180万，客单价380", []),
        ("三八节和七夕", ["womens_day", "qixi"]),
    ],
)
def test_find_campaigns(text: str, keys: list[str]) -> None:
    assert C.find_campaigns(text) == keys


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_campaign_name_resolves_to_its_campaign(language: str) -> None:
    """Plans store campaign names in the brief; a revision must find them again."""
    for key, spec in C.SPECS.items():
        assert C.match_campaign(spec.name(language)) == key


def test_the_campaign_file_is_checked_when_read(tmp_path: Path) -> None:
    """Campaigns are data (playbook/campaigns.yaml); a rule missing its day fails at load, not in a plan."""
    bad = tmp_path / "campaigns.yaml"
    bad.write_text("- {key: x, zh: 甲, en: X, markets: [cn], tier: B, day: {rule: lunar, month: 5}, burst: [1, 1]}\n")
    with pytest.raises(ValidationError, match="needs"):
        C.load_specs(bad)
    good = bad.read_text().replace("month: 5}", "month: 5, day: 5}")
    bad.write_text(good)
    assert C.load_specs(bad)["x"].day(2027) == C.SPECS["dragon_boat"].day(2027)

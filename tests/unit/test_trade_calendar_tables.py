"""Issue 19: every festival, wave, cut-off and review date of 2025-2030, against literal tables.

The tables are written from the calendar rules (knowledge/trade-calendar-en.md, playbook/trade.yaml,
playbook/campaigns.yaml), the published lunar calendar and the State Council's 2025/2026 holiday notices,
never computed by the code under test or another calendar library.
"""

from datetime import date as D

import pytest

from planbot.core.calendar import festival_date, qingming
from planbot.core.trade_calendar import stops, wave_dates
from planbot.core.workdays import work_calendar

YEARS = (2025, 2026, 2027, 2028, 2029, 2030)

# --- Festival days, one per year 2025..2030 -------------------------------------------------------------
FESTIVALS: dict[str, tuple[D, ...]] = {
    # lunar 1/1 (春节)
    "spring_festival": (D(2025, 1, 29), D(2026, 2, 17), D(2027, 2, 6), D(2028, 1, 26), D(2029, 2, 13), D(2030, 2, 3)),
    # 年货节: the Spring Festival - 10 days
    "nianhuo": (D(2025, 1, 19), D(2026, 2, 7), D(2027, 1, 27), D(2028, 1, 16), D(2029, 2, 3), D(2030, 1, 24)),
    # lunar 5/5 (端午)
    "dragon_boat": (D(2025, 5, 31), D(2026, 6, 19), D(2027, 6, 9), D(2028, 5, 28), D(2029, 6, 16), D(2030, 6, 5)),
    # lunar 7/7 (七夕)
    "qixi": (D(2025, 8, 29), D(2026, 8, 19), D(2027, 8, 8), D(2028, 8, 26), D(2029, 8, 16), D(2030, 8, 5)),
    # lunar 8/15 (中秋)
    "mid_autumn": (D(2025, 10, 6), D(2026, 9, 25), D(2027, 9, 15), D(2028, 10, 3), D(2029, 9, 22), D(2030, 9, 12)),
    # lunar 9/9 (重阳)
    "double_ninth": (
        D(2025, 10, 29),
        D(2026, 10, 18),
        D(2027, 10, 8),
        D(2028, 10, 26),
        D(2029, 10, 16),
        D(2030, 10, 5),
    ),
    # 2nd Sunday of May
    "mothers_day": (D(2025, 5, 11), D(2026, 5, 10), D(2027, 5, 9), D(2028, 5, 14), D(2029, 5, 13), D(2030, 5, 12)),
    # 3rd Sunday of June
    "fathers_day": (D(2025, 6, 15), D(2026, 6, 21), D(2027, 6, 20), D(2028, 6, 18), D(2029, 6, 17), D(2030, 6, 16)),
    # Black Friday: the day after US Thanksgiving (4th Thursday of November)
    "bfcm": (D(2025, 11, 28), D(2026, 11, 27), D(2027, 11, 26), D(2028, 11, 24), D(2029, 11, 23), D(2030, 11, 29)),
    # last Monday of May
    "memorial_day": (D(2025, 5, 26), D(2026, 5, 25), D(2027, 5, 31), D(2028, 5, 29), D(2029, 5, 28), D(2030, 5, 27)),
    # 1st Monday of September
    "labor_day_us": (D(2025, 9, 1), D(2026, 9, 7), D(2027, 9, 6), D(2028, 9, 4), D(2029, 9, 3), D(2030, 9, 2)),
    # estimate: 2nd Tuesday of July
    "prime_day": (D(2025, 7, 8), D(2026, 7, 14), D(2027, 7, 13), D(2028, 7, 11), D(2029, 7, 10), D(2030, 7, 9)),
    # estimate: 2nd Tuesday of October
    "prime_big_deal_days": (
        D(2025, 10, 14),
        D(2026, 10, 13),
        D(2027, 10, 12),
        D(2028, 10, 10),
        D(2029, 10, 9),
        D(2030, 10, 8),
    ),
    # fixed days
    "618": tuple(D(y, 6, 18) for y in YEARS),
    "double11": tuple(D(y, 11, 11) for y in YEARS),
    "christmas": tuple(D(y, 12, 25) for y in YEARS),
}

# The Qingming solar term (sun at 15 degrees, Beijing time): 4 or 5 April
QINGMING = (D(2025, 4, 4), D(2026, 4, 5), D(2027, 4, 5), D(2028, 4, 4), D(2029, 4, 4), D(2030, 4, 5))


def test_tables_are_one_date_per_year() -> None:
    for days in (*FESTIVALS.values(), QINGMING):
        assert tuple(d.year for d in days) == YEARS


@pytest.mark.parametrize(("key", "expected"), [(k, d) for k, days in FESTIVALS.items() for d in days], ids=str)
def test_festival_day(key: str, expected: D) -> None:
    assert festival_date(key, expected.year) == expected


@pytest.mark.parametrize("expected", QINGMING, ids=str)
def test_qingming(expected: D) -> None:
    assert qingming(expected.year) == expected


# --- Platform waves ----------------------------------------------------------------------------------------
# Guide "Platform waves" (trade.yaml waves): fixed (month, day) every year: open, first wave, final push
FIXED_WAVES: dict[tuple[str, str], tuple[tuple[int, int], ...]] = {
    ("618", "tmall"): ((5, 13), (5, 13), (5, 20), (6, 15), (6, 18)),
    ("618", "taobao"): ((5, 13), (5, 13), (5, 20), (6, 15), (6, 18)),
    ("618", "jd"): ((5, 13), (5, 31), (6, 2), (6, 16), (6, 18)),
    ("618", "douyin"): ((5, 13), (5, 13), (5, 20), (6, 15), (6, 18)),
    ("618", "pinduoduo"): ((5, 20), (5, 20), (5, 26), (6, 15), (6, 18)),
    ("618", "kuaishou"): ((5, 16), (5, 16), (5, 22), (6, 15), (6, 18)),
    ("double11", "tmall"): ((10, 15), (10, 20), (10, 24), (11, 8), (11, 11)),
    ("double11", "taobao"): ((10, 15), (10, 20), (10, 24), (11, 8), (11, 11)),
    ("double11", "jd"): ((10, 14), (10, 14), (10, 20), (11, 8), (11, 11)),
    ("double11", "douyin"): ((10, 8), (10, 8), (10, 15), (11, 8), (11, 11)),
    ("double11", "pinduoduo"): ((10, 18), (10, 18), (10, 24), (11, 8), (11, 11)),
    ("double11", "kuaishou"): ((10, 15), (10, 15), (10, 21), (11, 8), (11, 11)),
}


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize(("campaign", "platform"), list(FIXED_WAVES))
def test_fixed_waves(campaign: str, platform: str, year: int) -> None:
    o, a, b, f0, f1 = (D(year, m, d) for m, d in FIXED_WAVES[campaign, platform])
    w = wave_dates(campaign, platform, year)
    assert w is not None
    assert (w.open, w.first, w.final) == (o, (a, b), (f0, f1))


# Guide "Overseas platform sales": early deals from Thanksgiving - 7 to Thanksgiving, final push Black
# Friday to Cyber Monday. Columns: open (= first wave start), Thanksgiving, Black Friday, Cyber Monday.
BFCM_WAVES = [
    (D(2025, 11, 20), D(2025, 11, 27), D(2025, 11, 28), D(2025, 12, 1)),
    (D(2026, 11, 19), D(2026, 11, 26), D(2026, 11, 27), D(2026, 11, 30)),
    (D(2027, 11, 18), D(2027, 11, 25), D(2027, 11, 26), D(2027, 11, 29)),
    (D(2028, 11, 16), D(2028, 11, 23), D(2028, 11, 24), D(2028, 11, 27)),
    (D(2029, 11, 15), D(2029, 11, 22), D(2029, 11, 23), D(2029, 11, 26)),
    (D(2030, 11, 21), D(2030, 11, 28), D(2030, 11, 29), D(2030, 12, 2)),
]


@pytest.mark.parametrize("platform", ["amazon", "shopify", "tiktok", "generic"])
@pytest.mark.parametrize(("open_", "thanksgiving", "black_friday", "cyber_monday"), BFCM_WAVES, ids=str)
def test_bfcm_waves(platform: str, open_: D, thanksgiving: D, black_friday: D, cyber_monday: D) -> None:
    w = wave_dates("bfcm", platform, open_.year)
    assert w is not None
    assert (w.open, w.first, w.final) == (open_, (open_, thanksgiving), (black_friday, cyber_monday))


@pytest.mark.parametrize(
    ("campaign", "platform"), [("618", "amazon"), ("double11", "shopify"), ("bfcm", "tmall"), ("christmas", "jd")]
)
def test_no_waves_for_other_combinations(campaign: str, platform: str) -> None:
    assert wave_dates(campaign, platform, 2027) is None


# --- Carrier stops -----------------------------------------------------------------------------------------
# Guide "Spring Festival logistics": last order = SF - 10, couriers stop SF - 7 (腊月廿三), resume SF + 7
CN_STOPS = [  # (last order, stop, resume)
    (D(2025, 1, 19), D(2025, 1, 22), D(2025, 2, 5)),
    (D(2026, 2, 7), D(2026, 2, 10), D(2026, 2, 24)),
    (D(2027, 1, 27), D(2027, 1, 30), D(2027, 2, 13)),
    (D(2028, 1, 16), D(2028, 1, 19), D(2028, 2, 2)),
    (D(2029, 2, 3), D(2029, 2, 6), D(2029, 2, 20)),
    (D(2030, 1, 24), D(2030, 1, 27), D(2030, 2, 10)),
]


@pytest.mark.parametrize(("last_order", "stop", "resume"), CN_STOPS, ids=str)
def test_cn_courier_pause(last_order: D, stop: D, resume: D) -> None:
    [s] = stops("cn", last_order.year)
    assert (s.key, s.last_order, s.stop, s.resume, s.ground) == ("courier_pause", last_order, stop, resume, None)


# Guide "US Christmas shipping cut-offs": ground Dec 16, expedited (last order) Dec 20; stop Dec 21, resume Dec 26
@pytest.mark.parametrize("year", YEARS)
def test_global_christmas_cutoff(year: int) -> None:
    [s] = stops("global", year)
    assert (s.key, s.ground, s.last_order, s.stop, s.resume) == (
        "christmas_cutoff",
        D(year, 12, 16),
        D(year, 12, 20),
        D(year, 12, 21),
        D(year, 12, 26),
    )


# --- Working days ------------------------------------------------------------------------------------------
# China 2025/2026: the State Council notices, make-up working days (调休) included. 2025: 春节 Jan 28-Feb 4
# (work Sun Jan 26, Sat Feb 8); 清明 Apr 4-6; 劳动节 May 1-5 (work Sun Apr 27); 端午 May 31-Jun 2; 国庆+中秋
# Oct 1-8 (work Sun Sep 28, Sat Oct 11). 2026: 元旦 Jan 1-3 (work Sun Jan 4); 春节 Feb 15-23 (work Sat Feb 14,
# Sat Feb 28); 清明 Apr 4-6; 劳动节 May 1-5 (work Sat May 9); 端午 Jun 19-21; 中秋 Sep 25-27; 国庆 Oct 1-7
# (work Sat Oct 10). 2027-2030: the statutory estimate, weekends plus Jan 1, SF - 1 .. SF + 6, Qingming,
# May 1-5, Dragon Boat, Mid-Autumn, Oct 1-7, no make-up days.
CN_DAYS = [
    (D(2025, 1, 1), False),  # 元旦
    (D(2025, 1, 26), True),  # Sunday make-up day
    (D(2025, 1, 29), False),  # 春节
    (D(2025, 2, 4), False),  # last holiday day
    (D(2025, 2, 5), True),
    (D(2025, 2, 8), True),  # Saturday make-up day
    (D(2025, 3, 12), True),  # plain Wednesday
    (D(2025, 3, 15), False),  # plain Saturday
    (D(2025, 4, 4), False),  # 清明
    (D(2025, 4, 27), True),  # Sunday make-up day
    (D(2025, 5, 2), False),
    (D(2025, 5, 5), False),
    (D(2025, 6, 2), False),  # 端午 bridge
    (D(2025, 9, 28), True),  # Sunday make-up day
    (D(2025, 10, 3), False),
    (D(2025, 10, 8), False),  # 国庆+中秋 8 days
    (D(2025, 10, 9), True),
    (D(2025, 10, 11), True),  # Saturday make-up day
    (D(2026, 1, 2), False),  # 元旦 Jan 1-3
    (D(2026, 1, 4), True),  # Sunday make-up day
    (D(2026, 2, 14), True),  # Saturday make-up day
    (D(2026, 2, 16), False),  # 除夕
    (D(2026, 2, 17), False),  # 春节
    (D(2026, 2, 23), False),  # last holiday day
    (D(2026, 2, 24), True),
    (D(2026, 2, 28), True),  # Saturday make-up day
    (D(2026, 3, 11), True),  # plain Wednesday
    (D(2026, 3, 14), False),  # plain Saturday
    (D(2026, 4, 6), False),  # 清明 bridge
    (D(2026, 5, 2), False),
    (D(2026, 5, 5), False),
    (D(2026, 5, 6), True),
    (D(2026, 5, 9), True),  # Saturday make-up day
    (D(2026, 6, 19), False),  # 端午
    (D(2026, 9, 25), False),  # 中秋
    (D(2026, 10, 3), False),
    (D(2026, 10, 7), False),
    (D(2026, 10, 8), True),
    (D(2026, 10, 10), True),  # Saturday make-up day
    (D(2027, 1, 1), False),  # 元旦, Friday
    (D(2027, 2, 5), False),  # 除夕, Friday
    (D(2027, 2, 8), False),  # 初三, Monday
    (D(2027, 2, 12), False),  # 初七, Friday
    (D(2027, 2, 13), False),  # Saturday: no make-up days in an estimate
    (D(2027, 2, 15), True),
    (D(2027, 3, 10), True),  # plain Wednesday
    (D(2027, 3, 13), False),  # plain Saturday
    (D(2027, 4, 5), False),  # 清明, Monday
    (D(2027, 5, 2), False),
    (D(2027, 5, 4), False),
    (D(2027, 5, 6), True),
    (D(2027, 6, 9), False),  # 端午, Wednesday
    (D(2027, 9, 15), False),  # 中秋, Wednesday
    (D(2027, 10, 3), False),
    (D(2027, 10, 4), False),
    (D(2027, 10, 8), True),
    (D(2028, 1, 24), True),
    (D(2028, 1, 25), False),  # 除夕, Tuesday
    (D(2028, 1, 26), False),  # 春节
    (D(2028, 2, 1), False),  # 初七, Tuesday
    (D(2028, 2, 2), True),
    (D(2028, 3, 15), True),  # plain Wednesday
    (D(2028, 3, 18), False),  # plain Saturday
    (D(2028, 4, 3), True),  # no bridge day before 清明 in an estimate
    (D(2028, 4, 4), False),  # 清明, Tuesday
    (D(2028, 5, 2), False),
    (D(2028, 5, 5), False),
    (D(2028, 5, 8), True),
    (D(2028, 10, 3), False),  # 国庆 and 中秋 on the same day
    (D(2028, 10, 9), True),
    (D(2029, 1, 1), False),  # 元旦, Monday
    (D(2029, 1, 2), True),
    (D(2029, 2, 9), True),
    (D(2029, 2, 12), False),  # 除夕, Monday
    (D(2029, 2, 13), False),  # 春节
    (D(2029, 2, 19), False),  # 初七, Monday
    (D(2029, 2, 20), True),
    (D(2029, 3, 14), True),  # plain Wednesday
    (D(2029, 3, 17), False),  # plain Saturday
    (D(2029, 4, 4), False),  # 清明, Wednesday
    (D(2029, 5, 2), False),
    (D(2029, 5, 7), True),
    (D(2029, 10, 3), False),
    (D(2029, 10, 8), True),
    (D(2030, 1, 1), False),  # 元旦, Tuesday
    (D(2030, 2, 1), True),
    (D(2030, 2, 4), False),  # 初二, Monday
    (D(2030, 2, 8), False),  # 初六, Friday
    (D(2030, 2, 11), True),
    (D(2030, 3, 13), True),  # plain Wednesday
    (D(2030, 3, 16), False),  # plain Saturday
    (D(2030, 4, 5), False),  # 清明, Friday
    (D(2030, 5, 2), False),
    (D(2030, 5, 6), True),
    (D(2030, 6, 5), False),  # 端午, Wednesday
    (D(2030, 9, 12), False),  # 中秋, Thursday
    (D(2030, 10, 3), False),
    (D(2030, 10, 7), False),
    (D(2030, 10, 8), True),
]

# US: weekdays that are not federal holidays (5 U.S.C. 6103), a Saturday holiday observed on the Friday
# before and a Sunday one on the Monday after (E.O. 11582): New Year, MLK Day (3rd Mon Jan), Washington's
# Birthday (3rd Mon Feb), Memorial Day, Juneteenth, July 4, Labor Day, Columbus Day (2nd Mon Oct), Veterans
# Day, Thanksgiving, Christmas.
US_DAYS = [
    (D(2025, 1, 20), False),  # MLK Day
    (D(2025, 3, 12), True),  # plain Wednesday
    (D(2025, 3, 15), False),  # plain Saturday
    (D(2025, 7, 4), False),  # Friday
    (D(2025, 11, 27), False),  # Thanksgiving
    (D(2025, 11, 28), True),  # Black Friday is not a federal holiday
    (D(2025, 12, 25), False),
    (D(2026, 1, 1), False),
    (D(2026, 2, 16), False),  # Washington's Birthday
    (D(2026, 6, 19), False),  # Juneteenth, Friday
    (D(2026, 7, 3), False),  # July 4 is a Saturday: observed Friday
    (D(2026, 7, 6), True),
    (D(2026, 9, 7), False),  # Labor Day
    (D(2026, 11, 26), False),  # Thanksgiving
    (D(2026, 12, 25), False),
    (D(2027, 1, 18), False),  # MLK Day
    (D(2027, 6, 18), False),  # Juneteenth is a Saturday: observed Friday
    (D(2027, 7, 5), False),  # July 4 is a Sunday: observed Monday
    (D(2027, 10, 11), False),  # Columbus Day
    (D(2027, 11, 11), False),  # Veterans Day, Thursday
    (D(2027, 11, 25), False),  # Thanksgiving
    (D(2027, 12, 24), False),  # Christmas is a Saturday: observed Friday
    (D(2027, 12, 31), False),  # New Year 2028 is a Saturday: observed Friday Dec 31
    (D(2028, 1, 3), True),
    (D(2028, 1, 17), False),  # MLK Day
    (D(2028, 5, 29), False),  # Memorial Day
    (D(2028, 7, 4), False),
    (D(2028, 11, 10), False),  # Veterans Day is a Saturday: observed Friday
    (D(2028, 11, 23), False),  # Thanksgiving
    (D(2028, 12, 25), False),
    (D(2029, 1, 1), False),
    (D(2029, 1, 15), False),  # MLK Day
    (D(2029, 7, 4), False),
    (D(2029, 11, 12), False),  # Veterans Day is a Sunday: observed Monday
    (D(2029, 11, 22), False),  # Thanksgiving
    (D(2029, 12, 24), True),  # Christmas Eve is not a federal holiday
    (D(2030, 1, 21), False),  # MLK Day
    (D(2030, 6, 19), False),  # Juneteenth
    (D(2030, 7, 4), False),
    (D(2030, 7, 5), True),
    (D(2030, 11, 11), False),  # Veterans Day
    (D(2030, 11, 28), False),  # Thanksgiving
    (D(2030, 11, 30), False),  # plain Saturday
]


def test_working_day_tables_cover_every_year() -> None:
    assert {d.year for d, _ in CN_DAYS} == set(YEARS)
    assert {d.year for d, _ in US_DAYS} == set(YEARS)


@pytest.mark.parametrize(
    ("market", "day", "working"),
    [("cn", d, w) for d, w in CN_DAYS] + [("global", d, w) for d, w in US_DAYS],
    ids=str,
)
def test_is_working(market: str, day: D, working: bool) -> None:
    assert work_calendar(market).is_working(day) is working


# --- Review dates: the 3rd working day after a campaign ends (trade.yaml review_days: 3) --------------------
# Counted by hand on the working-day rules above.
REVIEWS = [
    ("cn", D(2025, 1, 26), D(2025, 2, 6)),  # SF - 3 (a make-up Sunday): Jan 27, Feb 5, Feb 6
    ("cn", D(2025, 9, 30), D(2025, 10, 11)),  # Oct 9, 10, make-up Sat 11
    ("cn", D(2025, 12, 31), D(2026, 1, 6)),  # make-up Sun Jan 4, 5, 6
    ("cn", D(2026, 2, 14), D(2026, 2, 26)),  # SF - 3 (a make-up Saturday): Feb 24, 25, 26
    ("cn", D(2026, 9, 30), D(2026, 10, 10)),  # Oct 8, 9, make-up Sat 10
    ("cn", D(2027, 2, 3), D(2027, 2, 16)),  # SF - 3: Feb 4, (5-12 off), 15, 16
    ("cn", D(2027, 9, 30), D(2027, 10, 12)),  # Oct 8, 11, 12
    ("cn", D(2028, 1, 23), D(2028, 2, 3)),  # SF - 3: Jan 24, (25-Feb 1 off), Feb 2, 3
    ("cn", D(2028, 4, 28), D(2028, 5, 10)),  # (May 1-5 off) May 8, 9, 10
    ("cn", D(2028, 9, 30), D(2028, 10, 11)),  # Oct 9, 10, 11
    ("cn", D(2028, 12, 31), D(2029, 1, 4)),  # (Jan 1 off) Jan 2, 3, 4
    ("cn", D(2029, 2, 10), D(2029, 2, 22)),  # SF - 3: (Feb 12-19 off) Feb 20, 21, 22
    ("cn", D(2029, 9, 30), D(2029, 10, 10)),  # Oct 8, 9, 10
    ("cn", D(2030, 1, 31), D(2030, 2, 12)),  # SF - 3: Feb 1, (2-9 off), 11, 12
    ("cn", D(2030, 9, 10), D(2030, 9, 16)),  # Sep 11, (12 中秋 off), 13, 16
    ("cn", D(2030, 9, 30), D(2030, 10, 10)),  # Oct 8, 9, 10
    ("global", D(2025, 11, 26), D(2025, 12, 2)),  # Wednesday before Thanksgiving: Nov 28, Dec 1, 2
    ("global", D(2025, 12, 31), D(2026, 1, 6)),  # Jan 2, 5, 6
    ("global", D(2026, 7, 2), D(2026, 7, 8)),  # (Jul 3 observed) Jul 6, 7, 8
    ("global", D(2026, 11, 25), D(2026, 12, 1)),  # Nov 27, 30, Dec 1
    ("global", D(2026, 12, 31), D(2027, 1, 6)),  # (Jan 1 Friday off) Jan 4, 5, 6
    ("global", D(2027, 11, 24), D(2027, 11, 30)),  # Nov 26, 29, 30
    ("global", D(2027, 12, 22), D(2027, 12, 28)),  # Dec 23, (24 observed), 27, 28
    ("global", D(2027, 12, 29), D(2028, 1, 4)),  # Dec 30, (31 observed New Year), Jan 3, 4
    ("global", D(2028, 7, 3), D(2028, 7, 7)),  # (Jul 4 off) Jul 5, 6, 7
    ("global", D(2028, 11, 22), D(2028, 11, 28)),  # Nov 24, 27, 28
    ("global", D(2028, 12, 31), D(2029, 1, 4)),  # (Jan 1 off) Jan 2, 3, 4
    ("global", D(2029, 11, 21), D(2029, 11, 27)),  # Nov 23, 26, 27
    ("global", D(2029, 12, 31), D(2030, 1, 4)),  # (Jan 1 off) Jan 2, 3, 4
    ("global", D(2030, 11, 27), D(2030, 12, 3)),  # Nov 29, Dec 2, 3
    ("global", D(2030, 12, 20), D(2030, 12, 26)),  # Dec 23, 24, (25 off), 26
    ("global", D(2030, 12, 31), D(2031, 1, 6)),  # (Jan 1 off) Jan 2, 3, 6
]


def test_review_table_covers_every_year() -> None:
    for market in ("cn", "global"):
        assert {end.year for m, end, _ in REVIEWS if m == market} >= set(YEARS)


@pytest.mark.parametrize(("market", "end", "expected"), REVIEWS, ids=str)
def test_review_is_third_working_day_after(market: str, end: D, expected: D) -> None:
    assert work_calendar(market).add(end, 3) == expected

import math

from hypothesis import given
from hypothesis import strategies as st

from planbot.core import budget as B
from planbot.core.playbook.library import resolve
from planbot.core.playbook.media import rules

SPLIT = {str(k): v for k, v in rules().cost_split["annual"].items()}

weights = st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=1, max_size=30)


@given(st.integers(min_value=0, max_value=10**13), weights)
def test_largest_remainder_sums_exactly_and_stays_within_one_unit(total: int, ws: list[float]) -> None:
    parts = B.largest_remainder(total, ws)
    assert sum(parts) == total
    assert all(p >= 0 for p in parts)
    s = math.fsum(ws)
    if s > 0:
        for p, w in zip(parts, ws, strict=True):
            assert abs(p - total * w / s) < 1 + 1e-6 * total


@given(weights)
def test_shares_are_whole_basis_points_summing_to_one(ws: list[float]) -> None:
    shares = B.shares(ws)
    assert sum(round(s * B.BP) for s in shares) == B.BP


@given(st.integers(min_value=1, max_value=10**12))
def test_allocate_amounts_match_shares(total: int) -> None:
    for a in B.allocate(total, SPLIT):
        assert abs(a.share * total - a.amount) <= total * 1e-4 + 1
    assert sum(a.amount for a in B.allocate(total, SPLIT)) == total


def test_reserve_and_allocated_make_the_total() -> None:
    reserve, allocated = B.split_reserve(15_000_001, rules().reserve.share)
    assert reserve + allocated == 15_000_001 and reserve == 1_500_000


def _weights(platforms: list[str], goals: list[str], allowed: tuple[str, ...] = ()) -> dict[str, float]:
    pb = resolve("cn", platforms, None)
    tilts = [dict(p.channel_tilt) for p in pb.platforms]
    return B.channel_weights(dict(pb.market.channel_weights), tilts, goals, allowed)


def test_goals_and_platforms_move_the_channel_mix() -> None:
    base = _weights(["天猫"], ["sales"])
    brand = _weights(["天猫"], ["brand"])
    douyin = _weights(["天猫", "抖音"], ["sales"])
    users = _weights(["天猫"], ["users"])
    assert brand["kol"] / sum(brand.values()) > base["kol"] / sum(base.values())
    assert douyin["livestream"] / sum(douyin.values()) > base["livestream"] / sum(base.values())
    assert users["private_domain"] / sum(users.values()) > base["private_domain"] / sum(base.values())


def test_allowed_channels_limit_the_mix() -> None:
    assert set(_weights([], [], allowed=("search", "livestream"))) == {"search", "livestream"}


def test_share_overrides_pin_a_channel_and_scale_the_rest() -> None:
    out = B.apply_share_overrides({"a": 0.5, "b": 0.3, "c": 0.2}, {"a": 0.2})
    assert out["a"] == 0.2
    assert math.isclose(sum(out.values()), 1.0)
    assert math.isclose(out["b"] / out["c"], 1.5)

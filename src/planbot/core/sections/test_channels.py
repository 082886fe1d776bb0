"""Channels the marketer wants to try ("也想在小红书做点种草", "try some Meta ads").

Where a brand sells is a platform; where it advertises, seeds or tests is a channel. Each channel
under test that is not already one of its shops gets its own budget line with a fixed test
budget, its own tactics and a go/no-go KPI, so a test is planned rather than mentioned. The
shares are planbot's default (an assumption the plan states); the review rule is the budget
guide's: review monthly and move money from low to high converters.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from planbot.core.catalog import ad_channel_key, platform_keys

TEST_SHARE = 0.05  # of the allocatable budget, per channel under test
MAX_TESTS = 3  # at most 15% of the budget is under test at once
PREFIX = "test_"


def channels_to_test(channels: Iterable[str], platforms: Iterable[str]) -> dict[str, str]:
    """key -> the name the user gave, for each named ad channel that is not one of the shops."""
    shops = platform_keys(platforms)
    out: dict[str, str] = {}
    for name in channels:
        key = ad_channel_key(name)
        if key and key not in shops and PREFIX + key not in out and len(out) < MAX_TESTS:
            out[PREFIX + key] = name
    return out


def with_tests(weights: Mapping[str, float], tests: Mapping[str, str]) -> dict[str, float]:
    """The core channels scaled down to make room for a TEST_SHARE line per channel under test."""
    if not tests:
        return dict(weights)
    core = sum(weights.values())
    rest = 1.0 - TEST_SHARE * len(tests)
    out = {k: round(v / core * rest, 6) for k, v in weights.items()}
    out.update(dict.fromkeys(tests, TEST_SHARE))
    return out


def test_entry(name: str, pb: Mapping[str, Any]) -> dict[str, Any]:
    """The playbook entry of a channel under test: its name, role, tactics and KPIs in the plan's language."""
    t = pb["test_channel"]
    return {
        "name": str(t["name"]).format(name=name),
        "role": str(t["role"]).format(name=name),
        "tactics": [str(x).format(name=name) for x in t["tactics"]],
        "kpis": [str(x).format(name=name) for x in t["kpis"]],
    }

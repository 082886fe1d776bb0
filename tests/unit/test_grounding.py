"""A model's reading of a message joins the brief only where the message says it (core/extract/grounding.py),
and its proposed edits only where the message asks for them (core/edit_grounding.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from planbot.core import calendar as C
from planbot.core.brief import BriefUpdate
from planbot.core.catalog import PLATFORM_ALIASES, platform_key
from planbot.core.edit_grounding import grounded, usable
from planbot.core.edits import AddCampaign, MoveBudget, RemoveCampaign, SetShare, SetTarget
from planbot.core.extract import extract
from planbot.core.extract.grounding import grounded_update, grounded_values
from planbot.core.extract.periods import period_grounded
from planbot.core.extract.places import mentioned_keys
from planbot.core.numbers import normalize
from planbot.core.plan import Plan
from planbot.core.prose_check import figures

TODAY = date(2026, 11, 22)
FRAGMENTS = ["天猫", "抖音", "京东", "Amazon", "TikTok Shop", "双11", "618", "黑五", "Prime Day", "预算500万",
             "GMV目标5000万", "2027年", "明年上半年", "Q3", "客单价180", "护肤", "我们是青禾", "不太清楚转化率",
             "budget $300k", "next year", "，", "。", " and ", "我们想做"]  # fmt: skip
PLATFORM_NAMES = sorted({a for aliases in PLATFORM_ALIASES.values() for a in aliases if len(a) > 2})
CAMPAIGN_NAMES = sorted(spec.name(lang) for spec in C.SPECS.values() for lang in ("zh", "en"))

proposals = st.fixed_dictionaries(
    {},
    optional={
        "platforms": st.lists(st.sampled_from(PLATFORM_NAMES), max_size=4),
        "campaigns": st.lists(st.sampled_from(CAMPAIGN_NAMES), max_size=4),
        "budget_total": st.sampled_from([1.0, 5_000_000.0, 300_000.0, 12_345_678.0]),
        "gmv_target": st.sampled_from([1.0, 50_000_000.0, 99_999_999.0]),
        "cvr": st.sampled_from([0.5, 0.025, 0.03]),
        "period_start": st.dates(date(2026, 1, 1), date(2028, 12, 31)),
        "period_end": st.dates(date(2026, 1, 1), date(2028, 12, 31)),
        "brand": st.sampled_from(["青禾", "示例内容 sample text", "Acme"]),
        "unknown": st.lists(st.sampled_from(["cvr", "aov", "brand", "nonsense"]), max_size=2),
    },
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=6), proposals)
def test_nothing_ungrounded_joins_the_brief(parts: list[str], proposed: dict[str, Any]) -> None:
    text = "".join(parts)
    values = grounded_values(text, TODAY, proposed)
    named = mentioned_keys(normalize(text))
    assert all(platform_key(str(p)) in named for p in values.get("platforms", []))  # type: ignore[attr-defined]
    said = set(C.find_campaigns(normalize(text)))
    assert all(C.match_campaign(str(c)) in said for c in values.get("campaigns", []))  # type: ignore[attr-defined]
    literal = figures(text)
    for name in ("budget_total", "gmv_target"):
        assert name not in values or f"#{values[name]}" in literal
    assert "cvr" not in values or "%0.025" in literal or "%0.03" in literal or "%0.5" in literal
    if "period" in values:
        period: dict[str, date] = values["period"]  # type: ignore[assignment]
        assert period_grounded(text, TODAY, period["start"], period["end"])
    assert values.get("brand") in (None, "青禾", "Acme") and (values.get("brand") or "") in text
    update = grounded_update(text, TODAY, extract(text, TODAY), proposed)
    offline = extract(text, TODAY)
    for key, value in offline.values.items():  # the offline parse of the same words always has the last say
        assert update.values[key] == value


def test_the_schema_placeholder_period_is_no_period() -> None:
    placeholder = date(2027, 6, 1)
    assert not period_grounded("我们是青禾，做护肤", TODAY, placeholder, placeholder)
    assert not period_grounded("2027年全年", TODAY, placeholder, placeholder)  # one day: the text names no day
    assert period_grounded("明年上半年", TODAY, date(2027, 1, 1), date(2027, 6, 30))
    assert not period_grounded("明年上半年", TODAY, date(2029, 1, 1), date(2029, 6, 30))  # a year nobody said
    assert period_grounded("plan for Q3 2027", TODAY, date(2027, 7, 1), date(2027, 9, 30))


def test_not_sure_is_kept_only_where_the_user_says_it() -> None:
    offline = BriefUpdate(values={})
    assert grounded_update("天猫，护肤", TODAY, offline, {"unknown": ["cvr"]}).unknown == []
    assert grounded_update("转化率我不太清楚", TODAY, offline, {"unknown": ["cvr", "nonsense"]}).unknown == ["cvr"]


def test_a_model_edit_must_name_what_the_message_names(plans: dict[str, Plan]) -> None:
    plan = plans["beauty"]
    a, b = plan.channels.items[0], plan.channels.items[1]
    assert grounded(SetShare(channel=a.key, share=0.2), f"把{a.name}预算设为20%", plan)
    assert not grounded(SetShare(channel=a.key, share=0.25), f"把{a.name}预算设为20%", plan)  # figure not said
    assert not grounded(SetShare(channel=b.key, share=0.2), f"把{a.name}预算设为20%", plan)  # channel not said
    assert not usable(SetShare(channel="示例内容 sample text", share=0.2), f"把{a.name}预算设为20%", plan)
    assert grounded(MoveBudget(from_channel=a.key, to_channel=b.key, amount=500_000), f"从{a.name}挪50万给{b.name}",
                    plan)  # fmt: skip
    assert grounded(SetTarget(metric="gmv_target", value=90_000_000), "GMV目标改成9000万", plan)
    assert not grounded(SetTarget(metric="budget_total", value=1), "预算再多一点", plan)
    assert grounded(AddCampaign(campaign="七夕"), "加一个七夕活动", plan)
    assert not grounded(AddCampaign(campaign="黑五"), "加一个七夕活动", plan)
    first = plan.calendar.campaigns[0]
    assert usable(RemoveCampaign(campaign=first.name), f"去掉{first.name}", plan)
    assert not usable(RemoveCampaign(campaign="示例内容 sample text"), f"去掉{first.name}", plan)

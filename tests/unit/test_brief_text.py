"""No control character (NUL, escapes, bidi overrides) is stored in a brief, so none reaches a title."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from planbot.core.brief import Brief, BriefUpdate
from planbot.core.builder import Builder
from planbot.core.plan import CustomCampaignSpec

BASE: dict[str, Any] = {
    "platforms": ["天猫"],
    "period": {"start": "2027-01-01", "end": "2027-12-31"},
    "budget_total": 1_000_000,
    "gmv_target": 10_000_000,
}
NASTY = "\x00\x07\x1b[31m\u202e\x7f\x9b\ue000"  # NUL, bell, an ANSI escape, RLO, DEL, CSI, private use


def has_controls(text: str) -> bool:
    """C0/C1 controls other than line breaks, bidi overrides, private use: what a title must not hold."""
    return any(
        (ord(ch) < 0x20 and ch not in "\n\r")
        or 0x7F <= ord(ch) <= 0x9F
        or 0x202A <= ord(ch) <= 0x202E
        or 0xE000 <= ord(ch) <= 0xF8FF
        for ch in text
    )


def test_nul_and_friends_never_reach_brand_category_or_names() -> None:
    b = Brief.model_validate(
        {
            "brand": f"花\x00漾{NASTY}",
            "category": "\x1b[2J护肤",
            "platforms": ["天\x00猫", 618],
            "campaigns": ["双11\u202e"],
            "channels": ["直播\x07"],
            "audience": "18-30岁\x00女性\n一二线城市",
            "constraints": ["不投\x1b[0m信息流", "第二行\r\n第三行"],
            "assumptions": [{"field": "cvr\x00", "value": "2.5%\x1b", "reason": "默认\u202e值", "source": "g\x00#1"}],
        }
    )
    assert b.brand == "花漾[31m" and b.category == "[2J护肤"  # the escape byte goes, its printable tail is text
    assert b.platforms == ["天猫", "618"] and b.campaigns == ["双11"] and b.channels == ["直播"]
    assert b.audience == "18-30岁女性\n一二线城市"  # prose keeps its line breaks
    assert b.constraints == ["不投[0m信息流", "第二行\r\n第三行"]
    a = b.assumptions[0]
    assert (a.field, a.value, a.reason, a.source) == ("cvr", "2.5%", "默认值", "g#1")


def test_tabs_and_line_breaks_in_a_name_become_spaces_and_the_edges_are_trimmed() -> None:
    assert Brief(brand="\t花漾\n旗舰店 ").brand == "花漾 旗舰店"


@pytest.mark.parametrize("field", ["brand", "category"])
def test_a_name_made_only_of_control_characters_is_refused_with_the_field_named(field: str) -> None:
    with pytest.raises(ValidationError) as exc:
        Brief.model_validate({field: "\x00\x00\u202e"})
    assert exc.value.errors()[0]["loc"] == (field,)


def test_a_list_item_made_only_of_control_characters_is_refused() -> None:
    with pytest.raises(ValidationError) as exc:
        Brief.model_validate({"platforms": ["天猫", "\x00"]})
    assert exc.value.errors()[0]["loc"][0] == "platforms"


def test_updates_from_a_conversation_are_cleaned_too() -> None:
    b = BriefUpdate(values={"brand": "Trail\x00Co", "campaigns": ["Prime\x1b Day"]}).apply(Brief())
    assert b.brand == "TrailCo" and b.campaigns == ["Prime Day"]


def test_a_custom_campaign_name_is_cleaned() -> None:
    assert CustomCampaignSpec.model_validate({"name": "会员日\x00\u202e", "day": "2027-05-20"}).name == "会员日"


def test_the_plan_title_carries_no_control_character(builder: Builder) -> None:
    plan = builder.build(Brief.model_validate({**BASE, "brand": f"花漾{NASTY}"}))
    assert "\x00" not in plan.title and not has_controls(plan.title) and plan.title.startswith("花漾")


@settings(max_examples=300, derandomize=True, database=None)
@given(st.text(min_size=1, max_size=60))
def test_no_text_with_controls_is_ever_stored(text: str) -> None:
    try:
        b = Brief.model_validate({"brand": text, "campaigns": [text], "audience": text})
    except ValidationError as exc:
        assert {e["loc"][0] for e in exc.errors()} <= {"brand", "campaigns"}  # emptied by the cleaning
        return
    for value in (b.brand or "", *b.campaigns, b.audience or ""):
        assert not has_controls(value.replace("\n", "").replace("\r", "")), ascii(value)
    assert b.brand is not None and "\n" not in b.brand and "\r" not in b.brand

"""Where a brand advertises or tests gets its own line, budget and KPI; a brief without a brand
gets a placeholder the reader sees must be filled in (issue 16, items 3 and 4)."""

from __future__ import annotations

from planbot.core.brief import Brief, Period
from planbot.core.builder import Builder
from planbot.core.sections.test_channels import TEST_SHARE, channels_to_test, with_tests


def test_a_channel_to_test_gets_its_own_line_budget_and_kpi(builder: Builder) -> None:
    brief = Brief(platforms=["京东", "天猫"], channels=["小红书"], period=Period.year(2027),
                  budget_total=3_000_000, gmv_target=30_000_000)  # fmt: skip
    plan = builder.build(brief)
    line = next(c for c in plan.channels.items if c.key == "test_xiaohongshu")
    assert plan.budget.media is not None
    assert (
        line.name == "小红书（测试）"
        and line.share == TEST_SHARE
        and line.amount == round(plan.budget.media * TEST_SHARE)
    )
    assert any("小红书" in k and "CPA" in k for k in line.kpis)
    assert {x.key for x in plan.budget.by_channel} == {c.key for c in plan.channels.items}
    assert sum(c.amount for c in plan.channels.items) == plan.budget.media
    assert any(a.field == "channels" and "小红书" in a.reason for a in plan.assumptions)


def test_a_shop_named_as_a_channel_is_not_a_test() -> None:
    assert channels_to_test(["Amazon", "Meta ads", "Google Shopping"], ["Amazon"]) == {
        "test_meta": "Meta ads",
        "test_google": "Google Shopping",
    }
    assert channels_to_test(["抖音"], ["抖音", "天猫"]) == {}


def test_test_lines_make_room_without_changing_the_core_mix() -> None:
    core = {"search": 0.6, "kol": 0.4}
    out = with_tests(core, {"test_meta": "Meta", "test_google": "Google"})
    assert abs(sum(out.values()) - 1) < 1e-6
    assert out["test_meta"] == out["test_google"] == TEST_SHARE
    assert abs(out["search"] / out["kol"] - 1.5) < 1e-4


def test_no_brand_means_a_placeholder_stated_as_an_assumption(builder: Builder) -> None:
    en = Brief(platforms=["Amazon"], market="global", currency="USD", language="en", period=Period.year(2027),
               budget_total=300_000, gmv_target=3_000_000)  # fmt: skip
    plan = builder.build(en)
    assert plan.title.startswith("[Brand]")
    assert any(a.field == "brand" and "[Brand]" in a.reason for a in plan.assumptions)
    named = builder.build(en.model_copy(update={"brand": "Toastie"}))
    assert named.title.startswith("Toastie") and not any(a.field == "brand" for a in named.assumptions)

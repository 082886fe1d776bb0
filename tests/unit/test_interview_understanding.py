"""The interview keeps what the marketer said (issue 16, items 2, 3, 6 and 7): a refused figure is
named while the rest of its message is kept, a loose number never replaces a stated value, the
brand is asked for once, and the reply follows the language of the message."""

from __future__ import annotations

from datetime import date

from planbot.core.interview import Conversation, respond
from planbot.core.language import language_guess

TODAY = date(2026, 12, 6)
COMPLETE = "做女装，天猫和抖音，2027年全年，预算500万，GMV目标5000万，品牌叫青禾"


def test_one_bad_figure_is_refused_by_name_and_the_rest_is_kept() -> None:
    turn = respond(Conversation(), "转化率150%，天猫和抖音，2027年全年，预算500万", TODAY)
    b = turn.state.brief
    assert b.platforms == ["天猫", "抖音"] and b.budget_total == 5_000_000 and b.period is not None
    assert b.cvr is None
    assert "转化率" in turn.reply and "Value error" not in turn.reply and "must" not in turn.reply


def test_a_negative_budget_is_refused_not_stored_as_positive() -> None:
    turn = respond(Conversation(), "预算-500万，天猫", TODAY)
    assert turn.state.brief.budget_total is None and turn.state.brief.platforms == ["天猫"]
    assert "预算" in turn.reply


def test_loose_numbers_after_a_complete_brief_change_nothing() -> None:
    state = respond(Conversation(), COMPLETE, TODAY).state
    for remark in ["我们有3个仓库和5个客服", "联系电话 13800138000", "团队有12个人", "SKU 数量 120 个"]:
        turn = respond(state, remark, TODAY)
        assert (turn.state.brief.budget_total, turn.state.brief.gmv_target) == (5_000_000, 50_000_000), remark
        assert language_guess(turn.reply) == "zh", turn.reply
        state = turn.state
    drafted = respond(state, "生成方案", TODAY)
    assert drafted.action.kind == "draft" and drafted.state.language == "zh"


def test_the_brand_is_asked_for_once_and_a_bare_answer_is_taken() -> None:
    busy = respond(Conversation(), "做女装，天猫和抖音", TODAY)  # two questions already: the brand waits
    assert "品牌叫什么" not in busy.reply
    first = respond(busy.state, "2027年全年，预算500万", TODAY)
    assert "品牌叫什么" in first.reply and "brand" in first.state.asked
    named = respond(first.state, "青禾", TODAY)
    assert named.state.brief.brand == "青禾"
    unnamed = respond(first.state, "GMV目标5000万", TODAY)
    assert "品牌叫什么" not in unnamed.reply and unnamed.state.brief.brand is None


def test_the_reply_follows_the_language_of_the_message() -> None:
    state = respond(Conversation(), COMPLETE, TODAY).state
    turn = respond(state, "we also want to seed on 小红书 next year", TODAY)
    assert turn.state.language == "en" and language_guess(turn.reply) == "en"
    assert language_guess("GMV目标5kw") == "zh" and language_guess("预算300w，目标5kw") == "zh"
    assert language_guess("CVR on 天猫 不清楚 honestly, you estimate") == "en"
    assert language_guess("350k") is None


def test_a_range_is_read_as_its_midpoint_and_listed_as_an_assumption() -> None:
    turn = respond(Conversation(), "预算300-350万，天猫", TODAY)
    assert turn.state.brief.budget_total == 3_250_000
    assert any(a.field == "budget_total" and "300-350万" in a.reason for a in turn.state.brief.assumptions)

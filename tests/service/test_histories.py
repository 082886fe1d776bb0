"""A brand's history in a conversation, through the service (issue 23): preview stores nothing,
attaching puts it on the brief and says what was read, a plan gets its next version from it, a bad
file is refused naming its row and column with the conversation untouched, another owner sees nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from planbot import errors
from planbot.config import Settings
from planbot.histories import HistoryRefused
from planbot.history_read import MAX_HISTORY_BYTES
from planbot.retrieval.index import KnowledgeIndex
from planbot.service import Planbot
from tests.service.history_data import BAD_ROW, monthly_csv

BRIEF = "品牌花漾，天猫和抖音，2027年全年，预算200万，GMV目标2000万"


@pytest.fixture
def bot(tmp_path: Path, retriever: KnowledgeIndex) -> Planbot:
    settings = Settings(data_dir=tmp_path, knowledge_dir=tmp_path / "none", warm_up=False)
    return Planbot(settings, index=retriever)


def test_preview_reads_and_stores_nothing(bot: Planbot) -> None:
    owner = bot.local_owner()
    sid = bot.start_session(owner, BRIEF).session_id
    before = bot.session(owner, sid)
    reading = bot.preview_history(owner, sid, "sales.csv", monthly_csv(12))
    assert len(reading.history.months) == 12 and reading.history.months[0].gmv == 1_200_000
    after = bot.session(owner, sid)
    assert after.brief.history is None and len(after.messages) == len(before.messages)


def test_attach_puts_the_history_on_the_brief_and_says_what_was_read(bot: Planbot) -> None:
    owner = bot.local_owner()
    sid = bot.start_session(owner, BRIEF).session_id
    done = bot.attach_history(owner, sid, "C:\\exports\\花漾销售.csv", monthly_csv(12))
    assert done.brief.history is not None and done.brief.history.source.file == "花漾销售.csv"
    assert "花漾销售.csv" in done.reply and "2025-01" in done.reply and "2025-12" in done.reply
    assert "12 个月" in done.reply and "GMV" in done.reply and "访客数" in done.reply
    view = bot.session(owner, sid)
    assert view.brief.history == done.brief.history
    assert view.brief.budget_total == 2_000_000  # what the conversation knew is kept
    assert view.messages[-2].role == "user" and "花漾销售.csv" in view.messages[-2].text
    assert view.messages[-1].text == done.reply
    assert bot.session_history(owner, sid).months[-1].gmv == 1_200_000 + 110_000

    drafted = bot.send_message(owner, sid, "生成方案")
    assert drafted.plan is not None
    assert bot.get_plan(owner, drafted.plan.id).brief.history == done.brief.history  # the plan is built with it


def test_attaching_to_a_conversation_with_a_plan_redrafts_or_says_it_stays(bot: Planbot) -> None:
    owner = bot.local_owner()
    sid = bot.start_session(owner, BRIEF).session_id
    first = bot.send_message(owner, sid, "生成方案")
    assert first.plan is not None and first.plan.version == 1
    done = bot.attach_history(owner, sid, "sales.csv", monthly_csv(24, year=2024))
    state = bot.conversation(owner, sid)
    assert state.brief.history is not None
    if done.action == "draft":  # the builder uses the history: a new version built from it
        assert done.plan == (first.plan.id, 2) and state.plan_version == 2
        assert bot.get_plan(owner, first.plan.id).brief.history == state.brief.history
    else:  # the history changes no figure of this plan: no empty version, and the reply says so
        assert done.plan == (first.plan.id, 1) and "第1版" in done.reply and "没有因此改变" in done.reply


def test_a_bad_file_is_refused_naming_row_and_column_and_nothing_changes(bot: Planbot) -> None:
    owner = bot.local_owner()
    sid = bot.start_session(owner, BRIEF).session_id
    bot.attach_history(owner, sid, "good.csv", monthly_csv(6))
    before = bot.session(owner, sid)
    with pytest.raises(HistoryRefused) as refused:
        bot.attach_history(owner, sid, "bad.csv", monthly_csv(6, bad="abc"))
    exc = refused.value
    assert exc.details["row"] == BAD_ROW and exc.details["column"] and exc.details["code"] == "not_a_number"
    assert "bad.csv" in exc.message and str(BAD_ROW) in exc.message and "abc" in exc.message
    assert "行" in exc.message  # the conversation is in Chinese: so is the refusal
    after = bot.session(owner, sid)
    assert after.brief == before.brief and [m.text for m in after.messages] == [m.text for m in before.messages]
    with pytest.raises(HistoryRefused):
        bot.preview_history(owner, sid, "bad.csv", monthly_csv(6, bad="abc"))


def test_an_english_conversation_is_refused_in_english(bot: Planbot) -> None:
    owner = bot.local_owner()
    sid = bot.start_session(owner, language="en").session_id
    with pytest.raises(HistoryRefused) as refused:
        bot.attach_history(owner, sid, "bad.csv", monthly_csv(6, lang="en", bad="n/a?"))
    assert f"Row {BAD_ROW}" in refused.value.message or f"row {BAD_ROW}" in refused.value.message


def test_over_the_limit_is_too_large(bot: Planbot) -> None:
    owner = bot.local_owner()
    sid = bot.start_session(owner, BRIEF).session_id
    with pytest.raises(errors.TooLarge):
        bot.preview_history(owner, sid, "big.csv", b"x" * (MAX_HISTORY_BYTES + 1))


def test_another_owner_sees_and_deletes_nothing_and_delete_removes_it(bot: Planbot) -> None:
    owner, stranger = bot.local_owner(), bot.web_owner("someone-else")
    sid = bot.start_session(owner, BRIEF).session_id
    bot.attach_history(owner, sid, "sales.csv", monthly_csv(3))
    for call in (
        lambda: bot.session_history(stranger, sid),
        lambda: bot.delete_history(stranger, sid),
        lambda: bot.attach_history(stranger, sid, "x.csv", monthly_csv(3)),
        lambda: bot.preview_history(stranger, sid, "x.csv", monthly_csv(3)),
    ):
        with pytest.raises(errors.NotFound):
            call()
    assert bot.session_history(owner, sid).source.file == "sales.csv"
    removed = bot.delete_history(owner, sid)
    assert removed.brief.history is None and "sales.csv" in removed.reply
    assert bot.conversation(owner, sid).brief.history is None
    with pytest.raises(errors.NotFound):
        bot.session_history(owner, sid)
    with pytest.raises(errors.NotFound):
        bot.delete_history(owner, sid)


def test_removing_the_history_of_a_planned_conversation_drafts_a_version_without_it(bot: Planbot) -> None:
    owner = bot.local_owner()
    sid = bot.start_session(owner, BRIEF).session_id
    first = bot.send_message(owner, sid, "生成方案")
    assert first.plan is not None
    attached = bot.attach_history(owner, sid, "sales.csv", monthly_csv(24, year=2024))
    removed = bot.delete_history(owner, sid)
    assert removed.brief.history is None and "sales.csv" in removed.reply
    plan = bot.get_plan(owner, first.plan.id)
    if attached.action == "draft":  # the history changed the plan: removing it makes the next version without it
        assert removed.action == "draft" and plan.version == 3 and plan.brief.history is None
    assert bot.conversation(owner, sid).brief.history is None

"""A fault inside a turn never wedges a conversation: the user gets a sentence, the message and the
brief are kept, and the next turn works (the issue's CVR case answered 500 on every later message)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from planbot.config import Settings
from planbot.core.builder import Builder
from planbot.retrieval.index import KnowledgeIndex
from planbot.service import Planbot


@pytest.fixture
def bot(tmp_path: Path, retriever: KnowledgeIndex) -> Planbot:
    settings = Settings(data_dir=tmp_path, knowledge_dir=tmp_path / "none", warm_up=False)
    return Planbot(settings, index=retriever)


BRIEF = "品牌花漾，天猫和抖音，2027年全年，预算200万，GMV目标2000万"


def test_a_failing_draft_answers_in_words_and_the_next_turn_drafts(
    bot: Planbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner = bot.local_owner()
    sid = bot.start_session(owner, BRIEF).session_id
    real_build = Builder.build

    def broken(self: Builder, *args: Any, **kwargs: Any) -> Any:
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setattr(Builder, "build", broken)
    failed = bot.send_message(owner, sid, "生成方案")
    assert "内部错误" in failed.reply and failed.plan is None
    view = bot.session(owner, sid)
    assert view.messages[-2].text == "生成方案" and view.messages[-1].text == failed.reply  # nothing lost
    assert view.brief.budget_total == 2_000_000

    monkeypatch.setattr(Builder, "build", real_build)
    drafted = bot.send_message(owner, sid, "生成方案")
    assert drafted.plan is not None and drafted.action == "draft"


def test_control_characters_never_reach_a_session_title(bot: Planbot) -> None:
    owner = bot.local_owner()
    sid = bot.start_session(owner).session_id
    bot.rename_session(owner, sid, "双11\x00复盘\u202e")
    assert bot.session(owner, sid).info.title == "双11复盘"
    with pytest.raises(Exception, match="1 to 200 characters"):
        bot.rename_session(owner, sid, "\x00\x07")

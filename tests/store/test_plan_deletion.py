"""Deleting plans and conversations, and share links, in the store (SQLite and PostgreSQL).

A deleted plan takes its versions and share links with it, in one transaction; the conversation
that made it forgets it (and moves to a new version, so a turn read before retries); deleting a
conversation deletes the plans it made. Share links are rows: revocable one by one, owned through
their plan.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from planbot.core.interview import Conversation
from planbot.core.plan import Plan
from planbot.errors import NotFound
from planbot.store.models import PlanVersion, ShareLink
from planbot.store.repository import Store


def _count(store: Store, model: type[PlanVersion] | type[ShareLink], plan_id: str) -> int:
    with store.tx() as s:
        return int(s.scalar(select(func.count()).select_from(model).where(model.plan_id == plan_id)) or 0)


def _drafted(store: Store, owner: str, plan: Plan) -> str:
    """A conversation that drafted `plan` (v1) and revised it (v2), as the service stores it."""
    chat = store.create_session(owner, {}, "你好")
    state = Conversation(plan_id=plan.id, plan_version=1).model_dump(mode="json")
    assert store.commit_turn(owner, chat.id, 1, "生成方案", "方案已生成", state, plan)
    state2 = Conversation(plan_id=plan.id, plan_version=2, pending_version=2).model_dump(mode="json")
    assert store.commit_turn(owner, chat.id, 2, "改", "好", state2, plan.model_copy(update={"version": 2}))
    return chat.id


def test_deleting_a_plan_deletes_versions_and_links_and_the_conversation_forgets_it(
    store: Store, beauty_plan: Plan
) -> None:
    me, other = store.owner("web", "me"), store.owner("web", "other")
    chat = _drafted(store, me, beauty_plan)
    link = store.create_share_link(me, beauty_plan.id)
    assert store.share_link_target(link.id) == (me, beauty_plan.id)
    with pytest.raises(NotFound):
        store.delete_plan(other, beauty_plan.id)  # another owner: as if it did not exist
    assert store.plan(me, beauty_plan.id).version == 2

    store.delete_plan(me, beauty_plan.id)
    for read in (
        lambda: store.plan(me, beauty_plan.id),
        lambda: store.plan(me, beauty_plan.id, 1),
        lambda: store.plan_versions(me, beauty_plan.id),
        lambda: store.share_links(me, beauty_plan.id),
        lambda: store.delete_plan(me, beauty_plan.id),
    ):
        with pytest.raises(NotFound):
            read()
    assert store.plans(me) == [] and store.share_link_target(link.id) is None
    assert _count(store, PlanVersion, beauty_plan.id) == 0 and _count(store, ShareLink, beauty_plan.id) == 0

    info = store.session(me, chat)  # the conversation stays, without its plan, on a new version
    state = Conversation.model_validate(info.state)
    assert (info.plan_id, info.version, state.plan_id, state.plan_version) == (None, 4, None, None)
    assert state.pending == [] and state.pending_version is None
    assert [m.role for m in store.messages(me, chat)][-1] == "assistant"
    assert not store.commit_turn(me, chat, 3, "late", "stale", {})  # a turn read before the delete retries

    with pytest.raises(NotFound):  # a revision computed before the delete does not bring it back
        store.save_plan(me, beauty_plan.model_copy(update={"version": 3}))
    assert store.plans(me) == []
    redraft = beauty_plan.model_copy(update={"id": "a-new-plan"})
    assert store.commit_turn(me, chat, 4, "生成方案", "方案已生成", {"plan_id": redraft.id, "plan_version": 1}, redraft)
    assert [p.id for p in store.plans(me)] == [redraft.id] and store.session(me, chat).plan_id == redraft.id


def test_deleting_a_conversation_deletes_the_plans_it_made_only(store: Store, beauty_plan: Plan) -> None:
    me = store.owner("web", "me")
    chat = _drafted(store, me, beauty_plan)
    link = store.create_share_link(me, beauty_plan.id)
    kept_chat = _drafted(store, me, beauty_plan.model_copy(update={"id": "kept"}))
    standalone = beauty_plan.model_copy(update={"id": "standalone"})
    store.save_plan(me, standalone)  # POST /v1/plans: no conversation

    store.delete_session(me, chat)
    with pytest.raises(NotFound):
        store.plan(me, beauty_plan.id)
    assert store.share_link_target(link.id) is None and _count(store, PlanVersion, beauty_plan.id) == 0
    assert {p.id: p.session_id for p in store.plans(me)} == {"kept": kept_chat, "standalone": None}
    assert store.session(me, kept_chat).plan_id == "kept"


def test_share_links_are_rows_revocable_one_by_one_and_owned_through_the_plan(store: Store, beauty_plan: Plan) -> None:
    me, other = store.owner("web", "me"), store.owner("web", "other")
    store.save_plan(me, beauty_plan)
    theirs = beauty_plan.model_copy(update={"id": "theirs"})
    store.save_plan(other, theirs)
    first, second = store.create_share_link(me, beauty_plan.id), store.create_share_link(me, beauty_plan.id)
    their_link = store.create_share_link(other, theirs.id)
    assert first.id != second.id and not first.revoked
    assert [x.id for x in store.share_links(me, beauty_plan.id)] == [first.id, second.id]

    for attempt in (
        lambda: store.create_share_link(other, beauty_plan.id),
        lambda: store.share_links(other, beauty_plan.id),
        lambda: store.revoke_share_link(other, beauty_plan.id, first.id),
        lambda: store.revoke_share_link(other, theirs.id, first.id),  # a link of another plan
        lambda: store.revoke_share_link(me, beauty_plan.id, their_link.id),
        lambda: store.revoke_share_link(me, beauty_plan.id, "no-such-link"),
    ):
        with pytest.raises(NotFound):
            attempt()

    revoked = store.revoke_share_link(me, beauty_plan.id, first.id)
    assert revoked.revoked and revoked.revoked_at is not None
    assert store.revoke_share_link(me, beauty_plan.id, first.id).revoked_at == revoked.revoked_at  # idempotent
    assert store.share_link_target(first.id) is None
    assert store.share_link_target(second.id) == (me, beauty_plan.id)
    assert store.share_link_target(their_link.id) == (other, theirs.id)
    assert [x.revoked for x in store.share_links(me, beauty_plan.id)] == [True, False]
    assert store.share_link_target("no-such-link") is None

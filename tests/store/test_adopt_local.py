"""`planbot keys create NAME --adopt-local`: the first key takes over what the open local user made.

On SQLite and on a real PostgreSQL server: everything the local owner owns moves to the new key's
owner in the transaction that creates the key; other owners are untouched; a failure moves nothing.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from planbot.core.plan import Plan
from planbot.errors import NotFound
from planbot.store.models import Owner
from planbot.store.repository import LOCAL_OWNER, Adopted, Store


def _local_world(store: Store, plan: Plan) -> dict[str, Any]:
    """The local user's session (3 messages, linked to a plan with 2 versions), an uploaded guide and a
    Slack thread; a web user's and a Slack user's own things beside them."""
    local = store.owner(*LOCAL_OWNER)
    chat = store.create_session(local, {}, "你好")
    assert store.commit_turn(local, chat.id, 1, "预算500万", "记下了", {"v": 1}, plan, title="花漾")
    store.save_plan(local, plan.model_copy(update={"version": 2}), [{"path": "budget.total"}])
    store.record_document("local-guide", "本地指南", "zh", "guide.md", 3, local)
    store.link_slack_thread("T1", "C1", "1.1", chat.id, local, "U0")

    web = store.owner("web", "alice-browser")
    web_chat = store.create_session(web, {}, "hi")
    web_plan = plan.model_copy(update={"id": "web-plan"})
    store.save_plan(web, web_plan)
    store.record_document("web-guide", "Web guide", "en", "web.md", 1, web)
    slack = store.owner("slack", "T1:UBOB")
    slack_chat = store.create_session(slack, {}, "hi")
    store.link_slack_thread("T1", "C1", "2.1", slack_chat.id, slack, "UBOB")
    store.record_document("bundled", "Bundled", "en", "core", 2, None)  # shipped with planbot: nobody's
    return {"local": local, "chat": chat.id, "plan": plan.id, "web": web, "web_chat": web_chat.id,
            "web_plan": web_plan.id, "slack": slack, "slack_chat": slack_chat.id}  # fmt: skip


def _owners(store: Store) -> int:
    with store.tx() as s:
        return int(s.scalar(select(func.count()).select_from(Owner)) or 0)


def test_a_key_created_with_adopt_local_takes_everything_the_local_owner_owns(store: Store, beauty_plan: Plan) -> None:
    w = _local_world(store, beauty_plan)
    key, info, adopted = store.create_key_adopting("laptop", adopt_local=True)
    assert adopted == Adopted(sessions=1, messages=3, plans=1, plan_versions=2, documents=1, slack_threads=1)
    assert adopted.total == 4
    listed = store.keys()
    assert info.name == "laptop" and not info.revoked and [k.id for k in listed] == [info.id]
    me = store.owner_for_key(key)
    assert me is not None and me not in (w["local"], w["web"], w["slack"])

    # the new key's owner reads all of it: the session, its messages, both versions, the guide, the thread
    session = store.session(me, w["chat"])
    assert (session.title, session.plan_id, session.state) == ("花漾", w["plan"], {"v": 1})
    assert [m.role for m in store.messages(me, w["chat"])] == ["assistant", "user", "assistant"]
    assert [s.id for s in store.sessions(me)] == [w["chat"]]
    assert [p.id for p in store.plans(me)] == [w["plan"]]
    assert [v.version for v in store.plan_versions(me, w["plan"])] == [1, 2]
    assert store.plan(me, w["plan"], 1) == beauty_plan and store.plan(me, w["plan"]).version == 2
    assert store.plan_diff(me, w["plan"], 2) == [{"path": "budget.total"}]
    thread = store.slack_thread("T1", "C1", "1.1")
    assert thread is not None and thread.owner_id == me and thread.session_id == w["chat"]
    # and can keep working on it
    assert store.commit_turn(me, w["chat"], 2, "再加一个渠道", "好的", {"v": 2})

    # the local owner no longer sees any of it
    assert store.sessions(w["local"]) == [] and store.plans(w["local"]) == []
    with pytest.raises(NotFound):
        store.session(w["local"], w["chat"])
    with pytest.raises(NotFound):
        store.plan(w["local"], w["plan"])
    assert store.latest_slack_thread(w["local"], "T1", "C1") is None

    # other owners' things are untouched
    assert store.document_owners() == {"local-guide": me, "web-guide": w["web"], "bundled": None}
    assert [s.id for s in store.sessions(w["web"])] == [w["web_chat"]]
    assert [p.id for p in store.plans(w["web"])] == [w["web_plan"]]
    assert [s.id for s in store.sessions(w["slack"])] == [w["slack_chat"]]
    other_thread = store.slack_thread("T1", "C1", "2.1")
    assert other_thread is not None and other_thread.owner_id == w["slack"]


def test_a_second_key_adopts_only_what_the_local_owner_owns_then(store: Store, beauty_plan: Plan) -> None:
    w = _local_world(store, beauty_plan)
    first, _, adopted = store.create_key_adopting("first", adopt_local=True)
    assert adopted.total == 4
    second, _, again = store.create_key_adopting("second", adopt_local=True)
    assert again == Adopted() and again.total == 0  # it all moved with the first key
    mine, theirs = store.owner_for_key(first), store.owner_for_key(second)
    assert theirs is not None and store.sessions(theirs) == [] and store.plans(theirs) == []
    assert mine is not None and [s.id for s in store.sessions(mine)] == [w["chat"]]

    # what the local owner makes afterwards (keys revoked, open again) goes to a later adopting key
    later = store.create_session(w["local"], {}, "hi")
    key, _, third = store.create_key_adopting("third", adopt_local=True)
    assert third == Adopted(sessions=1, messages=1)  # the greeting
    owner = store.owner_for_key(key)
    assert owner is not None and [s.id for s in store.sessions(owner)] == [later.id]


def test_no_local_owner_or_an_empty_one_adopts_nothing(store: Store) -> None:
    web = store.owner("web", "alice-browser")
    chat = store.create_session(web, {}, "hi")
    key, _, adopted = store.create_key_adopting("ci", adopt_local=True)  # no local owner exists at all
    assert adopted == Adopted() and store.owner_for_key(key) is not None
    store.owner(*LOCAL_OWNER)  # exists, owns nothing
    _, _, adopted = store.create_key_adopting("ci-2", adopt_local=True)
    assert adopted == Adopted()
    assert [s.id for s in store.sessions(web)] == [chat.id]


def test_without_adopt_local_a_key_takes_nothing(store: Store, beauty_plan: Plan) -> None:
    w = _local_world(store, beauty_plan)
    key, _, adopted = store.create_key_adopting("plain", adopt_local=False)
    assert adopted == Adopted()
    _, _ = store.create_key("plain-2")  # the old two-value form is unchanged and adopts nothing either
    me = store.owner_for_key(key)
    assert me is not None and store.sessions(me) == []
    assert [s.id for s in store.sessions(w["local"])] == [w["chat"]]
    assert store.document_owners()["local-guide"] == w["local"]


def _assert_nothing_moved(store: Store, w: dict[str, Any], owners_before: int) -> None:
    assert store.keys() == [] and not store.has_keys()
    assert _owners(store) == owners_before  # the new key's owner was rolled back too
    assert [s.id for s in store.sessions(w["local"])] == [w["chat"]]
    assert [p.id for p in store.plans(w["local"])] == [w["plan"]]
    assert len(store.messages(w["local"], w["chat"])) == 3
    assert [v.version for v in store.plan_versions(w["local"], w["plan"])] == [1, 2]
    assert store.document_owners()["local-guide"] == w["local"]
    thread = store.slack_thread("T1", "C1", "1.1")
    assert thread is not None and thread.owner_id == w["local"]


def test_a_failure_after_the_moves_leaves_neither_key_nor_move(
    store: Store, beauty_plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = _local_world(store, beauty_plan)
    owners_before = _owners(store)
    real = Store._adopt

    def adopt_then_fail(s: Session, from_owner: str, to_owner: str) -> Adopted:
        moved = real(s, from_owner, to_owner)
        assert moved.sessions == 1  # the rows had moved inside the transaction
        raise RuntimeError("disk full")

    monkeypatch.setattr(Store, "_adopt", staticmethod(adopt_then_fail))
    with pytest.raises(RuntimeError, match="disk full"):
        store.create_key_adopting("laptop", adopt_local=True)
    _assert_nothing_moved(store, w, owners_before)


def test_a_key_row_the_database_refuses_undoes_the_moves(store: Store, beauty_plan: Plan) -> None:
    """A real constraint on the key row (NOT NULL name), checked after the rows moved."""
    w = _local_world(store, beauty_plan)
    owners_before = _owners(store)
    with pytest.raises(DBAPIError):
        store.create_key_adopting(None, adopt_local=True)  # type: ignore[arg-type]
    _assert_nothing_moved(store, w, owners_before)
    if store.engine.dialect.name == "postgresql":  # SQLite does not enforce VARCHAR lengths
        with pytest.raises(DBAPIError):
            store.create_key_adopting("x" * 101, adopt_local=True)
        _assert_nothing_moved(store, w, owners_before)
    key, _, adopted = store.create_key_adopting("laptop", adopt_local=True)  # and a good one then works
    assert adopted.total == 4 and store.owner_for_key(key) is not None


def test_the_service_and_the_store_agree_on_who_the_local_owner_is() -> None:
    from planbot.service import LOCAL_OWNER as SERVICE_LOCAL_OWNER

    assert SERVICE_LOCAL_OWNER == LOCAL_OWNER

"""The store on SQLite and on a real PostgreSQL server: the same behaviour on both."""

from __future__ import annotations

import threading

import pytest

from planbot.core.plan import Plan
from planbot.errors import Conflict, NotFound
from planbot.store.repository import Store


def test_migrations_are_idempotent_and_versioned(store: Store) -> None:
    store.migrate()
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == "0004"


def test_keys_are_hashed_checked_and_revocable(store: Store) -> None:
    key, _ = store.create_key("ci")
    assert key.startswith("pb_") and len(key) > 40
    with store.engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT key_hash FROM api_keys").scalar()
    assert stored != key and key not in str(stored)  # only the hash is kept
    owner = store.owner_for_key(key)
    assert owner is not None and store.has_keys()
    assert store.owner_for_key(key[:-1] + ("A" if key[-1] != "A" else "B")) is None
    assert store.owner_for_key("not-a-key") is None
    store.revoke_key("ci")
    assert store.owner_for_key(key) is None and not store.has_keys()
    with pytest.raises(NotFound):
        store.revoke_key("ci")


def test_sessions_are_owned(store: Store) -> None:
    alice, bob = store.owner("web", "alice"), store.owner("web", "bob")
    assert store.owner("web", "alice") == alice != bob
    s = store.create_session(alice, {"step": 0}, "你好")
    assert store.session(alice, s.id).state == {"step": 0}
    with pytest.raises(NotFound):
        store.session(bob, s.id)
    with pytest.raises(NotFound):
        store.commit_turn(bob, s.id, 1, "x", "y", {})
    assert [x.id for x in store.sessions(bob)] == []
    store.rename_session(alice, s.id, "618 plan")
    assert store.sessions(alice)[0].title == "618 plan"
    store.delete_session(alice, s.id)
    with pytest.raises(NotFound):
        store.messages(alice, s.id)


def test_a_turn_is_atomic_and_versioned(store: Store, beauty_plan: Plan) -> None:
    owner = store.owner("local", "default")
    s = store.create_session(owner, {}, "hi")
    assert store.commit_turn(owner, s.id, 1, "预算500万", "记下了", {"v": 1}, beauty_plan, title="花漾")
    assert not store.commit_turn(owner, s.id, 1, "late", "stale", {"v": "stale"})  # the session moved on
    info = store.session(owner, s.id)
    assert (info.version, info.state, info.plan_id, info.title) == (2, {"v": 1}, beauty_plan.id, "花漾")
    assert [(m.seq, m.role) for m in store.messages(owner, s.id)] == [(1, "assistant"), (2, "user"), (3, "assistant")]
    assert store.plan(owner, beauty_plan.id) == beauty_plan


def test_plan_versions_and_isolation(store: Store, beauty_plan: Plan) -> None:
    owner, other = store.owner("local", "a"), store.owner("local", "b")
    store.save_plan(owner, beauty_plan)
    v2 = beauty_plan.model_copy(update={"version": 2})
    store.save_plan(owner, v2, [{"path": "budget.total", "label": "x", "before": "1", "after": "2"}])
    assert store.plan(owner, beauty_plan.id).version == 2
    assert store.plan(owner, beauty_plan.id, 1).version == 1
    assert store.plan_diff(owner, beauty_plan.id, 2)[0]["path"] == "budget.total"
    with pytest.raises(Conflict):
        store.save_plan(owner, v2)  # a version is written once
    with pytest.raises(NotFound):
        store.plan(other, beauty_plan.id)
    with pytest.raises(NotFound):
        store.save_plan(other, beauty_plan.model_copy(update={"version": 3}))
    with pytest.raises(NotFound, match="no version 9"):
        store.plan(owner, beauty_plan.id, 9)


def test_concurrent_turns_on_one_session_keep_every_message(store: Store) -> None:
    """Writers race on one session: each retries on the new version, none is lost, order is kept."""
    owner = store.owner("local", "default")
    s = store.create_session(owner, {"n": 0}, "hi")
    errors: list[Exception] = []

    def writer(name: str) -> None:
        try:
            for i in range(5):
                while True:
                    info = store.session(owner, s.id)
                    state = {"n": info.state["n"] + 1}
                    if store.commit_turn(owner, s.id, info.version, f"{name}{i}", f"ok {name}{i}", state):
                        break
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in "ab"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert store.session(owner, s.id).state == {"n": 10}
    msgs = store.messages(owner, s.id)
    assert [m.seq for m in msgs] == list(range(1, 22))
    users = [m.text for m in msgs if m.role == "user"]
    assert sorted(users) == sorted(f"{n}{i}" for n in "ab" for i in range(5))
    assert [m.text for m in msgs if m.role == "assistant"][1:] == [f"ok {u}" for u in users]  # pairs stay together


def test_slack_deliveries_are_claimed_once_even_by_racing_workers(store: Store) -> None:
    results: list[bool] = []
    threads = [threading.Thread(target=lambda: results.append(store.claim_slack_event("C1:1700.000100")))
               for _ in range(8)]  # fmt: skip
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False] * 7 + [True]
    assert store.claim_slack_event("C1:1700.000200") is True


def test_slack_threads_map_to_their_owners_sessions(store: Store) -> None:
    alice = store.owner("slack", "T1:UALICE")
    first = store.create_session(alice, {}, "hi")
    second = store.create_session(alice, {}, "hi")
    store.link_slack_thread("T1", "C1", "100.1", first.id, alice, "UALICE")
    store.link_slack_thread("T1", "C1", "200.1", second.id, alice, "UALICE")
    found = store.slack_thread("T1", "C1", "100.1")
    assert found is not None and (found.session_id, found.user_id) == (first.id, "UALICE")
    assert store.slack_thread("T2", "C1", "100.1") is None  # another workspace's thread with the same ts
    latest = store.latest_slack_thread(alice, "T1", "C1")
    assert latest is not None and latest.session_id == second.id
    assert store.latest_slack_thread(alice, "T1", "C2") is None
    store.delete_session(alice, second.id)
    latest = store.latest_slack_thread(alice, "T1", "C1")
    assert latest is not None and latest.session_id == first.id

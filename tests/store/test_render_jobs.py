"""Render jobs and stored documents, on SQLite and on a real PostgreSQL server.

Each saved plan version gets a job in the database; a worker of any `Planbot` over that database
(another process after a restart, too) claims it, renders the six formats and stores them; a claim
whose worker stopped is taken over; downloads come from the store and never depend on the job.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from planbot import errors
from planbot.config import Settings
from planbot.core.plan import Plan
from planbot.render import FORMATS, Format, render
from planbot.retrieval.index import KnowledgeIndex
from planbot.service import Planbot
from planbot.store.documents import DocumentRows
from planbot.store.models import RenderJob, now
from planbot.store.repository import Store


class Counting:
    """A renderer that records what it was asked for; `fail` names formats that raise."""

    def __init__(self, fail: tuple[str, ...] = ()) -> None:
        self.calls: list[tuple[str, int, str]] = []
        self.fail = fail

    def __call__(self, plan: Plan, fmt: Format) -> bytes:
        self.calls.append((plan.id, plan.version, fmt))
        if fmt in self.fail:
            raise RuntimeError(f"{fmt} renderer broke")
        return f"{fmt}:{plan.id}:v{plan.version}".encode()


@pytest.fixture
def make_bot(tmp_path: Path, retriever: KnowledgeIndex, store: Store) -> Iterator[Callable[..., Planbot]]:
    """Planbots over the test's database, each with a Store (engine, connections) of its own, as
    separate processes would have."""
    made: list[Planbot] = []

    def make(renderer: Counting | None = None, **settings: object) -> Planbot:
        values: dict[str, object] = {"render_processes": 0, "render_max_attempts": 2, **settings}
        bot = Planbot(Settings(data_dir=tmp_path, **values), index=retriever, store=Store(store.url))  # type: ignore[arg-type]
        if renderer is not None:
            bot.render = renderer  # type: ignore[method-assign]
        made.append(bot)
        return bot

    yield make
    for bot in made:
        bot.worker.stop()
        bot.store.close()


def _owner(store: Store, name: str = "alice") -> str:
    return store.owner("web", name)


def _age_claim(store: Store, plan: Plan, seconds: float = 3600) -> None:
    """As if the claiming worker stopped `seconds` ago (its heartbeat was never renewed)."""
    with store.tx() as s:
        s.execute(update(RenderJob).where(RenderJob.plan_id == plan.id)
                  .values(heartbeat_at=now() - timedelta(seconds=seconds)))  # fmt: skip


def test_each_saved_version_records_a_pending_job(store: Store, beauty_plan: Plan) -> None:
    owner = _owner(store)
    rows = DocumentRows(store)
    store.save_plan(owner, beauty_plan)
    store.save_plan(owner, beauty_plan.model_copy(update={"version": 2}))
    jobs = rows.jobs(beauty_plan.id)
    assert [(j.version, j.status, j.attempts, j.claimed_by) for j in jobs] == [(1, "pending", 0, None),
                                                                             (2, "pending", 0, None)]  # fmt: skip
    assert rows.counts() == {"pending": 2}
    assert rows.documents_of(beauty_plan.id) == []


def test_a_job_is_claimed_once_and_a_stale_claim_is_taken_over(store: Store, beauty_plan: Plan) -> None:
    store.save_plan(_owner(store), beauty_plan)
    rows = DocumentRows(store)
    first = rows.claim("worker-a", stale_after_s=60, max_attempts=3)
    assert first is not None and (first.status, first.claimed_by, first.attempts) == ("running", "worker-a", 1)
    assert rows.claim("worker-b", stale_after_s=60, max_attempts=3) is None  # held, and fresh
    _age_claim(store, beauty_plan)
    second = rows.claim("worker-b", stale_after_s=60, max_attempts=3)
    assert second is not None and (second.claimed_by, second.attempts) == ("worker-b", 2)
    assert not rows.finish(beauty_plan.id, 1, "worker-a")  # no longer its job
    assert not rows.heartbeat(beauty_plan.id, 1, "worker-a")
    assert rows.finish(beauty_plan.id, 1, "worker-b")
    assert rows.job(beauty_plan.id, 1).status == "done"  # type: ignore[union-attr]
    assert rows.claim("worker-c", stale_after_s=60, max_attempts=3) is None


def test_failures_are_retried_then_recorded(store: Store, beauty_plan: Plan) -> None:
    store.save_plan(_owner(store), beauty_plan)
    rows = DocumentRows(store)
    job = rows.claim("w", 60, 2)
    assert job is not None
    assert rows.fail(beauty_plan.id, 1, "w", "RuntimeError: pdf broke", job.attempts, 2)
    again = rows.job(beauty_plan.id, 1)
    assert again is not None and (again.status, again.error, again.claimed_by) == ("pending", "RuntimeError: pdf broke",
                                                                                   None)  # fmt: skip
    job = rows.claim("w", 60, 2)
    assert job is not None and job.attempts == 2
    rows.fail(beauty_plan.id, 1, "w", "RuntimeError: pdf broke again", job.attempts, 2)
    assert rows.job(beauty_plan.id, 1).status == "failed"  # type: ignore[union-attr]
    assert rows.claim("w", 60, 2) is None  # failed stays failed
    # a worker that died on its last attempt: the stale claim is recorded failed, not claimed again
    store.save_plan(_owner(store), beauty_plan.model_copy(update={"version": 2}))
    for _ in range(2):
        assert rows.claim("dying", 60, 2) is not None
        _age_claim(store, beauty_plan)
    assert rows.claim("w", 60, 2) is None
    dead = rows.job(beauty_plan.id, 2)
    assert dead is not None and dead.status == "failed" and dead.error == "the worker stopped"


def test_another_instance_renders_all_six_formats_and_downloads_come_from_the_store(
    store: Store, beauty_plan: Plan, make_bot: Callable[..., Planbot]
) -> None:
    owner = _owner(store)
    web = make_bot(Counting())  # serves downloads; never renders here
    web.store.save_plan(owner, beauty_plan)
    worker = make_bot()  # another process over the same database, with the real renderers
    assert worker.worker.drain() == 1
    job = DocumentRows(store).job(beauty_plan.id, 1)
    assert job is not None and (job.status, job.claimed_by, job.error) == ("done", worker.worker.name, None)
    assert [f for _, f, _ in DocumentRows(store).documents_of(beauty_plan.id)] == sorted(FORMATS)
    for fmt in FORMATS:
        data, name = web.plan_document(owner, beauty_plan.id, fmt)
        assert data and name.endswith(f"-v1.{fmt}")
        assert web.document(beauty_plan, fmt) == data  # the share-link path: the same stored bytes
    assert web.render.calls == []  # type: ignore[attr-defined]
    assert web.plan_document(owner, beauty_plan.id, "md")[0] == render(beauty_plan, "md")
    assert web.plan_document(owner, beauty_plan.id, "json")[0] == render(beauty_plan, "json")
    assert web.plan_document(owner, beauty_plan.id, "pdf")[0].startswith(b"%PDF")
    assert web.rendered.counters.served_stored == 2 * len(FORMATS) + 3


def test_a_restart_resumes_pending_jobs_and_a_crashed_workers_claim(
    store: Store, beauty_plan: Plan, make_bot: Callable[..., Planbot]
) -> None:
    owner = _owner(store)
    store.save_plan(owner, beauty_plan)
    store.save_plan(owner, beauty_plan.model_copy(update={"version": 2}))
    rows = DocumentRows(store)
    assert rows.claim("crashed-before-restart", 60, 3) is not None  # v1, never finished
    _age_claim(store, beauty_plan.model_copy(update={"version": 1}))
    restarted = make_bot(Counting())
    assert restarted.worker.drain() == 2
    assert [(j.version, j.status, j.attempts, j.claimed_by) for j in rows.jobs(beauty_plan.id)] == [
        (1, "done", 2, restarted.worker.name),
        (2, "done", 1, restarted.worker.name),
    ]
    assert sorted(restarted.render.calls) == sorted(  # type: ignore[attr-defined]
        (beauty_plan.id, v, f) for v in (1, 2) for f in FORMATS
    )


def test_a_failed_job_never_breaks_downloads(store: Store, beauty_plan: Plan, make_bot: Callable[..., Planbot]) -> None:
    owner = _owner(store)
    store.save_plan(owner, beauty_plan)
    broken = make_bot(Counting(fail=("pdf",)))
    assert broken.worker.drain() == 2  # tried, retried once (render_max_attempts=2)
    job = DocumentRows(store).job(beauty_plan.id, 1)
    assert job is not None and (job.status, job.attempts) == ("failed", 2)
    assert job.error == "RuntimeError: pdf renderer broke"
    stored = [f for _, f, _ in DocumentRows(store).documents_of(beauty_plan.id)]
    assert stored == sorted(f for f in FORMATS if f != "pdf")  # the others were kept (and not rendered twice)
    assert [f for _, _, f in broken.render.calls].count("md") == 1  # type: ignore[attr-defined]
    web = make_bot(Counting())
    data, _ = web.plan_document(owner, beauty_plan.id, "pdf")  # rendered now, and stored
    assert data == f"pdf:{beauty_plan.id}:v1".encode()
    assert web.plan_document(owner, beauty_plan.id, "pdf")[0] == data
    assert web.render.calls == [(beauty_plan.id, 1, "pdf")]  # type: ignore[attr-defined]
    assert web.rendered.counters.rendered_on_demand == 1


def test_a_changed_copy_of_a_plan_is_never_answered_with_the_stored_document(
    store: Store, beauty_plan: Plan, make_bot: Callable[..., Planbot]
) -> None:
    store.save_plan(_owner(store), beauty_plan)
    bot = make_bot(Counting())
    bot.worker.drain()
    tampered = beauty_plan.model_copy(update={"summary": beauty_plan.summary.model_copy(update={"text": "changed"})})
    bot.document(tampered, "md")
    assert bot.render.calls[-1] == (beauty_plan.id, 1, "md")  # type: ignore[attr-defined]
    assert len(bot.render.calls) == len(FORMATS) + 1  # type: ignore[attr-defined]


def test_deleting_a_plan_or_its_conversation_deletes_documents_and_jobs(
    store: Store, beauty_plan: Plan, make_bot: Callable[..., Planbot]
) -> None:
    owner = _owner(store)
    bot = make_bot(Counting())
    bot.store.save_plan(owner, beauty_plan)
    bot.store.save_plan(owner, beauty_plan.model_copy(update={"version": 2}))
    bot.worker.drain()
    rows = DocumentRows(store)
    assert len(rows.documents_of(beauty_plan.id)) == 2 * len(FORMATS)
    bot.delete_plan(owner, beauty_plan.id)
    assert rows.documents_of(beauty_plan.id) == [] and rows.jobs(beauty_plan.id) == []
    assert not rows.put_document(beauty_plan.id, 1, "md", "x", "plan.md", b"late")  # a worker finishing late
    assert rows.documents_of(beauty_plan.id) == []
    # a conversation's plan goes with the conversation, documents and jobs too
    session = store.create_session(owner, {"plan_id": None}, "hi")
    assert store.commit_turn(owner, session.id, session.version, "draft", "ok", {"plan_id": beauty_plan.id},
                             beauty_plan, [], None)  # fmt: skip
    assert [j.status for j in rows.jobs(beauty_plan.id)] == ["pending"]
    bot.worker.drain()
    assert rows.documents_of(beauty_plan.id)
    store.delete_session(owner, session.id)
    assert rows.documents_of(beauty_plan.id) == [] and rows.jobs(beauty_plan.id) == []


def test_another_owner_gets_not_found_even_for_a_stored_document(
    store: Store, beauty_plan: Plan, make_bot: Callable[..., Planbot]
) -> None:
    bot = make_bot(Counting())
    bot.store.save_plan(_owner(store), beauty_plan)
    bot.worker.drain()
    for fmt in FORMATS:
        with pytest.raises(errors.NotFound):
            bot.plan_document(_owner(store, "mallory"), beauty_plan.id, fmt)
    with pytest.raises(errors.NotFound):
        bot.plan_document(_owner(store), beauty_plan.id, "md", version=3)


def test_the_background_thread_renders_a_version_when_it_is_saved(
    store: Store, beauty_plan: Plan, make_bot: Callable[..., Planbot]
) -> None:
    bot = make_bot(Counting(), render_poll_s=600)  # only the wake-up can make it look in time
    bot.worker.start()
    owner = _owner(store)
    bot.store.save_plan(owner, beauty_plan)
    bot.worker.wake()
    rows = DocumentRows(store)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (job := rows.job(beauty_plan.id, 1)) is not None and job.status != "done":
        time.sleep(0.05)
    assert rows.job(beauty_plan.id, 1).status == "done"  # type: ignore[union-attr]
    assert len(rows.documents_of(beauty_plan.id)) == len(FORMATS)
    bot.worker.stop()


def test_a_stopping_worker_gives_its_job_back_untried(store: Store, beauty_plan: Plan) -> None:
    store.save_plan(_owner(store), beauty_plan)
    rows = DocumentRows(store)
    assert rows.claim("stopping", 60, 3) is not None
    assert not rows.release(beauty_plan.id, 1, "someone-else")
    assert rows.release(beauty_plan.id, 1, "stopping")
    job = rows.job(beauty_plan.id, 1)
    assert job is not None and (job.status, job.attempts, job.claimed_by) == ("pending", 0, None)
    again = rows.claim("next", 60, 3)
    assert again is not None and (again.claimed_by, again.attempts) == ("next", 1)

"""Downloads of rendered plan versions over real HTTP (`planbot serve`), on SQLite and PostgreSQL.

The server's background worker renders every new version (its process pool, all six formats) into
the database; a download then sends the stored document -- the same bytes, and no new row (a
download that had to render would store a fresh one). Deleting the plan deletes its documents and
jobs; another owner gets 404 for a rendered document as for the plan.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from datetime import datetime

import httpx
import pytest
from sqlalchemy import select

from planbot.render import FORMATS
from planbot.store.documents import DocumentRows
from planbot.store.models import PlanDocument
from planbot.store.repository import Store
from tests.servers import Server

BRIEF_TEXT = "户外用品，天猫+抖音，2027年GMV目标8000万，预算一千万"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, new_server: Callable[..., Server]) -> Iterator[Server]:
    url = request.getfixturevalue("pg_url") if request.param == "postgresql" else None
    served = new_server(database_url=url, PLANBOT_RENDER_WORKER="true", PLANBOT_RENDER_POLL_S="0.5")
    yield served
    # stopped with this module: the PostgreSQL database is the session's, and a worker left running
    # would render every plan the later tests save there
    served.stop()


@pytest.fixture
def db(server: Server) -> Iterator[Store]:
    """The server's own database, opened from the test as another process would."""
    store = Store(server.env.get("PLANBOT_DATABASE_URL") or f"sqlite:///{server.data_dir / 'planbot.db'}")
    yield store
    store.close()


@pytest.fixture
def stranger(server: Server) -> Iterator[httpx.Client]:
    """Another owner: a browser that opened the chat page."""
    with httpx.Client(base_url=server.url, timeout=60) as c:
        token = re.search(r'<meta name="csrf-token" content="([^"]+)">', c.get("/").text)
        assert token is not None
        c.headers["X-CSRF-Token"] = token.group(1)
        yield c


def _rendered(db: Store, pid: str, version: int, wait_s: float = 600) -> dict[str, tuple[bytes, datetime]]:
    """Wait (bounded) for the version's job, then its stored documents: format -> (bytes, stored at)."""
    rows = DocumentRows(db)
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        job = rows.job(pid, version)
        if job is not None and job.status in ("done", "failed"):
            break
        time.sleep(0.2)
    job = rows.job(pid, version)
    assert job is not None and job.status == "done", job
    with db.tx() as s:
        found = s.execute(
            select(PlanDocument.fmt, PlanDocument.content, PlanDocument.created_at).where(
                PlanDocument.plan_id == pid, PlanDocument.version == version
            )
        ).all()
    return {fmt: (content, at) for fmt, content, at in found}


def _new_plan(client: httpx.Client) -> str:
    r = client.post("/v1/plans", json={"text": BRIEF_TEXT})
    assert r.status_code == 201, r.text
    pid: str = r.json()["id"]
    return pid


def test_a_new_version_is_rendered_in_the_background_and_downloaded_from_the_store(
    client: httpx.Client, db: Store
) -> None:
    pid = _new_plan(client)
    stored = _rendered(db, pid, 1)
    assert sorted(stored) == sorted(FORMATS)
    for fmt in FORMATS:
        r = client.get(f"/v1/plans/{pid}/export/{fmt}")
        assert r.status_code == 200, r.text
        assert r.content == stored[fmt][0]
        assert f"-v1.{fmt}" in r.headers["content-disposition"]
    assert stored["pdf"][0].startswith(b"%PDF") and stored["docx"][0].startswith(b"PK")
    link = client.post(f"/v1/plans/{pid}/links").json()["path"]
    for fmt in ("md", "pdf"):
        assert client.get(f"{link}/export/{fmt}").content == stored[fmt][0]
    assert _rendered(db, pid, 1) == stored  # nothing was rendered and stored again by the downloads

    r = client.post(f"/v1/plans/{pid}/revisions", json={"instruction": "把直播预算提高到30%"})
    assert r.status_code == 201, r.text
    again = _rendered(db, pid, 2)
    assert sorted(again) == sorted(FORMATS)
    assert client.get(f"/v1/plans/{pid}/export/md").content == again["md"][0]
    assert client.get(f"/v1/plans/{pid}/export/md?version=1").content == stored["md"][0]


def test_deleting_a_plan_deletes_its_documents_and_jobs(client: httpx.Client, db: Store) -> None:
    pid = _new_plan(client)
    assert _rendered(db, pid, 1)
    assert client.delete(f"/v1/plans/{pid}").status_code == 204
    rows = DocumentRows(db)
    assert rows.documents_of(pid) == [] and rows.jobs(pid) == []
    assert client.get(f"/v1/plans/{pid}/export/pdf").status_code == 404


def test_another_owner_gets_404_for_a_rendered_document(
    client: httpx.Client, stranger: httpx.Client, db: Store
) -> None:
    pid = _new_plan(client)
    assert _rendered(db, pid, 1)
    for fmt in FORMATS:
        r = stranger.get(f"/v1/plans/{pid}/export/{fmt}")
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    assert client.get(f"/v1/plans/{pid}/export/md").status_code == 200

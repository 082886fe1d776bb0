"""The store's fixtures: each test gets a clean store on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from planbot.store.repository import Store
from tests.servers import postgres

TABLES = (  # children first
    "slack_events",
    "slack_threads",
    "messages",
    "plan_versions",
    "plans",
    "sessions",
    "api_keys",
    "knowledge_documents",
    "owners",
)


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    with postgres() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        s = Store.for_data_dir(tmp_path)
    else:
        s = Store(request.getfixturevalue("pg_url"))
        with s.engine.begin() as conn:  # a clean schema per test
            for table in TABLES:
                conn.exec_driver_sql(f"DELETE FROM {table}")
    yield s
    s.close()

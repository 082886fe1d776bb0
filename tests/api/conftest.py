"""planbot served for real: `planbot serve` (uvicorn) on 127.0.0.1, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from tests.servers import Server, postgres


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    with postgres() as url:
        yield url


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, new_server: Callable[..., Server]) -> Server:
    url = request.getfixturevalue("pg_url") if request.param == "postgresql" else None
    return new_server(database_url=url)


@pytest.fixture
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=60) as c:
        yield c


@pytest.fixture(scope="session")
def sqlite_server(new_server: Callable[..., Server]) -> Server:
    return new_server()


@pytest.fixture
def local(sqlite_server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sqlite_server.url, timeout=60) as c:
        yield c

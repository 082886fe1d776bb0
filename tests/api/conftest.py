"""planbot served for real: `planbot serve` (uvicorn) on 127.0.0.1, on SQLite and on PostgreSQL."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.servers import Server, knowledge_template, postgres


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return knowledge_template(tmp_path_factory.mktemp("kb-template"))


@pytest.fixture(scope="session")
def new_server(tmp_path_factory: pytest.TempPathFactory, template: Path) -> Iterator[Callable[..., Server]]:
    """Start servers on copies of the indexed knowledge base; all are stopped at the end."""
    started: list[Server] = []

    def make(database_url: str | None = None, data_dir: Path | None = None, **env: str) -> Server:
        if data_dir is None:
            data_dir = tmp_path_factory.mktemp("server") / "data"
            shutil.copytree(template, data_dir)
        server = Server(data_dir, database_url, **env).start()
        started.append(server)
        return server

    yield make
    for s in started:
        s.stop()


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

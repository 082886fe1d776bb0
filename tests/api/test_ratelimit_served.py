"""Rate limits over real HTTP (issue: limits could be bypassed): fresh cookies share their address's
budget, failed keys are counted, the local owner is limited, and workers share one count."""

from __future__ import annotations

import re
import shutil
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from tests.servers import Server

OTHER_ADDRESS = "127.0.0.2"  # all of 127.0.0.0/8 is loopback on Linux: a second client address


def _client(server: Server, address: str | None = None) -> httpx.Client:
    transport = httpx.HTTPTransport(local_address=address) if address else None
    return httpx.Client(base_url=server.url, timeout=60, transport=transport)


def _assert_limited(r: httpx.Response) -> None:
    assert r.status_code == 429, r.text
    assert r.json()["error"]["code"] == "rate_limited"
    assert int(r.headers["Retry-After"]) >= 1


def _no_traceback(server: Server) -> None:
    log = server.log()
    assert "Traceback" not in log and " 500 " not in log, log[-3000:]


def test_cookies_minted_in_a_burst_share_the_address_budget(new_server: Callable[..., Server]) -> None:
    # the numbers: 10 cookies from GET /, 10 sessions each, at 10 per minute per owner
    server = new_server(PLANBOT_RATE_LIMIT_PER_MINUTE="10", PLANBOT_RATE_LIMIT_PER_ADDRESS_PER_MINUTE="25")
    statuses: list[int] = []
    for _ in range(10):
        with _client(server) as browser:
            page = browser.get("/")
            token = re.search(r'<meta name="csrf-token" content="([^"]+)">', page.text)
            assert page.status_code == 200 and token is not None and browser.cookies.get("planbot_owner")
            for _ in range(10):
                r = browser.post("/v1/sessions", json={}, headers={"X-CSRF-Token": token.group(1)})
                if r.status_code == 429:
                    _assert_limited(r)
                statuses.append(r.status_code)
    assert statuses.count(201) == 25 and statuses.count(429) == 75  # not 100 sessions: one budget per address
    with _client(server, OTHER_ADDRESS) as elsewhere:  # another address has its own budget
        assert elsewhere.get("/v1/sessions").status_code == 200
    _no_traceback(server)


def test_failed_keys_are_counted_and_the_address_gets_429(new_server: Callable[..., Server]) -> None:
    server = new_server(PLANBOT_RATE_LIMIT_AUTH_FAILURES_PER_MINUTE="3")
    good = {"Authorization": f"Bearer {server.cli('keys', 'create', 'alice')}"}
    with _client(server) as attacker:
        guesses = [attacker.get("/v1/sessions", headers={"Authorization": f"Bearer pb_guess{i:06d}"})
                   for i in range(5)]  # fmt: skip
        assert [r.status_code for r in guesses] == [401, 401, 401, 429, 429]
        _assert_limited(guesses[3])
        assert "failed API keys" in guesses[3].json()["error"]["message"]
        _assert_limited(attacker.get("/v1/sessions", headers=good))  # blocked before any key is looked at
        assert attacker.get("/v1/sessions", headers={"Authorization": "Basic eDp5"}).status_code == 429
    with _client(server, OTHER_ADDRESS) as honest:  # another address still gets in with its key
        assert honest.get("/v1/sessions", headers=good).status_code == 200
        assert honest.get("/v1/sessions", headers={"Authorization": "Bearer pb_wrong"}).status_code == 401
    _no_traceback(server)


def test_the_local_owner_is_limited(new_server: Callable[..., Server]) -> None:
    server = new_server(PLANBOT_RATE_LIMIT_PER_MINUTE="3")  # no keys: loopback callers are the local owner
    with _client(server) as local, _client(server, OTHER_ADDRESS) as other:
        assert [local.get("/v1/sessions").status_code for _ in range(3)] == [200, 200, 200]
        _assert_limited(local.get("/v1/sessions"))
        _assert_limited(other.get("/v1/sessions"))  # the same owner from another loopback address: still one budget
    _no_traceback(server)


def test_the_address_budget_holds_for_api_keys_too(new_server: Callable[..., Server]) -> None:
    server = new_server(PLANBOT_RATE_LIMIT_PER_MINUTE="100", PLANBOT_RATE_LIMIT_PER_ADDRESS_PER_MINUTE="4")
    keys = [{"Authorization": f"Bearer {server.cli('keys', 'create', f'k{i}')}"} for i in range(3)]
    with _client(server) as c:
        statuses = [c.get("/v1/sessions", headers=keys[i % 3]).status_code for i in range(9)]
    assert statuses == [200] * 4 + [429] * 5
    _no_traceback(server)


# -- workers share one count ----------------------------------------------------------------------------
@pytest.fixture
def fresh_pg(pg_url: str) -> str:
    """A database of its own on the session's PostgreSQL: no other server's counts for 127.0.0.1."""
    name = f"rl_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_url.replace("postgresql+psycopg", "postgresql"), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return pg_url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture
def start(tmp_path: Path, template: Path) -> Iterator[Callable[..., Server]]:
    started: list[Server] = []

    def make(name: str, database_url: str | None, workers: int = 1, **env: str) -> Server:
        data = tmp_path / name
        shutil.copytree(template, data)
        server = Server(data, database_url, workers=workers, **env)
        started.append(server)
        return server.start()

    yield make
    for s in started:
        s.stop()
    for s in started:
        _no_traceback(s)


def _burst(urls: list[str], headers: dict[str, str], n: int) -> list[int]:
    """n requests at once, each on a connection of its own, spread over the URLs."""
    statuses: list[int] = []
    lock = threading.Lock()

    def one(url: str) -> None:
        r = httpx.get(url + "/v1/sessions", headers=headers, timeout=60)
        if r.status_code == 429:
            _assert_limited(r)
        with lock:
            statuses.append(r.status_code)

    threads = [threading.Thread(target=one, args=(urls[i % len(urls)],)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return statuses


def test_a_server_with_two_workers_keeps_one_limit(start: Callable[..., Server], fresh_pg: str) -> None:
    server = start("two-workers", fresh_pg, workers=2, PLANBOT_RATE_LIMIT_PER_MINUTE="6")
    key = {"Authorization": f"Bearer {server.cli('keys', 'create', 'w')}"}
    assert server.log().count("Started server process") == 2
    statuses = _burst([server.url], key, 30)
    assert statuses.count(200) == 6 and statuses.count(429) == 24
    # both processes took part: each one's /metrics counts the requests it answered, together the 30
    seen: set[float] = set()
    for _ in range(100):
        metrics = httpx.get(server.url + "/metrics", timeout=30).text
        served = re.findall(r'planbot_requests_total\{method="GET",route="/v1/sessions",status="\d+"\} (\S+)', metrics)
        seen.add(sum(float(v) for v in served))
        if len(seen) == 2:
            break
    assert len(seen) == 2 and min(seen) > 0 and sum(seen) == 30, seen


def test_two_processes_on_one_database_share_the_limit(start: Callable[..., Server], tmp_path: Path) -> None:
    shared = f"sqlite:///{tmp_path / 'shared.db'}"
    a = start("a", shared, PLANBOT_RATE_LIMIT_PER_MINUTE="5")
    b = start("b", shared, PLANBOT_RATE_LIMIT_PER_MINUTE="5")
    key = {"Authorization": f"Bearer {a.cli('keys', 'create', 'shared')}"}
    with _client(a) as ca, _client(b) as cb:
        statuses = [(ca if i % 2 == 0 else cb).get("/v1/sessions", headers=key).status_code for i in range(12)]
    assert statuses == [200] * 5 + [429] * 7  # per process it would have been 10 (5 each)
    assert _burst([a.url, b.url], key, 10).count(200) == 0  # and concurrently, still nothing more

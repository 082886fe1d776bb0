"""Bodies over PLANBOT_MAX_BODY_MB get 413 however they are sent: with a Content-Length, or chunked
(no length up front), on every kind of route (JSON, multipart upload), and never a traceback."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from tests.servers import Server


def chunked(megabytes: int) -> Iterator[bytes]:
    """A well-formed start (a multipart part header; a JSON parser reads the whole body first anyway)."""
    yield b'--planbot\r\nContent-Disposition: form-data; name="file"; filename="big.md"\r\n\r\n'
    for _ in range(megabytes):
        yield b"x" * (1024 * 1024)


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/v1/knowledge/documents", "multipart/form-data; boundary=planbot"),
        ("/v1/sessions", "application/json"),
        ("/v1/plans", "application/json"),
    ],
)
def test_a_chunked_body_over_the_limit_is_413(small_body_server: Server, path: str, content_type: str) -> None:
    r = httpx.post(small_body_server.url + path, content=chunked(3), headers={"Content-Type": content_type},
                   timeout=60)  # fmt: skip
    assert "content-length" not in {k.lower() for k in r.request.headers}  # really sent chunked
    assert r.status_code == 413, r.text
    assert r.json()["error"]["code"] == "too_large" and "1 MB" in r.json()["error"]["message"]


def test_a_declared_body_over_the_limit_is_413(small_body_server: Server) -> None:
    r = httpx.post(small_body_server.url + "/v1/sessions", content=b"x" * (2 * 1024 * 1024), timeout=60)
    assert r.status_code == 413


def test_a_chunked_body_under_the_limit_is_served(small_body_server: Server) -> None:
    body = iter([b'{"text": ', b'"hello"}'])
    r = httpx.post(small_body_server.url + "/v1/sessions", content=body, timeout=60,
                   headers={"Content-Type": "application/json"})  # fmt: skip
    assert r.status_code == 201, r.text
    log = small_body_server.log()
    assert "Traceback" not in log and " 500 " not in log, log[-3000:]


@pytest.fixture(scope="module")
def small_body_server(new_server: Callable[..., Server]) -> Server:
    return new_server(PLANBOT_MAX_BODY_MB="1", PLANBOT_RATE_LIMIT_PER_MINUTE="0")

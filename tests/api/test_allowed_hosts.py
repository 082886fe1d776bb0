"""Issue 14: DNS rebinding. The open local default answers only to the names this server is meant for."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from planbot.api.hosts import HostRules, normalize_host
from planbot.config import Settings
from tests.servers import Server

EVIL = {"Host": "evil.example", "Origin": "http://evil.example"}


def _sessions(server: Server) -> list[str]:
    r = httpx.get(server.url + "/v1/sessions", timeout=60)
    assert r.status_code == 200, r.text
    return [s["id"] for s in r.json()]


def _refused(r: httpx.Response, host: str) -> None:
    assert r.status_code == 403, (r.status_code, r.text)
    error = r.json()["error"]
    assert error["code"] == "forbidden_host"
    assert host in error["message"] and "PLANBOT_ALLOWED_HOSTS" in error["message"]
    assert error["details"]["host"] == host
    assert r.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"


def test_a_rebound_name_reads_and_writes_nothing(sqlite_server: Server) -> None:
    created = httpx.post(sqlite_server.url + "/v1/sessions", json={}, timeout=60)
    assert created.status_code == 201
    before = _sessions(sqlite_server)
    with httpx.Client(base_url=sqlite_server.url, timeout=60, headers=EVIL) as evil:
        for method, path, body in [
            ("GET", "/v1/sessions", None),
            ("POST", "/v1/sessions", {}),
            ("GET", f"/v1/sessions/{created.json()['id']}", None),
            ("POST", "/v1/plans", {"text": "天猫，2027年GMV目标8000万，预算一千万"}),
            ("GET", "/v1/knowledge/documents", None),
            ("GET", "/v1/knowledge/search?q=budget", None),
            ("GET", "/", None),
            ("GET", "/docs", None),
            ("GET", "/openapi.json", None),
            ("GET", "/readyz", None),
            ("GET", "/metrics", None),
        ]:
            _refused(evil.request(method, path, json=body), "evil.example")
        files = {"file": ("evil.md", b"# Evil\n\nInjected guide text for the knowledge base.", "text/markdown")}
        _refused(evil.post("/v1/knowledge/documents", files=files), "evil.example")
        for host in ["evil.example:8000", "localhost.evil.example", "127.0.0.1.evil.example", "EVIL.example."]:
            r = evil.get("/v1/sessions", headers={"Host": host})
            _refused(r, host.split(":")[0].rstrip(".").lower())
    assert _sessions(sqlite_server) == before
    assert "evil" not in {d["id"] for d in httpx.get(sqlite_server.url + "/v1/knowledge/documents").json()}


def test_health_checks_answer_any_name_and_say_nothing_more(sqlite_server: Server) -> None:
    r = httpx.get(sqlite_server.url + "/healthz", headers={"Host": "10.1.2.3"})
    assert r.status_code == 200 and r.json() == {"status": "ok"}


@pytest.mark.parametrize("host", ["localhost", "LOCALHOST.", "127.0.0.1", "127.0.0.9", "[::1]", "localhost:{port}",
                                  "127.0.0.1:{port}", "[::1]:{port}"])  # fmt: skip
def test_loopback_names_are_served(sqlite_server: Server, host: str) -> None:
    headers = {"Host": host.format(port=sqlite_server.port)}
    r = httpx.get(sqlite_server.url + "/v1/sessions", headers=headers, timeout=60)
    assert r.status_code == 200, r.text
    origin = {"Origin": f"http://{headers['Host']}"}
    assert httpx.post(sqlite_server.url + "/v1/sessions", json={}, headers=headers | origin).status_code == 201


def test_allowed_hosts_and_the_public_url_are_served(new_server: Callable[..., Server]) -> None:
    server = new_server(
        PLANBOT_ALLOWED_HOSTS="plans.example.com, .corp.example:8443",
        PLANBOT_PUBLIC_URL="https://planbot.example.net:8443/base/",
    )
    for host in ["plans.example.com", "plans.example.com:443", "corp.example", "a.b.corp.example:80",
                 "planbot.example.net", "planbot.example.net:8443", "localhost"]:  # fmt: skip
        r = httpx.get(server.url + "/v1/sessions", headers={"Host": host}, timeout=60)
        assert r.status_code == 200, (host, r.text)
    for host in ["evil.example", "www.plans.example.com", "notcorp.example", "plans.example.com.evil.example",
                 "example.net"]:  # fmt: skip
        _refused(httpx.get(server.url + "/v1/sessions", headers={"Host": host}, timeout=60), host)


def test_host_rules_from_settings() -> None:
    """The rules as a pure function, for the settings a test server cannot easily take (bind address, `*`)."""
    rules = HostRules.from_settings(Settings(host="10.0.0.7", allowed_hosts=None, public_url=None))
    assert rules.allows("10.0.0.7") and rules.allows(normalize_host("10.0.0.7:8000"))
    assert not rules.allows("10.0.0.8") and not rules.allows("evil.example")
    assert rules.allows("10.0.0.9", local_address="10.0.0.9")  # the address the connection came in on
    wildcard = HostRules.from_settings(Settings(host="0.0.0.0", allowed_hosts=None, public_url=None))
    assert not wildcard.allows("0.0.0.0") and wildcard.allows("192.168.1.5", local_address="192.168.1.5")
    assert not wildcard.allows("192.168.1.5", local_address="127.0.0.1")
    anything = HostRules.from_settings(Settings(allowed_hosts="plans.example.com,*", public_url=None))
    assert anything.allows("evil.example")
    star = HostRules.parse(["*.example.com", " .Corp.Example. ", "[2001:db8::1]:443", ""])
    assert star.allows("a.example.com") and star.allows("example.com") and star.allows("x.corp.example")
    assert star.allows(normalize_host("[2001:db8::1]:8000")) and not star.allows("2001:db8::2")
    assert not star.allows("evilexample.com") and not star.allows("example.com.evil")
    for loopback in ["localhost", "app.localhost", "127.0.0.1", "127.1.2.3", "::1"]:
        assert HostRules.parse([]).allows(loopback)
    assert [normalize_host(h) for h in ["LocalHost.:80", "[::1]:8000", "::1", "a.b:1:2"]] == [
        "localhost", "::1", "::1", "a.b:1:2"]  # fmt: skip

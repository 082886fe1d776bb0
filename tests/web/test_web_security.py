"""The web surface's protections through real HTTP: cookies, CSRF, cross-site writes, headers, isolation."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import httpx
import pytest

from planbot.web.routes import accepted_language
from tests.servers import Server

Browser = Callable[[], tuple[httpx.Client, str]]


@pytest.fixture
def browser(web_server: Server) -> Iterator[Browser]:
    """Clients that opened the chat page: each holds its owner cookie and the page's CSRF token."""
    clients: list[httpx.Client] = []

    def open_page() -> tuple[httpx.Client, str]:
        client = httpx.Client(base_url=web_server.url, timeout=60, headers={"Accept-Language": "zh-CN"})
        clients.append(client)
        page = client.get("/")
        assert page.status_code == 200
        token = re.search(r'<meta name="csrf-token" content="([^"]+)">', page.text)
        assert token is not None
        return client, token.group(1)

    yield open_page
    for c in clients:
        c.close()


def test_page_headers_forbid_inline_script_framing_and_sniffing(web_server: Server) -> None:
    r = httpx.get(web_server.url + "/")
    csp = r.headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'" and "unsafe" not in csp
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "<script>" not in r.text and " on" not in re.sub(r"\s+", " ", r.text).replace(" one", "")
    # the JSON API answers with a policy that allows nothing at all
    api = httpx.get(web_server.url + "/healthz")
    assert api.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"


def test_cookie_writes_need_the_csrf_token(web_server: Server, browser: Browser) -> None:
    client, token = browser()
    missing = client.post("/v1/sessions", json={})
    assert missing.status_code == 403 and "reload the page" in missing.json()["error"]["message"]
    forged = client.post("/v1/sessions", json={}, headers={"X-CSRF-Token": token[:-2] + "xx"})
    assert forged.status_code == 403
    _, other_token = browser()  # another browser's token is not this one's
    assert client.post("/v1/sessions", json={}, headers={"X-CSRF-Token": other_token}).status_code == 403
    ok = client.post("/v1/sessions", json={}, headers={"X-CSRF-Token": token})
    assert ok.status_code == 201
    assert client.get("/v1/sessions").status_code == 200  # reads need no token


def test_writes_started_by_another_site_are_refused(web_server: Server, browser: Browser) -> None:
    client, token = browser()
    hostile = {"X-CSRF-Token": token, "Origin": "https://evil.example"}
    r = client.post("/v1/sessions", json={}, headers=hostile)
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    # even the open local mode (no cookie, no key) refuses a form posted from another site
    files = {"file": ("x.md", b"# Evil\n\nInjected guide text for the knowledge base.", "text/markdown")}
    r = httpx.post(web_server.url + "/v1/knowledge/documents", files=files, headers={"Sec-Fetch-Site": "cross-site"})
    assert r.status_code == 403
    same = httpx.post(web_server.url + "/v1/sessions", json={}, headers={"Origin": web_server.url})
    assert same.status_code == 201


def test_browsers_are_owners_isolated_from_each_other(web_server: Server, browser: Browser) -> None:
    a, token = browser()
    b, _ = browser()
    sid = a.post("/v1/sessions", json={"text": "户外用品，天猫，2027年GMV目标1000万，预算100万"},
                 headers={"X-CSRF-Token": token}).json()["id"]  # fmt: skip
    plan = a.post(f"/v1/sessions/{sid}/messages", json={"text": "生成方案"}, headers={"X-CSRF-Token": token})
    pid = plan.json()["plan"]["id"]
    for path in (f"/v1/sessions/{sid}", f"/ui/sessions/{sid}/brief", f"/plans/{pid}/preview",
                 f"/v1/plans/{pid}/versions", f"/v1/plans/{pid}/export/docx"):  # fmt: skip
        assert a.get(path).status_code == 200, path
        mine = b.get(path)
        assert mine.status_code == 404 and mine.json()["error"]["code"] == "not_found", path
    assert sid not in {s["id"] for s in b.get("/v1/sessions").json()}
    # the local owner (CLI, cookie-less loopback calls) is someone else again
    assert httpx.get(f"{web_server.url}/v1/sessions/{sid}").status_code == 404


def test_a_forged_cookie_is_a_stranger(web_server: Server, browser: Browser) -> None:
    a, token = browser()
    sid = a.post("/v1/sessions", json={}, headers={"X-CSRF-Token": token}).json()["id"]
    real = a.cookies["planbot_owner"]
    tampered = real[:-3] + ("AAA" if not real.endswith("AAA") else "BBB")
    r = httpx.get(f"{web_server.url}/v1/sessions/{sid}", cookies={"planbot_owner": tampered})
    assert r.status_code == 404
    fresh = httpx.get(web_server.url + "/", cookies={"planbot_owner": tampered})
    assert "planbot_owner=" in fresh.headers["set-cookie"]  # a new owner, not the forged one


def test_preview_is_framable_only_by_us_and_runs_no_script(web_server: Server, browser: Browser) -> None:
    client, token = browser()
    sid = client.post("/v1/sessions", json={"text": "户外用品，天猫，2027年GMV目标1000万，预算100万"},
                      headers={"X-CSRF-Token": token}).json()["id"]  # fmt: skip
    pid = client.post(f"/v1/sessions/{sid}/messages", json={"text": "生成方案"},
                      headers={"X-CSRF-Token": token}).json()["plan"]["id"]  # fmt: skip
    r = client.get(f"/plans/{pid}/preview")
    assert r.status_code == 200 and r.text.count("<svg") == 7  # five charts and the summary's two
    csp = r.headers["content-security-policy"]
    assert "script-src" not in csp and csp.startswith("default-src 'none'")
    assert "frame-ancestors 'self'" in csp and r.headers["x-frame-options"] == "SAMEORIGIN"
    assert "<script" not in r.text.lower()
    assert client.get(f"/plans/{pid}/preview?version=0").status_code == 422
    assert client.get(f"/plans/{pid}/preview?version=9").status_code == 404


def test_brief_fragment_escapes_what_the_user_typed(web_server: Server, browser: Browser) -> None:
    client, token = browser()
    sid = client.post("/v1/sessions", json={"text": '品牌叫<img src=x onerror=alert(1)>，户外用品，天猫'},
                      headers={"X-CSRF-Token": token}).json()["id"]  # fmt: skip
    html = client.get(f"/ui/sessions/{sid}/brief").text
    assert "<img" not in html and "天猫" in html


def test_language_follows_the_browser_then_the_switch(web_server: Server) -> None:
    en = httpx.get(web_server.url + "/", headers={"Accept-Language": "en-GB,en;q=0.9,zh;q=0.3"})
    assert '<html lang="en">' in en.text and "New conversation" in en.text
    zh = httpx.get(web_server.url + "/knowledge", headers={"Accept-Language": "zh-TW,zh;q=0.9"})
    assert '<html lang="zh-CN">' in zh.text and "上传指南" in zh.text
    switched = httpx.get(web_server.url + "/?lang=zh", headers={"Accept-Language": "en"})
    assert "新建对话" in switched.text and "planbot_lang=zh" in switched.headers["set-cookie"]
    kept = httpx.get(web_server.url + "/knowledge", headers={"Accept-Language": "en"}, cookies={"planbot_lang": "zh"})
    assert "上传指南" in kept.text


@pytest.mark.parametrize(
    ("header", "expected"),
    [("zh-CN,zh;q=0.9,en;q=0.8", "zh"), ("en-US,en;q=0.9,zh-CN;q=0.8", "en"), ("fr-FR,zh;q=0.5", "zh"),
     ("de,fr", "en"), ("", "en"), (None, "en"), ("en;q=0.2,zh;q=0.7", "zh"), ("zh;q=abc,en", "en"),
     ("*", "en"), ("zh-Hant-TW", "zh")],
)  # fmt: skip
def test_accepted_language(header: str | None, expected: str) -> None:
    assert accepted_language(header) == expected


def test_the_web_ui_can_be_switched_off(new_server: Callable[..., Server]) -> None:
    server = new_server(PLANBOT_WEB_ENABLED="false")
    r = httpx.get(server.url + "/", follow_redirects=False)
    assert r.status_code == 307 and r.headers["location"] == "/docs"
    assert httpx.get(server.url + "/knowledge").status_code == 404
    assert httpx.get(server.url + "/static/chat.js").status_code == 404

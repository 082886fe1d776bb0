"""Issue 14: /docs (Swagger UI) and /redoc work offline, in Chromium, with a strict per-page policy.

Every request the pages make is recorded: all of them go to this server (no CDN, no fonts, no
validator badge), and none fails (the `console` fixture also fails the test on any console error,
which is where Chromium reports a Content-Security-Policy violation).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx
from playwright.sync_api import Page, expect

from tests.servers import Server


def _record(page: Page) -> list[str]:
    urls: list[str] = []
    page.on("request", lambda r: urls.append(r.url))
    return urls


def _local_only(urls: list[str]) -> None:
    assert urls, "the page made no request"
    assert {urlsplit(u).hostname for u in urls if not u.startswith(("data:", "blob:"))} == {"127.0.0.1"}, urls


def test_swagger_ui_lists_the_operations_offline(web_server: Server, page: Page) -> None:
    urls = _record(page)
    page.goto(web_server.url + "/docs")
    expect(page.locator(".opblock-summary-path", has_text="/v1/sessions").first).to_be_visible()
    expect(page.locator(".opblock-post .opblock-summary-path").first).to_be_visible()
    assert page.locator(".opblock").count() > 10
    # an operation opens and shows its parameters (the bundle runs under the page's policy)
    page.locator(".opblock-get .opblock-summary", has_text="/v1/knowledge/search").first.click()
    expect(page.locator(".parameters-container").first).to_be_visible()
    _local_only(urls)
    assert any(u.endswith("/openapi.json") for u in urls)


def test_redoc_renders_the_operations_offline(web_server: Server, page: Page) -> None:
    urls = _record(page)
    page.goto(web_server.url + "/redoc")
    expect(page.locator("h2", has_text="New Session")).to_be_visible()
    expect(page.locator("h2", has_text="Upload")).to_have_count(2)  # a guide, and a session's sales history
    _local_only(urls)


def test_only_the_docs_pages_run_their_own_script(web_server: Server) -> None:
    for path in ("/docs", "/redoc", "/docs/oauth2-redirect"):
        r = httpx.get(web_server.url + path)
        assert r.status_code == 200, path
        csp = dict(d.strip().split(" ", 1) for d in r.headers["content-security-policy"].split(";"))
        assert csp["default-src"] == "'none'" and csp["frame-ancestors"] == "'none'", path
        assert "unsafe" not in csp["script-src"] and "*" not in r.headers["content-security-policy"], path
        assert all(s == "'self'" or s.startswith("'sha256-") for s in csp["script-src"].split()), path
    for path in ("/openapi.json", "/healthz", "/docs-static/swagger-ui-bundle.js"):
        r = httpx.get(web_server.url + path)
        assert r.status_code == 200, path
        assert r.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'", path

"""The web UI driven by a real browser: Debian's Chromium through Playwright, against `planbot serve`.

No `playwright install`: CI installs Chromium with apt (.ci/run) and the tests launch that binary.
Every page a test opens records console errors, failed requests and uncaught exceptions, and the
test fails if there were any.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.servers import Server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
expect.set_options(timeout=20_000)  # shared 2-core machines: a draft with charts can take seconds
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed: `apt-get install chromium` (.ci/run does it)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def web_server(new_server: Callable[..., Server]) -> Server:
    return new_server()


class Console:
    """What went wrong in the pages of one test: console errors, page errors, failed requests."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.allowed: list[str] = []  # substrings of errors a test provokes on purpose

    def watch(self, page: Page) -> None:
        page.on("console", lambda m: self._console(m.type, m.text, m.location))
        page.on("pageerror", lambda e: self.problems.append(f"uncaught: {e}"))
        page.on("requestfailed", lambda r: self._failed(r.url, r.failure))

    def _console(self, kind: str, text: str, location: dict[str, Any]) -> None:
        if kind in ("error", "warning") and not any(a in text or a in str(location) for a in self.allowed):
            self.problems.append(f"console {kind}: {text} at {location.get('url')}")

    def _failed(self, url: str, failure: str | None) -> None:
        # a download's navigation is reported "aborted" by Chromium although the file arrives
        if failure != "net::ERR_ABORTED" and not any(a in url for a in self.allowed):
            self.problems.append(f"request failed: {url} ({failure})")


@pytest.fixture
def console() -> Console:
    return Console()


@pytest.fixture
def new_context(browser: Browser, console: Console) -> Iterator[Callable[..., BrowserContext]]:
    contexts: list[BrowserContext] = []

    def make(locale: str = "zh-CN", width: int = 1366, height: int = 800) -> BrowserContext:
        ctx = browser.new_context(locale=locale, viewport={"width": width, "height": height}, accept_downloads=True)
        ctx.set_default_timeout(20_000)
        ctx.on("page", console.watch)
        contexts.append(ctx)
        return ctx

    yield make
    for ctx in contexts:
        ctx.close()
    assert console.problems == []


@pytest.fixture
def page(new_context: Callable[..., BrowserContext]) -> Page:
    return new_context().new_page()

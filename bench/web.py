"""The issue-7 promise, timed in a real browser: type the brief, then 生成方案, and see the plan
with its charts and a DOCX link. Debian's Chromium through Playwright against `planbot serve`
started as `make run` starts it (warm-up on). The first run begins right after /readyz.
"""

from __future__ import annotations

import re
import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright
from tests.servers import Server, knowledge_template

BRIEF = "户外用品，天猫+抖音，2027年GMV目标8000万，预算一千万，客单价260，重点做618和双11"
DOCX_LINK = re.compile(r"^/v1/plans/[\w-]+/export/docx\?version=1$")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]


def _one(page: Page, url: str) -> tuple[float, float]:
    """Seconds (Enter on the brief → draft button ready, Enter on 生成方案 → plan with charts and DOCX link)."""
    page.goto(url + "/")
    expect(page.locator("#new-session")).to_be_enabled()
    page.click("#new-session")
    expect(page.locator("#session-list li .open").first).to_have_attribute("aria-current", "true")
    expect(page.locator("#send")).to_be_enabled()
    page.fill("#input", BRIEF)
    t0 = time.perf_counter()
    page.press("#input", "Enter")
    expect(page.locator("#draft")).to_be_enabled()
    brief_s = time.perf_counter() - t0
    page.fill("#input", "生成方案")
    t0 = time.perf_counter()
    page.press("#input", "Enter")
    expect(page.frame_locator("#preview").locator("svg")).to_have_count(4)
    expect(page.locator('#downloads a[data-format="docx"]')).to_have_attribute("href", DOCX_LINK)
    return brief_s, time.perf_counter() - t0


def run(rounds: int = 5) -> list[str]:
    expect.set_options(timeout=60_000)
    with tempfile.TemporaryDirectory(prefix="planbot-bench-web-") as tmp:
        data = knowledge_template(Path(tmp))
        server = Server(data, PLANBOT_WARM_UP="true")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
            page = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 800}).new_page()
            server.start()
            try:
                first = _one(page, server.url)
                warm = [_one(page, server.url) for _ in range(rounds)]
            finally:
                server.stop()
                browser.close()
    drafts = [d for _, d in warm]
    return [
        "## Web UI: brief → 生成方案 → plan with charts and DOCX link (Chromium)",
        "",
        "Goal (issue 7): under 5 s offline. The first run starts right after /readyz of a fresh server",
        f"(warm-up running in the background); then {rounds} more conversations.",
        "",
        "| run | brief turn (s) | draft → plan, charts, DOCX link (s) |",
        "| --- | ---: | ---: |",
        f"| first after start | {first[0]:.2f} | {first[1]:.2f} |",
        f"| next {rounds}, median | {statistics.median(b for b, _ in warm):.2f} | {statistics.median(drafts):.2f} |",
        f"| next {rounds}, max | {max(b for b, _ in warm):.2f} | {max(drafts):.2f} |",
    ]

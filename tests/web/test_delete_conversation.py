"""Deleting a conversation in the browser: the confirmation says its plan goes too, and it does."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import Dialog, Page, expect

from tests.servers import Server
from tests.web.test_chat_page import ALL_IN_ONE, say


def test_deleting_a_conversation_says_and_does_that_its_plan_goes_too(web_server: Server, page: Page) -> None:
    page.goto(web_server.url + "/")
    expect(page.locator(".message.assistant").first).to_be_visible()
    say(page, ALL_IN_ONE)
    page.click("#draft")
    expect(page.locator("#version")).to_have_value("1")
    docx = page.locator('#downloads a[data-format="docx"]').get_attribute("href") or ""
    found = re.match(r"^/v1/plans/([\w-]+)/export/", docx)
    assert found is not None
    pid = found.group(1)
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    preview = f"{web_server.url}/plans/{pid}/preview"
    assert httpx.get(preview, cookies=cookies).status_code == 200

    asked: list[str] = []

    def accept(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    sid = page.locator("#session-list li").first.get_attribute("data-id")
    page.locator("#session-list li").first.get_by_role("button", name=re.compile("^删除")).click()
    expect(page.locator(f'#session-list li[data-id="{sid}"]')).to_have_count(0)
    assert asked and "方案" in asked[0] and "分享链接" in asked[0]
    for path in (preview, f"{web_server.url}/v1/plans/{pid}", f"{web_server.url}/v1/plans/{pid}/export/docx"):
        assert httpx.get(path, cookies=cookies).status_code == 404, path

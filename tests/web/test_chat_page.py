"""A marketer's conversation in the browser: brief → draft → revision → downloads, in Chinese."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import httpx
from docx import Document
from playwright.sync_api import BrowserContext, Page, Request, expect

from tests.servers import Server
from tests.web.conftest import Console

ALL_IN_ONE = "户外用品，天猫+抖音，2027年GMV目标8000万，预算一千万，客单价260，重点做618和双11"


def replies(page: Page) -> int:
    return page.locator(".message.assistant:not(.pending)").count()


def say(page: Page, text: str) -> None:
    """Type a message and press Enter; wait until the streamed reply is complete."""
    expect(page.locator("#send")).to_be_enabled()  # not while a conversation is still loading
    before = replies(page)
    page.fill("#input", text)
    page.press("#input", "Enter")
    expect(page.locator(".message.assistant:not(.pending)")).to_have_count(before + 1)


def unnamed_controls(page: Page) -> list[str]:
    """Buttons, inputs, selects, textareas and links without an accessible name (label, aria-label or text)."""
    found: list[str] = page.evaluate(
        """() => [...document.querySelectorAll("button, input, select, textarea, a, iframe")]
            .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute("aria-label")
                && !el.getAttribute("title") && !el.textContent.trim())
            .map((el) => el.outerHTML.slice(0, 120))"""
    )
    return found


def test_chinese_conversation_to_a_plan_with_charts_revision_and_docx(web_server: Server, page: Page) -> None:
    streamed: list[Request] = []
    page.on("request", lambda r: streamed.append(r) if r.url.endswith("/messages") else None)
    page.goto(web_server.url + "/")
    expect(page.locator("#new-session")).to_have_text("新建对话")  # zh-CN browser → Chinese UI
    expect(page.locator(".message.assistant").first).to_contain_text("你好")
    expect(page.locator("#draft")).to_be_disabled()
    expect(page.locator("#brief-panel .row.missing").first).to_be_visible()

    say(page, ALL_IN_ONE)
    assert streamed and streamed[0].headers.get("accept") == "text/event-stream"
    brief = page.locator("#brief-panel")
    expect(brief.locator('[data-field="platforms"] .value')).to_have_text("天猫、抖音")
    expect(brief.locator('[data-field="gmv_target"] .value')).to_have_text("¥80,000,000")
    expect(brief.locator('[data-field="budget_total"] .value')).to_have_text("¥10,000,000")
    expect(brief.locator('[data-field="aov"] .value')).to_have_text("¥260")
    expect(brief.locator(".row.missing")).to_have_count(0)
    expect(page.locator("#draft")).to_be_enabled()
    expect(page.locator("#session-list .open").first).to_contain_text("户外用品")

    page.click("#draft")  # sends 生成方案 in the conversation's language
    expect(page.locator(".message.user").last).to_have_text(re.compile("生成方案"))
    expect(page.locator("#plan-panel")).to_be_visible()
    preview = page.frame_locator("#preview")
    expect(preview.locator("h1")).to_contain_text("2027")
    expect(preview.locator("svg")).to_have_count(
        7
    )  # by channel, budget by month, Gantt, funnel, GMV by month; the summary's donut and timeline
    expect(preview.locator("body")).to_contain_text("¥1,000万")
    expect(page.locator("#version")).to_have_value("1")
    docx = page.locator('#downloads a[data-format="docx"]')
    expect(docx).to_have_attribute("href", re.compile(r"^/v1/plans/[\w-]+/export/docx\?version=1$"))

    with page.expect_download() as caught:
        docx.click()
    download = caught.value
    assert download.suggested_filename.endswith("-v1.docx")
    path = download.path()
    assert path is not None
    text = "\n".join(p.text for p in Document(io.BytesIO(path.read_bytes())).paragraphs)
    assert "2027" in text and "营销方案" in text

    # every download link works with the browser's own cookie and names its file
    for link in page.locator("#downloads a[data-format]").all():
        href = link.get_attribute("href")
        assert href is not None
        r = page.request.get(web_server.url + href)
        fmt = link.get_attribute("data-format")
        assert r.status == 200 and len(r.body()) > 500, fmt
        assert f"-v1.{fmt}" in r.headers["content-disposition"], fmt
    assert unnamed_controls(page) == []

    say(page, "把抖音预算降到30%")
    expect(page.locator("#version")).to_have_value("2")
    expect(page.locator("#version option")).to_have_count(2)
    diff = page.locator("#diff-list")
    expect(diff).to_contain_text("抖音")  # Tmall + Douyin: the platform's share of media moves
    expect(diff).to_contain_text("→ 30%")
    expect(page.locator("#preview")).to_have_attribute("src", re.compile(r"version=2$"))
    expect(page.frame_locator("#preview").locator("body")).to_contain_text("版本：2")

    page.select_option("#version", "1")
    expect(page.locator("#preview")).to_have_attribute("src", re.compile(r"version=1$"))
    expect(diff).to_have_text("首版，无改动记录")
    expect(page.locator('#downloads a[data-format="pdf"]')).to_have_attribute("href", re.compile(r"version=1$"))

    # a reload finds the same conversation, its plan and its latest version
    page.reload()
    expect(page.locator(".message.user")).to_have_count(3)
    expect(page.locator("#version")).to_have_value("2")


def test_english_browser_gets_english_ui_and_the_switch_sticks(
    web_server: Server, new_context: Callable[..., BrowserContext]
) -> None:
    page = new_context(locale="en-US").new_page()
    page.goto(web_server.url + "/")
    expect(page.locator("#new-session")).to_have_text("New conversation")
    expect(page.locator("#input")).to_have_attribute("placeholder", re.compile("Enter sends"))
    expect(page.locator(".message.assistant").first).to_contain_text("Hi!")
    assert unnamed_controls(page) == []
    page.click("#lang-switch")
    expect(page.locator("#new-session")).to_have_text("新建对话")
    page.click('nav a[href="/knowledge"]')
    expect(page.locator("h1")).to_have_text("知识库")
    expect(page.locator("#docs tbody tr").first).to_be_visible()
    assert unnamed_controls(page) == []


def test_sessions_rename_delete_and_text_is_never_html(web_server: Server, page: Page) -> None:
    page.goto(web_server.url + "/")
    expect(page.locator(".message.assistant").first).to_be_visible()
    page.click("#new-session")
    expect(page.locator("#session-list li")).to_have_count(2)
    expect(page.locator("#session-list li .open").first).to_have_attribute("aria-current", "true")
    say(page, "我们是宠物食品品牌，在京东卖")
    first = page.locator("#session-list li").first
    expect(first.locator(".open")).to_have_attribute("aria-current", "true")

    first.get_by_role("button", name=re.compile("^重命名")).click()
    field = page.get_by_label("对话名称")
    field.fill('<img src=x onerror="document.title=1">宠物 2027')
    field.press("Enter")
    title = page.locator("#session-list li .open").first
    expect(title).to_have_text('<img src=x onerror="document.title=1">宠物 2027')
    expect(page.locator("#session-list img")).to_have_count(0)

    count = page.locator("#session-list li").count()
    page.once("dialog", lambda d: d.accept())
    page.locator("#session-list li").first.get_by_role("button", name=re.compile("^删除")).click()
    expect(page.locator("#session-list li")).to_have_count(count - 1)
    expect(page.locator("#session-list")).not_to_contain_text("宠物 2027")


def test_a_failed_send_keeps_the_text(web_server: Server, page: Page, console: Console) -> None:
    console.allowed.append("/messages")  # the failure this test provokes
    page.goto(web_server.url + "/")
    expect(page.locator(".message.assistant").first).to_be_visible()
    page.route("**/messages", lambda route: route.abort())  # the network drops the request
    expect(page.locator("#send")).to_be_enabled()
    page.fill("#input", "预算三百万")
    page.press("#input", "Enter")
    expect(page.locator("#status")).to_contain_text("网络出错")
    expect(page.locator("#input")).to_have_value("预算三百万")
    expect(page.locator(".message.user")).to_have_count(0)


def test_another_browser_cannot_see_the_conversation(
    web_server: Server, new_context: Callable[..., BrowserContext]
) -> None:
    mine = new_context().new_page()
    mine.goto(web_server.url + "/")
    expect(mine.locator(".message.assistant").first).to_be_visible()
    session = mine.evaluate("new URLSearchParams(location.search).get('s')")
    other = new_context().new_page()
    other.goto(f"{web_server.url}/?s={session}")
    expect(other.locator(".message.assistant").first).to_be_visible()
    assert other.evaluate("new URLSearchParams(location.search).get('s')") != session
    cookies = {c["name"]: c["value"] for c in other.context.cookies()}
    r = httpx.get(f"{web_server.url}/v1/sessions/{session}", cookies=cookies)
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"

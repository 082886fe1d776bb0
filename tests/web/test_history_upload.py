"""A brand's history in the browser (issue 23): pick or drop a CSV on the chat, see what was recognised
(style, period, rows, columns, a table of the months' GMV), import it or cancel; a bad file is refused
inline naming the row; the template links download files the reader reads."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Page, expect

from planbot.history_read import read_history
from tests.servers import Server
from tests.service.history_data import BAD_ROW, monthly_csv
from tests.web.conftest import Console

BRIEF = "户外用品，天猫+抖音，2027年GMV目标8000万，预算一千万"


def _open(page: Page, server: Server) -> str:
    page.goto(server.url + "/")
    expect(page.locator("#send")).to_be_enabled()
    expect(page).to_have_url(re.compile(r"\?s="))
    return parse_qs(urlsplit(page.url).query)["s"][0]


def _brief(page: Page, server: Server, sid: str) -> dict[str, object]:
    r = page.request.get(f"{server.url}/v1/sessions/{sid}")
    assert r.ok
    brief: dict[str, object] = r.json()["brief"]
    return brief


def test_pick_a_file_see_the_preview_and_import_it(web_server: Server, page: Page, tmp_path: Path) -> None:
    sid = _open(page, web_server)
    page.fill("#input", BRIEF)
    page.press("#input", "Enter")
    expect(page.locator(".message.assistant:not(.pending)")).to_have_count(2)
    expect(page.locator("#history-attached")).to_be_hidden()

    path = tmp_path / "户外2025.csv"
    path.write_bytes(monthly_csv(12))
    page.set_input_files("#history-file", str(path))
    card = page.locator("#history-card")
    expect(card).to_be_visible()
    expect(card.locator("h3")).to_have_text(re.compile("识别结果"))
    expect(card.locator(".summary")).to_contain_text("户外2025.csv")
    expect(card.locator(".facts")).to_contain_text("planbot 模板")
    expect(card.locator(".facts")).to_contain_text("2025-01 – 2025-12")
    expect(card.locator(".facts")).to_contain_text("成交额 → GMV")
    expect(card.locator(".facts")).to_contain_text("新买家数 → 新买家数")  # the field in the user's words, not its key
    expect(card.locator("table.months tbody tr")).to_have_count(12)
    expect(card.locator("table.months tbody tr").first).to_contain_text("1,200,000")
    assert _brief(page, web_server, sid)["history"] is None  # a preview stores nothing

    page.click("#history-confirm")
    expect(card).to_be_hidden()
    expect(page.locator(".message.user").last).to_contain_text("户外2025.csv")
    expect(page.locator(".message.assistant").last).to_contain_text("已导入历史数据")
    expect(page.locator("#history-attached")).to_be_visible()
    expect(page.locator("#history-name")).to_contain_text("户外2025.csv (2025-01 – 2025-12)")
    history = _brief(page, web_server, sid)["history"]
    assert isinstance(history, dict) and history["source"]["file"] == "户外2025.csv"
    assert page.locator(".message.assistant").count() == 3

    page.once("dialog", lambda d: d.accept())
    page.click("#history-remove")
    expect(page.locator("#history-attached")).to_be_hidden()
    expect(page.locator(".message.assistant").last).to_contain_text("已删除历史数据")
    assert _brief(page, web_server, sid)["history"] is None


def test_drop_a_file_then_cancel_and_a_bad_file_is_refused_inline(
    web_server: Server, page: Page, console: Console
) -> None:
    console.allowed.append("/history")  # the bad file's 422 is provoked on purpose
    sid = _open(page, web_server)
    messages = page.locator(".message").count()

    def drop(name: str, data: bytes) -> None:
        transfer = page.evaluate_handle(
            """([name, text]) => {
                const dt = new DataTransfer();
                dt.items.add(new File([text], name, { type: "text/csv" }));
                return dt;
            }""",
            [name, data.decode("utf-8")],
        )
        page.dispatch_event("main.chat", "dragover", {"dataTransfer": transfer})
        expect(page.locator("main.chat")).to_have_class(re.compile("dropping"))
        page.dispatch_event("main.chat", "drop", {"dataTransfer": transfer})

    drop("dropped.csv", monthly_csv(3))
    card = page.locator("#history-card")
    expect(card.locator("table.months tbody tr")).to_have_count(3)
    expect(page.locator("main.chat")).not_to_have_class(re.compile("dropping"))
    page.click("#history-cancel")
    expect(card).to_be_hidden()
    assert _brief(page, web_server, sid)["history"] is None

    drop("bad.csv", monthly_csv(6, bad="abc"))
    error = card.locator(".error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("没有导入")
    expect(error).to_contain_text(f"第 {BAD_ROW} 行")
    expect(error).to_contain_text("abc")
    expect(card.locator("#history-confirm")).to_have_count(0)
    assert page.locator(".message").count() == messages  # nothing added to the conversation
    assert _brief(page, web_server, sid)["history"] is None


def test_the_template_links_download_readable_files(web_server: Server, page: Page) -> None:
    _open(page, web_server)
    links = page.locator(".history-bar .templates a")
    expect(links).to_have_count(4)
    for i in range(4):
        href = links.nth(i).get_attribute("href")
        assert href is not None
        with page.expect_download() as info:
            links.nth(i).click()
        download = info.value
        data = Path(download.path()).read_bytes()
        fmt = parse_qs(urlsplit(href).query)["format"][0]
        assert download.suggested_filename.endswith(f".{fmt}")
        assert read_history(download.suggested_filename, data).columns

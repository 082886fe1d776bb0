"""The knowledge page in the browser: drag-and-drop and picker uploads, list, search, remove."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.servers import Server
from tests.web.conftest import Console

GUIDE = """---
title: 露营装备会员日运营手册
lang: zh
---
# 露营装备会员日运营手册

每月第一个周六是露营装备会员日，会员日前三天开始蓄水，会员专享券面额为客单价的百分之八。
会员日当天的直播排期：上午讲帐篷选购，下午讲炊具，晚上做福袋抽奖。
"""
EN_GUIDE = "# Kayak club loyalty guide\n\nKayak club members get early access to the spring paddle sale; the paddle sale warm-up lasts five days.\n"


def test_upload_by_drop_and_picker_search_and_remove(
    web_server: Server, page: Page, console: Console, tmp_path: Path
) -> None:
    console.allowed.append("/v1/knowledge/documents")  # the refused binary upload answers 400 on purpose
    page.goto(web_server.url + "/knowledge")
    expect(page.locator("h1")).to_have_text("知识库")
    expect(page.locator("#docs tbody tr").first).to_be_visible()
    shipped = page.locator("#docs tbody tr").count()
    assert shipped >= 19
    expect(page.locator("#docs tbody button")).to_have_count(0)  # shipped guides are not yours to remove

    # drag-and-drop: a real DataTransfer with a File, dropped on the zone
    transfer = page.evaluate_handle(
        """([name, text]) => {
            const dt = new DataTransfer();
            dt.items.add(new File([text], name, { type: "text/markdown" }));
            return dt;
        }""",
        ["camping-member-day.md", GUIDE],
    )
    page.dispatch_event("#dropzone", "drop", {"dataTransfer": transfer})
    first = page.locator("#uploads li").first
    expect(first).to_have_class(re.compile("ok"))
    expect(first.locator(".result")).to_have_text(re.compile(r"已加入，\d+ 个片段"))
    expect(first.locator("progress")).to_have_attribute("value", "100")

    # the file picker, two files at once: one good, one binary named .md
    good = tmp_path / "kayak-club.md"
    good.write_text(EN_GUIDE, encoding="utf-8")
    bad = tmp_path / "photo.md"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    page.set_input_files("#files", [str(good), str(bad)])
    expect(page.locator("#uploads li")).to_have_count(3)
    expect(page.locator("#uploads li").nth(1)).to_have_class(re.compile("ok"))
    refused = page.locator("#uploads li").nth(2)
    expect(refused).to_have_class(re.compile("failed"))
    expect(refused.locator(".result")).to_contain_text("没有加入")

    rows = page.locator("#docs tbody tr")
    expect(rows).to_have_count(shipped + 2)
    mine = rows.filter(has_text="露营装备会员日运营手册")
    expect(mine).to_contain_text("你上传的")

    page.fill("#q", "露营装备会员日的专享券面额")
    page.click("#search-form button")
    top = page.locator("#hits li").first
    expect(top.locator("cite")).to_have_text("露营装备会员日运营手册")
    expect(top.locator("blockquote")).to_contain_text("百分之八")

    page.once("dialog", lambda d: d.accept())
    mine.get_by_role("button", name=re.compile("^移除")).click()
    expect(rows).to_have_count(shipped + 1)
    page.click("#search-form button")
    expect(page.locator("#hits cite").first).not_to_have_text("露营装备会员日运营手册")

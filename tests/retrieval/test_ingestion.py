"""Loaders, cleaning and chunking on the kinds of files marketers really upload."""

from __future__ import annotations

import io

import pytest
from docx import Document

from planbot.errors import BadInput
from planbot.retrieval.chunking import MAX_CHARS, chunk_document
from planbot.retrieval.cleaning import clean, for_matching, noise_line, strip_pinyin
from planbot.retrieval.loaders import decode, load_bytes

ZH = "营销预算按费用类别分配：广告投放50%，内容制作20%。"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gb18030", "gbk"])
def test_chinese_text_in_common_encodings(encoding: str) -> None:
    assert decode((ZH * 5).encode(encoding)) == ZH * 5


def test_big5_traditional() -> None:
    text = "營銷活動組織方案：預熱期、爆發期與延續期的執行重點。" * 4
    assert decode(text.encode("big5")) == text


def test_binary_renamed_md_is_refused() -> None:
    with pytest.raises(BadInput):
        load_bytes(bytes(range(256)) * 20, "guide.md")


def test_unsupported_type() -> None:
    with pytest.raises(BadInput, match="unsupported file type"):
        load_bytes(b"x", "deck.pptx")


def test_html_keeps_structure_and_drops_chrome() -> None:
    html = """<html><head><title>双11攻略</title><script>track()</script></head><body>
    <nav>首页 | 登录</nav><h2>预热期</h2><p>提前10天种草。</p>
    <table><tr><th>阶段</th><th>日期</th></tr><tr><td>爆发期</td><td>11.8-11.11</td></tr></table>
    <footer>版权所有</footer></body></html>"""
    doc = load_bytes(html.encode("utf-8"), "page.html")
    assert doc.title == "双11攻略"
    assert "## 预热期" in doc.text and "| 爆发期 | 11.8-11.11 |" in doc.text
    assert "track()" not in doc.text and "登录" not in doc.text and "版权所有" not in doc.text


def test_docx_headings_and_tables() -> None:
    d = Document()
    d.add_heading("预算分配", level=1)
    d.add_paragraph("广告投放占50%。")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text, t.cell(1, 0).text, t.cell(1, 1).text = "类别", "占比", "广告", "50%"
    buf = io.BytesIO()
    d.save(buf)
    doc = load_bytes(buf.getvalue(), "budget.docx")
    assert "## 预算分配" in doc.text and "| 广告 | 50% |" in doc.text


def test_not_a_docx() -> None:
    with pytest.raises(BadInput, match="not a valid DOCX"):
        load_bytes(b"plain text", "fake.docx")


def test_pdf_without_text_layer_is_reported() -> None:
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=200, height=200)
    buf = io.BytesIO()
    w.write(buf)
    with pytest.raises(BadInput, match="no text layer"):
        load_bytes(buf.getvalue(), "scan.pdf")


def test_front_matter_sets_metadata() -> None:
    doc = load_bytes(b"---\nid: g1\ntitle: T\nlang: en\ntags: [budget]\n---\n# T\n\nBody text here.", "x.md")
    assert (doc.doc_id, doc.title, doc.lang, doc.tags) == ("g1", "T", "en", ["budget"])


def test_cleaning_removes_page_noise() -> None:
    raw = "\n".join([
        "电商年度营销方案", "第1页/共3页", "VIP专享 立即下载", "图1 营销漏斗示意",
        "电商年度营销方案", "年度方案要覆盖全部四个季度。", "点击关注公众号获取更多", "第2页/共3页",
    ])  # fmt: skip
    out = clean(raw, "电商年度营销方案")
    assert out.count("电商年度营销方案") == 1
    assert "年度方案要覆盖全部四个季度。" in out
    for noise in ("第1页", "VIP", "图1", "公众号"):
        assert noise not in out


@pytest.mark.parametrize(
    "line",
    [
        "每月第一个周六是会员日，会员专享券面额为客单价的百分之八。",  # was dropped as "会员专享" chrome
        "点击率低于1%时换素材",
        "积分可抵现，满1000积分抵10元",
        "扫码领券，下单立减20元",
        "引导用户分享到朋友圈领券",
        "免费包邮门槛设在客单价的1.2倍",
        "App下载量提升30%",
        "Third-party cookie deprecation makes first-party data worth more.",
    ],
)
def test_marketing_lines_that_share_words_with_site_chrome_stay(line: str) -> None:
    assert not noise_line(line)
    assert line in clean(f"标题\n{line}\n正文。", "标题")


@pytest.mark.parametrize(
    "line",
    ["原创力文档 | 首页 | 登录 | 注册", "Home | Blog | Pricing | Log in", "Cookie settings", "免费下载本方案",
     "下载APP", "登录", "扫码关注，获取更多方案", "Subscribe to our newsletter"],
)  # fmt: skip
def test_site_chrome_lines_go(line: str) -> None:
    assert noise_line(line)


def test_pinyin_noise_is_removed_but_acronyms_stay() -> None:
    assert strip_pinyin("營銷(xiāo)方案(fang)要有預算(wù)") == "營銷方案要有預算"
    assert strip_pinyin("达人(KOL)与搜索(SEM)") == "达人(KOL)与搜索(SEM)"
    assert strip_pinyin("私域 (private domain) 流量") == "私域 (private domain) 流量"


def test_matching_text_is_simplified_and_halfwidth() -> None:
    assert for_matching("營銷預算１５００萬") == "营销预算1500万"


def test_chunks_keep_tables_whole_and_ids_stable() -> None:
    table = "\n".join(f"| 渠道{i} | {i}% | {i * 1000}元 |" for i in range(40))
    text = "## 渠道预算\n" + "搜索广告承接需求。" * 80 + "\n\n" + table + "\n\n## 复盘\n活动后3个工作日内复盘。"
    chunks = chunk_document("d1", "指南", text)
    tables = [c for c in chunks if "| 渠道0 |" in c.text]
    assert len(tables) == 1 and "| 渠道39 |" in tables[0].text
    assert all(len(c.text) <= MAX_CHARS + 20 for c in chunks if "|" not in c.text)
    assert chunks[-1].heading == "复盘"
    assert [c.chunk_id for c in chunk_document("d1", "指南", text)] == [c.chunk_id for c in chunks]

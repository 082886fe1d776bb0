"""Raw pages (no headings, flattened tables, hard wraps, site boilerplate) chunked into sentence windows
about the size of the shipped guides' sections, while the guides themselves chunk exactly as before."""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import statistics
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planbot.retrieval.chunking import MAX_CHARS, Chunk, chunk_document, is_page
from planbot.retrieval.cleaning import clean
from planbot.retrieval.documents import prepare
from planbot.retrieval.loaders import iter_files, load_file

ROOT = Path(__file__).resolve().parents[2]
MESSY = ROOT / "tests" / "fixtures" / "messy"
SHIPPED = json.loads(Path(__file__).with_name("shipped_chunk_ids.json").read_text(encoding="utf-8"))
ENDS = "。！？；.!?;"

ZH = [
    "第{i}轮预热期建议提前7到10天开启，先用达人种草积累搜索量",
    "店铺首页需要在活动前{i}天完成改版，主推款放在首屏",
    "预算按渠道拆分时，信息流广告占比不宜超过{i}成",
    "直播间每场至少准备{i}个福利款，用来拉长停留时长",
    "复盘会在活动结束后{i}个工作日内召开，对照目标逐项检查",
    "私域社群每周推送不超过{i}次，避免打扰老客",
    "若第{i}天加购量低于目标的七成，把应急预算投向转化最高的渠道",
]
EN = [
    "Round {i} of the warm-up should start a week before the sale so that search demand builds up",
    "Email subscribers get early access on day {i}, which lifts the conversion rate of the launch",
    "Keep reserve budget number {i} for the channel that converts best during the peak",
    "Livestream slot {i} needs at least three hero products and a clear price anchor",
    "The review meeting for wave {i} compares every KPI against the plan and records the lessons",
    "Creative set {i} is refreshed when the click-through rate falls below one percent",
]


def page(templates: list[str], end: str, sep: str, chars: int) -> tuple[str, list[str]]:
    """A heading-less page of unique sentences in paragraphs of 3 to 5, about `chars` long."""
    sentences: list[str] = []
    paragraphs: list[str] = []
    i = 0
    while sum(map(len, sentences)) < chars:
        para = [templates[(i + k) % len(templates)].format(i=i + k + 1) + end for k in range(3 + i % 3)]
        i += len(para)
        sentences += para
        paragraphs.append(sep.join(para))
    return "\n\n".join(paragraphs), sentences


def bodies(chunks: list[Chunk]) -> list[str]:
    return [c.text.split("\n", 1)[1] if c.text.startswith("## ") else c.text for c in chunks]


def chunks_of(text: str, title: str = "大促方案") -> list[Chunk]:
    return chunk_document("page", title, clean(text, title))


@pytest.mark.parametrize(("templates", "end", "sep"), [(ZH, "。", ""), (EN, ".", " ")])
def test_headingless_pages_become_guide_sized_overlapping_sentence_windows(
    templates: list[str], end: str, sep: str
) -> None:
    text, sentences = page(templates, end, sep, 3000)
    chunks = chunks_of(text)
    lengths = [len(c.text) for c in chunks]
    assert 200 <= statistics.mean(lengths) <= 400, lengths
    assert max(lengths) <= MAX_CHARS
    assert all(c.heading == "大促方案" and c.text.startswith("## 大促方案\n") for c in chunks)
    assert all("大促方案" in c.match_text for c in chunks)
    texts = bodies(chunks)
    for body in texts:  # whole sentences only
        assert any(body.startswith(s) for s in sentences), body[:40]
        assert body.rstrip()[-1] in ENDS, body[-40:]
    for a, b in itertools.pairwise(texts):  # neighbours share a sentence
        assert any(s in a and s in b for s in sentences), (a[-60:], b[:60])
    assert all(any(s in body for body in texts) for s in sentences)
    assert [c.chunk_id for c in chunks_of(text)] == [c.chunk_id for c in chunks]  # stable ids


def test_an_answer_across_a_window_boundary_is_whole_in_one_chunk() -> None:
    text, sentences = page(ZH, "。", "", 3000)
    texts = bodies(chunks_of(text))
    for a, b in itertools.pairwise(sentences):  # any two neighbouring sentences, read together
        assert any(a in t and b in t for t in texts) or len(a) + len(b) > MAX_CHARS, (a, b)


def test_pseudo_headings_head_their_windows() -> None:
    text = "\n".join([
        "一、活动目标", "今年目标是全店成交额同比增长35%，新增会员3万人。会员复购率不低于15%，以活动后30天统计。",
        "二、预售安排", "10月下旬开启预售，以定金锁定需求。爆款商品提前备货至前置仓，物流提前预约运力。",
        "风险预案：", "若加购量低于目标的70%，将储备金投向转化最高的直播间。若物流爆仓，启用备用仓。",
    ])  # fmt: skip
    chunks = chunks_of(text)
    assert [c.heading for c in chunks] == ["一、活动目标", "二、预售安排", "风险预案："]
    assert chunks[1].text.startswith("## 二、预售安排\n10月下旬")
    assert all("大促方案" in c.match_text for c in chunks)


def test_pinyin_page_is_cut_at_its_numbered_headings() -> None:
    chunks = prepare(load_file(MESSY / "tw-double11-pinyin.txt")).chunks
    assert [c.heading for c in chunks] == ["一、活動目標", "二、預售與供應鏈", "三、即時監控", "四、會員與私域"]
    assert all("雙十一營銷活動組織方案" not in c.text for c in chunks)  # the title heads, never repeats
    assert all("双十一营销活动组织方案" in c.match_text for c in chunks)


def test_blog_page_windows_overlap() -> None:
    chunks = prepare(load_file(MESSY / "blog-bfcm-checklist.txt")).chunks
    assert len(chunks) >= 3 and all(len(c.text) <= MAX_CHARS for c in chunks)
    assert all(c.heading == "BFCM Checklist for Shopify Sellers" for c in chunks)
    text = "\n".join(c.text for c in chunks)
    for noise in ("Subscribe", "Cookie", "Share this", "Related posts", "min read", "Figure 2", "All rights"):
        assert noise not in text, noise
    assert any("six weeks ahead. Offer early access" in c.text for c in chunks)  # neighbours read together


ROWS = [("达人与直播", "80万", "40%"), ("信息流广告", "60万", "30%"), ("搜索广告", "30万", "15%"),
        ("私域与短信", "10万", "5%"), ("应急储备", "20万", "10%"), ("品牌广告", "10万", "5%"),
        ("站外引流", "10万", "5%"), ("会员权益", "20万", "10%"), ("内容制作", "20万", "10%"),
        ("KOC 种草", "10万", "5%"), ("联盟分佣", "10万", "5%"), ("赠品物料", "20万", "10%")]  # fmt: skip
PROSE, _ = page(ZH, "。", "", 900)


@pytest.mark.parametrize("layout", ["tabs", "spaces", "cell-lines"])
def test_flattened_tables_land_in_one_chunk(layout: str) -> None:
    if layout == "cell-lines":
        table = "\n".join(["项目", "金额", "占比", *(cell for row in ROWS for cell in row)])
    else:
        gap = "\t" if layout == "tabs" else "    "
        table = "\n".join(gap.join(row) for row in [("项目", "金额", "占比"), *ROWS])
    text = f"{PROSE}\n\n预算分配如下\n{table}\n\n{PROSE.replace('轮', '次')}"
    chunks = chunks_of(text)
    holding = [c for c in chunks if "达人与直播" in c.text]
    assert len(holding) == 1, [c.text for c in chunks]
    assert all(cell in holding[0].text for row in ROWS for cell in row)  # every cell, repeated "10%" too
    assert all(len(c.text) <= MAX_CHARS for c in chunks)


def test_a_table_longer_than_a_chunk_is_split_between_rows() -> None:
    rows = [f"渠道{i}\t{i * 10000}元\t投放周期为第{i}周到第{i + 2}周" for i in range(40)]
    chunks = chunks_of("\n".join(rows))
    assert len(chunks) > 1 and all(len(c.text) <= MAX_CHARS for c in chunks)
    assert all(any(row in c.text.split("\n") for c in chunks) for row in rows)  # no row cut


def test_pipe_tables_stay_whole_on_a_page() -> None:
    table = "\n".join(f"| 渠道{i} | {i}% | {i * 1000}元 |" for i in range(40))
    chunks = chunks_of(f"{PROSE}\n\n{table}\n\n{PROSE}")
    assert len([c for c in chunks if "| 渠道0 |" in c.text and "| 渠道39 |" in c.text]) == 1


def test_hard_wrapped_pdf_text_is_joined() -> None:
    wrapped = "\n".join([
        "Early-access buyers usually convert at two to three times the",
        "rate of cold traffic, so start building the email and SMS list at",
        "least six weeks ahead and segment it by past purchases and conver-",
        "sion intent before the sale.",
        "预热期从5月20日开始，持续约一个月，期间安排小红书达人种草、抖音",
        "话题挑战和倒计时海报，并在5月31日晚8点开启第一波付款，把加购",
        "用户集中转化。",
    ])  # fmt: skip
    cleaned = clean(wrapped, "T")
    english = (
        "Early-access buyers usually convert at two to three times the rate of cold traffic, so start building "
        "the email and SMS list at least six weeks ahead and segment it by past purchases and conversion intent "
        "before the sale."
    )
    chinese = "预热期从5月20日开始，持续约一个月，期间安排小红书达人种草、抖音话题挑战和倒计时海报，并在5月31日晚8点开启第一波付款，把加购用户集中转化。"
    assert english in cleaned and chinese in cleaned
    texts = [c.text for c in chunk_document("p", "T", cleaned)]
    assert any(english in t for t in texts) and any(chinese in t for t in texts)


def test_short_lines_lists_and_headings_are_not_joined() -> None:
    text = "## 节奏\n预热期\n爆发期\n- 第一波付款在5月31日晚8点开始，持续到6月1日\n- 第二波付款\n| a | b |"
    assert clean(text) == text


def test_document_sharing_boilerplate_and_running_headers_are_gone() -> None:
    pages = []
    for n in range(1, 5):
        pages.append("\n".join([
            "某某电商 · 2026年度营销手册 · 内部资料",
            "原创力文档 | 首页 | 登录 | 注册",
            "VIP专享 下载文档",
            f"第 {n} 页 共 12 页",
            PROSE.split("\n\n")[n - 1],
            "举报",
        ]))  # fmt: skip
    text = "\n\n".join([*pages, "相关文档推荐", "还剩8页未读，继续阅读", "下载文档到电脑，查找使用更方便"])
    chunks = chunks_of(text, "2026年度营销手册")
    body = "\n".join(c.text for c in chunks)
    for noise in ("下载文档", "VIP", "举报", "相关文档推荐", "第 3 页 共 12 页", "继续阅读", "原创力", "内部资料"):
        assert noise not in body, noise
    assert all(p in body for p in PROSE.split("\n\n")[:4])


def test_shipped_guides_chunk_exactly_as_before() -> None:
    files = iter_files([ROOT / "knowledge"])
    assert {p.name for p in files} >= set(SHIPPED)
    for path in files:
        prepared = prepare(load_file(path))
        assert not is_page(clean(load_file(path).text, prepared.title)), path.name  # the heading path
        recorded = SHIPPED.get(path.name)
        if recorded and recorded["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()[:16]:
            assert [c.chunk_id for c in prepared.chunks] == recorded["ids"], path.name


WORDS = st.text(alphabet="预算直播达人种草转化复购会员私域投放", min_size=1, max_size=12)
SENTENCE = st.builds(lambda words, end: "，".join(words) + end, st.lists(WORDS, min_size=1, max_size=12),
                     st.sampled_from("。！？；"))  # fmt: skip
ENGLISH = st.builds(lambda words, end: " ".join(words).capitalize() + end,
                    st.lists(st.sampled_from(["budget", "live", "reach", "buyers", "convert", "email"]),
                             min_size=1, max_size=25), st.sampled_from(".!?;"))  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.one_of(SENTENCE, ENGLISH), min_size=1, max_size=8), min_size=1, max_size=20))
def test_every_sentence_is_whole_in_some_chunk(paragraphs: list[list[str]]) -> None:
    text = "\n\n".join(" ".join(p) for p in paragraphs)
    texts = [c.text for c in chunk_document("h", "标题", text)]
    assert all(len(t) <= MAX_CHARS for t in texts)
    for sentence in (s for p in paragraphs for s in p):
        assert any(sentence in t for t in texts), sentence


def test_a_sentence_longer_than_a_chunk_is_cut_at_clauses() -> None:
    long = "，".join(f"第{i}个渠道按周复盘投放效果" for i in range(80)) + "。"
    chunks = chunk_document("l", "T", long)
    assert len(chunks) > 1 and all(len(c.text) <= MAX_CHARS for c in chunks)
    assert re.sub(r"\s", "", "".join(bodies(chunks))).count("第79个渠道") >= 1


def test_a_long_page_with_one_heading_is_windowed_under_it() -> None:
    text = f"{PROSE}\n\n## 风险预案\n{PROSE.replace('轮', '次')}\n{PROSE.replace('轮', '波')}"
    assert is_page(text) and not is_page("## 预热期\n提前7到10天开始。\n## 爆发期\n核心的3到5天。")
    chunks = chunks_of(text)
    assert {c.heading for c in chunks} == {"大促方案", "风险预案"}
    assert all(len(c.text) <= MAX_CHARS and "## 风险预案\n##" not in c.text for c in chunks)

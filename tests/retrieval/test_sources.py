"""The marketer's own guides next to the shipped ones: every result says where it comes from, a search
can keep one source, uploads are lifted by the configured boost, and one passage uploaded twice shows once."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from planbot.guides import namespace
from planbot.retrieval.fusion import Fusion, collapse, fuse, source_of
from planbot.retrieval.index import KnowledgeIndex
from planbot.retrieval.loaders import RawDocument, iter_files, load_file

ROOT = Path(__file__).resolve().parents[2]
PAGE = (
    "青禾内部打法：双11预热期我们只做12天，从10月20日开始，每天直播不少于6小时。"
    "预热期的加购券面额固定为满299减40，不和平台券叠加。"
    "爆发期第一小时把预算的35%投给直播间引流，其余时段平均分配。"
)


def upload(owner: str, name: str, text: str) -> RawDocument:
    return RawDocument(doc_id=namespace(owner) + name, title="青禾双11打法", text=text, source=f"{name}.txt")


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory, retriever: KnowledgeIndex) -> KnowledgeIndex:
    index = KnowledgeIndex(tmp_path_factory.mktemp("sources"), embeddings=retriever.embeddings)
    for path in iter_files([ROOT / "knowledge"]):
        index.ingest(load_file(path))
    index.ingest(upload("alice", "qinghe-double11", PAGE))
    index.ingest(upload("bob", "qinghe-double11-copy", PAGE + "\n"))  # the same page uploaded again
    return index


def test_upload_ids_are_uploaded_and_the_rest_shipped() -> None:
    assert source_of(namespace("web:abc") + "plan") == "uploaded"
    assert source_of("campaign-phases-zh") == "shipped" and source_of("u-not-hex-plan") == "shipped"


def test_results_say_where_they_come_from_and_filter_by_it(mixed: KnowledgeIndex) -> None:
    hits = mixed.search("双11预热期做多少天", k=5)
    assert {h.source for h in hits} == {"uploaded", "shipped"}
    assert all(h.source == source_of(h.doc_id) for h in hits)
    only = mixed.search("双11预热期做多少天", k=5, source="uploaded")
    assert only and all(h.source == "uploaded" for h in only)
    shipped = mixed.search("双11预热期做多少天", k=5, source="shipped")
    assert len(shipped) == 5 and all(h.source == "shipped" for h in shipped)


def test_the_same_passage_uploaded_twice_shows_once(mixed: KnowledgeIndex) -> None:
    hits = mixed.search("预热期的加购券面额", k=5)
    with_coupon = [h for h in hits if "满299减40" in h.text]
    assert len(with_coupon) == 1


def test_the_upload_boost_lifts_an_upload_over_a_shipped_passage_of_comparable_rank() -> None:
    plain = Fusion(rrf_k=60, dense_weight=1.0, upload_boost=1.0)
    even = [(1.0, ["shipped-a", "u0123456789-x"]), (1.0, ["shipped-a", "u0123456789-x"])]
    assert fuse(even, plain, source_of)[0][0] == "shipped-a"  # no boost: the better-ranked passage
    assert fuse(even, replace(plain, upload_boost=1.05), source_of)[0][0] == "u0123456789-x"
    # an upload only one ranking found far down stays below a passage both put first
    far = [(1.0, ["shipped-a", *(f"shipped-{i}" for i in range(30)), "u0123456789-x"]), (1.0, ["shipped-a"])]
    assert fuse(far, replace(plain, upload_boost=1.3), source_of)[0][0] == "shipped-a"
    # the configured fusion (small rrf_k, boost 2): an upload both rankings put third beats a shipped first
    top = [(0.5, ["shipped-a", "shipped-b", "u0123456789-x"]), (1.0, ["shipped-a", "shipped-b", "u0123456789-x"])]
    assert fuse(top, Fusion(), source_of)[0][0] == "u0123456789-x"
    weighted = [(2.0, ["shipped-a", "shipped-b"]), (1.0, ["shipped-b", "shipped-a"])]
    assert fuse(weighted, Fusion(dense_weight=2.0), source_of)[0][0] == "shipped-a"


def test_near_duplicates_collapse_and_distinct_passages_stay() -> None:
    texts = {"a": PAGE, "b": PAGE.replace("12天", "12 天"), "c": "BFCM week: ground shipping cut-off is Dec 16."}
    kept = collapse([("a", 3.0), ("b", 2.0), ("c", 1.0)], texts.__getitem__, k=5)
    assert [c for c, _ in kept] == ["a", "c"]

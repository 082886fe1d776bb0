"""Server mode: the index against a real `chroma run` server (PLANBOT_CHROMA_URL), over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from planbot.errors import BadInput, Upstream
from planbot.retrieval.index import KnowledgeIndex
from planbot.retrieval.loaders import RawDocument
from tests.servers import chroma_server, free_port


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with chroma_server(tmp_path_factory.mktemp("chroma-server")) as url:
        yield url


def test_index_on_a_chroma_server(tmp_path: Path, chroma_url: str, retriever: KnowledgeIndex) -> None:
    idx = KnowledgeIndex(tmp_path / "kb", chroma_url=chroma_url, embeddings=retriever.embeddings)
    doc = RawDocument(title="直播排期", text="## 直播排期\n品牌自播每周固定三场，大促期间每天直播。", source="live.md")
    assert idx.ingest(doc).status == "added"
    hits = idx.search("每周直播几场", k=3, mode="dense")
    assert [h.doc_id for h in hits] == ["live"]
    stored = idx.store.get(ids=sorted(idx.chunk_ids()))["ids"]
    assert stored == sorted(idx.chunk_ids())  # the vectors live on the server

    # another process (a second worker) opening the same server sees the same vectors
    other = KnowledgeIndex(tmp_path / "kb2", chroma_url=chroma_url, embeddings=retriever.embeddings)
    assert other.store.get(ids=stored)["ids"] == stored

    idx.remove("live")
    assert idx.store.get(ids=stored)["ids"] == []


def test_unreachable_or_malformed_server_url(tmp_path: Path, retriever: KnowledgeIndex) -> None:
    with pytest.raises(BadInput, match="not a URL"):
        KnowledgeIndex(tmp_path / "a", chroma_url="chroma-host", embeddings=retriever.embeddings)
    with pytest.raises(Upstream, match="Chroma"):
        KnowledgeIndex(tmp_path / "b", chroma_url=f"http://127.0.0.1:{free_port()}", embeddings=retriever.embeddings)

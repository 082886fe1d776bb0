"""An upload on a full disk is Unavailable (503, retry later) in words, and changes nothing
(the failures are the real ones, made in-process: tests.retrieval.faults)."""

from __future__ import annotations

from pathlib import Path

import pytest
from chromadb.api.models.Collection import Collection
from chromadb.errors import InternalError

from planbot.errors import Unavailable, Upstream
from planbot.retrieval.index import KnowledgeIndex
from planbot.retrieval.loaders import RawDocument
from tests.retrieval.faults import COMPACTION, disk_full, failing_upserts, full_for, refused
from tests.retrieval.hashed_embeddings import HashedEmbeddings

BASE = RawDocument(doc_id="base", title="Budget", text="Budget planning for warm-up phases and reserves. " * 4,
                   lang="en", source="base.md")  # fmt: skip
BIG = RawDocument(doc_id="zebra", title="Zebra", lang="en", source="zebra.md",
                  text="\n\n".join(f"## Zebra tip {i}\nStriped zebra lanterns sell at dusk, batch {i}." for i in range(40)))  # fmt: skip
FULL = "the knowledge index could not be written: the disk is full; free space and upload again"


def state(idx: KnowledgeIndex) -> tuple[bytes, list[str], list[str], list[str]]:
    """What readers can see: the manifest, the documents, and what searches of every kind return."""
    found = [
        p.chunk_id
        for m in ("dense", "bm25", "hybrid")
        for p in idx.search("zebra lanterns budget", mode=m, cache=False)
    ]
    return idx.manifest_path.read_bytes(), [d.doc_id for d in idx.documents()], sorted(idx.chunk_ids()), found


def stored(idx: KnowledgeIndex, doc_id: str) -> list[str]:
    return list(idx.store.get(where={"doc_id": doc_id})["ids"])


@pytest.fixture
def index(tmp_path: Path) -> KnowledgeIndex:
    idx = KnowledgeIndex(tmp_path / "kb", embeddings=HashedEmbeddings())
    idx.ingest(BASE)
    return idx


def test_a_vector_store_failing_on_a_full_disk_is_unavailable_and_changes_nothing(
    index: KnowledgeIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = state(index)
    failing_upserts(monkeypatch, InternalError(COMPACTION), after=1)  # the first batch is stored, the second fails
    disk_full(monkeypatch)
    with pytest.raises(Unavailable) as caught:
        index.ingest(BIG)
    assert caught.value.message == FULL and caught.value.details == {"reason": "disk_full"}
    monkeypatch.undo()
    assert state(index) == before
    assert stored(index, "zebra") == []  # the batch it had stored went again
    assert not (index.dir / "pending.json").exists()
    assert index.ingest(BIG).status == "added"  # space again: the same upload goes in


def test_sqlite_saying_the_disk_is_full_is_recognised(index: KnowledgeIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    failing_upserts(monkeypatch, InternalError("error returned from database: database or disk is full"), after=0)
    with pytest.raises(Unavailable, match="the disk is full"):
        index.ingest(BIG)


def test_our_own_files_on_a_full_disk(index: KnowledgeIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    before = state(index)
    full_for(monkeypatch, "knowledge.tmp")  # the next manifest, written beside the current one
    with pytest.raises(Unavailable, match=f"^{FULL}$"):
        index.ingest(BIG)
    monkeypatch.undo()
    assert state(index) == before and stored(index, "zebra") == []
    assert sorted(p.name for p in index.dir.glob("bm25*")) == [Path(str(index.manifest.get("bm25", "bm25"))).name]
    assert not list(index.dir.glob("knowledge.tmp*"))


def test_nothing_reaches_the_store_when_even_the_record_of_staging_cannot_be_written(
    index: KnowledgeIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    full_for(monkeypatch, "pending")
    failing_upserts(monkeypatch, AssertionError("the store must not be written"), after=0)
    with pytest.raises(Unavailable, match="the disk is full"):
        index.ingest(BIG)


def test_vectors_a_failed_write_could_not_take_back_are_skipped_then_deleted(
    index: KnowledgeIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = state(index)
    # as on a real full disk: the store logs the records, fails, and then refuses to delete them too
    failing_upserts(monkeypatch, InternalError(COMPACTION), after=1, write=True)
    monkeypatch.setattr(Collection, "delete", refused(InternalError(COMPACTION)))
    disk_full(monkeypatch)
    with pytest.raises(Unavailable, match="the disk is full"):
        index.ingest(BIG)
    monkeypatch.undo()
    left = stored(index, "zebra")
    assert left and (index.dir / "pending.json").exists()  # stray vectors, recorded
    assert state(index) == before  # searches skip them (and ask past them: the same rankings)
    other = RawDocument(doc_id="otter", title="Otter", text="Otter plush toys sell before the holidays. " * 4,
                        lang="en", source="otter.md")  # fmt: skip
    assert index.ingest(other).status == "added"  # the next writer deletes them first
    assert stored(index, "zebra") == [] and not (index.dir / "pending.json").exists()


def test_a_store_that_refuses_for_another_reason_is_upstream(
    index: KnowledgeIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = state(index)
    failing_upserts(monkeypatch, InternalError("Error executing plan: collection is locked"), after=0)
    disk_full(monkeypatch, free=10**12)  # plenty of room: the store is to blame
    with pytest.raises(Upstream, match="the vector store refused the chunks of zebra: Error executing plan"):
        index.ingest(BIG)
    monkeypatch.undo()
    assert state(index) == before


def test_a_removal_on_a_full_disk_is_unavailable_and_keeps_the_document(
    index: KnowledgeIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    index.ingest(BIG)
    before = state(index)
    full_for(monkeypatch, "knowledge.tmp")
    with pytest.raises(Unavailable, match="the disk is full"):
        index.remove("zebra")
    monkeypatch.undo()
    assert state(index) == before and len(stored(index, "zebra")) == 40

"""One data dir, several processes: another process's ingest and rebuild reach this one's searches,
and rankings are a total order that floating-point noise cannot reorder."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from planbot.errors import Unavailable
from planbot.retrieval.index import COLLECTION, KnowledgeIndex, chroma_client
from planbot.retrieval.loaders import RawDocument
from tests.retrieval.hashed_embeddings import HashedEmbeddings

ROOT = Path(__file__).resolve().parents[2]
BASE = RawDocument(doc_id="base", title="Budget", text="Budget planning for warm-up phases and reserves. " * 4,
                   lang="en", source="base.md")  # fmt: skip
ZEBRA = "The zebra unicorn lantern guide: striped lanterns sell at dusk. " * 4


def other_process(data_dir: Path, code: str) -> None:
    """Run `code` with `idx`, a KnowledgeIndex on the same data dir, in a separate Python process."""
    script = textwrap.dedent(f"""
        from pathlib import Path
        from planbot.retrieval.index import KnowledgeIndex
        from planbot.retrieval.loaders import RawDocument
        from tests.retrieval.hashed_embeddings import HashedEmbeddings
        idx = KnowledgeIndex(Path({str(data_dir)!r}), embeddings=HashedEmbeddings())
    """) + textwrap.dedent(code)
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True, timeout=120, capture_output=True)


@pytest.fixture
def reader(tmp_path: Path) -> KnowledgeIndex:
    idx = KnowledgeIndex(tmp_path / "kb", embeddings=HashedEmbeddings())
    idx.ingest(BASE)
    assert [p.doc_id for p in idx.search("budget reserves", k=3, mode="dense")] == ["base"]  # vectors now in memory
    return idx


def test_another_process_ingest_reaches_dense_bm25_and_remembered_results(reader: KnowledgeIndex) -> None:
    assert "zebra" not in {p.doc_id for p in reader.search("zebra unicorn lantern", k=3)}  # remembered: no zebra
    other_process(reader.dir, f"idx.ingest(RawDocument(doc_id='zebra', title='Zebra', text={ZEBRA!r}, "
                              "lang='en', source='zebra.md'))")  # fmt: skip
    for mode in ("dense", "bm25", "hybrid"):
        assert reader.search("zebra unicorn lantern", k=3, mode=mode)[0].doc_id == "zebra", mode
    other_process(reader.dir, "idx.remove('zebra')")
    for mode in ("dense", "bm25", "hybrid"):
        assert "zebra" not in {p.doc_id for p in reader.search("zebra unicorn lantern", k=3, mode=mode)}, mode


def test_a_rebuild_in_another_process_swaps_the_collection_under_readers(reader: KnowledgeIndex) -> None:
    before = reader.collection
    assert before == COLLECTION
    other_process(reader.dir, "print(idx.rebuild())")
    assert [p.doc_id for p in reader.search("budget reserves", k=3, mode="dense")] == ["base"]
    assert reader.collection != before and reader.collection.startswith(COLLECTION + "_")
    assert reader.check_ready() == len(reader.chunk_ids())
    client = chroma_client(reader.dir, None)
    assert [c.name for c in client.list_collections()] == [reader.collection]  # the old one is gone
    other_process(reader.dir, "idx.rebuild()")  # and again: the reader follows every generation
    assert [p.doc_id for p in reader.search("budget planning", k=3, mode="dense")] == ["base"]


def test_readiness_says_what_is_wrong(tmp_path: Path, reader: KnowledgeIndex) -> None:
    assert reader.check_ready() == 1
    with pytest.raises(Unavailable, match="empty"):
        KnowledgeIndex(tmp_path / "empty", embeddings=HashedEmbeddings()).check_ready()
    reader._client.delete_collection(reader.collection)  # the vectors vanish under a running server
    with pytest.raises(Unavailable, match="planbot ingest --rebuild"):
        reader.check_ready()


def test_equal_scores_are_ordered_by_chunk_id_whatever_the_insertion_order(tmp_path: Path) -> None:
    texts = {
        "b-second": "reserve budget planning",
        "a-first": "planning reserve budget",
        "c-third": "budget planning reserve",
    }
    orders = []
    for n, names in enumerate((sorted(texts), sorted(texts, reverse=True))):
        idx = KnowledgeIndex(tmp_path / f"kb{n}", embeddings=HashedEmbeddings())
        for name in names:  # same words in another order: equal vectors and equal BM25 scores
            idx.ingest(RawDocument(doc_id=name, title="Budget", text=texts[name] + " for the year", lang="en",
                                   source=f"{name}.md"))  # fmt: skip
        orders.append(
            {m: [p.chunk_id for p in idx.search("budget reserve", k=3, mode=m)] for m in ("dense", "bm25", "hybrid")}
        )
    assert orders[0] == orders[1]
    for ranking in orders[0].values():
        assert ranking == sorted(ranking) and len(ranking) == 3, orders[0]

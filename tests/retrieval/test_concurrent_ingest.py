"""Searches and drafts answer while an upload is being indexed, from the index as it was before it.

The upload is held mid-embedding by a gate (tests.retrieval.gates); everything asserted is the
order of events, never a duration.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from planbot.core.builder import Builder
from planbot.core.offline_writer import OfflineWriter
from planbot.retrieval.embeddings import E5Embeddings
from planbot.retrieval.index import KnowledgeIndex
from planbot.retrieval.loaders import RawDocument, iter_files, load_file
from tests.conftest import BRIEFS, FIXED_NOW, ROOT, load_brief
from tests.retrieval.gates import Background, GatedEmbeddings, answered

ZEBRA_SECTIONS = "\n\n".join(
    f"## Zebra lantern tip {i}\nStriped zebra lanterns sell at dusk; restock lantern batch {i} early."
    for i in range(60)
)
ZEBRA = RawDocument(doc_id="zebra", title="Zebra lanterns", text=ZEBRA_SECTIONS, lang="en", source="zebra.md")
MODES = ("dense", "bm25", "hybrid")


@pytest.fixture
def gated(tmp_path: Path) -> tuple[KnowledgeIndex, GatedEmbeddings]:
    emb = GatedEmbeddings()
    idx = KnowledgeIndex(tmp_path / "kb", embeddings=emb)
    for path in iter_files([ROOT / "knowledge"])[:6]:
        idx.ingest(load_file(path))
    return idx, emb


def rankings(idx: KnowledgeIndex, query: str) -> dict[str, list[str]]:
    return {m: [p.chunk_id for p in idx.search(query, k=5, mode=m, cache=False)] for m in MODES}


def test_searches_and_drafts_answer_from_the_old_index_while_an_upload_embeds(
    gated: tuple[KnowledgeIndex, GatedEmbeddings],
) -> None:
    idx, emb = gated
    before = rankings(idx, "zebra lanterns at dusk budget")
    docs_before, chunks_before = idx.documents(), idx.chunk_ids()
    seen: list[tuple[int, int]] = []
    emb.close()
    upload = Background(lambda: idx.ingest(ZEBRA, progress=lambda done, total: seen.append((done, total))))
    assert emb.entered.wait(60), "the upload never started embedding"

    # the upload holds the writers' lock and waits at the gate: every reader still answers, from the old index
    assert answered(lambda: rankings(idx, "zebra lanterns at dusk budget")) == before
    assert answered(lambda: idx.search("zebra lanterns at dusk", k=5)) == answered(
        lambda: idx.search("zebra lanterns at dusk", k=5, cache=False)
    )
    assert answered(idx.documents) == docs_before and answered(idx.chunk_ids) == chunks_before
    assert answered(idx.check_ready) == len(chunks_before)
    plan = answered(lambda: Builder(idx, OfflineWriter(), clock=lambda: FIXED_NOW).build(load_brief(BRIEFS["beauty"])))
    assert plan.sources and all(c.doc_id != "zebra" for c in plan.sources)
    assert not upload.done.is_set()  # all of that answered before the upload did
    assert seen == [(0, 60)]  # progress so far: nothing embedded yet

    emb.open()
    result = upload.result()
    assert (result.status, result.chunks) == ("added", 60)
    assert seen[0] == (0, 60) and seen[-1] == (60, 60)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    for mode in MODES:  # published at once: the next search of every kind finds it
        assert idx.search("zebra lanterns at dusk", k=3, mode=mode)[0].doc_id == "zebra", mode


def test_a_second_upload_waits_for_the_first_but_searches_do_not(
    gated: tuple[KnowledgeIndex, GatedEmbeddings],
) -> None:
    idx, emb = gated
    emb.close()
    first = Background(lambda: idx.ingest(ZEBRA))
    assert emb.entered.wait(60)
    other = RawDocument(doc_id="otter", title="Otter", text="Otter plush toys sell best before the holidays. " * 5,
                        lang="en", source="otter.md")  # fmt: skip
    second = Background(lambda: idx.ingest(other))
    assert answered(lambda: idx.search("otter plush toys", k=3, cache=False)) is not None
    assert not first.done.is_set() and not second.done.is_set()  # writers take turns; readers never wait
    emb.open()
    assert first.result().status == "added" and second.result().status == "added"
    assert {"zebra", "otter"} <= {d.doc_id for d in idx.documents()}
    assert idx.search("otter plush toys", k=1)[0].doc_id == "otter"


def test_a_removal_during_searches_never_breaks_one(gated: tuple[KnowledgeIndex, GatedEmbeddings]) -> None:
    idx, _ = gated
    idx.ingest(ZEBRA)
    searches = [Background(lambda: idx.search("zebra lanterns", k=5, cache=False)) for _ in range(4)]
    idx.remove("zebra")
    for s in searches:  # each answered from one state, whichever: no KeyError for a chunk removed meanwhile
        assert all(p.doc_id in {"zebra"} | {d.doc_id for d in idx.documents()} for p in s.result())
    assert all(p.doc_id != "zebra" for p in idx.search("zebra lanterns", k=5, cache=False))
    assert idx.store.get(where={"doc_id": "zebra"})["ids"] == []


def test_a_query_never_waits_for_the_passage_model(retriever: KnowledgeIndex) -> None:
    emb = retriever.embeddings
    assert isinstance(emb, E5Embeddings)
    with emb._passage_lock:  # an upload's batch is in the passage model
        vector = answered(lambda: emb.embed_query("大促预热期提前几天开始种草"))
    assert len(vector) == 384 and vector == emb.embed_query("大促预热期提前几天开始种草")

"""Retrieval over messy uploaded pages, alone and next to the shipped guides (issue 22's evaluation).

The set (tests/retrieval/uploads_eval) was written before the ranking it judges; the fusion was
chosen on its dev split. This holds the hybrid search's recall over the whole set in both settings,
and that the fusion finds more than either of its parts. bench/uploads_eval.py reports the table.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pytest

from planbot.retrieval import uploads_eval as U
from planbot.retrieval.fusion import Fusion, collapse, fuse, source_of
from planbot.retrieval.index import KnowledgeIndex

ROOT = Path(__file__).resolve().parents[2]
EVAL = Path(__file__).with_name("uploads_eval")
QUESTIONS = U.load(EVAL)
FLOOR = 0.95  # issue 22; measured over all 209: 96.2% in both settings (8 misses), so 2 questions to spare


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory, retriever: KnowledgeIndex) -> dict[str, KnowledgeIndex]:
    base = tmp_path_factory.mktemp("uploads-eval")
    return {
        "uploads_only": U.build(base / "only", EVAL, None, retriever.embeddings),
        "with_shipped": U.build(base / "both", EVAL, ROOT / "knowledge", retriever.embeddings),
    }


@pytest.mark.parametrize("setting", ["uploads_only", "with_shipped"])
def test_hybrid_finds_the_uploaded_answer(settings: dict[str, KnowledgeIndex], setting: str) -> None:
    index = settings[setting]
    ranked = U.rankings(index, QUESTIONS)
    hybrid, bm25, dense = (U.evaluate(index, ranked, Fusion(), mode) for mode in ("hybrid", "bm25", "dense"))
    assert hybrid.recall_at_k >= FLOOR, hybrid.misses
    assert hybrid.recall_at_k > max(bm25.recall_at_k, dense.recall_at_k)  # the fusion beats both of its parts
    assert hybrid.mrr > max(bm25.mrr, dense.mrr)
    chunks = index.manifest["chunks"]

    def by_source(cid: str) -> Literal["uploaded", "shipped"]:
        return source_of(chunks[cid]["doc_id"])

    # what search() returns is what was scored: the same fusion, near duplicates collapsed
    q = QUESTIONS[0]
    assert [p.chunk_id for p in index.search(q.q, 5, cache=False)] == [
        cid for cid, _ in collapse(fuse([(0.5, ranked[0].dense), (1.0, ranked[0].bm25)], Fusion(), by_source),
                                   lambda c: str(index.manifest["chunks"][c]["text"]), 5)]  # fmt: skip


def test_uploaded_pages_are_uploads(settings: dict[str, KnowledgeIndex]) -> None:
    hits = settings["with_shipped"].search("双11预热期每天最多花多少钱", 5, source="uploaded")
    assert hits and all(h.source == "uploaded" and h.doc_id.startswith(U.NAMESPACE) for h in hits)
    assert source_of(U.NAMESPACE + "page") == "uploaded"

"""The uploads evaluation: messy real-style pages uploaded next to (or without) the shipped guides.

The set (tests/retrieval/uploads_eval: 12 pages, 209 questions with the phrases that answer them,
split into dev and held-out) was written before the ranking it judges. Pages are ingested as an
owner's uploads (namespaced ids), so source-aware ranking applies as it does for a real upload.
`bench/uploads_eval.py` reports recall@5 and MRR for hybrid, BM25, dense and a plain LangChain
baseline in both settings and chooses the fusion on the dev split (`tune`); the gate test holds
hybrid recall in both settings. Dense and BM25 rankings are computed once per question, so many
fusions can be scored without searching again.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import yaml
from langchain_core.embeddings import Embeddings
from pydantic import BaseModel, ConfigDict, Field

from planbot.retrieval.evaluation import Score, first_hit
from planbot.retrieval.fusion import Fusion, top
from planbot.retrieval.index import KnowledgeIndex
from planbot.retrieval.loaders import iter_files, load_file

NAMESPACE = "u0000000000-"  # an upload id namespace (planbot.guides form) for the evaluation pages
POOL = 40  # each ranking's depth before fusion


class UploadQuestion(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    q: str
    lang: Literal["zh", "en"]
    page: str
    expect: list[str] = Field(min_length=1)
    split: Literal["dev", "heldout"]


def load(root: Path) -> list[UploadQuestion]:
    rows = yaml.safe_load((root / "questions.yaml").read_text(encoding="utf-8"))
    return [UploadQuestion.model_validate(r) for r in rows]


def build(directory: Path, root: Path, knowledge: Path | None, embeddings: Embeddings,
          fusion: Fusion | None = None) -> KnowledgeIndex:  # fmt: skip
    """An index of the evaluation's pages as uploads, with the shipped guides when `knowledge` is given."""
    index = KnowledgeIndex(directory, embeddings=embeddings, fusion=fusion)
    if knowledge is not None:
        for path in iter_files([knowledge]):
            index.ingest(load_file(path))
    for path in sorted((root / "pages").iterdir()):
        raw = load_file(path)
        raw.doc_id = NAMESPACE + path.stem
        index.ingest(raw)
    return index


@dataclass(frozen=True)
class Ranked:
    """One question's dense and BM25 rankings (chunk ids, best first) and the texts they name."""

    question: UploadQuestion
    dense: tuple[str, ...]
    bm25: tuple[str, ...]


def rankings(index: KnowledgeIndex, questions: Iterable[UploadQuestion],
             dense: dict[str, tuple[str, ...]] | None = None) -> list[Ranked]:  # fmt: skip
    """Each question's rankings under the index's fusion (dense ones may be given: they do not depend on it)."""
    return [Ranked(q, dense[q.id] if dense else tuple(index.dense(q.q, POOL)), tuple(index.sparse(q.q, POOL)))
            for q in questions]  # fmt: skip


def _score(ranks: Sequence[int | None]) -> tuple[float, float]:
    n = len(ranks) or 1
    return sum(r is not None for r in ranks) / n, sum(1 / r for r in ranks if r is not None) / n


def evaluate(index: KnowledgeIndex, ranked: Sequence[Ranked], fusion: Fusion, mode: str = "hybrid",
             k: int = 5) -> Score:  # fmt: skip
    """Recall@k and MRR@k of one system over precomputed rankings (as `index.search` would fuse them)."""
    chunks = index.manifest["chunks"]
    ranks: list[int | None] = []
    misses: list[str] = []
    for r in ranked:
        parts = {"hybrid": [(fusion.dense_weight, r.dense), (fusion.bm25_weight, r.bm25)],
                 "dense": [(1.0, r.dense)], "bm25": [(1.0, r.bm25)]}[mode]  # fmt: skip
        rank = first_hit([str(chunks[cid]["text"]) for cid, _ in top(parts, fusion, chunks, k)], r.question.expect)
        ranks.append(rank)
        if rank is None:
            misses.append(r.question.id)
    recall, mrr = _score(ranks)
    return Score(questions=len(ranked), recall_at_k=recall, mrr=mrr, misses=misses)


EXPANSION_WEIGHTS = (0.1, 0.2, 0.35, 0.5, 1.0)
TRANSLATION_WEIGHTS = (0.0, 0.5, 1.0)
RRF_KS = (5, 10, 30, 60)
DENSE_WEIGHTS = (0.5, 0.75, 1.0, 1.5)
UPLOAD_BOOSTS = (1.0, 1.25, 1.5, 2.0, 3.0)


def tune(settings: Sequence[tuple[KnowledgeIndex, Sequence[UploadQuestion]]]) -> tuple[Fusion, float]:
    """The fusion with the best mean recall@5 over the settings on the given (development) questions, then
    the best MRR, then the one nearest the defaults."""
    dense = [{q.id: tuple(index.dense(q.q, POOL)) for q in qs} for index, qs in settings]
    best: tuple[tuple[float, float, float], Fusion] | None = None
    for weight, translation in itertools.product(EXPANSION_WEIGHTS, TRANSLATION_WEIGHTS):
        ranked = []
        for (index, qs), vectors in zip(settings, dense, strict=True):
            index.fusion = replace(index.fusion, expansion_weight=weight, translation_weight=translation)
            ranked.append((index, rankings(index, qs, vectors)))
        for rrf_k, dense_weight, boost in itertools.product(RRF_KS, DENSE_WEIGHTS, UPLOAD_BOOSTS):
            fusion = Fusion(rrf_k=rrf_k, dense_weight=dense_weight, upload_boost=boost, expansion_weight=weight,
                            translation_weight=translation)  # fmt: skip
            scores = [evaluate(index, rk, fusion) for index, rk in ranked]
            recall = sum(x.recall_at_k for x in scores) / len(scores)
            mrr = sum(x.mrr for x in scores) / len(scores)
            plain = (-abs(dense_weight - 1) - abs(boost - 1) - abs(rrf_k - 60) / 100 - abs(weight - 1)
                     - abs(translation - 1))  # fmt: skip
            key = (round(recall, 6), round(mrr, 6), plain)
            if best is None or key > best[0]:
                best = (key, fusion)
    assert best is not None
    return best[1], best[0][0]

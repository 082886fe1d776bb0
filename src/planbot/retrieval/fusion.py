"""How the dense and BM25 rankings become one, and where the marketer's own guides stand in it.

Weighted reciprocal-rank fusion: a chunk scores `weight / (k + rank + 1)` in each ranking that
holds it. A chunk of an uploaded guide (the organisation's own playbook) has its fused score
multiplied by `upload_boost`, so at comparable relevance it outranks a shipped guide; it does not
lift an upload that only one ranking found far down over a passage both rankings put first. BM25
scores a query's cross-language equivalents (`query_terms`) at `expansion_weight` of its own words,
and the words its translation adds (`translate`: a bilingual e-commerce vocabulary) at `translation_weight`.
The figures are chosen on the development split of the uploads evaluation
(`tests/retrieval/uploads_eval`, `bench/fusion_tuning.py`) and reported on its held-out split.

The same passage uploaded twice (two copies of a web page, a PDF and its Word export) would
fill two of the five places with one answer: a chunk whose text is a near duplicate of a
better-ranked one (character 4-gram Jaccard similarity ≥ NEAR_DUPLICATE) is left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

Source = Literal["uploaded", "shipped"]
UPLOAD_ID = re.compile(r"^u[0-9a-f]{10}-")  # the namespace planbot.guides gives every upload
NEAR_DUPLICATE = 0.8
_SPACE = re.compile(r"\s+")


def source_of(doc_id: str) -> Source:
    """Where a guide comes from: an owner's upload through a surface, or shipped (knowledge/, the CLI)."""
    return "uploaded" if UPLOAD_ID.match(doc_id) else "shipped"


@dataclass(frozen=True)
class Fusion:
    """Chosen on the uploads evaluation's dev split (bench/uploads_eval.py reports the held-out split)."""

    rrf_k: int = 10  # a small constant: the first places of each ranking count for much more than the tenth
    dense_weight: float = 0.5  # BM25 (jieba + domain terms) is the sharper of the two on planning questions
    bm25_weight: float = 1.0
    upload_boost: float = 3.0  # an upload's fused score tripled: the organisation's own guides come first
    expansion_weight: float = 0.5  # BM25: a query's cross-language equivalents against its own words
    translation_weight: float = 1.0  # BM25: the other-language words its translation adds (retrieval/translate.py)


def fuse(
    rankings: Sequence[tuple[float, Sequence[str]]], fusion: Fusion, source: Callable[[str], Source]
) -> list[tuple[str, float]]:
    """(chunk id, score), best first; ties go to the smaller chunk id (scores rounded: no float noise)."""
    scores: dict[str, float] = {}
    for weight, ranking in rankings:
        for rank, cid in enumerate(ranking):
            scores[cid] = scores.get(cid, 0.0) + weight / (fusion.rrf_k + rank + 1)
    boosted = {cid: s * (fusion.upload_boost if source(cid) == "uploaded" else 1.0) for cid, s in scores.items()}
    return sorted(boosted.items(), key=lambda kv: (-round(kv[1], 9), kv[0]))


def _grams(text: str) -> set[str]:
    flat = _SPACE.sub("", text.lower())
    return {flat[i : i + 4] for i in range(max(1, len(flat) - 3))}


def top(
    rankings: Sequence[tuple[float, Sequence[str]]], fusion: Fusion, chunks: Mapping[str, Mapping[str, Any]], k: int
) -> list[tuple[str, float]]:
    """The k best (chunk id, score) of the rankings over a manifest's chunks: fused, near duplicates out."""
    fused = fuse(rankings, fusion, lambda cid: source_of(chunks[cid]["doc_id"]))
    return collapse(fused, lambda cid: str(chunks[cid]["text"]), k)


def collapse(ranked: Sequence[tuple[str, float]], text: Callable[[str], str], k: int) -> list[tuple[str, float]]:
    """The first k of `ranked` with near duplicates of a better-ranked chunk left out."""
    kept: list[tuple[str, float, set[str]]] = []
    for cid, score in ranked:
        grams = _grams(text(cid))
        if any(len(grams & g) / max(1, len(grams | g)) >= NEAR_DUPLICATE for _, _, g in kept):
            continue
        kept.append((cid, score, grams))
        if len(kept) == k:
            break
    return [(cid, score) for cid, score, _ in kept]

"""Retrieval benchmark: quality on the evaluation set, ingest speed, and search latency at scale.

Quality: recall@5 and MRR@5 for BM25 alone, dense alone, hybrid (RRF), and a plain LangChain
baseline (RecursiveCharacterTextSplitter + Chroma + the same e5 embeddings, no cleaning, no
Traditional->Simplified normalisation, no BM25) over knowledge/ plus the messy fixture pages.

Latency: synthetic corpora of 1k and 10k chunks built from the guides' sentences. Embedding 10k
passages for real would take ~20 minutes on 2 cores, so passage vectors are real e5 vectors of a
few hundred distinct texts with small noise added (HNSW cost does not depend on where vectors
come from); queries are embedded for real, uncached, every time.
"""

from __future__ import annotations

import random
import re
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import metrics
import numpy as np
from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings
from langchain_text_splitters import RecursiveCharacterTextSplitter

from planbot.retrieval.cleaning import clean
from planbot.retrieval.embeddings import E5Embeddings
from planbot.retrieval.evaluation import Question, Score, corpus_files, load_questions, score
from planbot.retrieval.index import KnowledgeIndex, chroma_client
from planbot.retrieval.loaders import RawDocument, iter_files, load_file

ROOT = Path(__file__).resolve().parent.parent
MESSY = ROOT / "tests" / "fixtures" / "messy"
QUESTIONS = ROOT / "tests" / "retrieval" / "eval_set.yaml"
# the guides the question set was written against (release 1), so new guides do not move the table;
# quality() also reports hybrid recall over the whole of knowledge/ as shipped now
SOURCES = [*corpus_files(ROOT / "tests" / "retrieval" / "eval_corpus.txt", ROOT / "knowledge"), MESSY]
BASE_TEXTS = 200
CHUNKS_PER_DOC = 100
Search = Callable[[str, int], Sequence[str]]


class SyntheticPassages(Embeddings):
    """Real e5 query vectors; passage vectors drawn from a few hundred real ones plus noise."""

    def __init__(self, model: E5Embeddings, base: list[str], seed: int = 7) -> None:
        self.model = model
        self.base = np.array(model.embed_documents(base), dtype=np.float32)
        self.rng = np.random.default_rng(seed)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        picks = self.base[self.rng.integers(0, len(self.base), len(texts))]
        noisy = picks + self.rng.normal(0, 0.03, picks.shape).astype(np.float32)
        return (noisy / np.linalg.norm(noisy, axis=1, keepdims=True)).tolist()  # type: ignore[no-any-return]

    def embed_query(self, text: str) -> list[float]:
        return list(self.model._model.query(text).tolist())  # uncached on purpose


def _baseline(tmp: Path, model: Embeddings) -> Chroma:
    splitter = RecursiveCharacterTextSplitter(chunk_size=600, chunk_overlap=60)
    store = Chroma(collection_name="baseline", embedding_function=model, client=chroma_client(tmp / "baseline", None))
    for path in iter_files(SOURCES):
        raw = load_file(path)
        store.add_texts(splitter.split_text(raw.text))
    return store


def _by_lang(questions: list[Question], search: Search) -> dict[str, Score]:
    return {lang: score(search, [q for q in questions if q.lang == lang]) for lang in ("zh", "en")}


def quality(tmp: Path) -> tuple[list[str], float]:
    questions = load_questions(QUESTIONS)
    model = E5Embeddings()  # fresh: nothing cached, so ingest speed is real
    index = KnowledgeIndex(tmp / "ours", embeddings=model)
    t0 = time.perf_counter()
    for path in iter_files(SOURCES):
        index.ingest(load_file(path))
    index.search("warm up", 1)  # includes the one BM25 build
    ingest_s = time.perf_counter() - t0
    chunks = len(index.chunk_ids())
    systems: dict[str, Search] = {
        "BM25 (jieba + domain dictionary + cross-language terms)": lambda q, k: [
            p.text for p in index.search(q, k, mode="bm25")
        ],
        "dense (e5 via Chroma)": lambda q, k: [p.text for p in index.search(q, k, mode="dense")],
        "**hybrid (RRF)**": lambda q, k: [p.text for p in index.search(q, k)],
    }
    baseline = _baseline(tmp, model)
    systems["plain LangChain baseline (splitter + Chroma)"] = lambda q, k: [
        d.page_content for d in baseline.similarity_search(q, k=k)
    ]
    lines = [
        "## Retrieval quality",
        "",
        f"{len(questions)} questions ({sum(q.lang == 'zh' for q in questions)} zh, "
        f"{sum(q.lang == 'en' for q in questions)} en) over knowledge/ + 3 messy pages ({chunks} chunks). "
        "A hit: a top-5 passage contains the answering phrase.",
        "",
        "| system | recall@5 | MRR@5 | recall@5 zh | recall@5 en | misses |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    keys = {"**hybrid (RRF)**": "recall_at_5_hybrid",
            "plain LangChain baseline (splitter + Chroma)": "recall_at_5_langchain_baseline"}  # fmt: skip
    for name, fn in systems.items():
        total = score(fn, questions)
        if name in keys:
            metrics.record(keys[name], total.recall_at_k)
        parts = _by_lang(questions, fn)
        lines.append(
            f"| {name} | {total.recall_at_k:.1%} | {total.mrr:.3f} | {parts['zh'].recall_at_k:.1%} | "
            f"{parts['en'].recall_at_k:.1%} | {len(total.misses)} |"
        )
    hybrid_misses = score(systems["**hybrid (RRF)**"], questions).misses
    lines += ["", "Hybrid misses: " + ("; ".join(hybrid_misses) or "none"), ""]
    full = KnowledgeIndex(tmp / "full", embeddings=model)
    for path in iter_files([ROOT / "knowledge", MESSY]):
        full.ingest(load_file(path))
    whole = score(lambda q, k: [p.text for p in full.search(q, k)], questions)
    metrics.record("recall_at_5_hybrid_all_guides", whole.recall_at_k)
    lines += [
        f"Over all {len(full.documents())} documents now shipped (the playbook guides too): hybrid recall@5 "
        f"{whole.recall_at_k:.1%}, MRR {whole.mrr:.3f}; misses: {'; '.join(whole.misses) or 'none'}.",
        "",
    ]
    metrics.record("ingest_chunks_per_s", chunks / ingest_s)
    lines.append(f"Ingest (real e5 embeddings, cold cache): {chunks} chunks in {ingest_s:.1f} s = "
                 f"{chunks / ingest_s:.1f} chunks/s.")  # fmt: skip
    return lines, ingest_s


def _sentences() -> list[str]:
    out: list[str] = []
    for path in iter_files(SOURCES):
        raw = load_file(path)
        for piece in re.split(r"(?<=[。！？；.!?])\s*|\n+", clean(raw.text, raw.title)):
            sentence = piece.strip().lstrip("#").strip()
            if len(sentence) >= 12:
                out.append(sentence)
    return out


def _synthetic_index(tmp: Path, n_chunks: int, embeddings: SyntheticPassages, sentences: list[str]) -> KnowledgeIndex:
    rng = random.Random(n_chunks)
    index = KnowledgeIndex(tmp / f"synthetic-{n_chunks}", embeddings=embeddings)
    for d in range(max(1, n_chunks // CHUNKS_PER_DOC)):
        sections = []
        for c in range(CHUNKS_PER_DOC):
            body = " ".join(rng.sample(sentences, 3))
            sections.append(f"## 第{d}-{c}节 section {d}-{c}\n{body}")
        index.ingest(RawDocument(title=f"synthetic {d}", text="\n\n".join(sections), source=f"syn-{d}.md",
                                 lang="zh" if d % 2 else "en"))  # fmt: skip
    return index


def latency(tmp: Path, repeat: int) -> list[str]:
    questions = [q.q for q in load_questions(QUESTIONS)]
    sentences = _sentences()
    rng = random.Random(1)
    base = [" ".join(rng.sample(sentences, 3)) for _ in range(BASE_TEXTS)]
    embeddings = SyntheticPassages(E5Embeddings(), base)
    lines = [
        "## Search latency",
        "",
        f"Hybrid search, k=5, {len(questions)} distinct queries x {repeat} rounds; every query embedded "
        "afresh (no cache). Milliseconds.",
        "",
        "| chunks | p50 | p95 | embed p50 | dense p50 | BM25 p50 | build (s) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for n in (1_000, 10_000):
        t0 = time.perf_counter()
        index = _synthetic_index(tmp, n, embeddings, sentences)
        index.search("warm up", 1)
        build_s = time.perf_counter() - t0
        total, embed, dense, sparse = [], [], [], []
        for _ in range(repeat):
            for q in questions:
                t = time.perf_counter()
                index.search(q, 5, cache=False)
                total.append(time.perf_counter() - t)
                t = time.perf_counter()
                embeddings.embed_query(q)
                embed.append(time.perf_counter() - t)
                t = time.perf_counter()
                index.dense(q, 20)
                dense.append(time.perf_counter() - t)
                t = time.perf_counter()
                index.sparse(q, 20)
                sparse.append(time.perf_counter() - t)
        p = np.percentile(np.array(total) * 1000, [50, 95])
        if n == 10_000:
            metrics.record("search_p95_ms_10k", p[1])
        lines.append(
            f"| {len(index.chunk_ids()):,} | {p[0]:.1f} | {p[1]:.1f} | {statistics.median(embed) * 1000:.1f} | "
            f"{statistics.median(dense) * 1000:.1f} | {statistics.median(sparse) * 1000:.1f} | {build_s:.0f} |"
        )
    lines += ["", "dense p50 includes its own query embedding; hybrid runs dense and BM25 in sequence."]
    return lines


def run(repeat: int = 3) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="planbot-bench-retrieval-") as tmp:
        quality_lines, _ = quality(Path(tmp))
        return [*quality_lines, "", *latency(Path(tmp), repeat)]

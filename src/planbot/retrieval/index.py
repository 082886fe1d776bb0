"""The knowledge index: Chroma (dense, e5 embeddings) + BM25 (jieba tokens), fused by reciprocal rank.

A manifest in the data dir records every document (content hash, chunks), so re-ingesting an
unchanged file is a no-op, a changed file replaces its chunks, and deleting a document removes
its chunks from Chroma, BM25 and the manifest together.

Searches never wait for a write. An upload is cleaned and chunked first (and refused there if it
would make more passages than an upload may), then embedded and stored batch by batch under the
writers' lock only (`locks.WriterLock`), reporting progress and within its time budget; BM25 is
built and saved beside the one in use; then one rename of the manifest publishes it all, and the
index's own lock is held just for swapping the published state in memory. Until then searches
answer from the old index (see `storage` for staged vectors). A write that fails (a full disk is
Unavailable: 503, retry) leaves the published index as it was.

Several processes share one data dir (`planbot ingest` while `planbot serve` runs, uvicorn
workers). The manifest names the vector collection in use: a rebuild fills a new collection
beside the old one and swaps the name. Every search first checks the manifest's stamp; after
another process's write, the embedded vector store is reopened (Chroma keeps its vectors in
memory per process and would not see them) and BM25 and the remembered results are reloaded.

Rankings are a total order that does not hinge on floating-point noise: dense similarities are
(cosine distances) rounded to SCORE_DECIMALS before ranking, fused scores too, and ties go to the smaller chunk id.
"""

from __future__ import annotations

import contextlib
import shutil
import threading
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import chromadb.errors
import numpy as np
from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings

from planbot.core.playbook.check import squash
from planbot.core.ports import Passage
from planbot.errors import Conflict, PlanbotError, Unavailable, Upstream
from planbot.retrieval import bm25_store, vectors
from planbot.retrieval.bm25_store import Bm25, Bm25Builder
from planbot.retrieval.cleaning import for_matching
from planbot.retrieval.documents import DocumentInfo, IngestResult, detect_lang, slug
from planbot.retrieval.fusion import Fusion, Source, source_of, top
from planbot.retrieval.health import REBUILD_HINT, index_problem
from planbot.retrieval.loaders import RawDocument
from planbot.retrieval.locks import SharedLock, WriterLock
from planbot.retrieval.query_terms import weighted_terms
from planbot.retrieval.storage import (
    BM25_DIR,
    COLLECTION,
    ManifestFile,
    Pending,
    bm25_path,
    chroma_client,
    drop_other_bm25,
    generation,
    set_aside,
)
from planbot.retrieval.translate import translator
from planbot.retrieval.vectors import Progress
from planbot.retrieval.write_errors import unwritable, writing
from planbot.retrieval.writes import Writes

__all__ = [
    "COLLECTION",
    "DocumentInfo",
    "IngestResult",
    "KnowledgeIndex",
    "Progress",
    "chroma_client",
    "detect_lang",
    "slug",
]
SCORE_DECIMALS = 4  # dense similarities closer than this are ties (then the chunk id decides): machines differ below it
RESULTS_CACHED = 4096  # remembered search results (a plan asks ~30 section questions per language)


class KnowledgeIndex:
    def __init__(
        self,
        data_dir: Path,
        chroma_url: str | None = None,
        embeddings: Embeddings | None = None,
        recover: bool = False,
        embedding_cache: Path | None = None,
        fusion: Fusion | None = None,
    ) -> None:
        """`recover`: set a corrupted manifest or embedded vector store aside and start empty
        (`planbot ingest --rebuild`); otherwise a corrupted index is refused with what to do."""
        from planbot.retrieval.embeddings import E5Embeddings  # noqa: PLC0415 - tests may pass another model

        self.dir = data_dir
        self.fusion = fusion or Fusion()
        translator()  # the bilingual vocabulary is checked at start: a bad file fails here, not on a search
        self.dir.mkdir(parents=True, exist_ok=True)
        self.embeddings = embeddings or E5Embeddings(cache_dir=embedding_cache)
        self._file = ManifestFile(data_dir / "knowledge.json")
        self.manifest_path = self._file.path
        self.recovered: list[str] = []  # what was set aside
        # without `recover`, a corrupted store fails to open and a corrupted manifest fails to load, each with
        # REBUILD_HINT below (`planbot serve` checks first, with index_problem); only recovery needs the diagnosis
        problem = index_problem(data_dir, chroma_url) if recover else None
        if problem:
            # corrupted vectors are rebuilt from the manifest; a corrupted manifest takes everything with it
            aside = [data_dir / "chroma"]
            if problem.part == "manifest":
                aside += [self.manifest_path, data_dir / BM25_DIR]
            for path in aside:
                if path.exists():
                    self.recovered.append(path.name)
                    set_aside(path)
        self.chroma_url = chroma_url
        self.manifest: dict[str, Any] = self._file.load()  # replaced whole on every change, never edited
        self._seen = self._file.stamp()  # the manifest as loaded: another process's write changes it
        self._vectors_lock = SharedLock()
        self._client: Any = None
        self.store = self._open_store()
        self._writer = WriterLock(data_dir / "index.lock")
        self._pending = Pending(data_dir / "pending.json")
        self._results: OrderedDict[tuple[Any, ...], tuple[Passage, ...]] = OrderedDict()  # search() memo
        self._bm25_builder = Bm25Builder()
        self._bm25 = bm25_store.EMPTY
        self._bm25_fresh = False  # BM25 matches the manifest (loaded or built on first use after a reload)
        self._lock = threading.RLock()  # the published state (manifest, BM25, results): only ever held briefly
        self._writes = Writes(self)

    # -- the vector store ---------------------------------------------------------------------------
    @property
    def collection(self) -> str:
        """The vector collection the manifest names (manifests before generations used COLLECTION)."""
        return str(self.manifest.get("collection", COLLECTION))

    def _open_store(self, name: str | None = None) -> Chroma:
        try:
            if self._client is None:
                self._client = chroma_client(self.dir, self.chroma_url)
            return Chroma(
                collection_name=name or self.collection,
                embedding_function=self.embeddings,
                client=self._client,
                collection_metadata={"hnsw:space": "cosine"},
            )
        except (ValueError, ConnectionError) as exc:
            raise Upstream(f"cannot reach the Chroma vector store: {exc}") from exc
        except (chromadb.errors.ChromaError, OSError) as exc:  # a damaged store, or a full disk creating one
            failure = unwritable(exc, self._local_dir())
            if failure is not None:
                raise failure from exc
            raise Conflict(f"the vector store cannot be opened ({exc}); {REBUILD_HINT}") from exc

    def _local_dir(self) -> Path | None:
        """The disk the vectors are written to, when it is this machine's (no `chroma run` server)."""
        return None if self.chroma_url else self.dir

    def _reopen(self) -> None:
        """See another process's writes: the embedded store reads from disk afresh; a server needs only the name."""
        with self._vectors_lock.exclusive():
            if self.chroma_url is None and self._client is not None:
                with contextlib.suppress(Exception):
                    self._client.close()
                self._client = None
            self.store = self._open_store()

    def check_ready(self) -> int:
        """The number of chunks, once the vector store answers and holds every chunk of the manifest.

        Raises Unavailable otherwise (`/readyz`): an empty knowledge base, a collection that is gone or
        short of vectors (an interrupted rebuild, a store deleted under the server)."""
        try:
            self._refresh()
            with self._vectors_lock.shared():
                stored = int(self.store._collection.count())
        except PlanbotError as exc:
            raise Unavailable(exc.message) from exc
        except Exception as exc:  # chromadb raises many types; readiness needs one clear message
            raise Unavailable(f"the vector store cannot be read ({exc}); {REBUILD_HINT}") from exc
        chunks = len(self.manifest["chunks"])
        if chunks == 0:
            raise Unavailable("the knowledge base is empty: run `planbot ingest knowledge/`")
        if stored < chunks:
            raise Unavailable(
                f"the vector store holds {stored} of the {chunks} chunks of the knowledge base; {REBUILD_HINT}"
            )
        return chunks

    # -- the published state, and other processes' writes -------------------------------------------
    def _refresh(self) -> None:
        """Pick up what another process wrote: one stat per call, a reload only after a change."""
        if self._file.stamp() == self._seen:
            return
        with self._lock:
            if self._file.stamp() != self._seen:
                self._reload()

    def _reload(self) -> None:
        """Start again from the manifest on disk: BM25 is reloaded on next use and the vector store reopened.
        The caller holds self._lock."""
        self._seen = self._file.stamp()
        self.manifest = self._file.load()
        self._bm25_fresh = False
        self._reopen()

    def _current_bm25(self) -> Bm25:
        """The BM25 index matching the manifest: the published one, else loaded from the folder the
        manifest names (another process's write), else rebuilt (missing or damaged). Caller holds self._lock."""
        if not self._bm25_fresh:
            folder = bm25_path(self.dir, self.manifest)
            bm = bm25_store.load(folder, sorted(self.manifest["chunks"]))
            if bm is None:
                bm = self._bm25_builder.build(self.manifest["chunks"])
                with contextlib.suppress(OSError), self._writer.hold_if_free() as free:
                    if free:  # saved only while no writer is at work
                        bm25_store.save(bm, folder)
            self._bm25, self._bm25_fresh = bm, True
        return self._bm25

    def _publish(self, manifest: dict[str, Any], store: Chroma | None = None) -> None:
        """Make `manifest` (and `store`, for a rebuild) current. BM25 is built and saved beside the one in
        use and the manifest written beside the current one, off the readers' lock; then one rename."""
        bm = self._bm25_builder.build(manifest["chunks"])
        manifest = {**manifest, "bm25": generation(BM25_DIR, "-")}
        folder = bm25_path(self.dir, manifest)
        try:
            with writing(self.dir):
                bm25_store.save(bm, folder)
            staged = self._file.stage(manifest)
            with self._lock:
                try:
                    self._seen = self._file.publish(staged)
                finally:
                    staged.unlink(missing_ok=True)
                self.manifest = manifest
                self._bm25, self._bm25_fresh = bm, True
                self._results.clear()
                if store is not None:
                    with self._vectors_lock.exclusive():
                        self.store = store
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        drop_other_bm25(self.dir, folder)

    # -- writes (planbot.retrieval.writes) ---------------------------------------------------------
    def ingest(self, raw: RawDocument, progress: Progress | None = None, *, max_chunks: int | None = None,
               time_budget_s: float | None = None) -> IngestResult:  # fmt: skip
        """Add or update a document; searches meanwhile answer from the index as it was.

        `progress(done, total)` is called as its passages are embedded and stored. `max_chunks`: refuse
        (TooLarge) a document that would make more passages, before embedding any; `time_budget_s`: give
        up (BadInput) once indexing it takes longer. A refused or failed ingest changes nothing."""
        return self._writes.ingest(raw, progress, max_chunks, time_budget_s)

    def remove(self, doc_id: str) -> None:
        self._writes.remove(doc_id)

    def rebuild(self, progress: Progress | None = None) -> int:
        """Re-create the vector and BM25 indexes from the manifest (after corruption or a model change):
        a new collection is filled beside the one in use, then the manifest names it (atomic for readers)."""
        return self._writes.rebuild(progress)

    def documents(self) -> list[DocumentInfo]:
        self._refresh()
        return [
            DocumentInfo(d, i["title"], i["lang"], i["tags"], i["source"], len(i["chunks"]), i["added_at"])
            for d, i in sorted(self.manifest["documents"].items())
        ]

    # -- retrieval ----------------------------------------------------------------------------------
    @staticmethod
    def _passage(manifest: dict[str, Any], cid: str, score: float = 0.0) -> Passage:
        c = manifest["chunks"][cid]
        return Passage(chunk_id=cid, doc_id=c["doc_id"], title=c["title"], text=c["text"], score=round(score, 6),
                       lang=c["lang"], source=source_of(c["doc_id"]))  # fmt: skip

    def get(self, chunk_id: str) -> Passage | None:
        self._refresh()
        manifest = self.manifest
        return self._passage(manifest, chunk_id) if chunk_id in manifest["chunks"] else None

    def find(self, doc_id: str, text: str) -> Passage | None:
        """The first passage of a document that holds the text (whitespace and Markdown emphasis ignored):
        how a plan cites the guide sentence behind a playbook fact without a search."""
        self._refresh()
        manifest = self.manifest
        want = squash(text)
        for cid, c in manifest["chunks"].items():
            if c["doc_id"] == doc_id and want in squash(c["text"]):
                return self._passage(manifest, cid)
        return None

    def chunk_ids(self) -> set[str]:
        self._refresh()
        return set(self.manifest["chunks"])

    @staticmethod
    def _allowed(manifest: dict[str, Any], cid: str, lang: str | None, tags: list[str],
                 source: Source | None = None) -> bool:  # fmt: skip
        c = manifest["chunks"].get(cid)
        return (
            c is not None
            and (lang is None or c["lang"] == lang)
            and all(t in c["tags"] for t in tags)
            and (source is None or source_of(c["doc_id"]) == source)
        )

    def dense(self, query: str, n: int, lang: str | None = None, tags: Iterable[str] = (),
              source: Source | None = None) -> list[str]:  # fmt: skip
        return self._dense(self.manifest, query, n, lang, list(tags), source)

    def _dense(self, manifest: dict[str, Any], query: str, n: int, lang: str | None, tags: list[str],
               source: Source | None = None) -> list[str]:  # fmt: skip
        if not manifest["chunks"]:
            return []
        conds: list[dict[str, Any]] = ([{"lang": lang}] if lang else []) + [{f"tag_{t}": True} for t in tags]
        if source is not None:  # only that source's documents: the other's may be nearer
            docs = sorted(d for d in manifest["documents"] if source_of(d) == source)
            if not docs:
                return []
            conds.append({"doc_id": {"$in": docs}})
        where = conds[0] if len(conds) == 1 else ({"$and": conds} if conds else None)
        vector = self.embeddings.embed_query(for_matching(query))
        wanted = n + self._pending.count()  # staged vectors may be nearer: ask past them
        for attempt in (1, 2):
            try:
                with self._vectors_lock.shared():
                    found = vectors.nearest(self.store._collection, vector, wanted, where)
                break
            except Exception as exc:  # the collection may have been swapped by a rebuild in another process
                if attempt == 2:
                    raise (unwritable(exc, self._local_dir()) or Upstream(f"vector search failed: {exc}")) from exc
                with self._lock:
                    self._reload()
        ranked = sorted((round(distance, SCORE_DECIMALS), cid) for distance, cid in found)  # nearest first
        return [cid for _, cid in ranked if self._allowed(manifest, cid, lang, tags, source)][:n]

    def sparse(self, query: str, n: int, lang: str | None = None, tags: Iterable[str] = (),
               source: Source | None = None) -> list[str]:  # fmt: skip
        with self._lock:
            manifest, bm = self.manifest, self._current_bm25()
        return self._sparse(manifest, bm, query, n, lang, list(tags), source)

    def _sparse(self, manifest: dict[str, Any], bm: Bm25, query: str, n: int, lang: str | None,
                tags: list[str], source: Source | None = None) -> list[str]:  # fmt: skip
        # the equivalents count for less than the user's own words: a Chinese question about 新客 should not be
        # answered by English pages that merely say "new customers", ...; translations by their own weight
        sets = weighted_terms(query, self.fusion)
        if bm.index is None or not sets:
            return []
        scores = sum((w * bm.index.get_scores(ts) for w, ts in sets), np.zeros(len(bm.ids)))
        order = np.argsort(-np.round(scores, SCORE_DECIMALS), kind="stable")  # ties: ids are sorted, so by chunk id
        out: list[str] = []
        for idx in order:
            if scores[idx] <= 0 or len(out) >= n:
                break
            cid = bm.ids[int(idx)]
            if self._allowed(manifest, cid, lang, tags, source):
                out.append(cid)
        return out

    def search(self, query: str, k: int = 5, lang: str | None = None, tags: Iterable[str] = (),
               mode: str = "hybrid", cache: bool = True, source: Source | None = None) -> list[Passage]:  # fmt: skip
        """Top-k passages; hybrid fuses dense and BM25 rankings (`retrieval/fusion.py`: weighted
        reciprocal rank, uploads boosted, near duplicates collapsed); `source` keeps one source only.

        Results are remembered until the knowledge base changes: every plan asks the same ~30
        section questions, so a draft's retrieval is a lookup after the first (cache=False: measure)."""
        if not query.strip() or k <= 0:
            return []
        self._refresh()
        tags = list(tags)
        key = (query, k, lang, tuple(tags), mode, source, self._seen)
        if cache:
            with self._lock:
                hit = self._results.get(key)
                if hit is not None:
                    self._results.move_to_end(key)
                    return list(hit)
        found = self._search(query, k, lang, tags, mode, source)
        if cache:
            with self._lock:
                if key[-1] == self._seen:  # not a result of the state a write just replaced
                    self._results[key] = tuple(found)
                while len(self._results) > RESULTS_CACHED:
                    self._results.popitem(last=False)
        return found

    def _search(self, query: str, k: int, lang: str | None, tags: list[str], mode: str,
                source: Source | None = None) -> list[Passage]:  # fmt: skip
        n = max(k * 4, 20)
        with self._lock:  # one state for the whole search, even if a write publishes meanwhile
            manifest = self.manifest
            bm = self._current_bm25() if mode in ("hybrid", "bm25") else bm25_store.EMPTY
        rankings: list[tuple[float, list[str]]] = []
        if mode in ("hybrid", "dense"):
            rankings.append((self.fusion.dense_weight, self._dense(manifest, query, n, lang, tags, source)))
        if mode in ("hybrid", "bm25"):
            rankings.append((self.fusion.bm25_weight, self._sparse(manifest, bm, query, n, lang, tags, source)))
        best = top(rankings, self.fusion, manifest["chunks"], k)
        return [self._passage(manifest, cid, score) for cid, score in best]

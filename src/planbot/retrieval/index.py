"""The knowledge index: Chroma (dense, e5 embeddings) + BM25 (jieba tokens), fused by reciprocal rank.

A manifest in the data dir records every document (content hash, chunks), so re-ingesting an
unchanged file is a no-op, a changed file replaces its chunks, and deleting a document removes
its chunks from Chroma, BM25 and the manifest together.

Several processes share one data dir (`planbot ingest` while `planbot serve` runs, uvicorn
workers). The manifest is the single source of truth and names the vector collection in use:
a rebuild fills a new collection beside the old one and swaps the name in the manifest (one
atomic rename), so readers never see a half-built index. Every search first checks the
manifest's stamp; after another process's write, the embedded vector store is reopened (Chroma
keeps its vectors in memory per process and would not see them) and BM25 and the remembered
results are rebuilt.

Rankings are a total order that does not hinge on floating-point noise: dense similarities are
(cosine distances) rounded to SCORE_DECIMALS before ranking, fused scores too, and ties go to the smaller chunk id.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import bm25s
import chromadb
import numpy as np
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings

from planbot.core.ports import Passage
from planbot.errors import BadInput, Conflict, NotFound, PlanbotError, Unavailable, Upstream
from planbot.retrieval.bm25_tokens import tokens
from planbot.retrieval.chunking import chunk_document
from planbot.retrieval.cleaning import clean, for_matching
from planbot.retrieval.health import REBUILD_HINT, index_problem
from planbot.retrieval.loaders import RawDocument
from planbot.retrieval.query_terms import expand

COLLECTION = "planbot_knowledge"  # the first generation's name; a rebuild makes planbot_knowledge_<hex>
RRF_K = 60
SEARCHABLE_WAIT_S = 10.0  # longest wait for added vectors to become searchable before publishing them
SCORE_DECIMALS = 4  # dense similarities closer than this are ties (then the chunk id decides): machines differ below it
RESULTS_CACHED = 4096  # remembered search results (a plan asks ~30 section questions per language)
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class IngestResult:
    doc_id: str
    title: str
    status: str  # added | updated | unchanged | skipped
    chunks: int
    reason: str = ""


@dataclass(frozen=True)
class DocumentInfo:
    doc_id: str
    title: str
    lang: str
    tags: list[str]
    source: str
    chunks: int
    added_at: str


def detect_lang(text: str) -> str:
    sample = text[:4000]
    cjk = len(_CJK.findall(sample))
    latin = len(re.findall(r"[A-Za-z]", sample))
    return "zh" if cjk * 2 >= latin else "en"


def slug(name: str) -> str:
    s = re.sub(r"[^0-9a-z\u4e00-\u9fff]+", "-", name.lower()).strip("-")
    return s[:60] or "document"


def chroma_client(data_dir: Path, chroma_url: str | None) -> Any:
    settings = ChromaSettings(anonymized_telemetry=False)
    if chroma_url:
        u = urlparse(chroma_url)
        if not u.hostname:
            raise BadInput(f"PLANBOT_CHROMA_URL {chroma_url!r} is not a URL like http://127.0.0.1:8001")
        return chromadb.HttpClient(host=u.hostname, port=u.port or 8000, ssl=u.scheme == "https", settings=settings)
    return chromadb.PersistentClient(path=str(data_dir / "chroma"), settings=settings)


def _metadata(doc_id: str, title: str, lang: str, tags: list[str]) -> dict[str, Any]:
    """Chroma metadata: scalar values only, so each tag is its own boolean key (filterable)."""
    return {"doc_id": doc_id, "title": title, "lang": lang, **{f"tag_{t}": True for t in tags}}


class _SharedLock:
    """Many searches at once, or one reopen of the vector store alone (closing it under a search would break it)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0

    @contextlib.contextmanager
    def shared(self) -> Iterator[None]:
        with self._cond:
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: self._readers == 0)
            yield


def _set_aside(path: Path) -> None:
    if path.exists():
        os.replace(path, path.with_name(f"{path.name}.corrupt-{int(time.time())}"))


class KnowledgeIndex:
    def __init__(
        self,
        data_dir: Path,
        chroma_url: str | None = None,
        embeddings: Embeddings | None = None,
        recover: bool = False,
    ) -> None:
        """`recover`: set a corrupted manifest or embedded vector store aside and start empty
        (`planbot ingest --rebuild`); otherwise a corrupted index is refused with what to do."""
        from planbot.retrieval.embeddings import E5Embeddings  # noqa: PLC0415 - tests may pass another model

        self.dir = data_dir
        self.dir.mkdir(parents=True, exist_ok=True)
        self.embeddings = embeddings or E5Embeddings()
        self.manifest_path = data_dir / "knowledge.json"
        self.bm25_dir = data_dir / "bm25"
        self.recovered: list[str] = []  # what was set aside
        # without `recover`, a corrupted store fails to open and a corrupted manifest fails to load, each with
        # REBUILD_HINT below (`planbot serve` checks first, with index_problem); only recovery needs the diagnosis
        problem = index_problem(data_dir, chroma_url) if recover else None
        if problem:
            # corrupted vectors are rebuilt from the manifest; a corrupted manifest takes everything with it
            aside = [data_dir / "chroma"]
            if problem.part == "manifest":
                aside += [self.manifest_path, self.bm25_dir]
            for path in aside:
                if path.exists():
                    self.recovered.append(path.name)
                    _set_aside(path)
        self.chroma_url = chroma_url
        self.manifest: dict[str, Any] = self._load_manifest()
        self._seen = self._stamp()  # the manifest as loaded: another process's write changes it
        self._vectors_lock = _SharedLock()
        self._client: Any = None
        self.store = self._open_store()
        self._writer = False  # this process holds the data dir's file lock
        self._results: OrderedDict[tuple[Any, ...], tuple[Passage, ...]] = OrderedDict()  # search() memo
        self._bm25: bm25s.BM25 | None = None
        self._bm25_ids: list[str] = []
        self._bm25_fresh = False  # BM25 is derived from the manifest; rebuilt on first use after a change
        self._lock = threading.RLock()  # writes and the lazy BM25 rebuild, against concurrent requests

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
        except chromadb.errors.ChromaError as exc:
            raise Conflict(f"the vector store cannot be opened ({exc}); {REBUILD_HINT}") from exc

    def _reopen(self) -> None:
        """See another process's writes: the embedded store reads from disk afresh; a server needs only the name."""
        with self._vectors_lock.exclusive():
            if self.chroma_url is None and self._client is not None:
                with contextlib.suppress(Exception):
                    self._client.close()
                self._client = None
            self.store = self._open_store()

    def _await_searchable(self, store: Chroma, doc_id: str, chunk_id: str, text: str) -> None:
        """Publish nothing before it can be found: a manifest naming a chunk that a search of the store
        (a `chroma run` server under load may lag behind its writes) cannot yet return would let another
        worker rank without it. Waits until a search by the chunk's own vector returns it."""
        vector = self.embeddings.embed_documents([text])[0]
        deadline = time.monotonic() + SEARCHABLE_WAIT_S
        while True:
            found = store.similarity_search_by_vector(vector, k=5, filter={"doc_id": doc_id})  # HNSW is approximate
            if chunk_id in {d.id for d in found}:
                return
            if time.monotonic() > deadline:
                raise Upstream(
                    f"the vector store did not return {chunk_id} within {SEARCHABLE_WAIT_S:g} s of adding it"
                )
            time.sleep(0.05)

    def check_ready(self) -> int:
        """The number of chunks, once the vector store answers and holds every chunk of the manifest.

        Raises Unavailable otherwise (`/readyz`): an empty knowledge base, a collection that is gone or
        short of vectors (an interrupted rebuild, a store deleted under the server)."""
        try:
            self._refresh()
            with self._vectors_lock.shared():
                vectors = int(self.store._collection.count())
        except PlanbotError as exc:
            raise Unavailable(exc.message) from exc
        except Exception as exc:  # chromadb raises many types; readiness needs one clear message
            raise Unavailable(f"the vector store cannot be read ({exc}); {REBUILD_HINT}") from exc
        chunks = len(self.manifest["chunks"])
        if chunks == 0:
            raise Unavailable("the knowledge base is empty: run `planbot ingest knowledge/`")
        if vectors < chunks:
            raise Unavailable(
                f"the vector store holds {vectors} of the {chunks} chunks of the knowledge base; {REBUILD_HINT}"
            )
        return chunks

    # -- persistence --------------------------------------------------------------------------------
    def _load_manifest(self) -> dict[str, Any]:
        if not self.manifest_path.exists():
            return {"documents": {}, "chunks": {}}
        try:
            data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise Conflict(f"the knowledge manifest {self.manifest_path} is corrupted; {REBUILD_HINT}") from exc
        if not isinstance(data, dict) or "documents" not in data or "chunks" not in data:
            raise Conflict(f"the knowledge manifest {self.manifest_path} is not a planbot manifest")
        return data

    def _save_manifest(self) -> None:
        tmp = self.manifest_path.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(json.dumps(self.manifest, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.manifest_path)
        self._seen = self._stamp()

    # -- several processes on one data dir (uvicorn workers, `planbot ingest` while serving) -----------
    def _stamp(self) -> tuple[int, int] | None:
        try:
            st = self.manifest_path.stat()
        except FileNotFoundError:
            return None
        return st.st_mtime_ns, st.st_size

    def _refresh(self) -> None:
        """Pick up what another process wrote: one stat per call, a reload only after a change."""
        if self._stamp() == self._seen:
            return
        with self._lock:
            if self._stamp() != self._seen:
                self._reload()

    def _reload(self) -> None:
        """Start again from the manifest on disk: BM25 is rebuilt on next use and the vector store reopened.
        The caller holds self._lock."""
        self._seen = self._stamp()
        self.manifest = self._load_manifest()
        self._bm25_fresh = False
        self._reopen()

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """Writers take this process's lock and the data dir's file lock, then start from the latest manifest."""
        with self._lock, (self.dir / "index.lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            self._writer = True
            try:
                self._refresh()
                yield
            finally:
                self._writer = False
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _current_bm25(self) -> bm25s.BM25 | None:
        """The BM25 index matching the manifest: loaded from disk if current, else rebuilt once.

        Ingesting a folder changes the manifest many times; rebuilding here, on the next search,
        tokenizes the corpus once instead of after every file. The caller holds self._lock.
        """
        if not self._bm25_fresh:
            ids_path = self.bm25_dir / "ids.json"
            try:
                if json.loads(ids_path.read_text(encoding="utf-8")) != sorted(self.manifest["chunks"]):
                    raise ValueError("stale")
                self._bm25 = bm25s.BM25.load(str(self.bm25_dir), show_progress=False)
                self._bm25_ids = sorted(self.manifest["chunks"])
            except (OSError, ValueError, KeyError):
                self._rebuild_bm25()  # missing, stale or corrupted: rebuild it from the manifest
            self._bm25_fresh = True
        return self._bm25

    def _rebuild_bm25(self) -> None:
        ids = sorted(self.manifest["chunks"])
        bm: bm25s.BM25 | None = None
        if ids:
            bm = bm25s.BM25()
            bm.index([tokens(self.manifest["chunks"][i]["match_text"]) or ["_"] for i in ids], show_progress=False)
        self._bm25, self._bm25_ids = bm, ids
        with contextlib.ExitStack() as stack:
            if not self._writer:  # a reader saves only if no other process is writing right now
                lock = stack.enter_context((self.dir / "index.lock").open("a"))
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    return
                stack.callback(fcntl.flock, lock, fcntl.LOCK_UN)
            shutil.rmtree(self.bm25_dir, ignore_errors=True)
            if bm is not None:
                bm.save(str(self.bm25_dir), show_progress=False)
                (self.bm25_dir / "ids.json").write_text(json.dumps(ids), encoding="utf-8")

    # -- documents ----------------------------------------------------------------------------------
    def ingest(self, raw: RawDocument) -> IngestResult:
        with self._writing():
            return self._ingest(raw)

    def _ingest(self, raw: RawDocument) -> IngestResult:
        text = clean(raw.text, raw.title)
        title = raw.title.strip()[:200] or "untitled"
        doc_id = slug(raw.doc_id or Path(raw.source).stem or title)
        if len(re.sub(r"\s", "", text)) < 20:
            return IngestResult(doc_id, title, "skipped", 0, "no text left after cleaning")
        lang = raw.lang if raw.lang in ("zh", "en") else detect_lang(text)
        digest = hashlib.sha256(json.dumps([title, lang, raw.tags, text], ensure_ascii=False).encode()).hexdigest()
        docs: dict[str, Any] = self.manifest["documents"]
        existing = docs.get(doc_id)
        if existing and existing["sha256"] == digest:
            return IngestResult(doc_id, title, "unchanged", len(existing["chunks"]))
        twin = next((d for d, info in docs.items() if info["sha256"] == digest and d != doc_id), None)
        if twin is not None:
            return IngestResult(doc_id, title, "skipped", 0, f"same content as {twin}")
        chunks = chunk_document(doc_id, title, text)
        known_text = {
            c["match_sha"] for cid, c in self.manifest["chunks"].items() if c["doc_id"] != doc_id
        }  # a passage already stored from another document is not stored twice
        fresh = [c for c in chunks if hashlib.sha1(c.match_text.encode()).hexdigest() not in known_text]
        if existing:
            self._delete_chunks(existing["chunks"])
        if fresh:
            metadatas = [_metadata(doc_id, title, lang, raw.tags) for _ in fresh]
            try:
                self.store.add_texts(
                    [c.match_text for c in fresh], metadatas=metadatas, ids=[c.chunk_id for c in fresh]
                )
                self._await_searchable(self.store, doc_id, fresh[-1].chunk_id, fresh[-1].match_text)
            except PlanbotError:
                raise
            except Exception as exc:  # chromadb raises many types; the user needs one clear message
                raise Upstream(f"the vector store refused the chunks of {doc_id}: {exc}") from exc
        for c in fresh:
            self.manifest["chunks"][c.chunk_id] = {
                "doc_id": doc_id, "title": title, "lang": lang, "tags": raw.tags, "text": c.text,
                "match_text": c.match_text, "match_sha": hashlib.sha1(c.match_text.encode()).hexdigest(),
                "position": c.position,
            }  # fmt: skip
        docs[doc_id] = {
            "title": title, "lang": lang, "tags": raw.tags, "source": raw.source, "sha256": digest,
            "chunks": [c.chunk_id for c in fresh], "added_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }  # fmt: skip
        self._save_manifest()
        self._bm25_fresh = False
        return IngestResult(doc_id, title, "updated" if existing else "added", len(fresh))

    def _delete_chunks(self, ids: list[str]) -> None:
        if ids:
            self.store.delete(ids=ids)
        for cid in ids:
            self.manifest["chunks"].pop(cid, None)

    def remove(self, doc_id: str) -> None:
        with self._writing():
            self._remove(doc_id)

    def _remove(self, doc_id: str) -> None:
        info = self.manifest["documents"].get(doc_id)
        if info is None:
            raise NotFound(f"no knowledge document {doc_id!r}")
        self._delete_chunks(info["chunks"])
        del self.manifest["documents"][doc_id]
        self._save_manifest()
        self._bm25_fresh = False

    def rebuild(self) -> int:
        """Re-create the vector and BM25 indexes from the manifest (after corruption or a model change)."""
        with self._writing():
            return self._rebuild()

    def _rebuild(self) -> int:
        """Fill a new collection beside the one in use, then swap the name in the manifest (atomic for readers)."""
        old = self.collection
        fresh = f"{COLLECTION}_{time.time_ns():x}"
        store = self._open_store(fresh)
        ids = sorted(self.manifest["chunks"])
        for i in range(0, len(ids), 256):
            batch = ids[i : i + 256]
            rows = [self.manifest["chunks"][c] for c in batch]
            store.add_texts(
                [r["match_text"] for r in rows],
                metadatas=[_metadata(r["doc_id"], r["title"], r["lang"], r["tags"]) for r in rows],
                ids=batch,
            )
        if ids:
            last = self.manifest["chunks"][ids[-1]]
            self._await_searchable(store, last["doc_id"], ids[-1], last["match_text"])
        self.manifest["collection"] = fresh
        self._save_manifest()
        with self._vectors_lock.exclusive():
            self.store = store
        self._rebuild_bm25()
        self._bm25_fresh = True
        with contextlib.suppress(Exception):  # readers that still search the old one retry on the new one
            self._client.delete_collection(old)
        return len(ids)

    def documents(self) -> list[DocumentInfo]:
        self._refresh()
        return [
            DocumentInfo(d, i["title"], i["lang"], i["tags"], i["source"], len(i["chunks"]), i["added_at"])
            for d, i in sorted(self.manifest["documents"].items())
        ]

    # -- retrieval ----------------------------------------------------------------------------------
    def _passage(self, cid: str, score: float = 0.0) -> Passage:
        c = self.manifest["chunks"][cid]
        return Passage(chunk_id=cid, doc_id=c["doc_id"], title=c["title"], text=c["text"], score=round(score, 6),
                       lang=c["lang"])  # fmt: skip

    def get(self, chunk_id: str) -> Passage | None:
        self._refresh()
        return self._passage(chunk_id) if chunk_id in self.manifest["chunks"] else None

    def chunk_ids(self) -> set[str]:
        self._refresh()
        return set(self.manifest["chunks"])

    def _allowed(self, cid: str, lang: str | None, tags: Iterable[str]) -> bool:
        c = self.manifest["chunks"].get(cid)
        return c is not None and (lang is None or c["lang"] == lang) and all(t in c["tags"] for t in tags)

    def dense(self, query: str, n: int, lang: str | None = None, tags: Iterable[str] = ()) -> list[str]:
        if not self.manifest["chunks"]:
            return []
        where: dict[str, Any] = {}
        conds: list[dict[str, Any]] = ([{"lang": lang}] if lang else []) + [{f"tag_{t}": True} for t in tags]
        if len(conds) == 1:
            where = conds[0]
        elif conds:
            where = {"$and": conds}
        vector = self.embeddings.embed_query(for_matching(query))
        for attempt in (1, 2):
            try:
                with self._vectors_lock.shared():
                    found = self.store.similarity_search_by_vector_with_relevance_scores(
                        vector, k=n, filter=where or None
                    )
                break
            except Exception as exc:  # the collection may have been swapped by a rebuild in another process
                if attempt == 2:
                    raise Upstream(f"vector search failed: {exc}") from exc
                with self._lock:
                    self._reload()
        ranked = sorted((round(distance, SCORE_DECIMALS), d.id) for d, distance in found if d.id)  # nearest first
        return [cid for _, cid in ranked if cid in self.manifest["chunks"]]

    def sparse(self, query: str, n: int, lang: str | None = None, tags: Iterable[str] = ()) -> list[str]:
        q = tokens(for_matching(expand(query)))
        with self._lock:
            bm, ids = self._current_bm25(), self._bm25_ids
        if bm is None or not q:
            return []
        tags = list(tags)
        scores = bm.get_scores(q)
        order = np.argsort(-np.round(scores, SCORE_DECIMALS), kind="stable")  # ties: ids are sorted, so by chunk id
        out: list[str] = []
        for idx in order:
            if scores[idx] <= 0 or len(out) >= n:
                break
            cid = ids[int(idx)]
            if self._allowed(cid, lang, tags):
                out.append(cid)
        return out

    def search(self, query: str, k: int = 5, lang: str | None = None, tags: Iterable[str] = (),
               mode: str = "hybrid", cache: bool = True) -> list[Passage]:  # fmt: skip
        """Top-k passages; hybrid fuses dense and BM25 rankings by reciprocal rank.

        Results are remembered until the knowledge base changes: every plan asks the same ~30
        section questions, so a draft's retrieval is a lookup after the first (cache=False: measure)."""
        if not query.strip() or k <= 0:
            return []
        self._refresh()
        tags = list(tags)
        key = (query, k, lang, tuple(tags), mode, self._seen)
        if cache:
            with self._lock:
                hit = self._results.get(key)
                if hit is not None:
                    self._results.move_to_end(key)
                    return list(hit)
        found = self._search(query, k, lang, tags, mode)
        if cache:
            with self._lock:
                self._results[key] = tuple(found)
                while len(self._results) > RESULTS_CACHED:
                    self._results.popitem(last=False)
        return found

    def _search(self, query: str, k: int, lang: str | None, tags: list[str], mode: str) -> list[Passage]:
        n = max(k * 4, 20)
        rankings = []
        if mode in ("hybrid", "dense"):
            rankings.append(self.dense(query, n, lang, tags))
        if mode in ("hybrid", "bm25"):
            rankings.append(self.sparse(query, n, lang, tags))
        fused: dict[str, float] = {}
        for ranking in rankings:
            for rank, cid in enumerate(ranking):
                fused[cid] = fused.get(cid, 0.0) + 1.0 / (RRF_K + rank + 1)
        best = sorted(fused.items(), key=lambda kv: (-round(kv[1], 9), kv[0]))[:k]  # ties: the smaller chunk id
        return [self._passage(cid, score) for cid, score in best]

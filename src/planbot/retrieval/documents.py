"""A loaded file made ready for the index, before any lock is taken or any passage embedded.

Cleaning and chunking are CPU work that needs no index state, so an upload does it first, and a
file that would make more passages than one upload may is refused here, before the model spends
any time on it. Titles, ids and tags pass through `strip_controls`: NUL and friends never reach a
page, an export or a terminal.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from planbot.core.controls import strip_controls
from planbot.errors import TooLarge
from planbot.retrieval.chunking import Chunk, chunk_document
from planbot.retrieval.cleaning import clean
from planbot.retrieval.loaders import RawDocument

MAX_CHUNKS = 2000  # passages one upload may make (PLANBOT_MAX_UPLOAD_CHUNKS): ~1.2 MB of prose
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


@dataclass(frozen=True)
class Prepared:
    doc_id: str
    title: str
    lang: str
    tags: list[str]
    source: str
    digest: str  # of title, lang, tags and cleaned text: an unchanged upload is a no-op
    chunks: list[Chunk]
    empty: bool  # no text left after cleaning: skipped


def detect_lang(text: str) -> str:
    sample = text[:4000]
    cjk = len(_CJK.findall(sample))
    latin = len(re.findall(r"[A-Za-z]", sample))
    return "zh" if cjk * 2 >= latin else "en"


def slug(name: str) -> str:
    s = re.sub(r"[^0-9a-z\u4e00-\u9fff]+", "-", strip_controls(name).lower()).strip("-")
    return s[:60] or "document"


def display_title(raw: RawDocument) -> str:
    """The title as pages show it: one line, no control characters; else the file's name."""
    title = " ".join(strip_controls(raw.title).split())[:200]
    return title or " ".join(strip_controls(Path(raw.source).stem).split())[:200] or "untitled"


def prepare(raw: RawDocument) -> Prepared:
    title = display_title(raw)
    text = clean(strip_controls(raw.text, keep_newlines=True), title)
    doc_id = slug(raw.doc_id or Path(raw.source).stem or title)
    tags = [t for t in (" ".join(strip_controls(str(tag)).split()) for tag in raw.tags) if t]
    empty = len(re.sub(r"\s", "", text)) < 20
    lang = raw.lang if raw.lang in ("zh", "en") else detect_lang(text)
    digest = hashlib.sha256(json.dumps([title, lang, tags, text], ensure_ascii=False).encode()).hexdigest()
    chunks = [] if empty else chunk_document(doc_id, title, text)
    return Prepared(doc_id, title, lang, tags, raw.source, digest, chunks, empty)


def check_size(prepared: Prepared, max_chunks: int | None) -> None:
    """Refuse, before any embedding, a document that would make more passages than one upload may."""
    if max_chunks is not None and len(prepared.chunks) > max_chunks:
        name = Path(prepared.source).name or prepared.doc_id
        raise TooLarge(
            f"{name} would make {len(prepared.chunks)} passages; the limit is {max_chunks} per upload: "
            "split it into smaller files and upload them one by one",
            {"passages": len(prepared.chunks), "limit": max_chunks},
        )

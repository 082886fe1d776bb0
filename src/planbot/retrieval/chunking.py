"""Structure-aware chunking: heading sections, tables kept whole, Chinese sentence ends.

Chunk ids are derived from the document id and the chunk's normalised text, so re-ingesting
the same content yields the same ids.

A guide gets one chunk per section (more for a long one). A document of very many sections (an
FAQ, a glossary, or 10,000 two-line sections made to flood the index) has its small sections
merged, whole and in order, into chunks of up to MAX_CHARS: one passage per tiny section would
cost an embedding each and bury real passages under fragments.

A page without headings (a raw page copied from the web or a PDF: no `##` heading, or fewer than
one per PAGE_CHARS_PER_HEADING characters; the shipped guides have one per ~720 at most) is cut
by `windows` instead: windows of whole sentences of about TARGET_CHARS, overlapping by one sentence,
tables kept whole, each headed by the title or the page's nearest pseudo-heading ("一、", "1.",
"活动目标："). Its one long section would otherwise become ~MAX_CHARS passages that lose to the
guides' heading-sized ones in ranking, with an answer cut in two where a split falls.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from langchain_text_splitters import RecursiveCharacterTextSplitter

from planbot.retrieval.cleaning import for_matching
from planbot.retrieval.windows import TARGET_CHARS, join, page_sections, windows

MAX_CHARS = 600
MIN_CHARS = 40
MANY_SECTIONS = 200  # above this many sections, small sections are merged up to MAX_CHARS
PAGE_CHARS_PER_HEADING = 1500  # fewer headings than one per this many characters: a page, cut by windows
HEADING_SHOWN = 60  # a page's window shows at most this much of its heading (a title may be 200 long)
_HEADING = re.compile(r"^(#{1,4})\s+(.*)$")
_SPLITTER = RecursiveCharacterTextSplitter(
    chunk_size=MAX_CHARS,
    chunk_overlap=0,
    separators=["\n\n", "\n", "。", "！", "？", "；", ". ", "! ", "? ", "; ", "，", ", ", " ", ""],
    keep_separator="end",
)


@dataclass(frozen=True)
class Chunk:
    chunk_id: str
    doc_id: str
    heading: str
    text: str  # original script, for display and citation
    match_text: str  # simplified, normalised: what embeddings and BM25 see
    position: int


def chunk_id(doc_id: str, match_text: str) -> str:
    return f"{doc_id}:{hashlib.sha1(match_text.encode('utf-8')).hexdigest()[:12]}"


def _sections(text: str) -> list[tuple[str, list[str]]]:
    sections: list[tuple[str, list[str]]] = [("", [])]
    for line in text.split("\n"):
        m = _HEADING.match(line.strip())
        if m and len(m.group(1)) >= 2:
            sections.append((m.group(2).strip(), []))
        elif m:
            continue  # the document title: already known
        else:
            sections[-1][1].append(line)
    return [(h, body) for h, body in sections if "".join(body).strip()]


def _blocks(lines: list[str]) -> list[str]:
    """Paragraphs, with each table's rows gathered into one block so a table is never cut."""
    blocks: list[str] = []
    current: list[str] = []
    in_table = False
    for line in [*lines, ""]:
        is_row = line.strip().startswith("|")
        if (not line.strip()) or (is_row != in_table and current):
            if current:
                blocks.append("\n".join(current).strip())
            current = []
        if line.strip():
            current.append(line.strip())
        in_table = is_row
    return [b for b in blocks if b]


def _pieces(block: str) -> list[str]:
    if block.startswith("|") or len(block) <= MAX_CHARS:
        return [block]
    return [p.strip() for p in _SPLITTER.split_text(block) if p.strip()]


def _section_text(heading: str, body: str) -> str:
    return f"## {heading}\n{body}" if heading else body


def is_page(text: str) -> bool:
    """No `##` headings, or too few for the text's length: chunked by sentence windows."""
    headings = sum(1 for line in text.split("\n") if (m := _HEADING.match(line.strip())) and len(m.group(1)) >= 2)
    return headings == 0 or len(text) > PAGE_CHARS_PER_HEADING * headings


def _page(title: str, text: str) -> list[tuple[str, str]]:
    """(heading, body) of each sentence window of a page; every `_section_text` at most MAX_CHARS
    (save a Markdown pipe table, kept whole as in a guide)."""

    def shown(heading: str) -> str:
        return heading if len(heading) <= HEADING_SHOWN else heading[: HEADING_SHOWN - 1] + "…"

    limit = MAX_CHARS - len(_section_text("x" * HEADING_SHOWN, ""))
    out: list[tuple[str, str]] = []
    for heading, units in page_sections(text, title, limit):
        prefix = len(_section_text(shown(heading), ""))
        target = max(TARGET_CHARS - prefix, TARGET_CHARS // 2)
        out.extend((shown(heading), join(window)) for window in windows(units, target, MAX_CHARS - prefix))
    return out


def chunk_document(doc_id: str, title: str, text: str) -> list[Chunk]:
    """Chunks of at most ~MAX_CHARS (a table may exceed it), each headed by its section."""
    chunks: list[Chunk] = []
    seen: set[str] = set()

    def emit(group: list[tuple[str, str]]) -> None:
        display = "\n\n".join(_section_text(heading, body) for heading, body in group)
        match = for_matching(
            " ".join([title, *(body if heading == title else f"{heading} {body}" for heading, body in group)])
        )
        cid = chunk_id(doc_id, match)
        if cid not in seen:  # the same passage twice in one document is stored once
            seen.add(cid)
            chunks.append(Chunk(cid, doc_id, group[0][0], display, match, len(chunks)))

    page = _page(title, text) if is_page(text) else []
    for window in page:
        emit([window])
    if page:
        return chunks
    sections = _sections(text)
    merge = len(sections) > MANY_SECTIONS
    group: list[tuple[str, str]] = []  # small whole sections waiting to be merged (merge mode only)
    size = 0
    for heading, lines in sections:
        pieces = [p for block in _blocks(lines) for p in _pieces(block)]
        if merge:
            whole = len(_section_text(heading, "\n".join(pieces)))
            if whole <= MAX_CHARS:
                if group and size + 2 + whole > MAX_CHARS:
                    emit(group)
                    group, size = [], 0
                group.append((heading, "\n".join(pieces)))
                size += whole + (2 if size else 0)
                continue
            if group:
                emit(group)
                group, size = [], 0
        buffer = ""
        for piece in pieces:
            if buffer and len(buffer) + len(piece) + 1 > MAX_CHARS and len(buffer) >= MIN_CHARS:
                emit([(heading, buffer)])
                buffer = ""
            buffer = f"{buffer}\n{piece}".strip()
        if buffer:
            emit([(heading, buffer)])
    if group:
        emit(group)
    return chunks

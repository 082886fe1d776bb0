"""Sentence windows for pages without headings: raw guide pages copied from the web or a PDF.

A page is cut into units: whole sentences (Chinese 。！？；, English . ! ? ; before a space that is
not followed by a lowercase letter, and every line end, since `cleaning.join_wrapped` has already
joined lines broken mid-sentence) and whole tables (a Markdown pipe table, a run of 2+ rows of tab-
or multi-space-separated cells, or a run of TABLE_RUN+ short lines, a table whose cells became one
line each). Windows of whole units are packed to about TARGET_CHARS, like the shipped guides' heading
sections, and never beyond the chunker's limit; each window after the first repeats the previous
window's last sentence, so an answer that spans a boundary is whole in at least one window.

Pseudo-headings start a new section, and a window never spans two sections: a line of at most
PSEUDO_HEADING characters that does not end a sentence and either ends with a colon ("活动目标：")
or starts with a number ("一、", "（二）", "第三章", "1.", "2、"). A Markdown heading (## and deeper)
on a page with few of them counts as one. A pseudo-heading right after a section of under MIN_CHARS
is kept as a line of that section instead. The first section is headed by the document's title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from langchain_text_splitters import RecursiveCharacterTextSplitter

from planbot.retrieval.cleaning import ends_sentence, table_lines

TARGET_CHARS = 300  # the shipped guides' chunks: mean ~310 characters, median 276
PSEUDO_HEADING = 30
MIN_SECTION = 40  # chunking.MIN_CHARS: a pseudo-heading after less than this is a line of the section
_HEADING = re.compile(r"^(#{1,4})\s+(.*)$")
_NUMBERED = re.compile(r"^([(（]?[一二三四五六七八九十]+[、.．)）]|第\S{1,3}[章节部分步篇]|\d{1,2}(?:[、．]|\.(?!\d)))")
_SENTENCE = re.compile(r"[。！？；]+[”’」』）)】\"']*|[.!?;]+[)\"'”’]*(?=\s+(?![a-z])|$)")
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


@dataclass(frozen=True)
class Unit:
    text: str
    table: bool = False
    new_line: bool = True  # begins a line of the page (else it continues the previous sentence's line)


def pseudo_heading(line: str) -> bool:
    s = line.strip()
    if not s or len(s) > PSEUDO_HEADING or (ends_sentence(s) and s[-1] not in ":："):
        return False
    return s[-1] in ":：" or _NUMBERED.match(s) is not None


def sentences(line: str, limit: int) -> list[Unit]:
    """A line's sentences; one longer than `limit` is cut at clause ends into pieces of at most `limit`."""
    units: list[Unit] = []
    start = 0
    ends = [m.end() for m in _SENTENCE.finditer(line)]
    for end in [*ends, len(line)]:
        piece = line[start:end].strip()
        start = end
        if not piece:
            continue
        parts = [piece] if len(piece) <= limit else _cut(piece, limit)
        units.extend(Unit(p, new_line=not units) for p in parts)
    return units


def _cut(text: str, limit: int) -> list[str]:
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=limit, chunk_overlap=0, separators=["，", ", ", "、", " ", ""], keep_separator="end"
    )
    return [p.strip() for p in splitter.split_text(text) if p.strip()]


def _table(rows: list[str], limit: int) -> list[Unit]:
    """A table as one unit; one longer than `limit` split between rows (a pipe table is never split)."""
    if rows[0].startswith("|"):
        return [Unit("\n".join(rows), table=True)]
    units: list[Unit] = []
    current: list[str] = []
    for row in rows:
        if current and len("\n".join([*current, row])) > limit:
            units.append(Unit("\n".join(current), table=True))
            current = []
        current.append(row)
    units.append(Unit("\n".join(current), table=True))
    return units


def page_sections(text: str, title: str, limit: int) -> list[tuple[str, list[Unit]]]:
    """(heading, units) for each section of a page; units are at most `limit` long (save a pipe table)."""
    lines = [ln.strip() for ln in text.split("\n")]
    tables = table_lines(lines)
    sections: list[tuple[str, list[Unit]]] = [(title, [])]
    rows: list[str] = []
    for i, line in enumerate([*lines, ""]):
        if i in tables:
            rows.append(line)
            continue
        if rows:
            sections[-1][1].extend(_table(rows, limit))
            rows = []
        heading = _HEADING.match(line)
        if not line or line.lstrip("#").strip() == title.strip() or (heading and len(heading.group(1)) == 1):
            continue  # the title is every window's heading already
        name = heading.group(2).strip() if heading else line if pseudo_heading(line) else None
        if name is not None and len(sections) == 1 and not sections[0][1]:
            sections[0] = (name, [])  # the page opens with a heading: it heads the first section
        elif name is not None and sum(len(u.text) for u in sections[-1][1]) >= MIN_SECTION:
            sections.append((name, []))
        else:
            sections[-1][1].extend(sentences(line if name is None else name, limit))
    return [(h, units) for h, units in sections if units]


def join(units: list[Unit]) -> str:
    out = ""
    for unit in units:
        if out:
            tight = not unit.new_line and _CJK.match(out[-1]) and _CJK.match(unit.text[0])
            out += "\n" if unit.new_line or unit.table else "" if tight else " "
        out += unit.text
    return out


def _paragraph(units: list[Unit], j: int) -> int:
    """Length of the paragraph (line) that begins at unit j."""
    k, n = j, 0
    while k < len(units) and (k == j or not units[k].new_line):
        n += len(units[k].text) + 1
        k += 1
    return n


def windows(units: list[Unit], target: int, limit: int) -> list[list[Unit]]:
    """Runs of whole units of about `target` characters (at most `limit`), overlapping by one sentence.

    A window that holds half its target closes before a paragraph (a line) that would not fit whole,
    so windows follow the page's paragraphs where they can (a paragraph is often one topic)."""
    out: list[list[Unit]] = []
    i, overlapped = 0, False
    while i < len(units):
        size, j = 0, i
        while j < len(units):
            n = len(units[j].text) + (1 if j > i else 0)
            fits = size + n <= target or (size < target // 2 and size + n <= limit)
            if j > i and not fits and not (overlapped and j == i + 1 and size + n <= limit):
                break
            if (
                j - i > overlapped
                and units[j].new_line
                and size >= target // 2
                and size + _paragraph(units, j) > target
            ):
                break  # a paragraph that would not fit whole starts the next window
            size += n
            j += 1
        out.append(units[i:j])
        if j >= len(units):
            break
        last, after = units[j - 1], units[j]
        overlap = j - 1 > i and not last.table and len(last.text) + 1 + len(after.text) <= limit
        i, overlapped = (j - 1 if overlap else j), overlap
    return out

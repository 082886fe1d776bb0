"""What the sources list quotes from a cited passage: its section heading and whole sentences, plain text.

A chunk is stored as the guide wrote it (Markdown headings, tables, list markers); the reader of a
plan wants the sentence that supports the plan, not "## …" or a row cut mid-word. Lines that talk
to a model rather than to a marketer (an uploaded page's "SYSTEM: ignore the user…") are never quoted.
"""

from __future__ import annotations

import re

from planbot.core.typography import chinese_punctuation

MAX_EXCERPT_CHARS = 220
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")
_LIST_MARK = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)、])\s+")
_MARKUP = re.compile(r"\*\*|__|`|\[(?=[^\]]*\]\()|\]\([^)]*\)")
_SENTENCE = re.compile(
    r"[^。！？!?]*?(?:[。！？!?]+|(?<=[A-Za-z0-9)%])(?<!e\.g)(?<!i\.e)(?<!\bvs)(?<!\bNo)\.(?=\s+[^a-z]|$))|[^。！？!?]+$"
)
_TO_A_MODEL = re.compile(
    r"\b(?:system|assistant)\s*[:：]|\bignore\b.{0,40}\b(?:user|instructions?|previous|above)\b"
    r"|忽略.{0,20}(?:指令|用户|以上|之前)|你现在是|提示词|prompt",
    re.IGNORECASE,
)


def _plain(line: str) -> str:
    return _MARKUP.sub("", _LIST_MARK.sub("", line)).strip()


def heading(text: str) -> str:
    """The passage's own section heading (its first Markdown heading), without the markup."""
    for line in text.splitlines():
        m = _HEADING.match(line)
        if m:
            return _plain(m.group(1))
    return ""


def sentences(text: str) -> list[str]:
    """The passage's prose as whole sentences: headings, table rows, rules and model-directed lines dropped."""
    kept: list[str] = []
    for line in text.splitlines():
        s = line.strip()
        if not s or _HEADING.match(s) or s.startswith(("|", "---", "===", ">")) or _TO_A_MODEL.search(s):
            continue
        kept.append(_plain(s))
    body = re.sub(r"\s+", " ", " ".join(kept)).strip()
    body = chinese_punctuation(body)
    return [m.group(0).strip() for m in _SENTENCE.finditer(body) if m.group(0).strip()]


def excerpt(text: str, limit: int = MAX_EXCERPT_CHARS) -> str:
    """Whole sentences from the start, as many as fit in `limit` (always at least one, never cut)."""
    out = ""
    for s in sentences(text):
        joined = f"{out} {s}".strip() if out and s[:1].isascii() else out + s
        if out and len(joined) > limit:
            break
        out = joined
    return out


def quote(text: str) -> str:
    """What the sources list shows of a passage or a fact's quote: whole sentences, plain text."""
    return excerpt(text) if "\n" in text or len(text) > MAX_EXCERPT_CHARS else chinese_punctuation(text.strip())

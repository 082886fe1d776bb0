"""A text lint for what a plan's reader sees, in any format (issue 20).

Each rule returns the offending snippets, so a failure shows where the text went wrong:
- half-width punctuation between Chinese characters ("方案周期: 2027" is "方案周期：2027");
- bullets broken inside parentheses ("Public traffic (search" / "feeds" / "social) brings…");
- internal notes and machinery (chunk ids, template braces, Markdown markup in a finished document,
  the old pasted-guidance leads);
- pasted excerpts: a section's prose repeating a run of a cited passage.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

CJK = "\u3400-\u9fff"
_HALF_WIDTH = re.compile(rf"[{CJK}）》”][:;,?!](?=\s*[{CJK}（《“])|[{CJK}][:;] ")
_CHUNK_ID = re.compile(r"\b[a-z0-9]+(?:-[a-z0-9]+)+:[0-9a-f]{12}\b")
INTERNAL = (
    "phases clipped",
    "阶段已按方案周期截取",
    "参考指南：",
    "Guidance:",
    "引用:",
    "Cites:",
    "{{",
    "}}",
    "{%",
    "None",
    "nan%",
    "TODO",
    "SYSTEM:",
    "ignore the user",
)
MARKUP = ("## ", "**", "<br>", "&lt;", "&gt;", "&amp;")
PASTE_RUN = {"zh": 24, "en": 60}  # characters of a cited passage that prose may not repeat


def half_width_in_chinese(text: str) -> list[str]:
    return [text[max(0, m.start() - 6) : m.end() + 6] for m in _HALF_WIDTH.finditer(text)]


def _balanced(item: str) -> bool:
    depth = 0
    for ch in item:
        depth += ch in "(（"
        depth -= ch in ")）"
        if depth < 0:
            return False
    return depth == 0


def broken_bullets(items: Iterable[str]) -> list[str]:
    """List items whose parentheses do not close, or that start or end mid-phrase."""
    out = []
    for raw in items:
        item = raw.strip()
        if item and (not _balanced(item) or item[0] in ",，、;；)）" or item[-1] in ",，、(（"):
            out.append(item)
    return out


def internal_notes(text: str, finished: bool = True) -> list[str]:
    """Machinery a reader must not see; `finished` documents (HTML, PDF, DOCX, XLSX) show no Markdown."""
    found = [x for x in INTERNAL if x in text]
    found += _CHUNK_ID.findall(text)
    if finished:
        found += [x for x in MARKUP if x in text]
    return found


def pasted_runs(prose: str, passages: Iterable[str], language: str) -> list[str]:
    """Runs of a cited passage that the prose repeats word for word."""
    n = PASTE_RUN["zh" if language == "zh" else "en"]
    flat = re.sub(r"\s+", " ", prose)
    out = []
    for passage in passages:
        text = re.sub(r"\s+", " ", passage)
        for i in range(0, max(0, len(text) - n) + 1):
            run = text[i : i + n]
            if len(run) == n and run in flat:
                out.append(run)
                break
    return out

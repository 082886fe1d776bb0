"""Checks on prose written by a language model, before it may replace the offline writer's text.

Numbers are never the model's: every figure in its text must be one the builder (or a cited
guide) already wrote. Citations must point at passages the section was given. The text must be
in the plan's language and must not echo the prompt's own markers or rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from planbot.core.numbers import find_amounts, find_percents, to_base_units

MAX_CHARS = 1500
_SMALL = 31  # day and month numbers, counts of phases or quarters: not checked
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")
_LEAKS = ("<<<GUIDE", "GUIDE>>>", "<<<MESSAGE", "Rules you always follow", "You are planbot")


def figures(text: str) -> set[str]:
    """The money/count and percentage figures a text states, normalised ("¥1,500万" = "1500万")."""
    out: set[str] = set()
    percent_spans = []
    for p in find_percents(text):
        out.add(f"%{p.value.normalize()}")
        percent_spans.append((p.start, p.end))
    for a in find_amounts(text):
        if any(s <= a.start < e for s, e in percent_spans):
            continue
        value = to_base_units(a.value)
        if value > _SMALL:
            out.add(f"#{value}")
    return out


def allowed_figures(texts: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for t in texts:
        out |= figures(t)
    return out


def problems(
    text: str, citations: list[str], allowed: set[str], allowed_citations: set[str], language: str
) -> list[str]:
    """Why this prose may not be used; [] when it may."""
    out: list[str] = []
    if not text.strip():
        return ["the text is empty"]
    if len(text) > MAX_CHARS:
        out.append(f"the text is longer than {MAX_CHARS} characters")
    extra = sorted(figures(text) - allowed)
    if extra:
        shown = ", ".join(x[1:] + ("(%)" if x.startswith("%") else "") for x in extra[:5])
        out.append(f"it states figures that are not in the facts: {shown}")
    unknown = [c for c in citations if c not in allowed_citations]
    if unknown:
        out.append(f"it cites passages it was not given: {', '.join(unknown[:5])}")
    cjk, latin = len(_CJK.findall(text)), len(_LATIN.findall(text))
    if language == "zh" and (cjk == 0 or cjk < latin):
        out.append("it is not written in Chinese")
    if language == "en" and cjk > max(5, latin // 10):
        out.append("it is not written in English")
    if any(marker.lower() in text.lower() for marker in _LEAKS):
        out.append("it repeats the prompt's markers or rules")
    return out

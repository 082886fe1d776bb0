"""A plan cites a passage only where the passage carries what the text says.

The retriever's best passage for a section's question is not always about what the section ends
up saying (a budget section citing a glossary entry). A citation is kept only when the passage
carries one of the text's figures, or one of its specific terms: a sales moment, a platform or
channel, or a planning term of the bilingual term groups (`core/term_groups.py`, also used to
expand search queries), in either of its languages. Generic words every section uses (budget,
goal, plan, content) support nothing.
"""

from __future__ import annotations

import re
from functools import cache

from planbot.core.catalog import CHANNEL_ALIASES, term_pattern
from planbot.core.prose_check import figures
from planbot.core.term_groups import term_groups

GENERIC = frozenset(
    {"预算", "budget", "目标", "goal", "内容", "content", "指标", "kpi", "渠道", "channel", "团队", "team"}
)
_SPACE = re.compile(r"\s+")


@cache
def _groups() -> tuple[tuple[tuple[str, re.Pattern[str]], ...], ...]:
    groups = [g for g in term_groups() if not GENERIC & set(g)] + [tuple(a) for a in CHANNEL_ALIASES.values()]
    usable = [[t.lower() for t in g if len(t) >= 2 and not (t.isdigit() and len(t) < 3)] for g in groups]
    return tuple(tuple((t, term_pattern(t)) for t in g) for g in usable if g)


def terms(text: str) -> set[int]:
    """The term groups a text names (by index), whichever of a group's words or languages it uses."""
    low = _SPACE.sub(" ", text.lower())
    return {i for i, group in enumerate(_groups()) if any(p.search(low) for _, p in group)}


def supports(passage: str, text: str) -> bool:
    """Whether a passage carries a figure or a specific term of the text."""
    return bool(figures(passage) & figures(text)) or bool(terms(passage) & terms(text))

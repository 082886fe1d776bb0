"""Cross-language query expansion for BM25: a question in one language also searches the other's terms.

BM25 matches words, so "网一之后要不要延长促销" cannot reach an English page about a "Cyber Monday
extension" on its own. Each term group (terms.yaml, plus the calendar's festival names and the
catalogue's platform names) is a set of equivalents; a query containing one gains the rest.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from planbot.core.calendar import SPECS
from planbot.core.catalog import PLATFORM_ALIASES, term_pattern
from planbot.retrieval.cleaning import for_matching

_TERMS = Path(__file__).resolve().parents[1] / "core" / "playbook" / "terms.yaml"


@cache
def _groups() -> tuple[tuple[str, ...], ...]:
    groups = [tuple(str(t).lower() for t in g) for g in yaml.safe_load(_TERMS.read_text(encoding="utf-8"))]
    groups += [spec.aliases for spec in SPECS.values()]
    groups += list(PLATFORM_ALIASES.values())
    # short bare numbers ("38") are too ambiguous to expand on
    return tuple(tuple(t.lower() for t in g if not (t.isdigit() and len(t) < 3)) for g in groups)


def equivalents(query: str) -> list[str]:
    """The other-language (and other-wording) equivalents of the terms a query contains."""
    low = for_matching(query).lower()
    extra: list[str] = []
    for group in _groups():
        present = [t for t in group if term_pattern(t).search(low)]
        if present:
            extra += [t for t in group if t not in present and t not in extra]
    return extra


def expand(query: str) -> str:
    """The query followed by the equivalents of the terms it contains."""
    extra = equivalents(query)
    return f"{query} {' '.join(extra)}" if extra else query

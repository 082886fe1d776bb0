"""Cross-language query expansion for BM25: a question in one language also searches the other's terms.

BM25 matches words, so "网一之后要不要延长促销" cannot reach an English page about a "Cyber Monday
extension" on its own. Each term group (`core/term_groups.py`: terms.yaml, plus the calendar's
festival names and the catalogue's platform names) is a set of equivalents; a query containing one
gains the rest.
"""

from __future__ import annotations

from planbot.core.catalog import term_pattern
from planbot.core.term_groups import term_groups
from planbot.retrieval.cleaning import for_matching


def equivalents(query: str) -> list[str]:
    """The other-language (and other-wording) equivalents of the terms a query contains."""
    low = for_matching(query).lower()
    extra: list[str] = []
    for group in term_groups():
        present = [t for t in group if term_pattern(t).search(low)]
        if present:
            extra += [t for t in group if t not in present and t not in extra]
    return extra


def expand(query: str) -> str:
    """The query followed by the equivalents of the terms it contains."""
    extra = equivalents(query)
    return f"{query} {' '.join(extra)}" if extra else query

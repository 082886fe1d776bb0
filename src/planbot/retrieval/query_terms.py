"""Cross-language query expansion for BM25: a question in one language also searches the other's terms.

BM25 matches words, so "网一之后要不要延长促销" cannot reach an English page about a "Cyber Monday
extension" on its own. Each term group (`core/term_groups.py`: terms.yaml, plus the calendar's
festival names and the catalogue's platform names) is a set of equivalents; a query containing one
gains the rest. Query translation (`translate.py`: a bilingual e-commerce vocabulary far larger than the
term groups) adds the other language's wordings of the terms a query contains; `weighted_terms` gives
BM25 the three sets with their weights.
"""

from __future__ import annotations

from planbot.core.catalog import term_pattern
from planbot.core.term_groups import term_groups
from planbot.retrieval.bm25_tokens import tokens
from planbot.retrieval.cleaning import for_matching
from planbot.retrieval.fusion import Fusion
from planbot.retrieval.translate import translator


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


def weighted_terms(query: str, fusion: Fusion) -> list[tuple[float, list[str]]]:
    """BM25's term sets for a query, each with its weight: the query's own tokens (1), the tokens its term
    groups add (`expansion_weight`), then those its translation adds (`translation_weight`); a token is
    scored once, in the first set that has it, and empty or unweighted sets are left out."""
    own = tokens(for_matching(query))
    seen = set(own)
    sets = [(1.0, own)]
    for weight, words in ((fusion.expansion_weight, equivalents(query)), (fusion.translation_weight,
                                                                          translator().terms(query))):  # fmt: skip
        if weight <= 0 or not words:
            continue
        new = [t for t in tokens(for_matching(" ".join(words))) if t not in seen]
        seen.update(new)
        sets.append((weight, new))
    return [(w, ts) for w, ts in sets if ts]

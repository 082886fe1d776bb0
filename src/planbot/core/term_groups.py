"""The bilingual term groups (playbook/terms.yaml) with the calendar's festival names and the catalogue's
platform names: sets of equivalent words. Search expands a query with them (`retrieval/query_terms.py`);
a citation must share one with what it supports (`core/citation_support.py`)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from planbot.core.calendar import SPECS
from planbot.core.catalog import PLATFORM_ALIASES

_TERMS = Path(__file__).resolve().parent / "playbook" / "terms.yaml"


@cache
def term_groups() -> tuple[tuple[str, ...], ...]:
    """Every group, lower-cased; short bare numbers ("38") dropped: too ambiguous to stand for a term."""
    groups = [tuple(str(t).lower() for t in g) for g in yaml.safe_load(_TERMS.read_text(encoding="utf-8"))]
    groups += [spec.aliases for spec in SPECS.values()]
    groups += list(PLATFORM_ALIASES.values())
    return tuple(tuple(t.lower() for t in g if not (t.isdigit() and len(t) < 3)) for g in groups)

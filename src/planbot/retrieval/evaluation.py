"""Scoring retrieval against an evaluation set of questions with the phrases that answer them.

A hit is judged by text, not by chunk id, so systems that chunk differently (ours and a plain
LangChain splitter) are scored by the same rule: the first of the top-k passages that contains
one of the expected phrases, compared in Simplified Chinese, half-width, ignoring case and spaces.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

import yaml
from pydantic import BaseModel, Field

from planbot.retrieval.cleaning import for_matching


class Question(BaseModel):
    q: str
    lang: str
    doc: str
    expect: list[str] = Field(min_length=1)


class Score(BaseModel):
    questions: int
    recall_at_k: float
    mrr: float
    misses: list[str]


def load_questions(path: Path) -> list[Question]:
    return [Question.model_validate(row) for row in yaml.safe_load(path.read_text(encoding="utf-8"))]


def normalize(text: str) -> str:
    return re.sub(r"\s+", "", for_matching(text).lower())


def first_hit(texts: Sequence[str], expect: Sequence[str]) -> int | None:
    """1-based rank of the first passage containing an expected phrase, or None."""
    wanted = [normalize(e) for e in expect]
    for rank, text in enumerate(texts, start=1):
        norm = normalize(text)
        if any(w in norm for w in wanted):
            return rank
    return None


def score(search: Callable[[str, int], Sequence[str]], questions: Sequence[Question], k: int = 5) -> Score:
    """Recall@k and MRR@k of `search(query, k) -> passage texts` over the questions."""
    hits, reciprocal, misses = 0, 0.0, []
    for question in questions:
        rank = first_hit(search(question.q, k), question.expect)
        if rank is None:
            misses.append(question.q)
        else:
            hits += 1
            reciprocal += 1.0 / rank
    n = len(questions)
    return Score(questions=n, recall_at_k=hits / n if n else 0.0, mrr=reciprocal / n if n else 0.0, misses=misses)


def corpus_files(listing: Path, knowledge: Path) -> list[Path]:
    """The guides an evaluation set was written against: a file of guide file names, one a line (# comments)."""
    names = [ln.strip() for ln in listing.read_text(encoding="utf-8").splitlines()]
    return [knowledge / n for n in names if n and not n.startswith("#")]

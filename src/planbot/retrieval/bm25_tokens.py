"""BM25 tokens for Chinese and English: jieba (search mode) with a domain dictionary, and words."""

from __future__ import annotations

import logging
import re
from functools import cache
from pathlib import Path

import jieba

_USERDICT = Path(__file__).resolve().parent / "userdict.txt"
_CJK = re.compile(r"[\u4e00-\u9fff]")
_TOKEN = re.compile(r"[\w%.]+")
_STOP = frozenset(
    {
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "在",
        "是",
        "为",
        "对",
        "把",
        "被",
        "等",
        "也",
        "就",
        "都",
        "而",
        "及其",
        "以及",
        "一个",
        "这个",
        "那个",
        "我们",
        "你们",
        "他们",
        "什么",
        "怎么",
        "如何",
        "哪些",
        "the",
        "a",
        "an",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "for",
        "with",
        "by",
        "is",
        "are",
        "be",
        "as",
        "at",
        "it",
        "this",
        "that",
        "what",
        "how",
        "which",
        "from",
    }
)


@cache
def _jieba() -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.load_userdict(str(_USERDICT))
    return tok


def tokens(text: str) -> list[str]:
    """Lower-cased tokens; Chinese runs are segmented, punctuation and stop words dropped."""
    out: list[str] = []
    for word in _jieba().cut_for_search(text.lower()):
        w = word.strip()
        if not w or w in _STOP or (not _TOKEN.fullmatch(w) and not _CJK.search(w)):
            continue
        if _CJK.search(w) or len(w) > 1 or w.isdigit():
            out.append(w)
    return out

"""Which language a message is written in, so the reply comes back in it.

Marketers mix languages: "GMV目标5kw" is Chinese with an English acronym; "we want to seed on
小红书 next year" is English with a Chinese platform name. A message is Chinese when it has at
least two Chinese characters and no more English words than Chinese words (about two characters each); English when
it has at least two English words and is not Chinese; otherwise it says nothing (a bare figure).
Acronyms (GMV, ROI, KOL) and units (k, w, kw, mn) are not English words here.
"""

from __future__ import annotations

import re

from planbot.core.brief import Language

_CJK = re.compile(r"[\u4e00-\u9fff]")
_WORD = re.compile(r"[A-Za-z][A-Za-z']+")
_NOT_WORDS = frozenset({"k", "w", "kw", "mn", "bn", "m", "rmb", "usd", "cny", "yoy", "vs"})


def english_words(text: str) -> int:
    return sum(1 for w in _WORD.findall(text) if not w.isupper() and w.lower() not in _NOT_WORDS)


def language_guess(text: str) -> Language | None:
    cjk = len(_CJK.findall(text))
    words = english_words(text)
    if cjk >= 2 and cjk / 2 >= words:  # a Chinese word is about two characters
        return "zh"
    if words >= 2:
        return "en"
    return None


def first_language(text: str) -> Language | None:
    """The language of a conversation's first message even when it says little ("AOV $0, target $3M"):
    any English word and no Chinese is English. Later short messages keep the conversation's."""
    if (guess := language_guess(text)) is not None:
        return guess
    if not _CJK.search(text) and re.search(r"[A-Za-z]{2,}", text):
        return "en"
    return None

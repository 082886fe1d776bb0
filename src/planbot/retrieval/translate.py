"""Query translation for cross-language search: a question in one language also searches the other's words.

An English question about a Chinese page ("which carrier handles returns during the spring festival")
shares no word with it, and e5-small bridges such pairs only loosely. The bilingual vocabulary
(`bilingual.yaml`: a few hundred general e-commerce and marketing terms, Simplified Chinese and
English) is matched in the query, longest wording first: Chinese wordings anywhere in the text,
English ones on whole words, singular and plural alike. Each match brings the entry's first wording
in the other language, its usual translation: every wording is recognised, but bringing all the
synonyms only added noise (on the uploads evaluation's dev split, the first wording alone found
more). The query's own words are never dropped: `translated` is the query followed by what it
gained. BM25 scores the gained words at `Fusion.translation_weight` of the query's own
(`query_terms.weighted_terms`).

The vocabulary is validated when first used (pydantic): every entry has both languages, Chinese
wordings hold Chinese, English ones are plain lower-case words, and no wording (singular and plural
alike) belongs to two entries, so a match always names one entry.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, RootModel, field_validator, model_validator

from planbot.retrieval.cleaning import for_matching

VOCABULARY = Path(__file__).resolve().parent / "bilingual.yaml"
_CJK = re.compile(r"[\u4e00-\u9fff]")
_WORD = re.compile(r"[a-z0-9]+(?:['.&-][a-z0-9]+)*")
MAX_WORDS = 6  # the longest English wording, in words (checked at load)


def singular(word: str) -> str:
    """A crude English singular, applied alike to the vocabulary and the query ("coupons" ~ "coupon")."""
    if not word.isalpha() or len(word) < 3 or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") else word


def words(text: str) -> list[str]:
    """The English words of a (lower-cased) text, singular."""
    return [singular(w) for w in _WORD.findall(text)]


class Entry(BaseModel):
    """One term: its Simplified Chinese and English wordings."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    zh: tuple[str, ...] = Field(min_length=1)
    en: tuple[str, ...] = Field(min_length=1)

    @field_validator("zh")
    @classmethod
    def _chinese(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for w in value:
            if not _CJK.search(w) or w != w.strip() or w != w.lower():
                raise ValueError(f"not a Chinese wording: {w!r}")
        return value

    @field_validator("en")
    @classmethod
    def _english(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for w in value:
            if _CJK.search(w) or w != w.lower() or " ".join(_WORD.findall(w)) != " ".join(w.split()):
                raise ValueError(f"not a lower-case English wording of plain words: {w!r}")
            if not 1 <= len(w.split()) <= MAX_WORDS:
                raise ValueError(f"an English wording has 1 to {MAX_WORDS} words: {w!r}")
        return value

    def match_keys(self) -> list[str]:
        """Each wording as it is matched: Chinese as written, English as its singular words."""
        return [*self.zh, *(" ".join(words(w)) for w in self.en)]


class Vocabulary(RootModel[tuple[Entry, ...]]):
    @model_validator(mode="after")
    def _unique(self) -> Vocabulary:
        seen: dict[str, int] = {}
        twice: list[str] = []
        for i, entry in enumerate(self.root):
            for key in entry.match_keys():
                if key in seen:
                    twice.append(f"{key!r} (entries {seen[key] + 1} and {i + 1})")
                seen[key] = i
        if twice:
            raise ValueError(f"a wording names one term, these are repeated: {', '.join(twice)}")
        return self


class Translator:
    """Longest-match translation over a vocabulary."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.entries = vocabulary.root
        self._zh: dict[str, int] = {}
        self._en: dict[tuple[str, ...], int] = {}
        for i, entry in enumerate(self.entries):
            self._zh.update(dict.fromkeys(entry.zh, i))
            self._en.update({tuple(words(w)): i for w in entry.en})
        alternatives = sorted(self._zh, key=lambda w: (-len(w), w))  # longest first: the regex tries them in order
        self._zh_pattern = re.compile("|".join(map(re.escape, alternatives))) if alternatives else None

    def matches(self, query: str) -> list[tuple[str, Entry]]:
        """(wording found, its entry), Chinese ones first, each in query order; longest wordings win."""
        low = for_matching(query).lower()
        found: list[tuple[str, Entry]] = []
        if self._zh_pattern is not None:
            found += [(m.group(), self.entries[self._zh[m.group()]]) for m in self._zh_pattern.finditer(low)]
        ws = words(low)
        i = 0
        while i < len(ws):
            for n in range(min(MAX_WORDS, len(ws) - i), 0, -1):
                hit = self._en.get(tuple(ws[i : i + n]))
                if hit is not None:
                    found.append((" ".join(ws[i : i + n]), self.entries[hit]))
                    i += n
                    break
            else:
                i += 1
        return found

    def terms(self, query: str) -> list[str]:
        """The other language's first wording of each term a query contains, in query order, without repeats."""
        out: list[str] = []
        for found, entry in self.matches(query):
            word = entry.en[0] if _CJK.search(found) else entry.zh[0]
            if word not in out:
                out.append(word)
        return out

    def translated(self, query: str) -> str:
        """The query followed by the other-language wordings of its terms (the query itself unchanged)."""
        extra = self.terms(query)
        return f"{query} {' '.join(extra)}" if extra else query


def load(path: Path = VOCABULARY) -> Vocabulary:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when built with it: ~10x faster at start
    return Vocabulary.model_validate(yaml.load(path.read_text(encoding="utf-8"), Loader=loader))  # a safe loader


@cache
def translator() -> Translator:
    """The shipped vocabulary's translator (validated on first use; `planbot serve` loads it at start)."""
    return Translator(load())

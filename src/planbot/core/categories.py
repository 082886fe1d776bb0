"""The catalogue of product categories (playbook/categories.yaml), validated when first read.

The brief keeps the category as the marketer wrote it ("猫零食", "honey & beeswax stuff"); the
playbooks need one of a fixed set of keys, so `category_key` maps the words to the catalogue entry
whose alias is the longest found in them (猫零食 is pet food before it is a snack).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator

_FILE = Path(__file__).resolve().parent / "playbook" / "categories.yaml"


class Category(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    zh: str = Field(min_length=1, max_length=20)
    en: str = Field(min_length=1, max_length=40)
    source: str = Field(pattern=r"^(catalogue|[a-z0-9]+(-[a-z0-9]+)*)$")  # a knowledge guide's id, or "catalogue"
    playbook: str = Field(pattern=r"^[a-z][a-z0-9_]*$")  # the playbook/category/<key>.yaml it is planned with
    aliases_zh: list[str] = Field(min_length=1)
    aliases_en: list[str] = Field(min_length=1)

    @property
    def aliases(self) -> tuple[str, ...]:
        """Every name the entry answers to, its own two names first, lower-cased."""
        names = [self.zh, self.en, *self.aliases_zh, *self.aliases_en]
        return tuple(dict.fromkeys(n.strip().lower() for n in names))


class Catalogue(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    categories: list[Category]

    @model_validator(mode="after")
    def _unique(self) -> Catalogue:
        """An alias owned by two entries would make the mapping depend on file order."""
        seen: dict[str, str] = {}
        for cat in self.categories:
            if cat.key in {c.key for c in self.categories if c is not cat}:
                raise ValueError(f"duplicate category key {cat.key!r}")
            for alias in cat.aliases:
                if seen.setdefault(alias, cat.key) != cat.key:
                    raise ValueError(f"alias {alias!r} is listed under both {seen[alias]!r} and {cat.key!r}")
        return self


_ENTRIES = TypeAdapter(list[Category])


def load_catalogue(path: Path = _FILE) -> Catalogue:
    """Read and validate a catalogue file; a malformed file fails here, not in a plan."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Catalogue(categories=_ENTRIES.validate_python(raw))


@cache
def catalogue() -> Catalogue:
    return load_catalogue()


def _number_free(alias: str) -> str:
    """An English alias as a pattern that takes it singular or plural: "supplements" is also
    "supplement", "accessories" "accessory", "socks" "sock"; a marketer writes either."""
    if alias.endswith("ies") and len(alias) > 4:
        return re.escape(alias[:-3]) + "(?:y|ies)"
    if re.search(r"(?:ch|sh|x|ss|zz)es$", alias):
        return re.escape(alias[:-2]) + "(?:es)?"
    if alias.endswith("s") and not alias.endswith(("ss", "us", "is")) and len(alias) > 3:
        return re.escape(alias[:-1]) + "(?:e?s)?"
    return re.escape(alias) + "(?:e?s)?"


def _alias_pattern(alias: str) -> re.Pattern[str]:
    """English aliases as whole words, singular or plural; Chinese ones anywhere."""
    if alias.isascii():
        return re.compile(rf"(?<![a-z0-9]){_number_free(alias)}(?![a-z0-9])")
    return re.compile(re.escape(alias))


@cache
def _patterns() -> tuple[tuple[int, str, re.Pattern[str]], ...]:
    rows = [(len(a), c.key, _alias_pattern(a)) for c in catalogue().categories for a in c.aliases]
    return tuple(sorted(rows, key=lambda r: -r[0]))


def category_key(text: str) -> str | None:
    """The catalogue key for what the user sells, by the longest alias in the text; None when none fits."""
    low = text.lower().replace("’", "'")
    for _, key, pattern in _patterns():
        if pattern.search(low):
            return key
    return None


def category_name(key: str, lang: str) -> str:
    """The catalogue's own name for a key, in the reply's language (the key itself when unknown)."""
    for cat in catalogue().categories:
        if cat.key == key:
            return cat.zh if lang == "zh" else cat.en
    return key


@cache
def _aliases() -> frozenset[str]:
    return frozenset(a for c in catalogue().categories for a in c.aliases)


def is_alias(text: str) -> bool:
    """Whether the words are, as a whole, one of the catalogue's names ("socks", "宠物食品")."""
    return text.strip().lower().replace("’", "'") in _aliases()


@cache
def _tails() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A phrase ending in an alias: English as whole words with an optional plural; Chinese anywhere."""
    aliases = sorted(_aliases(), key=len, reverse=True)
    en = "|".join(_number_free(a) for a in aliases if a.isascii())
    zh = "|".join(re.escape(a) for a in aliases if not a.isascii())
    return re.compile(rf"(?:^|[\s-])(?:{en})$"), re.compile(rf"(?:{zh})$")


def alias_tail_words(phrase: str) -> list[str]:
    """The words of the alias an English phrase ends in ("dog treats" in "Dog treats"); [] when none."""
    m = _tails()[0].search(phrase.lower().replace("’", "'"))
    return m.group(0).split() if m else []


def ends_in_alias(phrase: str) -> bool:
    """Whether a phrase's head words are a catalogue name: what makes a loose phrase a category."""
    en, zh = _tails()
    low = phrase.lower().replace("’", "'")
    return bool(zh.search(low) if re.search(r"[\u4e00-\u9fff]", low) else en.search(low))

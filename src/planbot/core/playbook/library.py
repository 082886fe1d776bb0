"""Loads the playbook data files and resolves the ones a brief needs.

`library()` reads every file under market/, platform/ and category/ once, validates each against
playbook/schema.py and checks the references between them (calendar keys, platform keys, the
catalogue's mapping); a bad file raises `PlaybookError` naming the file, at start-up rather than
in a plan. `resolve(brief)` picks the brief's market, its platforms (the generic platform when
none is known) and its category (the nearest catalogue entry's playbook, else the generic one).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from planbot.core.calendar import SPECS
from planbot.core.catalog import PLATFORM_NAMES, platform_key
from planbot.core.categories import catalogue, category_key
from planbot.core.playbook.schema import CategoryPlaybook, MarketPlaybook, PlatformPlaybook

ROOT = Path(__file__).resolve().parent
GENERIC = "generic"
M = TypeVar("M", bound=BaseModel)


class PlaybookError(ValueError):
    """A playbook file that does not load or refers to something that does not exist."""


@dataclass(frozen=True)
class Library:
    markets: dict[str, MarketPlaybook]
    platforms: dict[str, PlatformPlaybook]
    categories: dict[str, CategoryPlaybook]


def _read(path: Path, model: type[M]) -> M:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return model.model_validate(raw)
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise PlaybookError(f"{path.parent.name}/{path.name}: {exc}") from exc


def _folder(root: Path, name: str, model: type[M]) -> dict[str, M]:
    out: dict[str, M] = {}
    for path in sorted((root / name).glob("*.yaml")):
        item = _read(path, model)
        key = str(getattr(item, "key"))  # noqa: B009 - every playbook model has a key
        if key != path.stem:
            raise PlaybookError(f"{name}/{path.name}: key {key!r} must match the file name")
        out[key] = item
    return out


def _check(lib: Library) -> None:
    """References between files: every calendar key, platform key and catalogue mapping must exist."""
    problems: list[str] = []
    for market in ("cn", "global"):
        if market not in lib.markets:
            problems.append(f"market/{market}.yaml is missing")
    if GENERIC not in lib.platforms or GENERIC not in lib.categories:
        problems.append("platform/generic.yaml and category/generic.yaml are required (the fallbacks)")
    for m in lib.markets.values():
        problems += [f"market/{m.key}: unknown campaign {k!r}" for k in m.default_campaigns if k not in SPECS]
    for p in lib.platforms.values():
        if p.key != GENERIC and p.key not in PLATFORM_NAMES:
            problems.append(f"platform/{p.key}: not a platform the catalogue knows (core/catalog.py)")
        problems += [f"platform/{p.key}: unknown campaign {k!r}" for k in [*p.events, *p.presale] if k not in SPECS]
    for c in lib.categories.values():
        for market, keys in c.moments.items():
            problems += [f"category/{c.key}: unknown campaign {k!r} ({market})" for k in keys if k not in SPECS]
        for market, rows in c.benchmarks.items():
            problems += [
                f"category/{c.key}: benchmark for unknown platform {k!r} ({market})"
                for k in rows
                if k != "default" and k not in lib.platforms
            ]
    entries = {e.key for e in catalogue().categories}
    from planbot.core.playbook.check import scoped  # noqa: PLC0415 - check imports this module

    for kind, items in (("platform", lib.platforms), ("category", lib.categories)):
        for key, item in items.items():
            problems += [f"{kind}/{key}: unknown catalogue key {c!r}" for s in scoped(item) for c in s.categories
                         if c not in entries]  # fmt: skip
    for c in lib.categories.values():
        problems += [f"category/{c.key}: moment_words for unknown campaign {k!r}" for k in c.moment_words
                     if k not in SPECS]  # fmt: skip
    for entry in catalogue().categories:
        if entry.playbook not in lib.categories:
            problems.append(f"categories.yaml: {entry.key} maps to missing playbook {entry.playbook!r}")
    if problems:
        raise PlaybookError("; ".join(problems))


def load_library(root: Path = ROOT) -> Library:
    lib = Library(
        markets=_folder(root, "market", MarketPlaybook),
        platforms=_folder(root, "platform", PlatformPlaybook),
        categories=_folder(root, "category", CategoryPlaybook),
    )
    _check(lib)
    return lib


@cache
def library() -> Library:
    return load_library()


@dataclass(frozen=True)
class Resolved:
    """The playbooks one plan is built from."""

    market: MarketPlaybook
    platforms: tuple[PlatformPlaybook, ...]  # the brief's platforms that have a file, else (generic,)
    category: CategoryPlaybook
    category_known: bool  # False: the generic playbook stands in (said as an assumption)
    catalogue_key: str | None = None  # the catalogue entry the brief's category words map to
    category_words: str = ""  # the brief's category as written, lower-cased

    def moment_fits(self, key: str) -> bool:
        """A moment gated by words (category/*.yaml moment_words) fits when the category words name it, or
        name none of the gated moments."""
        gated = self.category.moment_words
        if key not in gated:
            return True
        named = [k for k, words in gated.items() if any(w.lower() in self.category_words for w in words)]
        return not named or key in named

    def platform_keys(self) -> list[str]:
        return [p.key for p in self.platforms]

    @cached_property
    def guides(self) -> set[str]:
        """The guides behind this plan's playbooks; other playbooks' guides are not this plan's guidance."""
        return guides_of([self.market, *self.platforms, self.category])

    def speaks_for(self, doc_id: str) -> bool:
        """Whether a guide passage may guide this plan: any general guide, or one of its own playbooks'."""
        base = doc_id.rsplit("-", 1)[0]
        return base not in playbook_guides() or base in self.guides


def guides_of(items: Iterable[BaseModel]) -> set[str]:
    """The guide ids (without -zh/-en) the given playbooks cite."""
    from planbot.core.playbook.check import sources  # noqa: PLC0415 - check imports this module

    return {s.guide for item in items for s in sources(item)}


@cache
def playbook_guides() -> frozenset[str]:
    """Every guide behind some playbook: such a guide speaks for its market, platform or category only."""
    lib = library()
    return frozenset(guides_of([*lib.markets.values(), *lib.platforms.values(), *lib.categories.values()]))


def platform_playbooks(platforms: Iterable[str]) -> tuple[PlatformPlaybook, ...]:
    lib = library()
    keys = list(dict.fromkeys(k for p in platforms if (k := platform_key(p)) and k in lib.platforms))
    return tuple(lib.platforms[k] for k in keys) or (lib.platforms[GENERIC],)


def category_playbook(category: str | None) -> tuple[CategoryPlaybook, bool]:
    """The playbook for what the brief sells: its catalogue entry's, else the generic one."""
    lib = library()
    key = category_key(category) if category else None
    if key is None:
        return lib.categories[GENERIC], False
    entry = next(c for c in catalogue().categories if c.key == key)
    pb = lib.categories[entry.playbook]
    return pb, pb.key != GENERIC


def resolve(market: str, platforms: Iterable[str], category: str | None) -> Resolved:
    lib = library()
    cat, known = category_playbook(category)
    entry = category_key(category) if category else None
    return Resolved(
        lib.markets[market if market in lib.markets else "cn"],
        platform_playbooks(platforms),
        cat,
        known,
        entry,
        (category or "").lower(),
    )


def foreign_terms(platforms: Iterable[str]) -> dict[str, list[str]]:
    """Names of the platforms a brief does not sell on (their tools and data sources too): the scan list.

    Platforms described by one guide are one family (Tmall and Taobao share their tools, data and
    search): neither is foreign to a plan for the other."""
    lib = library()
    mine = platform_playbooks(platforms)
    own = {p.key for p in mine}
    family = {p.traffic.source.guide for p in mine}
    return {
        k: p.terms()
        for k, p in lib.platforms.items()
        if k not in own and k != GENERIC and p.traffic.source.guide not in family
    }


def _alternation(terms: Iterable[str]) -> str:
    ordered = sorted(set(terms), key=lambda t: (-len(t), t))
    return "|".join(rf"(?<![a-z0-9]){re.escape(t)}(?![a-z0-9])" if t.isascii() else re.escape(t) for t in ordered)


@dataclass(frozen=True)
class ForeignScan:
    """Finds names of other platforms in text. The brief's own platforms' names are blanked out first,
    so a name inside one of its own tools' names is not read as another platform."""

    own: re.Pattern[str] | None
    foreign: re.Pattern[str] | None

    def names(self, text: str) -> list[str]:
        if self.foreign is None:
            return []
        low = text.lower()
        if self.own is not None:
            low = self.own.sub(" ", low)
        return sorted(set(self.foreign.findall(low)))

    def fits(self, text: str) -> bool:
        return not self.names(text)


def foreign_scan(platforms: Iterable[str], also_own: Iterable[str] = ()) -> ForeignScan:
    """A scanner for a plan on these platforms; `also_own` adds names the brief itself uses (its channels)."""
    platforms = list(platforms)
    mine = {t.lower() for p in platform_playbooks(platforms) for t in p.terms()} | {t.lower() for t in also_own}
    foreign = {t.lower() for ts in foreign_terms(platforms).values() for t in ts} - mine
    own_re = re.compile(_alternation(mine)) if mine else None
    return ForeignScan(own_re, re.compile(_alternation(foreign)) if foreign else None)

"""Checks a playbook file's citations against the knowledge guides: every quote must be in its guide.

    python -m planbot.core.playbook.check [FILE.yaml ...]   # no files: every playbook file

Prints one line per problem and exits 1 when there are any; the unit tests run the same check.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

from pydantic import BaseModel

from planbot.core.playbook.library import ROOT, PlaybookError, _read
from planbot.core.playbook.schema import CategoryPlaybook, MarketPlaybook, PlatformPlaybook, Scoped, Source

KNOWLEDGE = ROOT.parents[3] / "knowledge"
MODELS: dict[str, type[BaseModel]] = {
    "market": MarketPlaybook,
    "platform": PlatformPlaybook,
    "category": CategoryPlaybook,
}


def squash(text: str) -> str:
    """Text compared without whitespace or Markdown emphasis, so line breaks in a guide do not matter."""
    return re.sub(r"[\s*_`]+", "", text)


@cache
def guide_text(doc_id: str, knowledge: Path = KNOWLEDGE) -> str | None:
    path = knowledge / f"{doc_id}.md"
    if not path.is_file():
        return None
    return squash(path.read_text(encoding="utf-8"))


def walk(obj: object, skip: tuple[type, ...] = ()) -> Iterator[object]:
    """Every value inside a playbook model, depth first (not entering instances of `skip`)."""
    yield obj
    if isinstance(obj, skip):
        return
    if isinstance(obj, BaseModel):
        children: Iterable[object] = (getattr(obj, name) for name in type(obj).model_fields)
    elif isinstance(obj, dict):
        children = obj.values()
    elif isinstance(obj, (list, tuple)):
        children = obj
    else:
        return
    for child in children:
        yield from walk(child, skip)


def sources(obj: object) -> Iterator[Source]:
    """Every Source inside a playbook model."""
    return (x for x in walk(obj) if isinstance(x, Source))


def scoped(obj: object) -> Iterator[Scoped]:
    """Every item limited to some markets or catalogue entries."""
    return (x for x in walk(obj) if isinstance(x, Scoped))


def texts(obj: object) -> Iterator[str]:
    """Every phrase a plan may show from a playbook model (quotes in sources excluded: they are guide text)."""
    return (x for x in walk(obj, skip=(Source,)) if isinstance(x, str))


def quote_problems(item: BaseModel, label: str, knowledge: Path = KNOWLEDGE) -> list[str]:
    out: list[str] = []
    for src in sources(item):
        for lang in ("zh", "en"):
            doc = src.doc_id(lang)
            text = guide_text(doc, knowledge)
            if text is None:
                out.append(f"{label}: guide knowledge/{doc}.md does not exist")
            elif squash(src.quote(lang)) not in text:
                out.append(f"{label}: quote not found in {doc}: {src.quote(lang)[:80]!r}")
    return list(dict.fromkeys(out))


def check_file(path: Path) -> list[str]:
    kind = path.parent.name
    if kind not in MODELS:
        return [f"{path}: not under market/, platform/ or category/"]
    try:
        item = _read(path, MODELS[kind])
    except PlaybookError as exc:
        return [str(exc)]
    return quote_problems(item, f"{kind}/{path.name}")


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(p for k in MODELS for p in (ROOT / k).glob("*.yaml"))
    problems = [p for path in paths for p in check_file(path.resolve())]
    for p in problems:
        print(p)
    print(f"{len(paths)} file(s), {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""BM25 over the manifest's chunks: built by writers (off the searches' lock), saved per generation.

Building tokenizes every chunk with jieba; the tokens are remembered by the chunk's text hash, so
the index built after an upload tokenizes only that upload's passages.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bm25s

from planbot.retrieval.bm25_tokens import tokens


@dataclass(frozen=True)
class Bm25:
    """A BM25 index and the chunk ids of its rows (sorted: ties in score go to the smaller id)."""

    index: bm25s.BM25 | None
    ids: tuple[str, ...]


EMPTY = Bm25(None, ())


def _sha(row: dict[str, Any]) -> str:
    return str(row.get("match_sha") or hashlib.sha1(str(row["match_text"]).encode()).hexdigest())


class Bm25Builder:
    def __init__(self) -> None:
        self._tokens: dict[str, list[str]] = {}  # match_sha -> tokens, for the chunks of the last build

    def build(self, chunks: dict[str, dict[str, Any]]) -> Bm25:
        ids = tuple(sorted(chunks))
        if not ids:
            self._tokens = {}
            return EMPTY
        known, fresh = self._tokens, dict[str, list[str]]()
        corpus: list[list[str]] = []
        for cid in ids:
            sha = _sha(chunks[cid])
            words = fresh.get(sha) or known.get(sha)
            if words is None:
                words = tokens(chunks[cid]["match_text"]) or ["_"]
            fresh[sha] = words
            corpus.append(words)
        index = bm25s.BM25()
        index.index(corpus, show_progress=False)
        self._tokens = fresh  # replaced, never changed in place: a concurrent build reads the old one
        return Bm25(index, ids)


def save(bm: Bm25, path: Path) -> None:
    """Into a folder of its own (a new generation's): the caller maps OSError (a full disk)."""
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    if bm.index is not None:
        bm.index.save(str(path), show_progress=False)
    (path / "ids.json").write_text(json.dumps(list(bm.ids)), encoding="utf-8")


def load(path: Path, ids: list[str]) -> Bm25 | None:
    """The saved index if it is the one for exactly these chunk ids; None if missing, stale or damaged."""
    try:
        if json.loads((path / "ids.json").read_text(encoding="utf-8")) != ids:
            return None
        if not ids:
            return EMPTY
        return Bm25(bm25s.BM25.load(str(path), show_progress=False), tuple(ids))
    except Exception:  # half-written or removed under us by another process: rebuild it
        return None

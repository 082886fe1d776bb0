"""Is a knowledge index usable? A cheap check (no model, no Chroma client) for `planbot serve` to run first."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

REBUILD_HINT = "run `planbot ingest --rebuild knowledge/` (then upload your own guides again if it says so)"


@dataclass(frozen=True)
class IndexProblem:
    part: str  # "manifest" (the chunks themselves) or "vectors" (derived: rebuilt from the manifest)
    message: str


def index_problem(data_dir: Path, chroma_url: str | None = None) -> IndexProblem | None:
    """What is wrong with a data dir's knowledge index, checked cheaply before serving; None if nothing."""
    manifest = data_dir / "knowledge.json"
    if manifest.exists():
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            return IndexProblem("manifest", f"the knowledge manifest {manifest} is corrupted ({exc})")
        if not isinstance(data, dict) or not isinstance(data.get("chunks"), dict):
            return IndexProblem("manifest", f"the knowledge manifest {manifest} is not a planbot manifest")
    db = data_dir / "chroma" / "chroma.sqlite3"
    if chroma_url is None and db.exists():
        try:
            with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
                verdict = conn.execute("PRAGMA quick_check").fetchone()
        except sqlite3.DatabaseError as exc:
            return IndexProblem("vectors", f"the vector store {db} is corrupted ({exc})")
        if not verdict or verdict[0] != "ok":
            return IndexProblem("vectors", f"the vector store {db} is corrupted ({verdict})")
    return None

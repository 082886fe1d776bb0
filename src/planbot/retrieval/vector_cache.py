"""Passage vectors kept on disk between processes, so indexing the same guides again costs no model time.

The model is deterministic, so a vector is a function of (model variant, text): it is stored under the
SHA-256 of the two, as the exact float64 values the model gave. One SQLite file (WAL, shared by every
process of the machine: `planbot ingest`, each server worker, the test suite) holds them. A cache that
cannot be opened or written is switched off with a log line; indexing then embeds as before.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
from array import array
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger(__name__)
FILE = "e5-passages.sqlite3"


class VectorCache:
    def __init__(self, directory: Path, variant: str) -> None:
        self.variant = variant
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        try:
            directory.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(directory / FILE, timeout=30, check_same_thread=False, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vec BLOB NOT NULL)")
            self._db = db
        except (OSError, sqlite3.Error) as exc:
            log.warning("embedding cache off (%s): %s", directory, exc)

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self.variant}\n{text}".encode()).hexdigest()

    def get_many(self, texts: Iterable[str]) -> dict[str, list[float]]:
        if self._db is None:
            return {}
        keys = {self._key(t): t for t in texts}
        out: dict[str, list[float]] = {}
        try:
            with self._lock:
                ids = list(keys)
                for i in range(0, len(ids), 500):
                    part = ids[i : i + 500]
                    marks = ",".join("?" * len(part))
                    for key, blob in self._db.execute(f"SELECT key, vec FROM vectors WHERE key IN ({marks})", part):
                        out[keys[key]] = array("d", blob).tolist()
        except sqlite3.Error as exc:
            self._off(exc)
            return {}
        return out

    def put_many(self, items: dict[str, list[float]]) -> None:
        if self._db is None or not items:
            return
        rows = [(self._key(t), array("d", v).tobytes()) for t, v in items.items()]
        try:
            with self._lock:
                self._db.executemany("INSERT OR IGNORE INTO vectors (key, vec) VALUES (?, ?)", rows)
        except sqlite3.Error as exc:
            self._off(exc)

    def _off(self, exc: Exception) -> None:
        log.warning("embedding cache off: %s", exc)
        self._db = None

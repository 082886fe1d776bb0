"""What the knowledge index keeps on disk, and how a new state replaces the old one.

The manifest (`knowledge.json`) is the single source of truth: every document and chunk, and the
names of the vector collection and the BM25 folder that belong to it. A writer prepares
everything beside the state in use (vectors staged in the collection but not yet named by the
manifest, a new BM25 folder, a new collection for a rebuild) and publishes it with one atomic
rename of the manifest; readers see the old state until then, and never a half-built one.

`pending.json` lists vector ids that may be in the store without being in the manifest: an
upload's staged vectors until they are published, a removed document's until they are deleted.
Readers ask the vector store for that many more neighbours (so staged vectors cannot crowd the
published ones out of a ranking); the next writer deletes whatever a failed or killed write left.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import chromadb
from chromadb.config import Settings as ChromaSettings

from planbot.errors import BadInput, Conflict
from planbot.retrieval.health import REBUILD_HINT
from planbot.retrieval.write_errors import writing

COLLECTION = "planbot_knowledge"  # the first generation's name; a rebuild makes planbot_knowledge_<hex>
BM25_DIR = "bm25"  # the first generation's folder; a write makes bm25-<hex>
Stamp = tuple[int, int] | None


def chroma_client(data_dir: Path, chroma_url: str | None) -> Any:
    settings = ChromaSettings(anonymized_telemetry=False)
    if chroma_url:
        u = urlparse(chroma_url)
        if not u.hostname:
            raise BadInput(f"PLANBOT_CHROMA_URL {chroma_url!r} is not a URL like http://127.0.0.1:8001")
        return chromadb.HttpClient(host=u.hostname, port=u.port or 8000, ssl=u.scheme == "https", settings=settings)
    return chromadb.PersistentClient(path=str(data_dir / "chroma"), settings=settings)


def metadata(doc_id: str, title: str, lang: str, tags: list[str]) -> dict[str, Any]:
    """Chroma metadata: scalar values only, so each tag is its own boolean key (filterable)."""
    return {"doc_id": doc_id, "title": title, "lang": lang, **{f"tag_{t}": True for t in tags}}


def generation(prefix: str, sep: str = "_") -> str:
    """A fresh name for the next collection or BM25 folder."""
    return f"{prefix}{sep}{time.time_ns():x}"


def set_aside(path: Path) -> None:
    if path.exists():
        os.replace(path, path.with_name(f"{path.name}.corrupt-{int(time.time())}"))


class ManifestFile:
    def __init__(self, path: Path) -> None:
        self.path = path

    def stamp(self) -> Stamp:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return st.st_mtime_ns, st.st_size

    def load(self) -> dict[str, Any]:
        if not self.path.exists():
            return {"documents": {}, "chunks": {}}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise Conflict(f"the knowledge manifest {self.path} is corrupted; {REBUILD_HINT}") from exc
        if not isinstance(data, dict) or "documents" not in data or "chunks" not in data:
            raise Conflict(f"the knowledge manifest {self.path} is not a planbot manifest")
        return data

    def stage(self, manifest: dict[str, Any]) -> Path:
        """Write the next manifest beside the current one; `publish` it to make it current."""
        tmp = self.path.with_suffix(f".tmp{os.getpid()}")
        with writing(self.path.parent):
            try:
                tmp.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
            except OSError:
                tmp.unlink(missing_ok=True)
                raise
        return tmp

    def publish(self, staged: Path) -> Stamp:
        with writing(self.path.parent):
            os.replace(staged, self.path)
        return self.stamp()


def bm25_path(data_dir: Path, manifest: dict[str, Any]) -> Path:
    return data_dir / str(manifest.get("bm25", BM25_DIR))


def drop_other_bm25(data_dir: Path, keep: Path) -> None:
    """Remove BM25 folders of earlier generations (and of writes that did not finish)."""
    for path in data_dir.glob(f"{BM25_DIR}*"):
        if path != keep and path.is_dir() and ".corrupt-" not in path.name:
            shutil.rmtree(path, ignore_errors=True)


class Pending:
    """Vector ids that may be in a collection without being in the manifest (see the module's doc)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._seen: tuple[Stamp, int] = (None, 0)

    def record(self, collection: str, ids: list[str]) -> None:
        with writing(self.path.parent):
            tmp = self.path.with_suffix(f".tmp{os.getpid()}")
            try:
                tmp.write_text(json.dumps({"collection": collection, "ids": ids}), encoding="utf-8")
                os.replace(tmp, self.path)
            except OSError:
                tmp.unlink(missing_ok=True)
                raise

    def read(self) -> tuple[str, list[str]] | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return str(data["collection"]), [str(i) for i in data["ids"]]
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            return "", []  # unreadable: nothing to delete, but it is cleared like any other

    def count(self) -> int:
        """How many ids are pending (one stat per call; the file is read again only after a change)."""
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return 0
        stamp = (st.st_mtime_ns, st.st_size)
        if self._seen[0] != stamp:
            found = self.read()
            self._seen = (stamp, len(found[1]) if found else 0)
        return self._seen[1]

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)

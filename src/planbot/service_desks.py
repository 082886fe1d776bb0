"""The service's knowledge and access methods, kept apart from the conversation and plan flow in
service.py: guides (the shipped ones indexed on first use, an owner's uploads) and search; owners per
surface and API keys. `Planbot` inherits both; they read only the attributes declared here.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from planbot import errors
from planbot.config import Settings
from planbot.core.ports import Passage
from planbot.guides import Guides
from planbot.retrieval.fusion import Source
from planbot.retrieval.index import DocumentInfo, IngestResult, KnowledgeIndex
from planbot.retrieval.loaders import iter_files, load_file
from planbot.store.repository import LOCAL_OWNER, Adopted, KeyInfo, Store

log = logging.getLogger("planbot.service")


class KnowledgeDesk:
    settings: Settings
    index: KnowledgeIndex
    guides: Guides
    _knowledge_checked: bool
    _knowledge_lock: threading.Lock

    # -- knowledge ----------------------------------------------------------------------------------
    def ensure_knowledge(self) -> list[IngestResult]:
        """Index the shipped guides on first use; later calls only pick up files that changed."""
        with self._knowledge_lock:
            if self._knowledge_checked:
                return []
            self._knowledge_checked = True
            if not self.settings.knowledge_dir.is_dir():
                return []
            results = []
            for path in iter_files([self.settings.knowledge_dir]):
                try:
                    results.append(self.index.ingest(load_file(path)))
                except (errors.BadInput, errors.TooLarge) as exc:  # one bad guide never keeps the others out
                    log.warning("knowledge guide %s was not indexed: %s", path, exc)
            return results

    def ingest_file(self, path: Path, progress: Callable[[int, int], None] | None = None) -> IngestResult:
        """A shipped guide from a file; `progress(done, total)` as its passages are embedded."""
        return self.index.ingest(load_file(path), progress=progress)

    def ingest_upload(
        self, data: bytes, filename: str, owner: str, progress: Callable[[int, int], None] | None = None
    ) -> IngestResult:
        """An owner's upload, under the rules of planbot.guides (namespaced id, only the owner updates it);
        `progress(done, total)` as its passages are embedded."""
        return self.guides.ingest(data, filename, owner, progress)

    def documents(self) -> list[DocumentInfo]:
        return self.index.documents()

    def uploads_by(self, owner: str) -> set[str]:
        """Ids of the guides this owner uploaded (the ones they may update and remove)."""
        return self.guides.uploads_by(owner)

    def remove_document(self, doc_id: str, owner: str | None = None) -> None:
        """Remove a guide; through a surface (owner given) only the owner's own uploads."""
        self.guides.remove(doc_id, owner)

    def search(self, query: str, k: int = 5, lang: str | None = None, source: Source | None = None) -> list[Passage]:
        if not query.strip():
            raise errors.BadInput("the search query is empty")
        if not 1 <= k <= 50:
            raise errors.BadInput("k must be between 1 and 50")
        self.ensure_knowledge()
        return self.index.search(query, k=k, lang=lang, source=source)


class AccessDesk:
    @property
    def store(self) -> Store:
        raise NotImplementedError  # Planbot's own, opened on first use

    # -- owners and keys ----------------------------------------------------------------------------
    def local_owner(self) -> str:
        return self.store.owner(*LOCAL_OWNER)

    def slack_owner(self, team: str, user: str) -> str:
        """A Slack user in one workspace: isolated from other users, other teams, keys and browsers."""
        return self.store.owner("slack", f"{team}:{user}")

    def web_owner(self, browser: str) -> str:
        """The owner behind a browser's signed cookie (created on its first visit)."""
        return self.store.owner("web", browser)

    def owner_for_key(self, key: str) -> str | None:
        return self.store.owner_for_key(key)

    def create_key(self, name: str) -> tuple[str, KeyInfo]:
        if not name.strip() or len(name) > 100:
            raise errors.BadInput("a key name has 1 to 100 characters")
        return self.store.create_key(name.strip())

    def create_key_adopting(self, name: str, *, adopt_local: bool) -> tuple[str, KeyInfo, Adopted]:
        """A new key; with adopt_local, what the local owner made moves to it in the same transaction."""
        if not name.strip() or len(name) > 100:
            raise errors.BadInput("a key name has 1 to 100 characters")
        return self.store.create_key_adopting(name.strip(), adopt_local=adopt_local)

    def keys(self) -> list[KeyInfo]:
        return self.store.keys()

    def revoke_key(self, id_or_name: str) -> None:
        self.store.revoke_key(id_or_name)

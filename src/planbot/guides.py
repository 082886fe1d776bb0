"""Who may add, update and remove knowledge guides through a surface (REST, web, Slack).

The model (README, "Knowledge base"):
- Shipped guides -- `knowledge/`, or files an operator adds with `planbot ingest` -- belong to
  nobody and are read-only through every surface; only the CLI changes them.
- An upload belongs to the owner who sent it. Its id is put in that owner's namespace
  (`u<10 hex of the owner>-<name>`), so two owners' files never share an id and a front-matter
  `id:` cannot name a shipped guide or someone else's upload. Only its owner may update
  (upload again) or remove it; anyone else is refused and nothing changes.
- Who may upload at all is PLANBOT_KNOWLEDGE_UPLOADS: `open` (anyone the server lets in), `keys`
  (API-key holders and the local owner, never an anonymous browser cookie), `off`, or `auto`
  (the default): `open` while the server has no API keys, `keys` once it has one.
- Every guide, shipped or uploaded, is searched for everyone: there is one knowledge base.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import logging
import re
from collections.abc import Callable

from planbot import errors
from planbot.config import Settings
from planbot.retrieval.index import DocumentInfo, IngestResult, KnowledgeIndex, slug
from planbot.retrieval.loaders import RawDocument, load_bytes
from planbot.store.repository import Store

SETTING = "PLANBOT_KNOWLEDGE_UPLOADS"
KEYED_KINDS = ("api_key", "local")  # who may upload under `keys`
log = logging.getLogger(__name__)


def namespace(owner: str) -> str:
    """The prefix of every id an owner's uploads get: stable, and different for every owner."""
    return "u" + hashlib.sha256(owner.encode()).hexdigest()[:10] + "-"


_NAMESPACED = re.compile(r"^(u[0-9a-f]{10}-)+")


def upload_id(owner: str, raw: RawDocument, filename: str) -> str:
    """The id an upload is stored under: its front-matter id or file name, in the owner's namespace
    (a name copied from another owner's id keeps only its own part: `u<theirs>-plan` -> `u<mine>-plan`)."""
    name = slug(raw.doc_id or filename.rsplit(".", 1)[0] or raw.title)
    return namespace(owner) + (_NAMESPACED.sub("", name) or "guide")[:48]


class Guides:
    def __init__(self, settings: Settings, index: KnowledgeIndex, store: Callable[[], Store]) -> None:
        self.settings, self.index, self._store = settings, index, store
        # uploads are parsed here so one slow file answers in time; a timed-out parse finishes in the background
        self._readers = concurrent.futures.ThreadPoolExecutor(max_workers=2, thread_name_prefix="planbot-read")

    @property
    def store(self) -> Store:
        return self._store()

    def policy(self) -> str:
        mode = self.settings.knowledge_uploads
        if mode == "auto":
            return "keys" if self.store.has_keys() else "open"
        return mode

    def check_may_upload(self, owner: str) -> None:
        policy = self.policy()
        if policy == "off":
            raise errors.Forbidden(f"uploading guides is turned off on this server ({SETTING}=off)")
        if policy == "keys" and self.store.owner_kind(owner) not in KEYED_KINDS:
            raise errors.Forbidden(
                "on this server only API-key holders may upload guides: send the upload with "
                f"Authorization: Bearer <key> (an operator can allow everyone with {SETTING}=open)"
            )

    def owners(self) -> dict[str, str | None]:
        """doc id -> the owner who uploaded it; shipped guides are absent or None."""
        return self.store.document_owners()

    def uploads_by(self, owner: str) -> set[str]:
        """Ids of the guides this owner uploaded (the ones they may update and remove)."""
        return {doc_id for doc_id, added_by in self.owners().items() if added_by == owner}

    def shipped(self) -> set[str]:
        """Ids of the guides nobody uploaded: read-only through every surface."""
        owned = {doc_id for doc_id, added_by in self.owners().items() if added_by}
        return {d.doc_id for d in self.index.documents()} - owned

    def ingest(
        self, data: bytes, filename: str, owner: str, progress: Callable[[int, int], None] | None = None
    ) -> IngestResult:
        self.check_may_upload(owner)
        limit = int(self.settings.max_upload_mb * 1024 * 1024)
        if len(data) > limit:
            raise errors.TooLarge(
                f"{filename} is {len(data) / 1e6:.1f} MB; the limit is {self.settings.max_upload_mb:g} MB"
            )
        reading = self._readers.submit(load_bytes, data, filename)
        try:
            raw = reading.result(timeout=self.settings.upload_timeout_s)
        except concurrent.futures.TimeoutError as exc:
            raise errors.BadInput(
                f"{filename} took more than {self.settings.upload_timeout_s:g} s to read and was not added; "
                "split it or save it as plain text or Markdown"
            ) from exc
        raw.doc_id = upload_id(owner, raw, filename)
        self._check_writable(raw.doc_id, owner)

        def report(done: int, total: int) -> None:
            log.debug("indexing %s: %d of %d passages", raw.doc_id, done, total)
            if progress is not None:
                progress(done, total)

        result = self.index.ingest(
            raw,
            progress=report,
            max_chunks=self.settings.max_upload_chunks,
            time_budget_s=self.settings.index_timeout_s,
        )
        if result.status in ("added", "updated"):
            doc = self._document(result.doc_id)
            if doc is not None:
                self.store.record_document(doc.doc_id, doc.title, doc.lang, doc.source, doc.chunks, owner)
        return result

    def _check_writable(self, doc_id: str, owner: str) -> None:
        """An id that exists must be this owner's own upload (never true of a shipped guide)."""
        if self._document(doc_id) is None:
            return
        if self.owners().get(doc_id) != owner:
            raise errors.Forbidden(f"{doc_id} is not yours to change; upload your file under another name")

    def _document(self, doc_id: str) -> DocumentInfo | None:
        return next((d for d in self.index.documents() if d.doc_id == doc_id), None)

    def remove(self, doc_id: str, owner: str | None) -> None:
        """Remove a guide: through a surface (owner given) only the owner's own upload; the CLI any."""
        if owner is not None:
            if self._document(doc_id) is None:
                raise errors.NotFound(f"no knowledge document {doc_id!r}")
            added_by = self.owners().get(doc_id)
            if not added_by:
                raise errors.Forbidden(
                    f"{doc_id} is a shipped guide: it is read-only here (an operator removes it with "
                    "`planbot knowledge remove`)"
                )
            if added_by != owner:
                raise errors.Forbidden(f"{doc_id} was uploaded by someone else: only they may remove it")
        self.index.remove(doc_id)
        self.store.forget_document(doc_id)

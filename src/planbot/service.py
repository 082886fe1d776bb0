"""Planbot: the one object every surface (CLI now; API, web and Slack later) calls.

It is the composition root: it picks the adapters (retriever, writer) from the settings and
turns domain errors into PlanbotError codes the surfaces map to their own terms.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from planbot.config import Settings
from planbot.core.brief import Brief
from planbot.core.builder import Builder
from planbot.core.edits import Edit
from planbot.core.offline_writer import OfflineWriter
from planbot.core.plan import Plan, PlanIssue
from planbot.core.validate import validate
from planbot.render import Format
from planbot.render.html import render_html
from planbot.render.markdown import render_markdown
from planbot.retrieval.index import IngestResult, KnowledgeIndex
from planbot.retrieval.loaders import iter_files, load_bytes, load_file


class Planbot:
    def __init__(self, settings: Settings | None = None, index: KnowledgeIndex | None = None) -> None:
        self.settings = settings or Settings()
        self.index = index or KnowledgeIndex(self.settings.data_dir, self.settings.chroma_url)
        self.builder = Builder(self.index, OfflineWriter())
        self._knowledge_checked = False

    # -- knowledge ----------------------------------------------------------------------------------
    def ensure_knowledge(self) -> list[IngestResult]:
        """Index the shipped guides on first use; later calls only pick up files that changed."""
        if self._knowledge_checked:
            return []
        self._knowledge_checked = True
        if not self.settings.knowledge_dir.is_dir():
            return []
        return [self.index.ingest(load_file(p)) for p in iter_files([self.settings.knowledge_dir])]

    def ingest_file(self, path: Path) -> IngestResult:
        return self.index.ingest(load_file(path))

    def ingest_upload(self, data: bytes, filename: str) -> IngestResult:
        return self.index.ingest(load_bytes(data, filename))

    # -- plans --------------------------------------------------------------------------------------
    def draft(self, brief: Brief) -> Plan:
        self.ensure_knowledge()
        return self.builder.build(brief)

    def revise(self, plan: Plan, edits: Sequence[Edit]) -> Plan:
        self.ensure_knowledge()
        return self.builder.revise(plan, edits)

    def validate(self, plan: Plan) -> list[PlanIssue]:
        self.ensure_knowledge()
        return validate(plan, known_chunks=self.index.chunk_ids())

    def render(self, plan: Plan, fmt: Format) -> str:
        if fmt == "md":
            return render_markdown(plan)
        if fmt == "html":
            return render_html(plan)
        return plan.model_dump_json(indent=2)

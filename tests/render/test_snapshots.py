"""Snapshots of the Markdown and HTML (without charts) of a Chinese and an English plan, and of the
prose (every section and the executive summary) of each plan type in both languages.

A change to a template or to the playbook shows up here as a diff to review. To accept it:
PLANBOT_UPDATE_SNAPSHOTS=1 pytest tests/render/test_snapshots.py

The snapshots pin what the builder and the renderers decide, not which of two nearly equal passages
the embedding model ranks first (that differs between machines in the last digits): the plans here
cite passages chosen by a lexical retriever with integer scores over the same guides.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from planbot.core.builder import Builder
from planbot.core.offline_writer import OfflineWriter
from planbot.core.plan import Plan
from planbot.core.ports import Passage
from planbot.render.executive import executive
from planbot.render.html import render_html
from planbot.render.markdown import render_markdown
from planbot.retrieval.bm25_tokens import tokens
from planbot.retrieval.cleaning import for_matching
from planbot.retrieval.index import KnowledgeIndex
from tests.conftest import BRIEFS, FIXED_NOW, load_brief

SNAPSHOTS = Path(__file__).resolve().parents[1] / "snapshots"


class LexicalRetriever:
    """Passages ranked by how many distinct query words they contain (an integer), then by chunk id."""

    def __init__(self, index: KnowledgeIndex) -> None:
        self.chunks = index.manifest["chunks"]
        self.words = {cid: set(tokens(c["match_text"])) for cid, c in self.chunks.items()}

    def _passage(self, cid: str) -> Passage:
        c = self.chunks[cid]
        return Passage(chunk_id=cid, doc_id=c["doc_id"], title=c["title"], text=c["text"], lang=c["lang"])

    def search(self, query: str, k: int = 4, lang: str | None = None) -> list[Passage]:
        wanted = set(tokens(for_matching(query)))
        scored = [(-len(wanted & self.words[cid]), cid) for cid, c in self.chunks.items()
                  if lang is None or c["lang"] == lang]  # fmt: skip
        return [self._passage(cid) for score, cid in sorted(scored)[:k] if score < 0]

    def get(self, chunk_id: str) -> Passage | None:
        return self._passage(chunk_id) if chunk_id in self.chunks else None


@pytest.fixture(scope="module")
def snapshot_plans(retriever: KnowledgeIndex) -> dict[str, Plan]:
    builder = Builder(LexicalRetriever(retriever), OfflineWriter(), clock=lambda: FIXED_NOW)
    return {key: builder.build(load_brief(BRIEFS[key])) for key in BRIEFS}


def test_lexical_ranking_is_a_total_order(retriever: KnowledgeIndex) -> None:
    lexical = LexicalRetriever(retriever)
    first = [p.chunk_id for p in lexical.search("预热期一般提前几天", k=10)]
    assert first == [p.chunk_id for p in lexical.search("预热期一般提前几天", k=10)] and len(first) == 10


@pytest.mark.parametrize(("key", "fmt"), [("beauty", "md"), ("beauty", "html"), ("us", "md"), ("us", "html")])
def test_snapshot(snapshot_plans: dict[str, Plan], key: str, fmt: str) -> None:
    plan = snapshot_plans[key]
    text = render_markdown(plan) if fmt == "md" else render_html(plan, charts=False)
    path = SNAPSHOTS / f"{key}.{fmt}"
    if os.environ.get("PLANBOT_UPDATE_SNAPSHOTS") or not path.exists():
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{path.name} changed; review and update the snapshot"


PROSE_SECTIONS = ("summary", "situation", "objectives", "funnel", "strategy", "channels", "budget", "calendar",
                  "always_on", "measurement", "risks", "team")  # fmt: skip


def prose(plan: Plan) -> str:
    """What the offline writer wrote, section by section, and the executive summary's own sentences."""
    ex = executive(plan)
    parts = [f"[headline] {ex.headline}", *(f"[decision] {d}" for d in ex.decisions)]
    parts += [f"[{name}] {getattr(plan, name).text}" for name in PROSE_SECTIONS]
    parts += [f"[warning] {w.message}" for w in plan.warnings]
    return "\n\n".join(parts) + "\n"


@pytest.mark.parametrize("key", list(BRIEFS))
def test_prose_snapshot(snapshot_plans: dict[str, Plan], key: str) -> None:
    text = prose(snapshot_plans[key])
    path = SNAPSHOTS / "prose" / f"{key}.txt"
    if os.environ.get("PLANBOT_UPDATE_SNAPSHOTS") or not path.exists():
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"prose/{path.name} changed; review and update the snapshot"

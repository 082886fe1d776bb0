"""Shared fixtures: the shipped knowledge base, a builder, and the four reference briefs of issue 2."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from hypothesis import settings

from planbot.config import Settings
from planbot.core.brief import Brief
from planbot.core.builder import Builder
from planbot.core.extract import brief_from_text
from planbot.core.offline_writer import OfflineWriter
from planbot.core.plan import Plan
from planbot.retrieval.index import KnowledgeIndex
from planbot.retrieval.loaders import iter_files, load_file
from tests.servers import Server, knowledge_template

# Shared, noisy machines: no per-example deadline; CI runs a fixed, derandomized sequence.
settings.register_profile("default", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, max_examples=150)
settings.load_profile("ci" if os.environ.get("CI") else "default")

# Background rendering of each new plan version (issue 20) is on in a served planbot; the tests that
# exercise it turn it on (tests/api/test_downloads.py, tests/store/test_render_jobs.py). Elsewhere it
# would only add CPU load: every draft in the suite would render six documents in the background.
os.environ.setdefault("PLANBOT_RENDER_WORKER", "false")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
FIXED_NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def load_brief(name: str) -> Brief:
    path = EXAMPLES / name
    if path.suffix == ".txt":
        return brief_from_text(path.read_text(encoding="utf-8"), FIXED_NOW.date())
    return Brief.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


BRIEFS = {
    "beauty": "beauty-tmall-douyin-2027.yaml",
    "jd_double11": "jd-baby-double11.yaml",
    "us": "us-shopify-amazon-2027.yaml",
    "cold_start": "cold-start-6-months.txt",
}


@pytest.fixture(scope="session")
def retriever(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeIndex:
    """The real hybrid index (embedded Chroma + BM25) over the shipped guides, built once."""
    index = KnowledgeIndex(tmp_path_factory.mktemp("index"), embedding_cache=Settings().embedding_cache_dir)
    for path in iter_files([ROOT / "knowledge"]):
        index.ingest(load_file(path))
    return index


@pytest.fixture(scope="session")
def builder(retriever: KnowledgeIndex) -> Builder:
    return Builder(retriever, OfflineWriter(), clock=lambda: FIXED_NOW)


@pytest.fixture(scope="session")
def plans(builder: Builder) -> dict[str, Plan]:
    return {key: builder.build(load_brief(name)) for key, name in BRIEFS.items()}


@pytest.fixture(scope="session")
def history_plan(builder: Builder) -> Plan:
    """The beauty brief built on the brand's own history (tests/history_data.py): a July peak."""
    from tests.history_data import history_brief

    return builder.build(history_brief(load_brief(BRIEFS["beauty"])))


@pytest.fixture
def beauty_plan(plans: dict[str, Plan]) -> Plan:
    """A fresh deep copy: tests may tamper with it."""
    return plans["beauty"].model_copy(deep=True)


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return knowledge_template(tmp_path_factory.mktemp("kb-template"))


@pytest.fixture(scope="session")
def new_server(tmp_path_factory: pytest.TempPathFactory, template: Path) -> Iterator[Callable[..., Server]]:
    """Start servers on copies of the indexed knowledge base; all are stopped at the end."""
    started: list[Server] = []

    def make(database_url: str | None = None, data_dir: Path | None = None, ready: bool = True, **env: str) -> Server:
        if data_dir is None:
            data_dir = tmp_path_factory.mktemp("server") / "data"
            shutil.copytree(template, data_dir)
        env.setdefault("PLANBOT_RATE_LIMIT_PER_MINUTE", "0")  # a test about limits sets its own
        server = Server(data_dir, database_url, **env).start(ready)
        started.append(server)
        return server

    yield make
    for s in started:
        s.stop()

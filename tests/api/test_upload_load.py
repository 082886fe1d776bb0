"""Uploads under load, through HTTP: searches and drafts answer while an upload is indexed, the issue's
flood of tiny sections is merged, and a full disk or broken front matter is refused in words.

The app runs in this process (uvicorn in a thread) so a test can hold an upload mid-embedding with
a gate and make the vector store fail as on a full disk; every assertion is about the order of
events and the answers, never about durations.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from chromadb.errors import InternalError

from planbot.api.app import create_app
from planbot.config import Settings
from planbot.retrieval.index import KnowledgeIndex
from planbot.service import Planbot
from tests.retrieval.faults import COMPACTION, disk_full, failing_upserts
from tests.retrieval.gates import Background, GatedEmbeddings
from tests.servers import ROOT, free_port

GUIDES = ("budget-en.md", "campaign-phases-en.md", "campaign-phases-zh.md", "budget-allocation-zh.md")
LANTERN = (
    "# Lantern night guide\n\nStriped lantern night: open the lantern stall at dusk, restock lanterns every hour.\n"
)
FULL = "the knowledge index could not be written: the disk is full; free space and upload again"


class App:
    def __init__(self, url: str, gate: GatedEmbeddings) -> None:
        self.url, self.gate = url, gate

    def upload(self, name: str, data: bytes) -> httpx.Response:
        return httpx.post(self.url + "/v1/knowledge/documents", files={"file": (name, data)}, timeout=300)

    def search(self, q: str) -> list[dict[str, Any]]:
        r = httpx.get(self.url + "/v1/knowledge/search", params={"q": q, "k": 5}, timeout=60)
        assert r.status_code == 200, r.text
        hits: list[dict[str, Any]] = r.json()["hits"]
        return hits

    def documents(self) -> list[dict[str, Any]]:
        r = httpx.get(self.url + "/v1/knowledge/documents", timeout=60)
        assert r.status_code == 200, r.text
        docs: list[dict[str, Any]] = r.json()
        return docs


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    tmp = tmp_path_factory.mktemp("upload-load")
    (tmp / "knowledge").mkdir()
    for name in GUIDES:
        shutil.copy(ROOT / "knowledge" / name, tmp / "knowledge" / name)
    settings = Settings(data_dir=tmp / "data", knowledge_dir=tmp / "knowledge", warm_up=False, web_enabled=False)
    gate = GatedEmbeddings()
    bot = Planbot(settings, index=KnowledgeIndex(settings.data_dir, embeddings=gate))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings, bot), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(600):  # start-up ingests the guides above
        if server.started or not thread.is_alive():
            break
        time.sleep(0.1)
    assert server.started, "the app did not start"
    yield App(f"http://127.0.0.1:{port}", gate)
    server.should_exit = True
    thread.join(timeout=60)


def test_searches_and_drafts_answer_while_an_upload_is_indexed(app: App) -> None:
    before = app.search("lantern stall at dusk")
    app.gate.close()
    try:
        upload = Background(lambda: app.upload("lantern-night.md", LANTERN.encode()))
        assert app.gate.entered.wait(60), "the upload never reached embedding"
        assert app.search("lantern stall at dusk") == before  # answered, from the index before the upload
        draft = httpx.post(app.url + "/v1/plans", json={"text": "户外用品，天猫，2027年全年，GMV目标8000万，预算一千万"},
                           timeout=300)  # fmt: skip
        assert draft.status_code == 201, draft.text
        assert not upload.done.is_set()  # both answered while the upload was still being indexed
    finally:
        app.gate.open()
    response = upload.result()
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "added"
    assert app.search("lantern stall at dusk")[0]["doc_id"] == response.json()["id"]


def test_the_flood_of_tiny_sections_becomes_full_size_passages(app: App) -> None:
    flood = "# Tiny sections\n\n" + "".join(f"## Tip {i}\nRestock item {i} a week early.\n\n" for i in range(10_000))
    assert len(flood.encode()) > 420_000
    response = app.upload("tiny-sections.md", flood.encode())
    assert response.status_code == 201, response.text
    assert response.json()["chunks"] < 1000  # ~13 sections a passage, not 10,000 passages


def test_an_upload_on_a_full_disk_answers_503_with_retry_after(app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    before = app.documents()

    failing_upserts(monkeypatch, InternalError(COMPACTION))
    disk_full(monkeypatch)
    response = app.upload("full-disk.md", b"# Full disk guide\n\nThis guide arrives when the disk has no room left.\n")
    assert response.status_code == 503, response.text
    assert response.headers["Retry-After"].isdigit()
    assert response.json()["error"] == {"code": "unavailable", "message": FULL, "details": {"reason": "disk_full"}}
    monkeypatch.undo()
    assert app.documents() == before


def test_broken_front_matter_and_control_characters(app: App) -> None:
    broken = app.upload("promo.md", b"---\ntitle: Promo: summer\nlang: en\n---\n# Promo\n\nSummer promo guide text.\n")
    assert broken.status_code == 400
    assert broken.json()["error"]["message"].startswith("the front matter at the top of promo.md is not valid YAML")
    nul = app.upload(
        "nul.md", b'---\ntitle: "Night\\0 market\\x1b guide"\n---\nNight market guide: stalls open at eight.\n'
    )
    assert nul.status_code == 201, nul.text
    assert nul.json()["title"] == "Night market guide"
    assert "Night market guide" in {d["title"] for d in app.documents()}

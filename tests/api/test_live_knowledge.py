"""A running server sees every change the CLI makes to its knowledge base, and a rebuild never breaks it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

import httpx

from tests.servers import ROOT, Server

GUIDE = "# 萤火虫夜市打法\n\n萤火虫夜市打法：每周五晚八点开播，夜市专属券面额为客单价的百分之七，提前两天在社群预告。\n"


def search(server: Server, q: str) -> list[dict[str, object]]:
    r = httpx.get(server.url + "/v1/knowledge/search", params={"q": q, "k": 3}, timeout=60)
    assert r.status_code == 200, r.text
    hits: list[dict[str, object]] = r.json()["hits"]
    return hits


def draft(server: Server) -> dict[str, object]:
    brief = {"text": "户外用品，天猫+抖音，2027年全年，GMV目标8000万，预算一千万"}
    r = httpx.post(server.url + "/v1/plans", json=brief, timeout=120)
    assert r.status_code == 201, r.text
    body: dict[str, object] = r.json()
    return body


def test_rebuild_and_ingest_from_the_cli_while_serving(new_server: Callable[..., Server]) -> None:
    server = new_server()
    assert search(server, "预热期一般提前几天")  # the server has read its vectors before the CLI runs
    draft(server)

    server.cli("ingest", "--rebuild", str(ROOT / "knowledge"))
    for _ in range(2):  # the first search after the swap and the ones after it
        hits = search(server, "预热期一般提前几天")
        assert hits and "预热" in str(hits[0]["text"])
    assert draft(server)["plan"]
    ready = httpx.get(server.url + "/readyz", timeout=30)
    assert ready.status_code == 200 and ready.json()["chunks"] > 50

    guides = server.data_dir.parent / "my-guides"
    guides.mkdir()
    (guides / "firefly.md").write_text(GUIDE, encoding="utf-8")
    assert not any(h["doc_id"] == "firefly" for h in search(server, "萤火虫夜市专属券面额"))  # remembered before
    server.cli("ingest", str(guides))
    assert search(server, "萤火虫夜市专属券面额")[0]["doc_id"] == "firefly"
    assert search(server, "firefly night market coupon")  # and a cross-language search still answers

    server.cli("knowledge", "remove", "firefly")
    assert not any(h["doc_id"] == "firefly" for h in search(server, "萤火虫夜市专属券面额"))


def test_readyz_is_not_ready_while_the_vectors_are_unusable(new_server: Callable[..., Server]) -> None:
    server = new_server()
    assert httpx.get(server.url + "/readyz", timeout=30).status_code == 200
    server.cli("ingest", "--rebuild", str(ROOT / "knowledge"))  # the collection now has a generation name
    script = (
        "from pathlib import Path; from planbot.retrieval.index import chroma_client, KnowledgeIndex;"
        f"d = Path({str(server.data_dir)!r}); import json;"
        "name = json.loads((d / 'knowledge.json').read_text())['collection'];"
        "chroma_client(d, None).delete_collection(name); (d / 'knowledge.json').touch()"
    )
    subprocess.run([sys.executable, "-c", script], env=server.env, check=True, timeout=120)
    ready = httpx.get(server.url + "/readyz", timeout=30)
    assert ready.status_code == 503, ready.text
    assert "planbot ingest --rebuild" in ready.json()["error"]["message"]
    server.cli("ingest", "--rebuild", str(ROOT / "knowledge"))
    assert httpx.get(server.url + "/readyz", timeout=30).status_code == 200

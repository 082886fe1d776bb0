"""A corrupted knowledge index is refused at start with what to do, and `planbot ingest --rebuild` recovers."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.servers import ROOT, Server


def corrupt_manifest(data: Path) -> None:
    (data / "knowledge.json").write_text('{"documents": {"x": ', encoding="utf-8")  # cut off mid-write


def corrupt_vectors(data: Path) -> None:
    (data / "chroma" / "chroma.sqlite3").write_bytes(b"\x00garbage" * 5000)


@pytest.mark.parametrize("damage", [corrupt_manifest, corrupt_vectors], ids=["manifest", "vectors"])
def test_corrupted_index_is_refused_then_rebuilt(
    damage: Callable[[Path], None], template: Path, tmp_path: Path, new_server: Callable[..., Server]
) -> None:
    data = tmp_path / "data"
    shutil.copytree(template, data)
    damage(data)
    server = Server(data)
    env = {**server.env, "COLUMNS": "400"}
    refused = subprocess.run([sys.executable, "-m", "planbot", "serve", "--port", str(server.port)], env=env,
                             capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert refused.returncode == 1
    assert "corrupted" in refused.stderr and "run `planbot ingest --rebuild knowledge/`" in refused.stderr
    assert "Traceback" not in refused.stderr

    rebuilt = subprocess.run([sys.executable, "-m", "planbot", "ingest", "--rebuild", str(ROOT / "knowledge")],
                             env=env, capture_output=True, text=True, timeout=600,
                             check=False)  # fmt: skip
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "set aside the corrupted" in rebuilt.stderr
    assert list(data.glob("*.corrupt-*"))  # what was damaged is kept aside, not deleted

    served = new_server(data_dir=data)
    hits = httpx.get(served.url + "/v1/knowledge/search", params={"q": "预热期一般提前几天", "k": 3}, timeout=60).json()
    assert hits["hits"] and "预热" in hits["hits"][0]["text"]
    assert httpx.get(served.url + "/readyz", timeout=30).json()["chunks"] > 50


def test_an_unreachable_database_is_a_503_with_retry_advice(new_server: Callable[..., Server]) -> None:
    from tests.servers import free_port

    server = new_server(database_url=f"postgresql+psycopg://planbot@127.0.0.1:{free_port()}/planbot", ready=False)
    with httpx.Client(base_url=server.url, timeout=60) as c:
        ready = c.get("/readyz")
        assert ready.status_code == 503 and ready.headers["retry-after"]
        for method, path, body in (("POST", "/v1/sessions", {}), ("GET", "/v1/sessions", None),
                                   ("POST", "/v1/plans", {"text": "天猫，2027年GMV目标1000万，预算100万"})):  # fmt: skip
            r = c.request(method, path, json=body)
            assert r.status_code == 503, (path, r.text)
            assert r.headers["retry-after"] and r.json()["error"]["code"] == "unavailable"
            assert "try again" in r.json()["error"]["message"] and "127.0.0.1" not in r.text  # no internals
    assert "Traceback" not in server.log()

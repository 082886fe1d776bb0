"""Scale-out mode, for real: two `planbot serve` processes (workers) behind one PostgreSQL, one
`chroma run` server and one shared data dir. A conversation hops between them, a guide uploaded
through one is found through the other, and a browser's cookie works on both."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.servers import ROOT, Server, chroma_server


@pytest.fixture(scope="module")
def workers(tmp_path_factory: pytest.TempPathFactory, pg_url: str) -> Iterator[tuple[Server, Server]]:
    tmp = tmp_path_factory.mktemp("scale-out")
    with chroma_server(tmp / "chroma") as chroma_url:
        data = tmp / "data"
        env = {"PLANBOT_DATABASE_URL": pg_url, "PLANBOT_CHROMA_URL": chroma_url}
        a = Server(data, pg_url, PLANBOT_CHROMA_URL=chroma_url)
        subprocess.run([sys.executable, "-m", "planbot", "ingest", str(ROOT / "knowledge")], env={**a.env, **env},
                       check=True, capture_output=True, timeout=600)  # fmt: skip
        b = Server(data, pg_url, PLANBOT_CHROMA_URL=chroma_url)
        a.start(), b.start()
        try:
            yield a, b
        finally:
            a.stop(), b.stop()
    for s in (a, b):
        assert "Traceback" not in s.log()


def test_a_conversation_continues_across_workers(workers: tuple[Server, Server]) -> None:
    a, b = workers
    with httpx.Client(base_url=a.url, timeout=60) as ca, httpx.Client(base_url=b.url, timeout=60) as cb:
        sid = ca.post("/v1/sessions", json={"text": "户外用品，天猫+抖音"}).json()["id"]
        assert "预算" in cb.post(f"/v1/sessions/{sid}/messages", json={"text": "2027年GMV目标8000万"}).json()["reply"]
        ca.post(f"/v1/sessions/{sid}/messages", json={"text": "预算一千万"})
        plan = cb.post(f"/v1/sessions/{sid}/messages", json={"text": "生成方案"}).json()["plan"]
        revised = ca.post(f"/v1/sessions/{sid}/messages", json={"text": "把抖音预算降到30%"}).json()
        assert revised["plan"] == {"id": plan["id"], "version": 2}
        assert cb.get(f"/v1/plans/{plan['id']}").json()["version"] == 2
        messages = cb.get(f"/v1/sessions/{sid}").json()["messages"]
        assert [m["role"] for m in messages] == ["assistant"] + ["user", "assistant"] * 5
        assert [m["seq"] for m in messages] == list(range(1, 12))

        # two messages at the same moment, one to each worker: both kept, in some order, pairs together
        replies: list[int] = []

        def send(client: httpx.Client, text: str) -> None:
            replies.append(client.post(f"/v1/sessions/{sid}/messages", json={"text": text}).status_code)

        threads = [threading.Thread(target=send, args=(c, t)) for c, t in ((ca, "加一个七夕活动"), (cb, "去掉双12"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert replies == [200, 200]
        after = ca.get(f"/v1/sessions/{sid}").json()["messages"]
        assert len(after) == 15 and {m["text"] for m in after if m["role"] == "user"} >= {"加一个七夕活动", "去掉双12"}
        assert all(after[i]["role"] == "user" and after[i + 1]["role"] == "assistant" for i in range(11, 15, 2))


def test_knowledge_uploaded_through_one_worker_is_found_through_the_other(workers: tuple[Server, Server]) -> None:
    a, b = workers
    guide = "# 露营季会员日\n\n露营季会员日每月第二个周六举行，会员专享券面额为客单价的百分之六，提前三天蓄水。\n"
    up = httpx.post(a.url + "/v1/knowledge/documents", files={"file": ("camp-day.md", guide.encode())}, timeout=120)
    assert up.status_code == 201, up.text
    doc_id = up.json()["id"]
    hits = httpx.get(b.url + "/v1/knowledge/search", params={"q": "露营季会员日专享券面额", "k": 3}, timeout=60).json()
    assert hits["hits"][0]["doc_id"] == doc_id and doc_id.endswith("-camp-day")
    assert doc_id in {d["id"] for d in httpx.get(b.url + "/v1/knowledge/documents", timeout=60).json()}
    assert httpx.delete(f"{b.url}/v1/knowledge/documents/{doc_id}", timeout=60).status_code == 204
    after = httpx.get(a.url + "/v1/knowledge/search", params={"q": "露营季会员日专享券面额", "k": 3}, timeout=60).json()
    assert all(h["doc_id"] != doc_id for h in after["hits"])


def test_a_browser_keeps_its_owner_and_token_on_either_worker(workers: tuple[Server, Server], tmp_path: Path) -> None:
    a, b = workers
    with httpx.Client(base_url=a.url, timeout=60) as browser:
        page = browser.get("/")
        token = re.search(r'name="csrf-token" content="([^"]+)"', page.text)
        assert token is not None
        sid = browser.post("/v1/sessions", json={}, headers={"X-CSRF-Token": token.group(1)}).json()["id"]
        cookies = dict(browser.cookies)
    with httpx.Client(base_url=b.url, timeout=60, cookies=cookies) as same_browser:
        r = same_browser.post(f"/v1/sessions/{sid}/messages", json={"text": "天猫，预算两百万"},
                              headers={"X-CSRF-Token": token.group(1)})  # fmt: skip
        assert r.status_code == 200 and "¥2,000,000" in r.json()["reply"]

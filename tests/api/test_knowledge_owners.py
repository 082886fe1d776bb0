"""Nobody changes what others own in the knowledge base (planbot.guides), over real HTTP.

Two API keys, an anonymous browser and the operator's CLI against one served instance: every
attempt on another owner's upload or on a shipped guide is refused and changes nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator

import httpx
import pytest

from tests.servers import Server

Keyed = tuple[Server, httpx.Client, httpx.Client]
ALICE_TEXT = "# Team playbook\n\nAlice's rule: every flash sale opens with a zebra-lantern coupon of 7 percent.\n"
BOB_TEXT = "# Team playbook\n\nBob's rule: every flash sale opens with a walrus-kettle coupon of 9 percent.\n"
HIJACK = "---\nid: budget-en\ntitle: Budget guide\n---\n# Budget\n\nPut the whole budget into one ostrich banner.\n"


@pytest.fixture(scope="module")
def keyed(new_server: Callable[..., Server]) -> Iterator[Keyed]:
    server = new_server(PLANBOT_RATE_LIMIT_PER_MINUTE="0")
    alice = httpx.Client(base_url=server.url, timeout=120,
                         headers={"Authorization": f"Bearer {server.cli('keys', 'create', 'alice')}"})  # fmt: skip
    bob = httpx.Client(base_url=server.url, timeout=120,
                       headers={"Authorization": f"Bearer {server.cli('keys', 'create', 'bob')}"})  # fmt: skip
    yield server, alice, bob
    alice.close()
    bob.close()
    log = server.log()
    assert "Traceback" not in log and " 500 " not in log, log[-3000:]


def upload(client: httpx.Client, name: str, text: str) -> httpx.Response:
    return client.post("/v1/knowledge/documents", files={"file": (name, text.encode(), "text/markdown")})


def listing(client: httpx.Client) -> dict[str, dict[str, object]]:
    return {d["id"]: d for d in client.get("/v1/knowledge/documents").json()}


def top_hit(client: httpx.Client, query: str) -> dict[str, str]:
    hits: list[dict[str, str]] = client.get("/v1/knowledge/search", params={"q": query, "k": 1}).json()["hits"]
    return hits[0]


def test_two_owners_uploading_the_same_file_name_never_collide(keyed: Keyed) -> None:
    _, alice, bob = keyed
    a, b = upload(alice, "team-playbook.md", ALICE_TEXT), upload(bob, "team-playbook.md", BOB_TEXT)
    assert a.status_code == b.status_code == 201, (a.text, b.text)
    a_id, b_id = a.json()["id"], b.json()["id"]
    assert a_id != b_id and a_id.endswith("-team-playbook") and b_id.endswith("-team-playbook")
    assert top_hit(alice, "zebra-lantern coupon")["doc_id"] == a_id  # Alice's text is still there
    assert "zebra-lantern" in top_hit(bob, "zebra-lantern coupon")["text"]  # and everyone searches it
    seen_by_bob = listing(bob)
    assert (seen_by_bob[a_id]["mine"], seen_by_bob[b_id]["mine"]) == (False, True)
    # Alice uploading again updates her own document, under the same id
    again = upload(alice, "team-playbook.md", ALICE_TEXT + "\nAlso: a second zebra rule.\n")
    assert (again.status_code, again.json()["id"], again.json()["status"]) == (201, a_id, "updated")


def test_a_front_matter_id_cannot_replace_a_shipped_guide_or_another_owners_upload(keyed: Keyed) -> None:
    _, alice, bob = keyed
    shipped_before = listing(alice)["budget-en"]
    assert shipped_before["shipped"] is True and shipped_before["mine"] is False
    r = upload(bob, "budget.md", HIJACK)
    assert r.status_code == 201, r.text
    assert r.json()["id"] != "budget-en" and r.json()["id"].endswith("-budget-en")
    assert listing(alice)["budget-en"] == shipped_before  # the shipped guide is untouched
    assert "ostrich" not in " ".join(h["text"] for h in alice.get(
        "/v1/knowledge/search", params={"q": "budget", "k": 50}).json()["hits"] if h["doc_id"] == "budget-en")  # fmt: skip

    alices = upload(alice, "mine.md", "# Mine\n\nAlice keeps a quokka-ledger of returns.\n").json()["id"]
    forged = upload(bob, "x.md", f"---\nid: {alices}\n---\n# Mine\n\nBob wrote a heron-ledger here.\n")
    assert forged.status_code == 201 and forged.json()["id"] != alices
    # the distinctive phrase alone: with "returns" added, the shipped guides' risk passages can outrank a one-line
    # upload in the hybrid fusion (Chroma's approximate search varies the dense rank): issue 22's ranking work
    assert top_hit(alice, "quokka-ledger")["doc_id"] == alices
    assert "quokka-ledger" in top_hit(alice, "quokka-ledger")["text"]
    assert re.fullmatch(r"u[0-9a-f]{10}-.+", forged.json()["id"])


def test_only_the_uploader_may_remove_and_shipped_guides_are_read_only(keyed: Keyed) -> None:
    server, alice, bob = keyed
    doc = upload(alice, "returns.md", "# Returns\n\nAlice's returns desk answers within a puffin-hour.\n").json()["id"]
    refused = bob.delete(f"/v1/knowledge/documents/{doc}")
    assert refused.status_code == 403 and "someone else" in refused.json()["error"]["message"]
    assert doc in listing(alice)
    shipped = bob.delete("/v1/knowledge/documents/budget-en")
    assert shipped.status_code == 403 and "read-only" in shipped.json()["error"]["message"]
    assert alice.delete("/v1/knowledge/documents/budget-en").status_code == 403
    assert "budget-en" in listing(bob)
    assert alice.delete(f"/v1/knowledge/documents/{doc}").status_code == 204
    assert doc not in listing(alice)
    # the operator's CLI may remove an upload (and would any shipped guide)
    other = upload(bob, "ops.md", "# Ops\n\nBob's gannet-rota for the warehouse.\n").json()["id"]
    server.cli("knowledge", "remove", other)
    assert other not in listing(bob)


def test_an_anonymous_browser_cannot_write_to_a_keyed_servers_knowledge(keyed: Keyed) -> None:
    server, alice, _ = keyed
    with httpx.Client(base_url=server.url, timeout=60) as browser:
        page = browser.get("/")
        token = re.search(r'<meta name="csrf-token" content="([^"]+)">', page.text)
        assert token is not None
        headers = {"X-CSRF-Token": token.group(1)}
        r = browser.post("/v1/knowledge/documents", headers=headers,
                         files={"file": ("budget-en.md", HIJACK.encode(), "text/markdown")})  # fmt: skip
        assert r.status_code == 403 and "API-key holders" in r.json()["error"]["message"], r.text
        assert browser.delete("/v1/knowledge/documents/budget-en", headers=headers).status_code == 403
    assert listing(alice)["budget-en"]["shipped"] is True


def test_uploads_can_be_turned_off(new_server: Callable[..., Server]) -> None:
    server = new_server(PLANBOT_KNOWLEDGE_UPLOADS="off")
    r = httpx.post(server.url + "/v1/knowledge/documents", files={"file": ("a.md", b"# A\n\nsome text here\n")})
    assert r.status_code == 403 and "PLANBOT_KNOWLEDGE_UPLOADS=off" in r.json()["error"]["message"]


def test_search_results_name_their_source_and_filter_by_it(keyed: Keyed) -> None:
    _, alice, _ = keyed
    mine = upload(alice, "narwhal.md", "# Narwhal rule\n\nEvery narwhal-week sale caps coupons at 12 percent.\n")
    assert mine.status_code == 201, mine.text
    hits = alice.get("/v1/knowledge/search", params={"q": "narwhal-week coupons cap", "k": 5}).json()["hits"]
    assert hits[0]["doc_id"] == mine.json()["id"] and hits[0]["source"] == "uploaded"
    assert {h["source"] for h in hits} <= {"uploaded", "shipped"}
    shipped = alice.get("/v1/knowledge/search", params={"q": "narwhal-week coupons cap", "source": "shipped"})
    assert shipped.status_code == 200 and all(h["source"] == "shipped" for h in shipped.json()["hits"])
    uploaded = alice.get("/v1/knowledge/search", params={"q": "warm-up before a big sale", "source": "uploaded"})
    assert all(h["source"] == "uploaded" for h in uploaded.json()["hits"])
    bad = alice.get("/v1/knowledge/search", params={"q": "budget", "source": "mine"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "bad_input"


def test_an_upload_can_stream_its_indexing_progress(keyed: Keyed) -> None:
    _, alice, bob = keyed
    page = "".join(
        f"第{i}条：大促第{i}天的直播间在晚上{i % 12 + 1}点前完成第{i}轮福利预告，复盘记录加购人数。"
        for i in range(1, 80)
    )
    with alice.stream("POST", "/v1/knowledge/documents", headers={"Accept": "text/event-stream"},
                      files={"file": ("long-page.txt", page.encode(), "text/plain")}) as r:  # fmt: skip
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        lines = [line for line in r.iter_lines() if line.startswith(("event:", "data:"))]
    names = [x.split(":", 1)[1].strip() for x in lines if x.startswith("event:")]
    datas = [json.loads(x[5:]) for x in lines if x.startswith("data:")]
    progress = [d for n, d in zip(names, datas, strict=True) if n == "progress"]
    assert names[-1] == "done" and progress, names
    done = datas[-1]
    assert progress[0]["done"] == 0 and progress[-1] == {"done": done["chunks"], "total": done["chunks"]}
    assert [p["done"] for p in progress] == sorted(p["done"] for p in progress) and done["chunks"] >= 10
    assert done["id"].endswith("-long-page") and done["mine"] is True
    # a refusal inside the stream is an `error` event with the usual body, never a 500
    with bob.stream("POST", "/v1/knowledge/documents", headers={"Accept": "text/event-stream"},
                    files={"file": ("photo.md", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "text/markdown")}) as r:  # fmt: skip
        events = [line for line in r.iter_lines() if line.startswith(("event:", "data:"))]
    assert events[-2] == "event: error" and json.loads(events[-1][5:])["error"]["code"] == "bad_input"

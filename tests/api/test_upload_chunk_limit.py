"""A served instance refuses an upload that would make more passages than PLANBOT_MAX_UPLOAD_CHUNKS:
413 with a JSON body that says so, before any embedding, and the knowledge base is as it was."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from tests.servers import Server


def sections(n: int) -> bytes:
    """n long headed sections: each becomes a passage of its own."""
    body = "".join(f"## Region {i}\n" + f"Region {i} restocks its best sellers a week before each burst. " * 12 + "\n\n"
                   for i in range(n))  # fmt: skip
    return ("# Regional restock notes\n\n" + body).encode()


def test_an_upload_over_the_passage_limit_is_refused_and_changes_nothing(new_server: Callable[..., Server]) -> None:
    server = new_server(PLANBOT_MAX_UPLOAD_CHUNKS="5")
    with httpx.Client(base_url=server.url, timeout=120) as client:
        before = client.get("/v1/knowledge/documents").json()
        r = client.post("/v1/knowledge/documents", files={"file": ("restock.md", sections(40), "text/markdown")})
        assert r.status_code == 413, r.text
        assert "5" in r.json()["error"]["message"]
        assert client.get("/v1/knowledge/documents").json() == before
        short = b"# Regional restock notes\n\nEvery region restocks its best sellers a week before each burst.\n"
        small = client.post("/v1/knowledge/documents", files={"file": ("restock.md", short, "text/markdown")})
        assert small.status_code == 201, small.text  # the same name under the limit goes in
    assert "Traceback" not in server.log()

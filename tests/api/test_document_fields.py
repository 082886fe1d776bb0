"""Issue 14: the upload response describes a knowledge document exactly as the list does."""

from __future__ import annotations

import httpx

GUIDE = b"""---
id: night-market-en
title: Night market live streams
lang: en
tags: [test, live]
---
# Night market live streams

Open every stream with the coupon rules and repeat them every fifteen minutes so late viewers stay.
"""
DOCUMENT_FIELDS = ("id", "title", "chunks", "lang", "tags", "mine", "shipped")


def test_the_upload_response_matches_the_list_entry(local: httpx.Client) -> None:
    r = local.post("/v1/knowledge/documents", files={"file": ("night-market.md", GUIDE, "text/markdown")})
    assert r.status_code == 201, r.text
    uploaded = r.json()
    try:
        listed = next(d for d in local.get("/v1/knowledge/documents").json() if d["id"] == uploaded["id"])
        assert uploaded["id"].endswith("-night-market-en") and uploaded["status"] in ("added", "updated")
        assert {k: uploaded[k] for k in DOCUMENT_FIELDS} == {k: listed[k] for k in DOCUMENT_FIELDS}
        assert (uploaded["lang"], uploaded["tags"], uploaded["mine"]) == ("en", ["test", "live"], True)
        # uploading the same bytes again changes nothing, and says so with the same document fields
        again = local.post("/v1/knowledge/documents", files={"file": ("night-market.md", GUIDE, "text/markdown")})
        assert again.status_code == 201 and again.json()["status"] == "unchanged"
        assert {k: again.json()[k] for k in DOCUMENT_FIELDS} == {k: listed[k] for k in DOCUMENT_FIELDS}
    finally:
        assert local.delete(f"/v1/knowledge/documents/{uploaded['id']}").status_code == 204

"""The README's path from the open local default to API keys: what was made before stays reachable."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from tests.servers import Server


def test_the_first_key_adopts_the_local_owners_work(new_server: Callable[..., Server]) -> None:
    server = new_server()
    with httpx.Client(base_url=server.url, timeout=120) as c:
        sid = c.post("/v1/sessions", json={"text": "户外用品，天猫+抖音，2027年GMV目标8000万，预算一千万"}).json()["id"]
        plan = c.post(f"/v1/sessions/{sid}/messages", json={"text": "生成方案"}).json()["plan"]
        key = server.cli("keys", "create", "me", "--adopt-local")
        assert c.get("/v1/sessions").status_code == 401  # the open local mode ended with the first key
        auth = {"Authorization": f"Bearer {key}"}
        assert [s["id"] for s in c.get("/v1/sessions", headers=auth).json()] == [sid]
        assert c.get(f"/v1/plans/{plan['id']}", headers=auth).status_code == 200
        other = server.cli("keys", "create", "colleague")  # a later key adopts nothing
        assert c.get("/v1/sessions", headers={"Authorization": f"Bearer {other}"}).json() == []

"""A brand's history through the REST API, served for real (issue 23): preview, attach, read, delete;
owner scoping; a bad file is 422 naming its row and column with the conversation untouched; an
over-size file is 413; the template downloads in zh and en, CSV and XLSX, and reads back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from planbot.history_read import MAX_HISTORY_BYTES, read_history
from tests.servers import Server
from tests.service.history_data import BAD_ROW, monthly_csv

BRIEF = "品牌花漾，天猫和抖音，2027年全年，预算200万，GMV目标2000万"


@pytest.fixture(scope="module")
def keyed(new_server: Callable[..., Server]) -> tuple[Server, dict[str, str], dict[str, str]]:
    server = new_server()
    alice, bob = server.cli("keys", "create", "alice"), server.cli("keys", "create", "bob")
    return server, {"Authorization": f"Bearer {alice}"}, {"Authorization": f"Bearer {bob}"}


@pytest.fixture
def api(keyed: tuple[Server, dict[str, str], dict[str, str]]) -> Any:
    server, alice, bob = keyed
    with httpx.Client(base_url=server.url, timeout=120) as c:
        yield c, alice, bob


def _session(c: httpx.Client, who: dict[str, str], text: str | None = BRIEF, language: str | None = None) -> str:
    r = c.post("/v1/sessions", json={"text": text, "language": language}, headers=who)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def _upload(c: httpx.Client, who: dict[str, str], sid: str, name: str, data: bytes, preview: bool = False
            ) -> httpx.Response:  # fmt: skip
    params = {"preview": "true"} if preview else None
    return c.post(f"/v1/sessions/{sid}/history", params=params, files={"file": (name, data, "text/csv")}, headers=who)


def test_preview_attach_read_and_delete(api: Any) -> None:
    c, alice, _ = api
    sid = _session(c, alice)
    before = c.get(f"/v1/sessions/{sid}", headers=alice).json()

    r = _upload(c, alice, sid, "花漾2025.csv", monthly_csv(12), preview=True)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["attached"] is False and body["turn"] is None
    s = body["reading"]["summary"]
    assert (s["file"], s["months"], s["first"], s["last"]) == ("花漾2025.csv", 12, "2025-01-01", "2025-12-01")
    assert {"gmv", "visitors", "orders"} <= set(s["figures"]) and "识别" in s["text"]
    assert {c["field"] for c in body["reading"]["columns"]} >= {"gmv", "visitors"}
    assert [m["gmv"] for m in body["reading"]["history"]["months"]][:2] == [1_200_000, 1_210_000]
    unchanged = c.get(f"/v1/sessions/{sid}", headers=alice).json()
    assert unchanged["brief"]["history"] is None and unchanged["messages"] == before["messages"]  # nothing stored
    assert c.get(f"/v1/sessions/{sid}/history", headers=alice).status_code == 404

    r = _upload(c, alice, sid, "花漾2025.csv", monthly_csv(12))
    assert r.status_code == 201, r.text
    turn = r.json()["turn"]
    assert r.json()["attached"] is True and "花漾2025.csv" in turn["reply"] and "2025-12" in turn["reply"]
    assert turn["brief"]["history"]["source"]["file"] == "花漾2025.csv"

    got = c.get(f"/v1/sessions/{sid}/history", headers=alice)
    assert got.status_code == 200 and got.json()["summary"]["rows"] == 12
    assert len(got.json()["history"]["months"]) == 12
    view = c.get(f"/v1/sessions/{sid}", headers=alice).json()
    assert view["brief"]["history"]["months"][11]["gmv"] == 1_310_000
    assert view["brief"]["budget_total"] == 2_000_000  # the rest of the brief is as it was
    assert "花漾2025.csv" in view["messages"][-2]["text"] and view["messages"][-1]["text"] == turn["reply"]

    assert c.delete(f"/v1/sessions/{sid}/history", headers=alice).status_code == 204
    assert c.get(f"/v1/sessions/{sid}/history", headers=alice).status_code == 404
    assert c.get(f"/v1/sessions/{sid}", headers=alice).json()["brief"]["history"] is None
    again = c.delete(f"/v1/sessions/{sid}/history", headers=alice)
    assert again.status_code == 404 and again.json()["error"]["code"] == "not_found"


def test_another_owner_can_neither_see_nor_change_it(api: Any) -> None:
    c, alice, bob = api
    sid = _session(c, alice)
    assert _upload(c, alice, sid, "sales.csv", monthly_csv(6)).status_code == 201
    for r in (
        c.get(f"/v1/sessions/{sid}/history", headers=bob),
        c.delete(f"/v1/sessions/{sid}/history", headers=bob),
        _upload(c, bob, sid, "mine.csv", monthly_csv(3)),
        _upload(c, bob, sid, "mine.csv", monthly_csv(3), preview=True),
    ):
        assert r.status_code == 404, r.text
        assert r.json()["error"]["code"] == "not_found"
    mine = c.get(f"/v1/sessions/{sid}/history", headers=alice)
    assert mine.status_code == 200 and mine.json()["summary"]["file"] == "sales.csv"
    assert c.get(f"/v1/sessions/{sid}/history").status_code == 401  # keys exist: no anonymous owner


def test_a_bad_file_is_422_naming_row_and_column_and_nothing_changes(api: Any) -> None:
    c, alice, _ = api
    sid = _session(c, alice)
    assert _upload(c, alice, sid, "good.csv", monthly_csv(6)).status_code == 201
    before = c.get(f"/v1/sessions/{sid}", headers=alice).json()
    for preview in (True, False):
        r = _upload(c, alice, sid, "bad.csv", monthly_csv(6, bad="abc"), preview=preview)
        assert r.status_code == 422, r.text
        error = r.json()["error"]
        assert error["code"] == "unreadable_file"
        assert error["details"]["row"] == BAD_ROW and error["details"]["column"]
        assert error["details"]["code"] == "not_a_number"
        assert "bad.csv" in error["message"] and str(BAD_ROW) in error["message"] and "abc" in error["message"]
    after = c.get(f"/v1/sessions/{sid}", headers=alice).json()
    assert after["brief"] == before["brief"] and after["messages"] == before["messages"]
    assert after["brief"]["history"]["source"]["file"] == "good.csv"


def test_english_conversation_gets_the_refusal_in_english(api: Any) -> None:
    c, alice, _ = api
    sid = _session(c, alice, text=None, language="en")
    r = _upload(c, alice, sid, "bad.csv", monthly_csv(6, lang="en", bad="abc"))
    assert r.status_code == 422 and "cannot be imported" in r.json()["error"]["message"]


def test_an_over_size_file_is_413(api: Any) -> None:
    c, alice, _ = api
    sid = _session(c, alice)
    big = b"month,gmv\n" + b"2025-01,1\n" * (MAX_HISTORY_BYTES // 10 + 10)
    r = _upload(c, alice, sid, "big.csv", big)
    assert r.status_code == 413, r.text[:300]
    assert r.json()["error"]["code"] == "too_large"
    assert c.get(f"/v1/sessions/{sid}", headers=alice).json()["brief"]["history"] is None


@pytest.mark.parametrize(("lang", "fmt"), [("zh", "csv"), ("zh", "xlsx"), ("en", "csv"), ("en", "xlsx")])
def test_the_template_downloads_and_reads_back(api: Any, lang: str, fmt: str) -> None:
    c, alice, _ = api
    r = c.get("/v1/templates/history", params={"lang": lang, "format": fmt}, headers=alice)
    assert r.status_code == 200, r.text
    assert f"planbot-history-template-{lang}.{fmt}" in r.headers["content-disposition"]
    assert ("csv" if fmt == "csv" else "spreadsheetml") in r.headers["content-type"]
    reading = read_history(f"template.{fmt}", r.content)
    assert reading.history.months or reading.history.ads
    headers = " ".join(col.header for col in reading.columns)
    assert ("月份" in headers or "日期" in headers) if lang == "zh" else ("Month" in headers or "month" in headers)


def test_the_template_refuses_an_unknown_language_or_format(api: Any) -> None:
    c, alice, _ = api
    assert c.get("/v1/templates/history", params={"lang": "fr"}, headers=alice).status_code == 422
    assert c.get("/v1/templates/history", params={"format": "xls"}, headers=alice).status_code == 422


def test_the_docs_describe_the_history_routes(api: Any) -> None:
    c, _, _ = api
    paths = c.get("/openapi.json").json()["paths"]
    post = paths["/v1/sessions/{session_id}/history"]["post"]
    assert "preview" in post["description"] and "422" in post["responses"] and "413" in post["responses"]
    assert {"get", "delete", "post"} <= set(paths["/v1/sessions/{session_id}/history"])
    assert "template" in paths["/v1/templates/history"]["get"]["description"]

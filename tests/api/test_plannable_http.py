"""Over real HTTP: a value no plan can be built on is a readable 4xx naming the field, never a 500 nor a
broken session; control characters never reach a stored title; POST /v1/plans lists the plan's warnings."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from tests.servers import Server

BRIEF: dict[str, Any] = {
    "platforms": ["天猫"],
    "period": {"start": "2027-01-01", "end": "2027-12-31"},
    "budget_total": 2_000_000,
    "gmv_target": 20_000_000,
}


@pytest.fixture(scope="module")
def api(new_server: Callable[..., Server]) -> Iterator[httpx.Client]:
    server = new_server(PLANBOT_RATE_LIMIT_PER_MINUTE="0")
    with httpx.Client(base_url=server.url, timeout=120) as client:
        yield client
    log = server.log()
    assert "Traceback" not in log and " 500 " not in log, log[-3000:]


@pytest.mark.parametrize(
    ("change", "field", "says"),
    [
        ({"cvr": 0.00004}, "brief.cvr", "below 0.01%"),  # was a ZeroDivisionError: a 500
        ({"cvr": 5e-324}, "brief.cvr", "below 0.01%"),
        (
            {"new_customers_target": 10**11, "gmv_target": None},
            "brief.new_customers_target",
            "above 10,000,000,000,000",
        ),
        ({"gmv_last_year": 10**13, "growth_rate": 0.5, "gmv_target": None}, "brief.growth_rate", "above"),
        ({"gmv_target": 10**13, "aov": 1}, "brief.gmv_target", "visitors"),
        ({"budget_total": 999}, "brief.budget_total", "below 10,000"),
    ],
)
def test_an_unplannable_brief_is_a_422_naming_the_field(
    api: httpx.Client, change: dict[str, Any], field: str, says: str
) -> None:
    r = api.post("/v1/plans", json={"brief": {**BRIEF, **change}})
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == "bad_input" and says in error["message"]
    assert field in {d["field"] for d in error["details"]}


def test_words_stating_an_unplannable_value_are_a_400(api: httpx.Client) -> None:
    r = api.post("/v1/plans", json={"text": "户外用品，天猫，2027年GMV目标1000万，预算100万，转化率0.001%"})
    assert r.status_code == 400, r.text
    error = r.json()["error"]
    assert error["code"] == "bad_input" and "转化率" in error["message"] and error["details"]["fields"] == ["cvr"]


def test_a_conversation_survives_an_unplannable_value(api: httpx.Client) -> None:
    sid = api.post("/v1/sessions", json={"text": "户外用品，天猫，2027年GMV目标1000万，预算100万"}).json()["id"]
    r = api.post(f"/v1/sessions/{sid}/messages", json={"text": "转化率0.001%"})
    assert r.status_code == 200 and "0.01%" in r.json()["reply"] and r.json()["brief"]["cvr"] is None
    for text in ("转化率0.001%", "生成方案"):  # asked again, then a draft: the session is not broken
        r = api.post(f"/v1/sessions/{sid}/messages", json={"text": text})
        assert r.status_code == 200, r.text
    assert r.json()["plan"] is not None and r.json()["plan"]["version"] == 1
    assert api.get(f"/v1/sessions/{sid}").status_code == 200


def test_control_characters_never_reach_a_title(api: httpx.Client) -> None:
    r = api.post("/v1/plans", json={"brief": {**BRIEF, "brand": "花\x00漾\u202e\x1b", "category": "护肤\x07"}})
    assert r.status_code == 201, r.text
    plan = r.json()["plan"]
    assert plan["brief"]["brand"] == "花漾" and plan["brief"]["category"] == "护肤"
    assert plan["title"].startswith("花漾") and "\\u0000" not in json.dumps(plan)


def test_the_plans_warnings_are_among_the_issues_once(api: httpx.Client) -> None:
    r = api.post("/v1/plans", json={"brief": {**BRIEF, "budget_total": 100_000_000}})  # 500% of the GMV target
    assert r.status_code == 201, r.text
    issues = r.json()["issues"]
    ratio = [i for i in issues if i["rule"] == "budget_ratio_high"]
    assert len(ratio) == 1 and "500%" in ratio[0]["message"] and ratio[0]["severity"] == "warning"
    assert len({json.dumps(i, sort_keys=True) for i in issues}) == len(issues)

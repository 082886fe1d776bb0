"""Property-based fuzzing of the REST API from its own OpenAPI schema (schemathesis strategies driven
by hypothesis), against the served app: whatever the generated request, never a 5xx, and every
error is a JSON body with a code and a message. Bounded (derandomized, a dozen cases per route) for CI."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.servers import Server

EXAMPLES_PER_ROUTE = 12


@pytest.fixture(scope="module")
def fuzz_server(new_server: Callable[..., Server]) -> Server:
    return new_server(PLANBOT_RATE_LIMIT_PER_MINUTE="0")


def test_no_generated_request_gets_a_server_error(fuzz_server: Server) -> None:
    schema = schemathesis.openapi.from_url(fuzz_server.url + "/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15  # every route of the contract is exercised
    seen: list[str] = []
    for operation in operations:

        @settings(max_examples=EXAMPLES_PER_ROUTE, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        @given(case=operation.as_strategy())
        def check(case: schemathesis.Case) -> None:
            response = case.call(base_url=fuzz_server.url, timeout=120)
            where = f"{case.method} {case.formatted_path}"
            assert response.status_code < 500, (where, response.status_code, response.text[:300])
            if response.status_code >= 400:
                error = response.json()["error"]
                assert error["code"] and error["message"], where

        check()
        seen.append(f"{operation.method.upper()} {operation.path}")
    assert "POST /v1/sessions/{session_id}/messages" in seen and "POST /v1/plans" in seen
    assert "Traceback" not in fuzz_server.log()

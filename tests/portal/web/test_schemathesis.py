"""Property-based API testing from the OpenAPI document: no input gives a server error."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from ..support import csrf, import_demo_roster, make_client, sign_in

pytestmark = pytest.mark.build


@pytest.fixture(scope="module")
def signed_in(built_example, tmp_path_factory: pytest.TempPathFactory):
    """A signed-in client on SQLite; its session and CSRF cookies go with every case."""
    root, site = built_example.root, built_example.site
    url = f"sqlite:///{(tmp_path_factory.mktemp('schemathesis') / 'portal.sqlite3').as_posix()}"
    import_demo_roster(root, url)
    client = make_client(root, site, url)
    sign_in(client, "david.berg")
    yield client
    client.app.state.engine.dispose()
    client.close()


@pytest.fixture(scope="module")
def api_schema(signed_in):
    return schemathesis.openapi.from_asgi("/api/openapi.json", signed_in.app)


OPERATIONS = ["GET /api/me", "POST /api/acknowledgements",
              "POST /api/quizzes/{quiz_id}/attempts/start",
              "POST /api/quizzes/{quiz_id}/attempts"]


@pytest.mark.parametrize("label", OPERATIONS)
def test_api_never_answers_5xx(api_schema, signed_in, label: str) -> None:
    operations = {op.ok().label: op.ok() for op in api_schema.get_all_operations()}
    assert set(OPERATIONS) <= set(operations)
    operation = operations[label]

    @given(case=operation.as_strategy())
    @settings(max_examples=60, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    def run(case) -> None:
        case.headers = {**(case.headers or {}), "X-CSRF-Token": csrf(signed_in)}
        response = case.call(cookies=dict(signed_in.cookies))
        case.validate_response(response, checks=[not_a_server_error])

    run()

"""CSRF is a dependency of the whole application: a route added later is protected too."""

from __future__ import annotations

import pytest

from ..support import csrf, import_demo_roster, make_client

pytestmark = pytest.mark.build


@pytest.fixture
def client(built_example, tmp_path):
    url = f"sqlite:///{(tmp_path / 'portal.sqlite3').as_posix()}"
    import_demo_roster(built_example.root, url)
    with make_client(built_example.root, built_example.site, url) as test_client:
        calls = []

        @test_client.app.post("/api/new-feature")
        def new_feature() -> dict:  # written without a thought for CSRF
            calls.append(1)
            return {"ok": True}

        test_client.calls = calls
        yield test_client
        test_client.app.state.engine.dispose()


def test_a_new_state_changing_route_cannot_forget_csrf(client) -> None:
    foreign = client.post("/api/new-feature", headers={"Origin": "https://evil.example"})
    assert foreign.status_code == 403
    assert foreign.json()["detail"].startswith("Begäran kom från en annan webbplats")
    guessed = client.post("/api/new-feature", headers={"X-CSRF-Token": "gissning"})
    assert guessed.status_code == 403
    form = client.post("/api/new-feature", data={"csrf_token": "gissning"},
                       headers={"Sec-Fetch-Site": "same-origin"})
    assert form.status_code == 403
    assert client.calls == []
    token = csrf(client)
    assert client.post("/api/new-feature", headers={"X-CSRF-Token": token}).status_code == 200
    assert client.post("/api/new-feature", data={"csrf_token": token},
                       headers={"Sec-Fetch-Site": "same-origin"}).status_code == 200
    assert client.calls == [1, 1]

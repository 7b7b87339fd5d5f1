"""The access log: one JSON line per request with method, path, status, duration and the
signed-in person — never an IP address, never a query string — for every answer (404 and 413
too), and streamed answers still stream."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import httpx2
import pytest
from starlette.applications import Starlette
from starlette.responses import StreamingResponse
from starlette.routing import Route

from rutinportal.portal.operations import access_log
from rutinportal.testing.server import PortalProcess

from ...conftest import REPO
from ..support import import_demo_roster, make_client, post, sign_in

pytestmark = pytest.mark.build

FIELDS = {"time", "method", "path", "status", "duration_ms", "person_id"}
IP = re.compile(r"\b\d{1,3}(\.\d{1,3}){3}\b|testclient|::1")


@pytest.fixture
def log_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "logs" / "access.log"
    path.parent.mkdir()
    monkeypatch.setenv("RUTINPORTAL_LOG_FILE", str(path))
    yield path
    access_log.configure()  # back to standard output: the file is closed


def lines(path: Path) -> list[dict]:
    text = path.read_text(encoding="utf-8")
    assert not IP.search(text), text
    return [json.loads(line) for line in text.splitlines()]


@pytest.fixture
def portal(built_example, tmp_path: Path, log_file: Path):
    url = f"sqlite:///{tmp_path / 'portal.sqlite3'}"
    import_demo_roster(REPO, url)
    with make_client(built_example.root, built_example.site, url) as client:
        yield client
        client.app.state.engine.dispose()



def test_a_signed_in_and_an_anonymous_request(portal, log_file) -> None:
    assert portal.get("/api/me?token=hemligt").status_code == 401
    sign_in(portal, "david.berg")
    assert portal.get("/api/me?code=hemligt&state=x").status_code == 200

    anonymous, *_, signed_in = lines(log_file)
    assert set(anonymous) == FIELDS and set(signed_in) == FIELDS
    assert {k: anonymous[k] for k in ("method", "path", "status", "person_id")} == {
        "method": "GET", "path": "/api/me", "status": 401, "person_id": None}
    assert {k: signed_in[k] for k in ("method", "path", "status", "person_id")} == {
        "method": "GET", "path": "/api/me", "status": 200, "person_id": "david.berg"}
    for line in (anonymous, signed_in):
        assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
        assert line["time"].endswith("+00:00")
    assert "hemligt" not in log_file.read_text(encoding="utf-8")
    assert oct(log_file.stat().st_mode & 0o777) == "0o600"


def test_the_sign_in_itself_names_the_person(portal, log_file) -> None:
    sign_in(portal, "david.berg")
    login = [line for line in lines(log_file) if line["path"] == "/login"][-1]
    assert (login["method"], login["status"], login["person_id"]) == ("POST", 303,
                                                                     "david.berg")


def test_404_and_413_are_logged(portal, log_file) -> None:
    assert portal.get("/finns/inte/").status_code == 404
    sign_in(portal, "david.berg")
    too_large = post(portal, "/api/acknowledgements",
                     {"document_id": "RUT-001", "version": 2, "fill": "x" * 70_000})
    assert too_large.status_code == 413
    logged = lines(log_file)
    assert {"method": "GET", "path": "/finns/inte/", "status": 404} in [
        {k: line[k] for k in ("method", "path", "status")} for line in logged]
    assert {"method": "POST", "path": "/api/acknowledgements", "status": 413} in [
        {k: line[k] for k in ("method", "path", "status")} for line in logged]


def test_a_large_file_streams_through_whole(portal, log_file, built_example) -> None:
    index = built_example.site / "search" / "search_index.json"
    assert index.stat().st_size > 64 * 1024  # more than one chunk of a file response
    response = portal.get("/search/search_index.json")
    assert response.status_code == 200 and response.content == index.read_bytes()
    assert lines(log_file)[-1]["path"] == "/search/search_index.json"


def test_streaming_answers_pass_chunk_by_chunk_and_are_logged_after(tmp_path) -> None:
    """At the ASGI level: each chunk reaches the server before the next is made, and the line
    is written after the last one."""
    sent: list[dict] = []
    logged: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            logged.append(record.getMessage())

    logger = logging.getLogger("tests.access")
    logger.addHandler(Collect())
    logger.setLevel(logging.INFO)
    logger.propagate = False

    async def chunks():
        for n in range(3):
            # The chunk before this one has been sent already: nothing is held back.
            assert [m.get("body") for m in sent if m["type"] == "http.response.body"] == \
                [f"del {i}\n".encode() for i in range(n)]
            assert logged == []
            yield f"del {n}\n"

    async def stream(request):
        return StreamingResponse(chunks(), media_type="text/plain")

    app = access_log.AccessLog(Starlette(routes=[Route("/strom", stream)]), logger)
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "GET", "scheme": "http", "path": "/strom", "raw_path": b"/strom",
             "query_string": b"", "root_path": "", "headers": [],
             "client": ("10.1.2.3", 5000), "server": ("127.0.0.1", 8000)}

    requests = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive():
        if requests:
            return requests.pop()
        await asyncio.Event().wait()  # the client stays: no disconnect while streaming

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    bodies = [m.get("body", b"") for m in sent if m["type"] == "http.response.body"]
    assert b"".join(bodies) == b"del 0\ndel 1\ndel 2\n"
    assert len(logged) == 1
    line = json.loads(logged[0])
    assert (line["path"], line["status"], line["person_id"]) == ("/strom", 200, None)
    assert "10.1.2.3" not in logged[0]


def test_a_real_portal_logs_to_standard_output_and_uvicorn_logs_no_addresses(
        built_example, tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'portal.sqlite3'}"
    import_demo_roster(REPO, url)
    output = tmp_path / "server.log"  # the process's standard output and error
    server = PortalProcess(built_example.root, built_example.site, url, output,
                           env={"RUTINPORTAL_LOG_FILE": ""})
    # At info level uvicorn would write its own access line, with the client's address.
    server.command[server.command.index("warning")] = "info"
    with server:
        answer = httpx2.get(server.base + "/api/me", headers={"X-Remote-User": "david.berg"})
        assert answer.status_code == 200
    written = output.read_text(encoding="utf-8")
    assert "Uvicorn running" in written  # uvicorn did log at info level
    assert "127.0.0.1:" not in written.replace(f"http://127.0.0.1:{server.port}", "")
    logged = [json.loads(line) for line in written.splitlines() if line.startswith("{")]
    assert {k: logged[-1][k] for k in ("method", "path", "status", "person_id")} == {
        "method": "GET", "path": "/api/me", "status": 200, "person_id": "david.berg"}


@pytest.mark.parametrize("log_setting", ["", "access.log"])
def test_serve_says_where_it_logs(built_example, tmp_path, log_setting) -> None:
    """The lines `serve` prints before it listens (the port is taken, so it stops there)."""
    log = str(tmp_path / log_setting) if log_setting else ""
    environment = {**os.environ, "RUTINPORTAL_ROOT": str(built_example.root),
                   "RUTINPORTAL_LOG_FILE": log}
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = subprocess.run(
            [sys.executable, "-c", "from rutinportal.cli import main; main()", "serve",
             "--auth", "header", "--trusted-proxy", "127.0.0.1", "--port",
             str(taken.getsockname()[1]), "--site-dir", str(built_example.site),
             "--database", f"sqlite:///{tmp_path / 'portal.sqlite3'}"],
            env=environment, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "address already in use" in result.stderr
    where = log or "standardutmatningen (stdout)"
    assert (f"Åtkomstloggen (en rad JSON per begäran, utan IP-adresser): {where}\n"
            in result.stdout)

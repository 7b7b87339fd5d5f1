"""Item 6: robust at the edges. No server error on any path or name; no body read before it is
known to be small enough; numbers that are numbers; no page that loads code from a CDN; the
database readable only by the portal; and CSRF judged against the public address."""

from __future__ import annotations

import dataclasses
import os
import shutil
import socket
import stat

import pytest

from rutinportal.portal.storage.db import make_engine
from rutinportal.testing.server import PortalProcess

from ..portal.support import import_demo_roster, make_client, post, published_version, sign_in

pytestmark = pytest.mark.build

TOO_LARGE = ("Begäran är för stor (mer än 64 kB) och har inte lästs. Ingenting har "
             "registrerats.")


def test_odd_paths_are_404_not_500(portal) -> None:
    client = portal()
    for path in ("/%00", "/catalog.json%00.html", "/rutiner/%00/", "/" + "x" * 5000,
                 "/%ff%fe", "/rutiner/..%2f..%2f..%2fetc%2fpasswd"):
        answer = client.get(path)
        assert answer.status_code == 404, (path, answer.status_code)


@pytest.fixture
def backslashes(example, tmp_path):
    """A unit and a routine whose names contain backslashes (regex escapes if misused)."""
    root, site = example
    copy = tmp_path / "repo"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("site", "var", ".rutinportal-*"))
    organisation = copy / "organisation.yml"
    organisation.write_text(organisation.read_text(encoding="utf-8").replace(
        "name: Hemtjänst\n", "name: 'Hemtjänst \\Temp\\1 \\g<0>'\n", 1), encoding="utf-8")
    url = f"sqlite:///{(tmp_path / 'portal.sqlite3').as_posix()}"
    import_demo_roster(copy, url)
    with make_client(copy, site, url) as client:
        published = client.app.state.portal.published
        published.documents["RUT-001"] = dataclasses.replace(
            published.documents["RUT-001"], title="C:\\Temp\\rutin \\1 \\g<0>")
        sign_in(client, "karin.ostberg")
        yield client
        client.app.state.engine.dispose()


def test_names_with_backslashes_render_as_written(backslashes) -> None:
    unit = backslashes.get("/uppfoljning/enheter/hemtjanst/")
    assert unit.status_code == 200
    assert "<title>Uppföljning: Hemtjänst \\Temp\\1 \\g&lt;0&gt; - Rutinportalen</title>" \
        in unit.text
    routine = backslashes.get("/uppfoljning/rutiner/RUT-001/")
    assert routine.status_code == 200
    assert "Uppföljning: C:\\Temp\\rutin \\1 \\g&lt;0&gt; - Rutinportalen" in routine.text
    assert backslashes.get("/uppfoljning/").status_code == 200


@pytest.fixture
def server(example, tmp_path):
    root, site = example
    url = f"sqlite:///{(tmp_path / 'portal.sqlite3').as_posix()}"
    import_demo_roster(root, url)
    with PortalProcess(root, site, url, tmp_path / "portal.log") as portal:
        yield portal


def raw(portal: PortalProcess, head: str, body: bytes = b"") -> str:
    """Send a request as bytes; the status line and headers of the answer."""
    with socket.create_connection(("127.0.0.1", portal.port), timeout=15) as connection:
        connection.sendall(head.replace("\n", "\r\n").encode() + b"\r\n" + body)
        received = b""
        while b"\r\n\r\n" not in received:
            chunk = connection.recv(65536)
            if not chunk:
                break
            received += chunk
    return received.decode("latin-1")


def test_a_large_body_is_refused_before_it_is_read(server) -> None:
    # 50 MB announced, not one byte sent: the answer must not wait for it.
    answer = raw(server, "POST /api/acknowledgements HTTP/1.1\nHost: 127.0.0.1\n"
                         "Content-Type: application/json\nContent-Length: 52428800\n")
    assert answer.startswith("HTTP/1.1 413 "), answer
    # Chunked, with no length given: refused as soon as it passes the limit.
    chunk = b"x" * 70_000
    body = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n0\r\n\r\n"
    answer = raw(server, "POST /api/acknowledgements HTTP/1.1\nHost: 127.0.0.1\n"
                         "Content-Type: application/json\nTransfer-Encoding: chunked\n", body)
    assert answer.startswith("HTTP/1.1 413 "), answer


def test_the_body_limit_answers_in_swedish_and_is_a_setting(portal, monkeypatch) -> None:
    client = portal()
    big = client.post("/api/acknowledgements", content=b"{" + b" " * 70_000 + b"}",
                      headers={"Content-Type": "application/json"})
    assert big.status_code == 413 and big.json() == {"detail": TOO_LARGE}
    monkeypatch.setenv("RUTINPORTAL_MAX_BODY_KB", "1")
    small = portal()
    sign_in(small, "david.berg")
    refused = post(small, "/api/acknowledgements",
                   {"document_id": "RUT-001", "version": 2, "pad": "x" * 2000})
    assert refused.status_code == 413


@pytest.mark.parametrize("as_sent", [str, lambda n: True, float])
def test_numbers_must_be_numbers(portal, example, as_sent) -> None:
    version = published_version(example[1], "RUT-001")
    client = portal()
    sign_in(client, "david.berg")
    answer = post(client, "/api/acknowledgements", {"document_id": "RUT-001",
                                                    "version": as_sent(version)})
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"].startswith("Begäran kunde inte läsas: version:")
    assert post(client, "/api/acknowledgements",
                {"document_id": "RUT-001", "version": version}).status_code == 201


def test_no_page_loads_code_from_another_host(portal) -> None:
    client = portal()
    docs = client.get("/api/docs")
    assert docs.status_code == 404
    assert "cdn." not in docs.text and "swagger" not in docs.text.lower()
    assert client.get("/api/openapi.json").json()["info"]["title"] == "Rutinportalen"


def test_the_database_is_readable_only_by_the_portal(tmp_path) -> None:
    var = tmp_path / "repo" / "var"
    make_engine(f"sqlite:///{(var / 'rutinportal.sqlite3').as_posix()}").dispose()
    assert stat.S_IMODE(var.stat().st_mode) == 0o700
    assert stat.S_IMODE((var / "rutinportal.sqlite3").stat().st_mode) == 0o600
    # A var/ and a database from before are tightened.
    os.chmod(var, 0o755)
    os.chmod(var / "rutinportal.sqlite3", 0o644)
    make_engine(f"sqlite:///{(var / 'rutinportal.sqlite3').as_posix()}").dispose()
    assert stat.S_IMODE(var.stat().st_mode) == 0o700
    assert stat.S_IMODE((var / "rutinportal.sqlite3").stat().st_mode) == 0o600


def test_csrf_compares_origin_with_the_public_address(portal, example, monkeypatch) -> None:
    monkeypatch.setenv("RUTINPORTAL_PUBLIC_URL", "https://rutiner.kommun.se")
    client = portal()
    sign_in(client, "david.berg")
    ack = {"document_id": "RUT-001", "version": published_version(example[1], "RUT-001")}
    # A page on another host that also controls the Host header the portal sees.
    forged = client.post("/api/acknowledgements", json=ack,
                         headers={"Host": "evil.example", "Origin": "http://evil.example"})
    assert forged.status_code == 403
    downgraded = client.post("/api/acknowledgements", json=ack,
                             headers={"Origin": "http://rutiner.kommun.se"})
    assert downgraded.status_code == 403
    own = client.post("/api/acknowledgements", json=ack,
                      headers={"Origin": "https://rutiner.kommun.se"})
    assert own.status_code == 201

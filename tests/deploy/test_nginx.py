"""The shipped nginx configuration (deploy/nginx) in front of two portal processes over one
PostgreSQL: sign-in by the SSO's header, static files from nginx, acknowledgements spread over
both processes and none lost when one is killed.

The SSO stand-in is the shipped sso-basic.conf (nginx's auth_basic: user name and password,
the password being the person id); everything else is the shipped site file with the test's
ports and paths (`rutinportal.testing.nginx`).
"""

from __future__ import annotations

import asyncio
import gzip
import json
import ssl
from pathlib import Path

import httpx2
import pytest
from sqlalchemy import func, select

from rutinportal.portal.storage.db import make_engine, session_factory
from rutinportal.portal.storage.models import Acknowledgement, Person

from .conftest import Stack, people

pytestmark = pytest.mark.build
CLIENTS = 50


def tls(stack: Stack) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=stack.verify())


def client(stack: Stack, person: str | None = None, **options) -> httpx2.Client:
    auth = (person, person) if person else None
    return httpx2.Client(base_url=stack.base, verify=tls(stack), auth=auth, timeout=30,
                         follow_redirects=False, **options)


def access_lines(log: Path) -> list[dict]:
    """The JSON lines of a portal's or nginx's access log."""
    lines = []
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("{"):
            try:
                lines.append(json.loads(line))
            except ValueError:
                continue
    return lines


def portal_paths(stack: Stack) -> list[str]:
    return [line["path"] for portal in stack.portals for line in access_lines(portal.log)]


def rows(stack: Stack, document_id: str) -> list[str]:
    """The person id of every acknowledgement record of `document_id` (one per record)."""
    engine = make_engine(stack.database)
    try:
        with session_factory(engine)() as session:
            return list(session.scalars(
                select(Person.person_id).join(Acknowledgement,
                                              Acknowledgement.person_pk == Person.id)
                .where(Acknowledgement.document_id == document_id)))
    finally:
        engine.dispose()


def duplicates(stack: Stack) -> int:
    engine = make_engine(stack.database)
    try:
        with session_factory(engine)() as session:
            total = session.scalar(select(func.count()).select_from(Acknowledgement))
            distinct = session.scalar(select(func.count()).select_from(
                select(Acknowledgement.person_pk, Acknowledgement.document_id,
                       Acknowledgement.version).distinct().subquery()))
            return total - distinct
    finally:
        engine.dispose()


def for_everybody(built_example) -> list[tuple[str, int]]:
    """Published routines for everybody (audience `alla`): (id, version)."""
    return sorted((d["id"], d["version"]) for d in built_example.catalog.values()
                  if d["id"].startswith("RUT-") and d["audience"] == ["alla"])


# --- Sign-in through the proxy --------------------------------------------------------------

def test_header_sign_in_through_nginx(stack) -> None:
    with client(stack, "p0001") as http:
        me = http.get("/api/me")
    assert me.status_code == 200, me.text
    assert me.json()["person"]["person_id"] == "p0001"
    assert me.headers["cache-control"] == "no-store"
    with client(stack) as http:
        anonymous = http.get("/api/me")
    assert anonymous.status_code == 401  # the SSO (auth_basic) refuses: nothing reaches the portal
    with client(stack, "p0001") as http:
        page = http.get("/min-sida/")
    assert page.status_code == 200 and "no-store" in page.headers["cache-control"]


@pytest.mark.parametrize("name", ["X-Remote-User", "x-remote-user", "X-REMOTE-USER"])
def test_a_clients_own_identity_header_is_stripped(stack, name) -> None:
    with client(stack, "p0002") as http:
        me = http.get("/api/me", headers={name: "karin.ostberg"})
        dashboard = http.get("/uppfoljning/", headers={name: "karin.ostberg"})
    assert me.status_code == 200
    assert me.json()["person"]["person_id"] == "p0002"  # not Karin: her name never arrived
    assert dashboard.status_code == 403  # a home-care worker, not Karin the manager
    with client(stack) as http:  # the header alone, without signing in
        forged = http.get("/api/me", headers={name: "karin.ostberg"})
        health = http.get("/api/health", headers={name: "karin.ostberg"})
    assert forged.status_code == 401
    assert health.status_code == 200
    with client(stack, "karin.ostberg") as http:  # her own sign-in: she is Karin
        assert http.get("/uppfoljning/").status_code == 200


# --- The static site, from nginx ------------------------------------------------------------

def _hashed_stylesheet(site: Path) -> str:
    found = sorted(site.glob("assets/stylesheets/main.*.min.css"))
    assert found, "the theme's stylesheet is missing from the build"
    return "/" + found[0].relative_to(site).as_posix()


def test_static_files_come_from_nginx_compressed_and_cached(stack) -> None:
    stylesheet = _hashed_stylesheet(stack.site)
    with client(stack) as http:
        page = http.get("/", headers={"Accept-Encoding": "gzip"})
        asset = http.get(stylesheet, headers={"Accept-Encoding": "gzip"})
        catalog = http.get("/catalog.json", headers={"Accept-Encoding": "gzip"})
        again = http.get("/", headers={"Accept-Encoding": "gzip",
                                       "If-None-Match": page.headers["etag"]})
        folder = http.get("/rutiner")
        missing = http.get("/finns-inte/", headers={"Accept-Encoding": "gzip"})
        plain = http.get("/", headers={"Accept-Encoding": "identity"})
    assert page.status_code == 200
    assert page.headers["content-encoding"] == "gzip"
    assert page.headers["vary"] == "Accept-Encoding"
    assert page.headers["cache-control"] == "no-cache"
    assert page.content == (stack.site / "index.html").read_bytes()  # httpx decompressed it
    assert asset.headers["content-encoding"] == "gzip"
    assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert asset.headers["content-type"].startswith("text/css")
    assert catalog.headers["content-encoding"] == "gzip"
    assert catalog.headers["cache-control"] == "no-cache"
    assert again.status_code == 304 and again.content == b""
    assert folder.status_code == 301 and folder.headers["location"] == "/rutiner/"
    assert missing.status_code == 404
    assert missing.content == (stack.site / "404.html").read_bytes()
    assert "content-encoding" not in plain.headers
    # The portal's security headers, the same policy the portal sends for this build.
    portal = httpx2.get(stack.portals[0].base + "/api/health")
    for answer in (page, asset, missing):
        assert answer.headers["content-security-policy"] == \
            portal.headers["content-security-policy"]
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["referrer-policy"] == "same-origin"
    assert "sha256-" in page.headers["content-security-policy"]
    # None of it reached a portal process: nginx answered from the build's files.
    assert not {"/", stylesheet, "/catalog.json", "/rutiner", "/finns-inte/"} & \
        set(portal_paths(stack))
    served = access_lines(stack.proxy.layout.access_log)
    for path in ("/", stylesheet, "/catalog.json"):
        assert any(line["path"] == path and line["upstream"] == "" for line in served), path
    # Like the portal's log: no client address, no query string.
    assert {key for line in served for key in line} == {
        "time", "method", "path", "status", "bytes", "duration_s", "upstream",
        "upstream_status"}


def test_brotli_copies_when_debians_module_is_installed(stack) -> None:
    if not stack.proxy.layout.brotli:
        pytest.skip("libnginx-mod-http-brotli-static är inte installerad: nginx skickar gzip "
                    "(konfigurationen kräver inte modulen, se test_the_site_file_needs_no_"
                    "brotli_module)")
    with client(stack) as http:
        page = http.get("/", headers={"Accept-Encoding": "br, gzip"})
    assert page.headers["content-encoding"] == "br"
    assert page.content == (stack.site / "index.html").read_bytes()


def test_a_person_without_a_unit_gets_the_portals_note(stack) -> None:
    with client(stack, "p0003") as http:
        noted = http.get("/laslistor/?ingen-enhet", headers={"Accept-Encoding": "gzip"})
        file = http.get("/laslistor/")
    assert noted.status_code == 200 and "/laslistor/" in portal_paths(stack)
    assert noted.text != file.text and file.content == \
        (stack.site / "laslistor" / "index.html").read_bytes()


def test_a_body_over_the_limit_is_refused_by_nginx_unread(stack) -> None:
    before = len(portal_paths(stack))
    with client(stack, "p0004") as http:
        answer = http.post("/api/acknowledgements", content=b"x" * (65 * 1024),
                           headers={"Content-Type": "application/json"})
    assert answer.status_code == 413
    assert answer.json() == {"detail": "Begäran är för stor (mer än 64 kB) och har inte "
                                       "lästs. Ingenting har registrerats."}
    assert len(portal_paths(stack)) == before


def test_plain_http_is_sent_to_https(stack) -> None:
    answer = httpx2.get(stack.proxy.plain + "/rutiner/", follow_redirects=False)
    assert answer.status_code == 301
    assert answer.headers["location"].startswith("https://")


# --- Acknowledgements through the proxy -----------------------------------------------------

def test_an_acknowledgement_through_nginx_lands_once(stack, built_example) -> None:
    document, version = for_everybody(built_example)[-1]
    with client(stack, "p0005") as http:
        http.get("/api/me")  # as the page's script does first: the CSRF cookie comes with it
        token = http.cookies["rp_csrf"]
        browser = {"Origin": stack.base, "Sec-Fetch-Site": "same-origin",
                   "X-CSRF-Token": token}
        first = http.post("/api/acknowledgements", headers=browser,
                          json={"document_id": document, "version": version})
        second = http.post("/api/acknowledgements", headers=browser,
                           json={"document_id": document, "version": version})
    assert first.status_code == 201, first.text
    assert second.status_code == 200 and second.json()["created"] is False
    assert rows(stack, document).count("p0005") == 1


async def burst(stack: Stack, document: str, version: int, persons: list[str],
                on_confirmed=None) -> tuple[list[str], list[tuple[str, int, str]]]:
    """Acknowledge `document` for each person, CLIENTS at a time, through nginx."""
    queue: asyncio.Queue[str] = asyncio.Queue()
    for person in persons:
        queue.put_nowait(person)
    confirmed: list[str] = []
    failed: list[tuple[str, int, str]] = []
    context = tls(stack)

    async def one_client() -> None:
        async with httpx2.AsyncClient(base_url=stack.base, verify=context, timeout=60) as http:
            while not queue.empty():
                person = queue.get_nowait()
                try:
                    answer = await http.post("/api/acknowledgements", auth=(person, person),
                                             json={"document_id": document,
                                                   "version": version})
                except httpx2.HTTPError as exc:
                    failed.append((person, 0, f"{exc.__class__.__name__}: {exc}"))
                    continue
                if 200 <= answer.status_code < 300:
                    confirmed.append(person)
                    if on_confirmed is not None:
                        on_confirmed(len(confirmed))
                else:
                    failed.append((person, answer.status_code, answer.text[:300]))

    await asyncio.gather(*(one_client() for _ in range(CLIENTS)))
    return confirmed, failed


def acknowledgements_served(log: Path) -> int:
    return sum(1 for line in access_lines(log)
               if line["path"] == "/api/acknowledgements" and line["method"] == "POST"
               and 200 <= line["status"] < 300)


def test_1000_acknowledgements_from_50_clients_over_both_processes(stack,
                                                                   built_example) -> None:
    document, version = for_everybody(built_example)[0]
    served = [acknowledgements_served(p.log) for p in stack.portals]
    everybody = people()
    confirmed, failed = asyncio.run(burst(stack, document, version, everybody))
    assert failed == []
    assert sorted(confirmed) == everybody
    assert sorted(rows(stack, document)) == everybody  # exactly 1,000 rows, one each
    shares = [acknowledgements_served(p.log) - before
              for p, before in zip(stack.portals, served)]
    assert sum(shares) == 1000 and all(share > 0 for share in shares), shares


def test_killing_one_process_mid_burst_loses_no_confirmed_acknowledgement(
        stack, built_example) -> None:
    """SIGKILL one process after 200 answers. nginx sends what follows to the other; a POST
    the dead process had already received is not sent again (it is not idempotent to nginx):
    its client gets 502 and may send it again. Every 2xx is a row, and no row is there twice."""
    document, version = for_everybody(built_example)[1]
    victim, survivor = stack.portals
    survivor_before = acknowledgements_served(survivor.log)
    everybody = people()

    def kill_midway(count: int) -> None:
        if count == 200:
            victim.kill()

    try:
        confirmed, failed = asyncio.run(burst(stack, document, version, everybody,
                                              on_confirmed=kill_midway))
        assert victim.process.poll() is not None, "the process was not killed mid-burst"
        stored = rows(stack, document)
        assert set(confirmed) <= set(stored)  # every 2xx is durable
        assert duplicates(stack) == 0
        assert len(confirmed) + len(failed) == len(everybody)
        # Only what the dead process had in hand fails, at most one per client: nginx's 502
        # (or, rarely, a dropped connection: no answer either). Never an error answer that
        # claims an outcome.
        assert len(failed) <= CLIENTS, failed[:5]
        answered = [(status, text) for _, status, text in failed if status]
        assert all(status == 502 and "Portalen svarade inte" in text
                   for status, text in answered), answered[:5]
        assert acknowledgements_served(survivor.log) - survivor_before > len(everybody) // 2
        # The clients send the failed ones again: idempotent, so exactly one row each.
        again, still = asyncio.run(burst(stack, document, version,
                                         [person for person, _, _ in failed]))
        assert still == [] and sorted(again) == sorted(p for p, _, _ in failed)
        assert sorted(rows(stack, document)) == everybody
        assert duplicates(stack) == 0
    finally:
        victim.start()  # the stack as it was, for any test after this one


def test_gzip_copies_are_what_the_build_wrote(stack) -> None:
    with client(stack) as http:
        raw = http.get("/catalog.json", headers={"Accept-Encoding": "gzip"})
    assert raw.headers["content-length"] == \
        str((stack.site / "catalog.json.gz").stat().st_size)
    assert gzip.decompress((stack.site / "catalog.json.gz").read_bytes()) == raw.content

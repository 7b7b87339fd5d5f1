"""/uppfoljning/bevis/ on SQLite and PostgreSQL: only sector leadership and the coordinator;
the bundle downloaded (a POST with CSRF, streamed, never cached, recorded with the signed-in
person) verifies; the annual report for a chosen year; bad input a Swedish message."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import io
import zipfile

import pytest
from sqlalchemy import select

from rutinportal.portal.evidence import keys
from rutinportal.portal.evidence.verify import verify
from rutinportal.portal.storage.models import EvidenceExport

from ..support import csrf, make_client, sign_in, visible_text
from .conftest import seed

pytestmark = pytest.mark.build
TODAY = dt.date.today()
PAGE = "/uppfoljning/bevis/"


@pytest.fixture
def client(built_example, database_url, tmp_path, key_file):
    seed(built_example.root, built_example.site, database_url, tmp_path)
    with make_client(built_example.root, built_example.site, database_url) as client:
        yield client
        client.app.state.engine.dispose()


def logged(client) -> list[EvidenceExport]:
    with client.app.state.portal.session() as session:
        return list(session.scalars(select(EvidenceExport)))


def download(client, **fields):
    return client.post(PAGE + "bevispaket.zip",
                       data={"csrf_token": csrf(client), "till": TODAY.isoformat(), **fields})


def test_only_leadership_and_the_coordinator(client) -> None:
    message = ("Bevispaketet och årsrapporten är till för sektorsledningen och "
               "informationssäkerhetssamordnaren. Ingenting har exporterats.")
    for person_id in ("anna.lind", "lena.nyberg", "emma.lindberg"):  # staff, manager, DISK
        sign_in(client, person_id)
        for response in (client.get(PAGE), download(client),
                         client.get(PAGE + f"arsrapport.zip?ar={TODAY.year}")):
            assert response.status_code == 403, (person_id, response.request.url)
            assert message in visible_text(html.unescape(response.text))
        if person_id != "anna.lind":  # the dashboard, without the link
            dashboard = client.get("/uppfoljning/")
            assert dashboard.status_code == 200 and PAGE not in dashboard.text
    assert logged(client) == []
    client.cookies.clear()
    assert client.get(PAGE).status_code == 401
    for person_id in ("karin.ostberg", "sofia.bergstrom"):
        sign_in(client, person_id)
        assert 'href="/uppfoljning/bevis/"' in client.get("/uppfoljning/").text
        page = client.get(PAGE)
        assert page.status_code == 200 and "no-store" in page.headers["cache-control"]


def test_the_page_shows_the_public_key_and_the_last_exports(client, key_file) -> None:
    sign_in(client, "sofia.bergstrom")
    page = client.get(PAGE)
    public = keys.signing_key(key_file.parent).public_key()
    assert html.escape(keys.public_pem(public)).strip() in page.text
    text = visible_text(html.unescape(page.text))
    assert f"signerat med nyckeln med fingeravtrycket {keys.short(keys.fingerprint(public))}" \
        in text
    assert "Inget har exporterats ännu." in text
    assert f'<option value="{TODAY.year}" selected>' in page.text
    assert download(client).status_code == 200
    text = visible_text(html.unescape(client.get(PAGE).text))
    assert f"Bevispaket (portalen) från början – {TODAY} Sofia Bergström (sofia.bergstrom) 6" \
        in text


def test_the_bundle_downloads_streamed_and_verifies(client, tmp_path, key_file) -> None:
    sign_in(client, "karin.ostberg")
    start = TODAY - dt.timedelta(days=7)
    response = download(client, fran=start.isoformat())
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert "no-store" in response.headers["cache-control"]
    assert response.headers["content-disposition"] == \
        f'attachment; filename="bevispaket-{start}-{TODAY}.zip"'
    assert "content-length" not in response.headers  # streamed in parts
    path = tmp_path / "hamtat.zip"
    path.write_bytes(response.content)
    result = verify(path, keys.local_public_key(key_file.parent))
    assert result.ok, result.problems
    assert result.acknowledgements == 6
    (entry,) = logged(client)
    with zipfile.ZipFile(path) as bundle:
        manifest = bundle.read("manifest.json")
    assert (entry.exported_by, entry.via, entry.period_from, entry.period_to,
            entry.sha256) == ("Karin Östberg (karin.ostberg)", "portal", start, TODAY,
                              hashlib.sha256(manifest).hexdigest())


def test_a_bundle_needs_the_csrf_token_and_a_good_period(client) -> None:
    sign_in(client, "karin.ostberg")
    foreign = client.post(PAGE + "bevispaket.zip", data={"till": TODAY.isoformat()},
                          headers={"Origin": "https://elak.example"})
    assert foreign.status_code == 403
    forged = client.post(PAGE + "bevispaket.zip",
                         data={"csrf_token": "fel", "till": TODAY.isoformat()},
                         headers={"Sec-Fetch-Site": "same-origin"})
    assert forged.status_code == 403
    for fields, message in [
        ({"till": "2999-01-01"}, f"till: förväntade ett datum senast i dag ({TODAY}), fick "
                                 "2999-01-01. Ingenting har exporterats."),
        ({"fran": "2026-06-01", "till": "2026-05-01"},
         "fran: förväntade ett datum till och med till (2026-05-01), fick 2026-06-01. "
         "Ingenting har exporterats."),
        ({"fran": "1 juni"}, "fran: förväntade ett datum ÅÅÅÅ-MM-DD, fick '1 juni'."),
    ]:
        response = download(client, **fields)
        assert response.status_code == 422, fields
        assert message in visible_text(html.unescape(response.text))
    assert logged(client) == []


def test_the_annual_report_downloads_as_a_zip(client) -> None:
    sign_in(client, "sofia.bergstrom")
    response = client.get(PAGE + f"arsrapport.zip?ar={TODAY.year}")
    assert response.status_code == 200, response.text
    assert "no-store" in response.headers["cache-control"]
    assert response.headers["content-disposition"] == \
        f'attachment; filename="arsrapport-{TODAY.year}.zip"'
    with zipfile.ZipFile(io.BytesIO(response.content)) as bundle:
        names = set(bundle.namelist())
        text = bundle.read(f"arsrapport-{TODAY.year}/arsrapport-{TODAY.year}.md").decode()
    stem = f"arsrapport-{TODAY.year}/"
    assert {stem + f"arsrapport-{TODAY.year}.md", stem + f"arsrapport-{TODAY.year}.xlsx",
            stem + "nis2-per-enhet.png", stem + "nis2-per-enhet.svg"} <= names
    assert text.startswith(f"# Informationssäkerhet {TODAY.year}: siffror till årsrapporten")
    for year in ("2999", "1999", "i fjol", ""):
        bad = client.get(PAGE + f"arsrapport.zip?ar={year}")
        assert bad.status_code == 422
        assert (f"ar: förväntade ett år från 2000 till och med {TODAY.year}, fick '{year}'. "
                "Ingenting har exporterats.") in visible_text(html.unescape(bad.text))
    assert logged(client) == []  # the report holds no names: not recorded

"""The Beslut page: who may see it, the queue per decision body, each document's redline and
preview, and the decision pack to download, on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import html
import io
from pathlib import Path

import pypdf
import pytest

from rutinportal.testing.pdf_ua import assert_pdf_ua

from ...approval.decisions.conftest import table, weasyprint_or_skip
from ..support import import_demo_roster, make_client, sign_in, visible_text

pytestmark = pytest.mark.build

ROUTES = ["/beslut/", "/beslut/dokument/RUT-004/", "/beslut/lg-us/beslutsunderlag.html",
          "/beslut/lg-us/beslutsunderlag.pdf"]
ACCESS = {
    "anonym": (None, 401),
    "medarbetare": ("anna.lind", 403),
    "chef": ("lena.nyberg", 403),          # manages hemtjänst: follows up, does not decide
    "sektorsledning": ("karin.ostberg", 200),
    "samordnare": ("sofia.bergstrom", 200),
}
LG = "Ledningsgruppen Utveckling och stöd"
IT = "Styrgruppen för strategiska och operativa IT-frågor"


@pytest.fixture(scope="module")
def example(built_example) -> tuple[Path, Path]:
    return (built_example.root, built_example.site)


@pytest.fixture
def client(example, database_url):
    root, site = example
    import_demo_roster(root, database_url)
    with make_client(root, site, database_url) as client:
        yield client
        client.app.state.engine.dispose()


def days_since(day: str) -> int:
    return (dt.date.today() - dt.date.fromisoformat(day)).days


@pytest.mark.parametrize("role", list(ACCESS))
def test_only_leadership_and_the_coordinator_may_decide(client, role: str) -> None:
    person_id, status = ACCESS[role]
    if status == 200:
        weasyprint_or_skip()
    if person_id:
        sign_in(client, person_id)
    for route in ROUTES:
        response = client.get(route)
        assert response.status_code == status, (role, route)
        if status == 403:
            assert ("Sidan Beslut är till för sektorsledningen och "
                    "informationssäkerhetssamordnaren.") in html.unescape(response.text)
        if status == 200:
            assert response.headers["cache-control"] == "no-store", route
    link = '<a href="/beslut/">Beslut</a>'
    if person_id and status == 200:
        assert link in client.get("/uppfoljning/").text
    elif person_id == "lena.nyberg":
        assert link not in client.get("/uppfoljning/").text


def test_the_queue_per_body(client) -> None:
    sign_in(client, "karin.ostberg")
    page = client.get("/beslut/").text
    assert "<h1>Beslut</h1>" in page
    assert table(page, f"{LG}: 2 dokument väntar på beslut") == [
        ["Dokument", "Version", "Väntat", "Omgång", "Ändring i sak", "Ska kvittera"],
        ["Stäng journalen när du lämnar den RUT-004", "2", f"{days_since('2026-10-26')} dagar",
         "1", "Ja", "17 personer"],
        ["Ändra och ta bort planerade besök i planeringssystemet RUT-011", "1",
         f"{days_since('2026-11-18')} dagar", "1", "Nytt dokument", "ingen (inte obligatorisk)"]]
    assert table(page, f"{IT}: 1 dokument väntar på beslut")[1][0] == \
        "Säkerhetskontroll innan vi köper ett IT-system RUT-008"
    assert "Inget dokument väntar på beslut av Sektorsledningen Välfärd." in page
    assert '<a href="/beslut/dokument/RUT-004/">Stäng journalen när du lämnar den</a>' in page
    assert '<a href="/beslut/lg-us/beslutsunderlag.pdf" download>ladda ner som PDF</a>' in page
    assert ('<a href="/beslut/styrgruppen-it/beslutsunderlag.html" download>som HTML</a>'
            in page)
    assert "<title>Beslut - Rutinportalen</title>" in page  # in the site's shell


def test_a_document_with_its_redline_and_preview(client) -> None:
    sign_in(client, "sofia.bergstrom")
    page = client.get("/beslut/dokument/RUT-004/").text
    assert '<h1 id="RUT-004-rubrik">RUT-004 Stäng journalen när du lämnar den, version 2</h1>' \
        in page
    assert (f'<p class="rp-pack__decision">{LG} beslutar att godkänna RUT-004 version 2, '
            "rutinen ”Stäng journalen när du lämnar den”.</p>") in page
    assert ('<span class="rp-redline__label rp-redline__label--block">Nytt:</span> '
            '<ins class="rp-ins">Använder du en mobil enhet för journalen? (Exempel.)') in page
    assert "<h2>Förhandsgranskning</h2>" in page
    preview = page.split("<h2>Förhandsgranskning</h2>")[1]
    assert "<h3>Så här gör du</h3>" in preview and "<strong>stäng journalen</strong>" in preview
    new = visible_text(client.get("/beslut/dokument/RUT-011/").text)
    assert "Texten i sin helhet Nytt dokument: det finns ingen godkänd version" in new


def test_downloads_and_what_is_not_there(client) -> None:
    weasyprint_or_skip()
    sign_in(client, "karin.ostberg")
    pdf = client.get("/beslut/lg-us/beslutsunderlag.pdf")
    today = dt.date.today().isoformat()
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"] == \
        f'attachment; filename="beslutsunderlag-lg-us-{today}.pdf"'
    assert_pdf_ua(pdf.content, title=f"Beslutsunderlag {today} – {LG}")
    reader = pypdf.PdfReader(io.BytesIO(pdf.content))
    assert "Sida 1 av" in reader.pages[0].extract_text()
    page = client.get("/beslut/styrgruppen-it/beslutsunderlag.html")
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.headers["content-disposition"] == \
        f'attachment; filename="beslutsunderlag-styrgruppen-it-{today}.html"'
    assert page.text.startswith('<!DOCTYPE html>\n<html lang="sv">')
    for route, message in [
            ("/beslut/ledningen/beslutsunderlag.pdf",
             "Det beslutande organet 'ledningen' finns inte i organisation.yml."),
            ("/beslut/sektorsledningen/beslutsunderlag.pdf",
             "Inget dokument väntar på beslut av Sektorsledningen Välfärd."),
            ("/beslut/lg-us/beslutsunderlag.docx",
             "Beslutsunderlaget finns som .pdf och .html."),
            ("/beslut/dokument/RUT-001/", "RUT-001 väntar inte på beslut (status: godkänd)."),
            ("/beslut/dokument/RUT-999/", "RUT-999 väntar inte på beslut.")]:
        response = client.get(route)
        assert response.status_code == 404, route
        assert message in html.unescape(response.text), route

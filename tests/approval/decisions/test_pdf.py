"""The decision pack as a PDF: a real, tagged PDF (PDF/UA-1) with the title and the language,
A4 pages numbered "Sida N av M", the cover and each document on pages of their own."""

from __future__ import annotations

import io
import os
import shutil
import subprocess

import pypdf
import pytest

from rutinportal.approval.decisions.pack import choose_documents, decision_pack
from rutinportal.approval.decisions.render import pack_html
from rutinportal.content.catalogue import Catalogue
from rutinportal.testing.pdf_ua import assert_pdf_ua

from .conftest import TODAY, weasyprint_or_skip

A4 = (595, 842)  # points


@pytest.fixture
def pdf(two_waiting):
    weasyprint_or_skip()
    from rutinportal.approval.decisions.pdf import to_pdf

    catalogue = Catalogue.load(two_waiting)
    body, docs = choose_documents(catalogue, (), None)
    return to_pdf(pack_html(decision_pack(catalogue, body, docs, TODAY,
                                          {"RUT-901": 17, "RUT-902": 8})))


def test_the_pack_is_a_tagged_pdf_with_title_and_language(pdf) -> None:
    assert pdf.data.startswith(b"%PDF-") and pdf.data.rstrip().endswith(b"%%EOF")
    # PDF/UA-1: tagged, language sv, the title in the document information and the XMP and
    # shown as the window's title, headings in order, header cells, links described.
    report = assert_pdf_ua(pdf.data, title="Beslutsunderlag 2026-11-28 – Ledningsgruppen "
                                           "Utveckling och stöd")
    found = report.roles
    # Headings, tables with header cells and lists are tagged as such, not as plain text.
    assert {"/H1", "/H2", "/H3", "/Table", "/TH", "/TD", "/Caption", "/L", "/LI"} <= set(found)
    assert found["/H1"] == 1 and found["/H2"] == 4  # the pack; its two lists; two documents


def test_pages_are_a4_numbered_the_cover_and_each_document_on_their_own(pdf) -> None:
    reader = pypdf.PdfReader(io.BytesIO(pdf.data))
    # The cover; RUT-901 with its returns, facts and redline on two; RUT-902 on one.
    assert len(reader.pages) == pdf.pages == 4
    assert all(tuple(round(v) for v in page.mediabox.upper_right) == A4
               for page in reader.pages)
    texts = [" ".join(page.extract_text().split()) for page in reader.pages]
    for number, text in enumerate(texts, 1):
        assert f"Sida {number} av 4" in text
        assert "Ledningsgruppen Utveckling och stöd · 2026-11-28" in text  # the footer
    assert "Beslutsunderlag" in texts[0]
    assert ("Ledningsgruppen Utveckling och stöd beslutar att godkänna RUT-901 version 2, "
            "rutinen ”Lås datorn”.") in texts[0]
    assert texts[1].startswith("RUT-901 Lås datorn, version 2")
    redline = texts[1] + " " + texts[2]
    assert "Berätta för din chef TILLAGT: och för informationssäkerhetssamordnaren." in redline
    assert "NYTT: Stäng journalen först." in redline
    assert texts[3].startswith("RUT-902 Personnummer i mejl, version 1")


def test_poppler_reads_it_too(pdf, tmp_path) -> None:
    """An independent reader (poppler's pdfinfo) agrees: tagged, four A4 pages, the title."""
    if shutil.which("pdfinfo") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdfinfo saknas i CI (Debians paket poppler-utils)", pytrace=False)
        pytest.skip("pdfinfo saknas: installera Debians paket poppler-utils")
    path = tmp_path / "pack.pdf"
    path.write_bytes(pdf.data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                          check=True).stdout
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    assert fields["Tagged"].strip() == "yes" and fields["Pages"].strip() == "4"
    assert fields["Title"].strip() == "Beslutsunderlag 2026-11-28 – Ledningsgruppen " \
        "Utveckling och stöd"
    assert "(A4)" in fields["Page size"]

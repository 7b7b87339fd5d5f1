"""The PDF/UA check that the tests of every PDF use (rutinportal.testing.pdf_ua): it passes a
tagged PDF with title, language, headings, table headers and alternative texts, and names
what is missing in one that lacks them. PDFs made here with WeasyPrint, as the portal's."""

from __future__ import annotations

import pytest

from rutinportal.testing.pdf_ua import assert_pdf_ua, check_pdf_ua

from ..approval.decisions.conftest import weasyprint_or_skip

CHART = ("data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 width=%2210%22 "
         "height=%2210%22%3E%3Crect width=%2210%22 height=%2210%22/%3E%3C/svg%3E")
GOOD = f"""<!DOCTYPE html><html lang="sv"><head><title>Årsrapport 2026</title></head><body>
<h1>Årsrapport 2026</h1><h2>Kvittenser</h2>
<p><img src="{CHART}" alt="Stapeldiagram: 82 procent har kvitterat"></p>
<table><caption>Per enhet</caption><thead><tr><th scope="col">Enhet</th>
<th scope="col">Andel</th></tr></thead><tbody><tr><th scope="row">Hemtjänst</th><td>82 %</td>
</tr></tbody></table><h3>Hemtjänst</h3>
<p><a href="https://rutiner.kommun.example/">Rutinportalen</a></p></body></html>"""
BAD = f"""<!DOCTYPE html><html lang="en"><head><title>Report</title></head><body>
<h2>Utan rubrik på nivå 1</h2><h4>Ett hopp</h4><p><img src="{CHART}"></p>
<table><tr><td>Hemtjänst</td><td>82 %</td></tr></table></body></html>"""


@pytest.fixture(scope="module")
def html():
    weasyprint_or_skip()
    from weasyprint import HTML

    return HTML


def test_a_tagged_pdf_with_everything_passes(html) -> None:
    data = html(string=GOOD).write_pdf(pdf_variant="pdf/ua-1")
    report = assert_pdf_ua(data, title="Årsrapport 2026")
    assert report.lang == "sv" and report.title == "Årsrapport 2026"
    assert report.headings == ["/H1", "/H2", "/H3"]
    assert {"/Figure", "/Table", "/TH", "/TD", "/Caption", "/Link"} <= set(report.roles)


def test_what_a_tagged_pdf_lacks_is_named(html) -> None:
    data = html(string=BAD).write_pdf(pdf_variant="pdf/ua-1")
    assert check_pdf_ua(data, title="Årsrapport 2026").problems == [
        "language 'en' in the catalog, expected 'sv'",
        "title 'Report', expected 'Årsrapport 2026'",
        "a figure without alternative text (/Alt)",
        "the first heading is H2, not H1",
        "a heading level skipped: H2 followed by H4",
        "table 1 has no header cells (TH)",
    ]
    with pytest.raises(AssertionError, match=r"PDF/UA-1\):\n- language 'en'"):
        assert_pdf_ua(data)


def test_an_untagged_pdf_fails_at_the_root(html) -> None:
    data = html(string=GOOD).write_pdf()  # no PDF/UA variant: no tags, no XMP
    assert check_pdf_ua(data).problems == [
        "not identified as PDF/UA-1 in the XMP metadata (pdfuaid:part)",
        "not marked as tagged (/MarkInfo /Marked true)",
        "the XMP metadata has no dc:title, or another one than /Title",
        "the title is not shown as the window's title (/ViewerPreferences /DisplayDocTitle)",
        "no structure tree (/StructTreeRoot)",
        "page 1: annotations not in structure order (/Tabs /S)",
        "page 1: a link without a description (/Contents)",
        "page 1: a link outside the structure tree",
    ]
    assert check_pdf_ua(b"<html>").problems == ["not a PDF"]

"""Page generation without the site engine: which pages exist and what they link to."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from markupsafe import escape

from rutinportal.content.catalogue import validate
from rutinportal.site import urls
from rutinportal.site.context import SiteContext
from rutinportal.site.pages import generate

from ..conftest import approved_versions

TODAY = dt.date(2026, 11, 29)


@pytest.fixture(scope="module")
def production(built_example) -> dict[str, str]:
    return generate(SiteContext(validate(built_example.root), TODAY))


@pytest.fixture(scope="module")
def preview(built_example) -> dict[str, str]:
    return generate(SiteContext(validate(built_example.root, preview=True), TODAY))


def everything(page) -> str:
    """All a generated page gives the engine and the theme, as one text."""
    return page.source() + str(page.top) + str(page.bottom)


def test_one_url_scheme() -> None:
    assert urls.page_url("rutiner/siths-kort.md") == "/rutiner/siths-kort/"
    assert urls.page_url("rutiner/index.md") == "/rutiner/"
    assert urls.page_url("index.md") == "/"
    assert urls.page_url("utbildning/ledning/index.md") == "/utbildning/ledning/"
    assert urls.href("laslistor/hemtjanst.md", "rutiner/siths-kort.md") == \
        "../../rutiner/siths-kort/"
    assert urls.href("nytt.md", "rutiner/index.md") == "../rutiner/"
    assert urls.href("rutiner/index.md", "rutiner/siths-kort.md") == "siths-kort/"
    assert urls.href("rutiner/siths-kort.md", "rutiner/siths-kort.md", "kvittera") == \
        "./#kvittera"
    assert urls.href("rutiner/siths-kort.md", "index.md") == "../../"
    assert urls.version_uri("rutiner/siths-kort.md", 1) == "rutiner/siths-kort.version-1.md"
    assert urls.changes_uri("utbildning/grund/natfiske.md", 2) == \
        "utbildning/grund/natfiske.andringar-2.md"


def test_every_published_document_and_list_gets_a_page(production, built_example) -> None:
    for uri in ("rutiner/index.md", "laslistor/index.md", "laslistor/hemtjanst.md",
                "laslistor/alla.md", "nytt.md", "utbildning/index.md",
                "utbildning/ledning/index.md", "lardomar/index.md", "min-sida.md",
                "min-laslista.md", "uppfoljning.md", "rutiner/siths-kort.md",
                "quiz/siths-kort.md", "quiz/laslista-hemtjanst.md",
                "rutiner/siths-kort.version-1.md", "rutiner/siths-kort.andringar-2.md"):
        assert uri in production, uri
    assert "rutiner/radera-besok-planering.md" not in production  # a draft
    assert "rutiner/fax-och-papperskopior.md" not in production  # retired
    # Only approved versions after the first have a "what changed" page: RUT-004's version 2
    # waits for a decision.
    changes = sorted(uri for uri in production if ".andringar-" in uri)
    assert changes == sorted(
        f"{doc['url'].strip('/')}.andringar-{n}.md" for doc in built_example.catalog.values()
        for n in approved_versions(built_example.root, doc["id"])[1:])
    assert "rutiner/siths-kort.andringar-2.md" in changes
    assert not [uri for uri in changes if uri.startswith("rutiner/stang-journalen.")]


def test_the_engine_converts_only_the_approved_text(production, built_example) -> None:
    page = production["rutiner/siths-kort.md"]
    version = built_example.catalog["RUT-001"]["version"]
    snapshot = (built_example.root / f"approved/RUT-001/v{version}.md").read_text(
        encoding="utf-8")
    assert page.source().endswith(snapshot.split("---\n", 2)[2])
    assert page.source().startswith("---\ntitle: Låna aldrig ut ditt SITHS-kort\ntags:\n")
    for uri in ("rutiner/index.md", "laslistor/hemtjanst.md", "nytt.md", "quiz/siths-kort.md"):
        body = production[uri].body
        assert body.startswith("<p>") and body.count("<p>") == 1, uri  # its introduction


def test_a_routine_page_carries_its_approval_and_history(production, built_example) -> None:
    page = production["rutiner/siths-kort.md"]
    siths = built_example.catalog["RUT-001"]
    version = siths["version"]
    assert str(page.top).startswith("<h1>Låna aldrig ut ditt SITHS-kort</h1>")
    assert f'data-document-id="RUT-001" data-version="{version}"' in page.bottom
    assert '<a href="../../quiz/siths-kort/">Kunskapstest: SITHS-kortet</a>' in page.bottom
    history = page.bottom[page.bottom.index("Versionshistorik"):]
    shown = [history.index(f"Version {n}") for n in range(version, 0, -1)]
    assert version > 2 and shown == sorted(shown)  # newest first
    assert '<a href="../siths-kort.version-1/">Version 1</a>' in history
    assert "<em>Ersatt</em> 2026-03-02" in history and "Gällande" in history
    assert '<a href="../siths-kort.andringar-2/">Vad har ändrats i version 2?</a>' in history
    # Acknowledgements count from version 2, the last material change; the later versions
    # are not, so the acknowledge section asks nobody to acknowledge again (a material
    # change's page: test_build.test_after_approval_the_new_text_appears).
    ack = page.bottom[page.bottom.index('class="rp-ack"'):page.bottom.index("</section>")]
    assert siths["acknowledge_from"] == 2 and 'data-acknowledge-from="2"' in ack
    assert f"Din kvittens gäller version {version}." in ack
    assert "ska kvitteras även om" not in ack and "andringar" not in ack
    assert [h.text for h in page.headings_after] == ["Kvittera", "Kunskapstest", "Relaterat",
                                                    "Versionshistorik"]
    assert "UTKAST" not in everything(page)


def test_the_metadata_box_is_one_line_and_a_disclosure(production, built_example) -> None:
    siths = built_example.catalog["RUT-001"]
    top = str(production["rutiner/siths-kort.md"].top)
    summary = top[top.index('<p class="rp-meta__summary">'):top.index("</p>")]
    for essential in (f"Version {siths['version']}", f"Godkänd {siths['approved_on']}",
                      "<strong>Obligatorisk</strong>",
                      'class="rp-meta__item rp-meta__due" data-document-id="RUT-001"',
                      'href="#rp-ack-heading">Till kvitteringen</a>'):
        assert essential in summary, essential
    details = top[top.index('<details class="rp-meta__more">'):top.index("</details>")]
    for fact in ("<summary>Ägare, beslut och översyn</summary>", "Informationsägare",
                 str(escape(siths["decision"])), "Nästa översyn", "Alla medarbetare"):
        assert fact in details, fact
    lesson = str(production["lardomar/lana-siths-kort.md"].top)
    assert "Till kvitteringen" not in lesson and "Obligatorisk" not in lesson


def test_earlier_versions_and_what_changed(production, built_example) -> None:
    old = production["rutiner/siths-kort.version-1.md"]
    v1 = (built_example.root / "approved/RUT-001/v1.md").read_text(encoding="utf-8")
    assert old.body.strip() == v1.split("---\n", 2)[2].strip()
    assert "<strong>Ersatt 2026-03-02.</strong>" in old.top
    assert "godkändes 2025-09-15 av Ledningsgruppen Utveckling och stöd" in old.top
    assert old.tags == () and not old.searchable
    waiting = production["rutiner/siths-kort.andringar-2.md"]
    # It reads the two versions as the engine converted them; without the engine, it
    # converts them itself.
    assert waiting.later.needs == ("rutiner/siths-kort.version-1.md",
                                   "rutiner/siths-kort.version-2.md")  # no longer current
    changes = waiting.finished({})
    assert changes.body == "" and not changes.searchable and changes.tags == ()
    top = str(changes.top)
    assert top.startswith("<h1>Vad har ändrats i version 2?</h1>")
    assert "Ingen ändringsnotering." in top  # RUT-001 v2 was approved without one
    assert "Ändringen är i sak: rutinen ska kvitteras på nytt" in top
    assert ('<span class="rp-redline__label rp-redline__label--block">Nytt:</span> '
            '<ins class="rp-ins">Har du glömt ditt kort hemma?') in top
    assert ('<span class="rp-redline__label rp-redline__label--block">Borttaget:</span> '
            '<del class="rp-del">Tänk på</del>') in top
    # Only what changed, under its heading; the numbered list keeps its numbers.
    assert "SITHS-kortet är din personliga legitimation" not in top
    assert '<span class="rp-redline__label">oförändrat</span>' in top
    assert top.index("Så här gör du") < top.index('<ol start="7">') < top.index("glömt")
    assert '<a href="../siths-kort.version-2/">Läs version 2</a>' in top
    assert '<a href="../siths-kort.version-1/">Läs version 1 som den var</a>' in top
    # The page of the version in force reads the routine's own page, and says when a change
    # is not a material one.
    version = built_example.catalog["RUT-001"]["version"]
    current = production[f"rutiner/siths-kort.andringar-{version}.md"]
    assert current.later.needs == (f"rutiner/siths-kort.version-{version - 1}.md",
                                   "rutiner/siths-kort.md")
    top = str(current.finished({}).top)
    assert f'<a href="../siths-kort/">Läs version {version} (gällande)</a>' in top
    assert f"Ändringen är inte i sak: en kvittens av version {version - 1} gäller" in top


def test_news_links_to_what_changed(production) -> None:
    news = str(production["nytt.md"].bottom)
    assert '<a href="../rutiner/siths-kort.andringar-2/">Vad har ändrats i version 2?</a>' \
        in news


def test_reading_lists_put_mandatory_routines_first(preview) -> None:
    page = str(preview["laslistor/hemtjanst.md"].bottom)  # the preview has optional ones
    routines = page[page.index('<h2 id="rp-rutiner">'):page.index('<h2 id="rp-utbildning">')]
    entries = [line for line in routines.splitlines() if line.startswith("<li>")]
    flags = [line.endswith("– obligatorisk<br>") for line in entries]
    assert flags == sorted(flags, reverse=True) and True in flags and False in flags
    assert any("Låna aldrig ut ditt SITHS-kort" in line for line in entries)


def test_a_preview_marks_working_copies_as_drafts(preview) -> None:
    page = preview["rutiner/radera-besok-planering.md"]
    assert "UTKAST – ej godkänd." in page.top
    assert "Ingen version är godkänd ännu" in page.bottom


def test_portal_pages_say_what_shows_without_the_portal(production) -> None:
    mine = production["min-laslista.md"]
    assert not mine.searchable
    top = str(mine.top)
    assert top.startswith("<!-- rp-portal-start -->\n<h1>Min läslista</h1>")
    assert top.rstrip().endswith("<!-- rp-portal-end -->")
    assert "Den visas när du är inloggad i Rutinportalen." in top
    assert 'Välj din enhet eller roll i <a href="../laslistor/">läslistorna</a>.' in top


def test_only_the_engine_adapter_imports_the_site_engine() -> None:
    """Content, page generation, the portal and the CLI load without ProperDocs."""
    code = ("import sys, rutinportal.content.catalogue, rutinportal.site.pages, "
            "rutinportal.site.catalog_json, rutinportal.portal.app, rutinportal.cli; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('properdocs', 'mkdocs', 'material')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


def test_a_word_level_change_says_so_in_words(built_example) -> None:
    from dataclasses import replace

    from rutinportal.site.versions import changes_page

    pub = next(p for p in validate(built_example.root).publications if p.id == "RUT-001")
    v1, v2 = pub.history[:2]
    v2 = replace(v2, body=v2.body.replace("Bär kortet på dig", "Bär alltid kortet på dig"),
                 content=replace(v2.content, change_note='Nytt steg: "spärra" & <säg till>.'))
    page = changes_page(pub, v2, v1, is_current=True)
    assert page.later.needs == ("rutiner/siths-kort.version-1.md",)  # v2 is not shown as is
    top = str(page.finished({}).top)
    assert ('Bär <ins class="rp-ins"><span class="rp-redline__label">tillagt:</span> alltid'
            '</ins> kortet på dig') in top
    assert '<p class="rp-changes__note">Nytt steg: &#34;spärra&#34; &amp; &lt;säg till&gt;.</p>' \
        in top


def test_the_built_redline_reads_the_versions_as_the_site_shows_them(built_example,
                                                                     production) -> None:
    built = (built_example.site / "rutiner/siths-kort.andringar-2/index.html").read_text(
        encoding="utf-8")
    redline = built[built.index('<div class="rp-redline">'):built.index("Läs version 2")]
    expected = str(production["rutiner/siths-kort.andringar-2.md"].finished({}).top)
    assert redline in expected  # the same as from the Markdown: no permalink, nothing more
    assert "¶" not in redline and "headerlink" not in redline

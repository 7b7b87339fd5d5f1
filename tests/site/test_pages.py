"""Page generation without the site engine: which pages exist and what they link to."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from rutinportal.content.catalogue import validate
from rutinportal.site import urls
from rutinportal.site.context import SiteContext
from rutinportal.site.pages import generate

TODAY = dt.date(2026, 11, 29)


@pytest.fixture(scope="module")
def production(built_example) -> dict[str, str]:
    return generate(SiteContext(validate(built_example.root), TODAY))


@pytest.fixture(scope="module")
def preview(built_example) -> dict[str, str]:
    return generate(SiteContext(validate(built_example.root, preview=True), TODAY))


def test_one_url_scheme() -> None:
    assert urls.page_url("rutiner/siths-kort.md") == "/rutiner/siths-kort/"
    assert urls.page_url("rutiner/index.md") == "/rutiner/"
    assert urls.page_url("index.md") == "/"
    assert urls.page_url("utbildning/ledning/index.md") == "/utbildning/ledning/"
    assert urls.link("laslistor/hemtjanst.md", "rutiner/siths-kort.md") == "../rutiner/siths-kort.md"
    assert urls.link("nytt.md", "rutiner/index.md") == "rutiner/index.md"


def test_every_published_document_and_list_gets_a_page(production) -> None:
    for uri in ("rutiner/index.md", "laslistor/index.md", "laslistor/hemtjanst.md",
                "laslistor/alla.md", "nytt.md", "utbildning/index.md",
                "utbildning/ledning/index.md", "lardomar/index.md", "min-sida.md",
                "uppfoljning.md", "rutiner/siths-kort.md", "quiz/siths-kort.md",
                "quiz/laslista-hemtjanst.md"):
        assert uri in production, uri
    assert "rutiner/radera-besok-planering.md" not in production  # a draft
    assert "rutiner/fax-och-papperskopior.md" not in production  # retired


def test_a_routine_page_carries_its_approval_and_history(production) -> None:
    page = production["rutiner/siths-kort.md"]
    assert page.startswith("---\ntitle: Låna aldrig ut ditt SITHS-kort\n")
    assert 'data-document-id="RUT-001" data-version="2"' in page
    assert "[Kunskapstest: SITHS-kortet](../quiz/siths-kort.md)" in page
    assert "| 2 | " in page and "| 1 | " in page  # both approved versions in the history
    assert "UTKAST" not in page


def test_reading_lists_put_mandatory_routines_first(preview) -> None:
    page = preview["laslistor/hemtjanst.md"]  # the preview has a routine that is not
    routines = page[page.index("## Rutiner"):page.index("## Utbildning")]
    entries = [line for line in routines.splitlines() if line.startswith("- **[")]
    flags = [line.endswith("– obligatorisk  ") for line in entries]
    assert flags == sorted(flags, reverse=True) and True in flags and False in flags
    assert any("Låna aldrig ut ditt SITHS-kort" in line for line in entries)


def test_a_preview_marks_working_copies_as_drafts(preview) -> None:
    page = preview["rutiner/radera-besok-planering.md"]
    assert "UTKAST – ej godkänd." in page
    assert "Ingen version är godkänd ännu" in page


def test_only_the_engine_adapter_imports_the_site_engine() -> None:
    """Content, page generation, the portal and the CLI load without ProperDocs."""
    code = ("import sys, rutinportal.content.catalogue, rutinportal.site.pages, "
            "rutinportal.site.catalog_json, rutinportal.portal.app, rutinportal.cli; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('properdocs', 'mkdocs', 'material')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"

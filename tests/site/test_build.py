"""Build the example site and search every output file: only approved text is published."""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import brotli
import pytest
from click.testing import CliRunner

from rutinportal.site.build import build_site
from rutinportal.cli import main
from rutinportal.content.problems import ValidationFailed
from rutinportal.errors import BuildError

from ..conftest import approved_versions

pytestmark = pytest.mark.build

MARKERS = {
    # routine file: (marker, what state it is in)
    "radera-besok-planering.md": "MARKER-UTKAST-RUT011",           # submitted, never approved
    "sakerhetskontroll-it-inkop.md": "MARKER-INSKICKAD-RUT008",    # submitted, waiting
    "fax-och-papperskopior.md": "MARKER-UPPHAVD-RUT012",           # retired
    "stang-journalen.md": "MARKER-NY-VERSION-RUT004",              # v2 submitted, v1 approved
}
HIDDEN_TITLES = ["Ändra och ta bort planerade besök", "Säkerhetskontroll innan vi köper",
                 "Skicka patientuppgifter med fax"]


def add_marker(root: Path, name: str, marker: str) -> None:
    path = root / "routines" / name
    path.write_text(path.read_text(encoding="utf-8") + f"\n{marker} finns i arbetskopian.\n",
                    encoding="utf-8")


def site_text(site: Path) -> dict[str, str]:
    """Every file of the output as text (gzip files unpacked; a compressed copy beside its
    file must say exactly what the file says, and is not listed again)."""
    texts = {}
    for path in site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix in (".gz", ".br"):
                data = gzip.decompress(data) if path.suffix == ".gz" else brotli.decompress(data)
                original = path.with_suffix("")
                if original.is_file():
                    assert data == original.read_bytes(), path
                    continue
            text = data.decode("utf-8", errors="replace")
            if path.suffix == ".json":
                # MkDocs writes JSON with \u escapes: compare against the decoded text.
                text = json.dumps(json.loads(text), ensure_ascii=False)
            texts[path.relative_to(site).as_posix()] = text
    return texts


def occurrences(texts: dict[str, str], needle: str) -> list[str]:
    return sorted(name for name, text in texts.items() if needle in text)


@pytest.fixture
def marked_repo(example_repo: Path) -> Path:
    for name, marker in MARKERS.items():
        add_marker(example_repo, name, marker)
    # An approved document edited without `revise`: the edit must not be published.
    add_marker(example_repo, "siths-kort.md", "MARKER-OGODKAND-ANDRING-RUT001")
    return example_repo


def test_only_approved_text_reaches_any_output_file(marked_repo: Path) -> None:
    site = build_site(marked_repo, marked_repo / "out")
    texts = site_text(site)
    assert {"sitemap.xml", "search/search_index.json", "catalog.json", "tags.json"} <= set(texts)
    for marker in [*MARKERS.values(), "MARKER-OGODKAND-ANDRING-RUT001"]:
        assert occurrences(texts, marker) == [], marker
    for title in HIDDEN_TITLES:
        assert occurrences(texts, title) == [], title
    for slug in ("radera-besok-planering", "sakerhetskontroll-it-inkop", "fax-och-papperskopior"):
        assert not (site / "rutiner" / slug).exists()
        assert occurrences(texts, f"rutiner/{slug}") == []
    # The approved version 1 of RUT-004 stays published while version 2 is written; an
    # unapproved version has no "what changed" page and does not make version 1 an old one.
    journal = (site / "rutiner/stang-journalen/index.html").read_text(encoding="utf-8")
    assert "Stäng journalen, lås datorn, ta med kortet." in journal
    assert "Använder du en mobil enhet för journalen?" not in journal  # version 2 only
    assert not [name for name in texts if name.startswith("rutiner/stang-journalen.")]
    assert "stang-journalen.andringar" not in "".join(texts.values())
    assert "UTKAST" not in "".join(texts.values())


def test_after_approval_the_new_text_appears(marked_repo: Path) -> None:
    runner = CliRunner()
    for args in (["approve", "RUT-004", "--by", "lg-us", "--decision", "LG U&S 2026-11-30 § 2"],):
        result = runner.invoke(main, args, env={"RUTINPORTAL_TODAY": "2026-11-30"})
        assert result.exit_code == 0, result.output
    site = build_site(marked_repo, marked_repo / "out")
    texts = site_text(site)
    # The new text, and what changed in it; version 1 stays readable as it was.
    assert occurrences(texts, "MARKER-NY-VERSION-RUT004") == [
        "rutiner/stang-journalen.andringar-2/index.html", "rutiner/stang-journalen/index.html",
        "search/search_index.json"]
    page = texts["rutiner/stang-journalen/index.html"]
    assert "LG U&amp;S 2026-11-30 § 2" in page and "LG U&amp;S 2025-09-15 § 7" in page
    assert 'href="../stang-journalen.version-1/"' in page
    assert 'href="../stang-journalen.andringar-2/"' in page
    # Version 2 is a material change: the acknowledge section says so and links to it.
    start = page.index('<section class="rp-ack"')
    ack = page[start:page.index("</section>", start)]
    assert ('Version 2 är ändrad i sak och ska kvitteras även om du har kvitterat en tidigare '
            'version. <a href="../stang-journalen.andringar-2/">Vad har ändrats i version 2?'
            '</a>') in ack
    old = texts["rutiner/stang-journalen.version-1/index.html"]
    assert "Ersatt 2026-11-30." in old and "Stäng journalen, lås datorn, ta med kortet." in old
    catalog = json.loads(texts["catalog.json"])
    journal = next(d for d in catalog["documents"] if d["id"] == "RUT-004")
    assert journal["version"] == 2 and journal["acknowledge_from"] == 2
    news = texts["nytt/index.html"]
    assert news.index("2026-11-30") < news.index("2026-04-20")


def test_catalog_lists_exactly_the_published_documents(built_example) -> None:
    catalog = json.loads((built_example.site / "catalog.json").read_text(encoding="utf-8"))
    ids = {d["id"] for d in catalog["documents"]}
    assert {"RUT-001", "RUT-004", "UTB-101", "LRD-001"} <= ids
    assert not ids & {"RUT-008", "RUT-011", "RUT-012"}
    siths = next(d for d in catalog["documents"] if d["id"] == "RUT-001")
    latest = approved_versions(built_example.root, "RUT-001")[-1]
    assert siths["version"] == latest and siths["mandatory"] is True
    assert siths["quiz"] == "siths-kort"
    assert re.fullmatch(r"[0-9a-f]{64}", siths["sha256"])
    assert siths["url"] == "/rutiner/siths-kort/"
    quiz_ids = {q["id"] for q in catalog["quizzes"]}
    assert "siths-kort" in quiz_ids and "laslista-hemtjanst" in quiz_ids
    assert catalog["preview"] is False


def test_tampered_snapshot_fails_check_and_build_naming_the_file(example_repo: Path) -> None:
    snapshot = example_repo / "approved/RUT-002/v1.md"
    snapshot.write_text(snapshot.read_text(encoding="utf-8").replace("privat", "egen"),
                        encoding="utf-8")
    expected = "approved/RUT-002/v1.md:22: texten har ändrats efter godkännandet"
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1 and expected in result.output
    with pytest.raises(ValidationFailed, match=re.escape(expected)):
        build_site(example_repo, example_repo / "out")
    assert not (example_repo / "out").exists()


@pytest.mark.parametrize("old, new, expected", [
    ("mandatory: true", "mandatory: false", "approved/RUT-002/v1.md:7: mandatory: värdet har "
     "ändrats efter godkännandet"),
    ("owner: Verksamhetschef", "owner: Avdelningschef", "approved/RUT-002/v1.md:4: owner: "
     "värdet har ändrats efter godkännandet"),
])
def test_every_key_of_a_snapshot_is_bound(example_repo: Path, old, new, expected) -> None:
    snapshot = example_repo / "approved/RUT-002/v1.md"
    snapshot.write_text(snapshot.read_text(encoding="utf-8").replace(old, new),
                        encoding="utf-8")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1 and expected in result.output
    with pytest.raises(ValidationFailed, match=re.escape(expected)):
        build_site(example_repo, example_repo / "out")


def test_a_changed_approved_quiz_fails_and_the_working_quiz_only_warns(
        example_repo: Path) -> None:
    latest = approved_versions(example_repo, "RUT-001")[-1]
    frozen = example_repo / f"approved/RUT-001/v{latest}.quiz.yml"
    working = example_repo / "quizzes/siths-kort.yml"
    flipped = working.read_text(encoding="utf-8").replace("pass_mark: 0.8", "pass_mark: 0.1")
    assert flipped != working.read_text(encoding="utf-8")
    working.write_text(flipped, encoding="utf-8")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0, result.output
    assert ("Varning: routines/siths-kort.md:10: quiz: kunskapstestet quizzes/siths-kort.yml "
            f"har ändrats sedan version {latest} godkändes; ändringen publiceras inte "
            "(webbplatsen och rättningen använder den godkända quizen) – kör rutinportal "
            "revise RUT-001 och skicka den nya versionen för beslut") in result.output
    site = build_site(example_repo, example_repo / "out")
    catalog = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    assert {q["id"]: q["pass_mark"] for q in catalog["quizzes"]}["siths-kort"] == 0.8
    frozen.write_text(flipped, encoding="utf-8")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1
    assert (f"approved/RUT-001/v{latest}.quiz.yml: den frysta quizen har ändrats efter "
            "godkännandet") in result.output


def test_a_failed_build_leaves_the_previous_site_untouched(example_repo: Path) -> None:
    site = build_site(example_repo, example_repo / "out")
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    path = example_repo / "routines/siths-kort.md"
    text = path.read_text(encoding="utf-8")
    broken = re.sub(r"^version: \d+$", "version: två", text, count=1, flags=re.M)
    assert broken != text
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(ValidationFailed):
        build_site(example_repo, example_repo / "out")
    # Broken after validation: MkDocs itself fails (a nav entry to a missing page).
    path.write_text(text, encoding="utf-8")
    (example_repo / "docs/taggar.md").unlink()
    with pytest.raises(BuildError, match="den tidigare webbplatsen är orörd"):
        build_site(example_repo, example_repo / "out")
    after = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in example_repo.iterdir() if p.name.startswith(".out")) == []


def test_preview_shows_drafts_with_a_banner_in_a_separate_folder(marked_repo: Path) -> None:
    site = build_site(marked_repo, preview=True)
    assert site == marked_repo / "site-preview"
    texts = site_text(site)
    draft = texts["rutiner/radera-besok-planering/index.html"]
    assert "UTKAST – ej godkänd" in draft and "MARKER-UTKAST-RUT011" in draft
    assert "MARKER-NY-VERSION-RUT004" in texts["rutiner/stang-journalen/index.html"]
    assert occurrences(texts, "MARKER-UPPHAVD-RUT012") == []
    assert json.loads(texts["catalog.json"])["preview"] is True
    assert not (marked_repo / "site").exists()
    with pytest.raises(BuildError, match="får inte byggas till den publicerade"):
        build_site(marked_repo, marked_repo / "site", preview=True)


def test_plain_engine_build_enforces_approval_too(marked_repo: Path) -> None:
    out = marked_repo / "plain"
    command = [sys.executable, "-m", "properdocs", "build", "-q", "-f",
               str(marked_repo / "mkdocs.yml"), "-d", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=marked_repo)
    assert done.returncode == 0, done.stderr
    texts = site_text(out)
    for marker in MARKERS.values():
        assert occurrences(texts, marker) == []
    assert "catalog.json" in texts
    snapshot = marked_repo / "approved/RUT-002/v1.md"
    snapshot.write_text(snapshot.read_text(encoding="utf-8").replace(
        "review_months: 12", "review_months: 60"), encoding="utf-8")
    done = subprocess.run(command, capture_output=True, text=True, cwd=marked_repo)
    assert done.returncode != 0
    assert "approved/RUT-002/v1.md:8: review_months: värdet har ändrats" in done.stderr


def test_site_is_swedish_local_and_keeps_routines_out_of_the_navigation(built_example) -> None:
    texts = site_text(built_example.site)
    index = texts["index.html"]
    assert '<html lang="sv"' in index
    search = json.loads(texts["search/search_index.json"])
    assert search["config"]["lang"] == ["sv"]
    for name, text in texts.items():
        if name.endswith(".html"):
            external = re.findall(
                r'<(?:script|link|img|iframe|source|video|audio)\b[^>]*?\s(?:src|href)='
                r'"((?:https?:)?//[^"]*)"', text)
            # The canonical link names the site's own address; it is never fetched.
            assert [u for u in external if not u.startswith("https://rutinportalen.")] == [], name
            assert "fonts.googleapis" not in text and "fonts.gstatic" not in text
    for page in ("index.html", "rutiner/index.html", "rutiner/siths-kort/index.html"):
        html = texts[page]
        primary = html[html.index("md-sidebar--primary"):html.index("md-sidebar--secondary")]
        assert "Rutinregister" in primary or "Rutiner" in primary, page
        assert "siths-kort" not in primary and "stang-journalen" not in primary, page
    assert 'href="siths-kort/"' in texts["rutiner/index.html"]
    assert "rutiner/siths-kort/" in texts["laslistor/hemtjanst/index.html"]


def test_a_build_validates_the_content_once(example_repo: Path, monkeypatch) -> None:
    from rutinportal.content import catalogue

    loads = []
    original = catalogue.Catalogue.load.__func__
    monkeypatch.setattr(catalogue.Catalogue, "load",
                        classmethod(lambda cls, root: loads.append(root) or original(cls, root)))
    build_site(example_repo, example_repo / "out")
    assert len(loads) == 1


def test_the_preview_flag_travels_in_the_engine_config(marked_repo: Path) -> None:
    """`mkdocs-preview.yml` (what `make live` serves) builds the preview, with the banner."""
    command = [sys.executable, "-m", "properdocs", "build", "-q", "-f",
               str(marked_repo / "mkdocs-preview.yml")]
    done = subprocess.run(command, capture_output=True, text=True, cwd=marked_repo)
    assert done.returncode == 0, done.stderr
    texts = site_text(marked_repo / "site-preview")
    assert occurrences(texts, MARKERS["radera-besok-planering.md"])
    assert "FÖRHANDSVISNING: UTKAST – ej godkänd." in texts["index.html"]
    assert json.loads(texts["catalog.json"])["preview"] is True
    assert not (marked_repo / "site").exists()


def test_a_preview_flag_that_is_not_a_boolean_is_refused(example_repo: Path) -> None:
    config = example_repo / "odd.yml"
    config.write_text("INHERIT: mkdocs.yml\nextra:\n  rutinportal:\n    preview: ja\n",
                      encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "properdocs", "build", "-q", "-f", str(config)],
                          capture_output=True, text=True, cwd=example_repo)
    assert done.returncode != 0
    assert "extra.rutinportal.preview: förväntade true eller false, fick 'ja'" in done.stderr


def test_a_plain_mkdocs_build_is_refused(example_repo: Path) -> None:
    """MkDocs 1.6 comes along as the theme's dependency; it must never build the site."""
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", "out"],
                          capture_output=True, text=True, cwd=example_repo,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode != 0
    assert not (example_repo / "out" / "index.html").exists()
    if "No module named mkdocs" not in done.stderr:
        assert "Rutinportalen byggs med ProperDocs: kör properdocs build eller rutinportal " \
               "build" in done.stderr

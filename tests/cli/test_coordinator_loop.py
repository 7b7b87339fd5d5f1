"""A coordinator's week (issue 11): new → check → preview → submit → approve → revise → retire →
reinstate, and after every step the production site still builds."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from rutinportal.cli import main

BODY = """
## Syfte

En dator som flera delar ska låsas när du går ifrån den, så att ingen annan läser eller
skriver i ditt namn.

## Gäller för

Alla som arbetar vid en delad dator i verksamheten.

## Så här gör du

1. Lås skärmen med Windows-tangenten och L innan du går.
2. Ta ut SITHS-kortet, se [rutinen om SITHS-kortet](siths-kort.md).

## Om något går fel

Kontakta din chef och rapportera en incident.

## Bakgrund

Under 2024 lämnades kort kvar i datorer efter arbetets slut.
"""


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), env={"RUTINPORTAL_TODAY": "2026-11-30"})
    assert result.exit_code == 0, (args, result.output)
    return result.output


def builds(root: Path) -> dict[str, str]:
    run("build")
    site = root / "site"
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8", errors="replace")
            for p in site.rglob("*.html")}


def write_draft(path: Path, body: str, **keys: str) -> None:
    head, _ = path.read_text(encoding="utf-8").split("\n---\n", 1)
    head = head.replace('owner: "Ange informationsägaren som roll"', "owner: Sektorchef")
    for key, value in keys.items():
        head += f"\n{key}: {value}"
    path.write_text(head + "\n---\n" + body.lstrip("\n"), encoding="utf-8")


def test_a_week_of_coordinating_never_leaves_the_site_unbuildable(example_repo: Path) -> None:
    root = example_repo
    run("new", "routine", "Skärmlås på delade datorer")
    lock = root / "routines/skarmlas-pa-delade-datorer.md"
    write_draft(lock, BODY)
    run("check")
    run("build", "--preview")
    assert "UTKAST" in (root / "site-preview/rutiner/skarmlas-pa-delade-datorer/index.html"
                        ).read_text(encoding="utf-8")
    assert "rutiner/skarmlas-pa-delade-datorer/index.html" not in builds(root)

    # A second routine that links to the first: both are decided at the same meeting.
    run("new", "routine", "Delade datorer i hemtjänsten")
    shared = root / "routines/delade-datorer-i-hemtjansten.md"
    write_draft(shared, BODY.replace("(siths-kort.md)", "(skarmlas-pa-delade-datorer.md)"))
    run("submit", "RUT-013", "RUT-014")
    run("approve", "RUT-013", "RUT-014", "--by", "lg-us", "--decision", "LG U&S 2026-11-30 § 5",
        "--date", "2026-11-30")
    pages = builds(root)
    assert "rutiner/skarmlas-pa-delade-datorer/index.html" in pages
    assert 'href="../skarmlas-pa-delade-datorer/"' in \
        pages["rutiner/delade-datorer-i-hemtjansten/index.html"]

    # The next version, with what changed.
    run("revise", "RUT-013")
    write_draft(lock, BODY.replace("Windows-tangenten och L", "Windows+L"),
                change_note="Kortkommandot skrivs som på tangentbordet.")
    run("submit", "RUT-013")
    run("approve", "RUT-013", "--by", "lg-us", "--decision", "LG U&S 2026-11-30 § 6",
        "--date", "2026-11-30")
    pages = builds(root)
    assert "Kortkommandot skrivs som på tangentbordet." in \
        pages["rutiner/skarmlas-pa-delade-datorer.andringar-2/index.html"]

    # Retired while another routine links to it: the site still builds, the link is text.
    out = run("retire", "RUT-013", "--decision", "LG U&S 2026-11-30 § 7", "--date",
              "2026-11-30", "--yes")
    assert "RUT-014" in out
    pages = builds(root)
    assert "rutiner/skarmlas-pa-delade-datorer/index.html" not in pages
    assert "Dokumentet har upphävts" in pages["rutiner/delade-datorer-i-hemtjansten/index.html"]
    assert "Dokumentet har upphävts" in run("check")

    # Brought back as a new version: the link is a link again.
    run("reinstate", "RUT-013", "--decision", "LG U&S 2026-11-30 § 8")
    pages = builds(root)
    assert "rutiner/skarmlas-pa-delade-datorer/index.html" in pages
    assert "Dokumentet har upphävts" not in \
        pages["rutiner/delade-datorer-i-hemtjansten/index.html"]

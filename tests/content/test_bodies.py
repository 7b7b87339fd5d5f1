"""Bodies cannot run script: raw HTML outside the allow-list, event handlers, and links or
images with other schemes than http, https, mailto, tel or relative are refused by `check`
(and so by every build, submit and approve), as `file:line` errors in the file."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from rutinportal.cli import main
from rutinportal.content.bodies import unsafe_content

from ..conftest import routine

TAGS = "<abbr>, <br>, <details>, <kbd>, <summary>"
SCHEMES = "http:, https:, mailto:, tel:"


@pytest.mark.parametrize("line, expected", [
    ("<script>alert(1)</script>",
     "elementet <script> är förbjudet i texten (det kan köra skript eller bädda in annat "
     "innehåll)"),
    ("<style>body{display:none}</style>", "elementet <style> är förbjudet i texten"),
    ('<iframe src="https://example.org"></iframe>', "elementet <iframe> är förbjudet"),
    ('<object data="x"></object>', "elementet <object> är förbjudet"),
    ('<embed src="x">', "elementet <embed> är förbjudet"),
    ('<form action="https://x"><input></form>', "elementet <form> är förbjudet"),
    ("Text <span>med</span> span.",
     f"rå HTML <span> är inte tillåten i texten; förväntade Markdown eller någon av {TAGS}"),
    ('<img src="x" onerror="alert(1)">',
     "attributet onerror på <img> är förbjudet i texten (händelseattribut kör skript)"),
    ('Tryck <kbd onmouseover="alert(1)">Ctrl</kbd>.',
     "attributet onmouseover på <kbd> är förbjudet i texten (händelseattribut kör skript)"),
    ('<abbr title="x" style="color:red">SITHS</abbr>',
     "attributet style på <abbr> är inte tillåtet i texten; tillåtna attribut: title"),
    ("[Klicka](javascript:alert(1))",
     "länken javascript:alert(1) är inte tillåten: förväntade en relativ länk eller en adress "
     f"som börjar med {SCHEMES}, fick javascript:"),
    ("[Klicka](&#106;avascript:alert(1))", "länken javascript:alert(1) är inte tillåten"),
    ("<JavaScript:alert(1)>", "fick javascript:"),
    ("![Bild](data:image/svg+xml;base64,PHN2Zz4=)", "bilden data:image/svg+xml;base64"),
    ("[Fil](file:///etc/passwd)", "fick file:"),
    ('[Länk](https://x.se){ onclick="alert(1)" }',
     'attributlistan { onclick="alert(1)" } sätter onclick, som är förbjudet i texten '
     "(händelseattribut kör skript)"),
    ("## Rubrik { style=\"x\" }", "attributlistan { style=\"x\" } sätter style"),
])
def test_unsafe_content_is_named_with_its_line_in_the_file(line: str, expected: str) -> None:
    body = f"## Syfte\n\nText.\n\n{line}\n"
    problems = unsafe_content(body, "routines/a.md", 12)
    assert any(str(p).startswith("routines/a.md:16: ") and expected in str(p)
               for p in problems), [str(p) for p in problems]


@pytest.mark.parametrize("line", [
    "<details><summary>Mer</summary>\n\nText i en utfällning.\n\n</details>",
    '<abbr title="Secure IT in Health Services">SITHS</abbr>, <kbd>Ctrl</kbd><br>',
    "<details open><summary>Öppen</summary>Text</details>",
    "[Webb](https://www.inera.se) [Mejl](mailto:isu@kommun.se) [Ring](tel:+4612345)",
    "[Rutin](../rutiner/siths-kort.md#syfte) [Ankare](#syfte) ![Bild](bilder/a.png)",
    "`<script>` i kod är text, och så är\n\n    <iframe> i ett kodblock",
    "<!-- en kommentar -->",
    "## Rubrik { #id .klass }",
    "Mängden {x} i klamrar är text.",
])
def test_allowed_content_passes(line: str) -> None:
    assert unsafe_content(f"## Syfte\n\n{line}\n", "routines/a.md", 10) == []


def test_check_and_build_refuse_unsafe_bodies(empty_repo: Path) -> None:
    routine(empty_repo, body="Se <a href=\"x\" onclick=\"steal()\">här</a>.")
    site = empty_repo / "out"
    for args in (["check"], ["build", "--site-dir", str(site)], ["submit", "RUT-901"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 1, result.output
        if args[0] != "submit":
            assert ("routines/test-rutin.md:13: attributet onclick på <a> är förbjudet i "
                    "texten (händelseattribut kör skript)") in result.output
    assert not site.exists()


def test_the_example_content_passes(example_repo: Path) -> None:
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0, result.output

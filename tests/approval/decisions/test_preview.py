"""A working copy's text as those who decide read it: structure kept, headings under the
page's own, and nothing that could run, be fetched or collide with the page."""

from __future__ import annotations

from rutinportal.approval.decisions.preview import text_html


def test_headings_sit_under_the_heading_of_the_page_around_them() -> None:
    body = "## Syfte\n\nText.\n\n### Undantag\n\n#### Djupt\n\n##### Djupare"
    assert text_html(body, 2) == ("<h4>Syfte</h4>\n<p>Text.</p>\n<h5>Undantag</h5>\n"
                                  "<h6>Djupt</h6>\n<h6>Djupare</h6>")
    assert text_html(body, 1).startswith("<h3>Syfte</h3>")


def test_structure_is_kept() -> None:
    body = ('!!! warning "Om en hel dag försvinner"\n    Det finns ingen ångra-knapp.\n\n'
            "| Vem | Gör |\n|---|---|\n| Chefen | Rapporterar |\n\n"
            "1. **Stäng** journalen\n2. Se [rutinen](rutin.md)")
    html = text_html(body, 1)
    assert ('<div class="admonition warning">\n<p class="admonition-title">Om en hel dag '
            'försvinner</p>') in html
    assert "<th>Vem</th>" in html and "<td>Rapporterar</td>" in html
    assert "<li><strong>Stäng</strong> journalen</li>" in html
    assert '<a href="rutin.md" rel="noopener noreferrer">rutinen</a>' in html


def test_nothing_runs_is_fetched_or_collides() -> None:
    body = ("Bild: ![alt](https://example.com/spår.png){ #egen-id }\n\n"
            "<script>alert(1)</script>\n\n[klicka](javascript:alert(1))\n\n"
            '<p style="color:red" onclick="x()">Text</p>\n\n## Rubrik {: #rubrik }')
    html = text_html(body, 1)
    for unwanted in ("<img", "<script", "javascript:", "style=", "onclick", "id="):
        assert unwanted not in html, unwanted
    assert "<h3>Rubrik</h3>" in html

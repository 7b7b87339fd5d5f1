"""Item 3: content cannot run script — neither a front-matter value or a unit name in a
generated page, nor raw HTML or a `javascript:` link in an approved body."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from rutinportal.cli import main
from rutinportal.site.build import build_site

from ..site import payload
from ..site.test_build import site_text


def test_an_approved_title_tag_or_unit_name_is_text_on_every_page(example_repo: Path) -> None:
    """The attack: a routine titled `<img src=x onerror=…>` with an HTML tag and a unit whose
    name is `<svg onload=…>`, approved, then read on its page, /taggar/ and a reading list."""
    root = payload.make_payload_repo(example_repo)
    texts = site_text(build_site(root, root / "out"))
    pages = ["rutiner/payload/index.html", "taggar/index.html", "laslistor/hemtjanst/index.html",
             "rutiner/index.html", "search/search_index.json"]
    for page in pages:
        for raw in payload.RAW:
            assert raw not in texts[page], (page, raw)
    assert "&lt;img src=x onerror=alert(1)&gt;" in texts["rutiner/payload/index.html"]


BODY_ATTACKS = {
    "<script>alert(1)</script>": "<script>",
    '<img src=x onerror="alert(2)">': "onerror",
    "[Öppna](javascript:alert(3))": "javascript:",
    '<iframe src="https://annan.example/"></iframe>': "<iframe>",
}


def test_raw_html_or_a_script_link_in_a_body_is_refused_before_anything_is_built(
        example_repo: Path) -> None:
    routine = example_repo / "routines/siths-kort.md"
    text = routine.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + "\n\n".join(BODY_ATTACKS)
    routine.write_text(text + "\n", encoding="utf-8")
    file_lines = text.split("\n")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1
    for attack, named in BODY_ATTACKS.items():
        where = f"routines/siths-kort.md:{file_lines.index(attack) + 1}:"
        assert any(where in row and named in row for row in result.output.splitlines()), \
            (where, named, result.output)
    built = subprocess.run([sys.executable, "-m", "properdocs", "build", "-q", "-d", "out"],
                           capture_output=True, text=True, cwd=example_repo)
    assert built.returncode != 0 and not (example_repo / "out/index.html").exists()

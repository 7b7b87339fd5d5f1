"""The hashes of the build's own inline scripts (`csp.json`), for the portal's CSP: every inline
script the theme wrote is hashed, nothing that merely looks like one."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import material

from rutinportal.site import csp

THEME = Path(material.__file__).parent / "templates"


def inline_scripts(site: Path) -> set[str]:
    found = set()
    for page in site.rglob("*.html"):
        found |= set(re.findall(r"<script>(.*?)</script>", page.read_text(encoding="utf-8"),
                                re.S))
    return found


def test_the_build_writes_the_hash_of_every_inline_script_of_the_theme(built_example) -> None:
    data = json.loads((built_example.site / "csp.json").read_text(encoding="utf-8"))
    scripts = inline_scripts(built_example.site)
    assert any(s.startswith("__md_scope=new URL(") for s in scripts)
    assert sorted(data["script_hashes"]) == sorted({csp.digest(s) for s in scripts})
    assert all(h.startswith("'sha256-") and h.endswith("='") for h in data["script_hashes"])


def test_a_script_in_content_gets_no_hash(built_example, tmp_path) -> None:
    site = tmp_path / "site"
    shutil.copytree(built_example.site, site)
    page = site / "rutiner" / "index.html"
    html = page.read_text(encoding="utf-8")
    base = re.search(r'<script>(__md_scope=new URL\("[./]*",location\),.*?)</script>', html,
                     re.S).group(1)
    evil = ["alert(1)",
            base.replace("location)", "location),alert(1)", 1),
            base.replace('URL("', 'URL("/"+alert(1)+"', 1)]
    page.write_text(html.replace("</article>", "".join(f"<script>{e}</script>" for e in evil)
                                 + "</article>"), encoding="utf-8")
    csp.write(site, [THEME])
    hashes = json.loads((site / "csp.json").read_text(encoding="utf-8"))["script_hashes"]
    assert csp.digest(base) in hashes
    assert not {csp.digest(e) for e in evil} & set(hashes)


def test_template_scripts_that_cannot_be_matched_safely_are_left_out(tmp_path) -> None:
    (tmp_path / "a.html").write_text(
        '<script>var a="{{ base_url }}";</script>'
        '<script>var b={{ config.x }};</script>'
        '<script>{% if x %}var c=1{% endif %}</script>'
        '<script src="x.js"></script>', encoding="utf-8")
    patterns = csp.template_patterns([tmp_path])
    assert [p.pattern for p in patterns] == [r'var\ a=' + csp.HOLE_VALUE + ";"]
    assert patterns[0].fullmatch('var a="../..";')
    assert not patterns[0].fullmatch('var a="x";alert(1);"";')


def test_the_digest_is_the_browsers() -> None:
    # The example of CSP Level 3, section 8.3 (hash of "alert('Hello, world.');").
    assert csp.digest("alert('Hello, world.');") == \
        "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='"

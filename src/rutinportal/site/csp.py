"""The hashes of the build's own inline scripts, for the portal's Content-Security-Policy.

The theme writes a few small inline scripts into every page (Material's `__md_scope` set-up,
the tab restorer …). The portal allows scripts only from the site itself plus these, by their
SHA-256 (`script-src 'self' 'sha256-…'`), so a script that reached a page any other way —
through a title, a tag or a body that escaped escaping — does not run.

Which inline scripts are the build's own is decided from the templates, not from the pages:
every bare `<script>…</script>` in the theme's templates (and `overrides/`) is a pattern whose
only variable parts are `"{{ … }}"` string literals made of dots and slashes (the relative base
URL). A script in a built page is hashed only when it matches such a pattern exactly; anything
else in a page gets no hash and the browser refuses to run it. The result is written to
`csp.json` in the built site, which the portal reads with the rest of the build.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path

FILE_NAME = "csp.json"
FORMAT_VERSION = 1

# Only bare script tags: one with attributes is either external (src=), data (type=…json) or
# not the theme's.
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
TEMPLATE_HOLE = re.compile(r'"\{\{.*?\}\}"', re.S)
# What a hole may become: a relative base URL such as "../..", "." or "/". A string literal of
# dots and slashes cannot end the literal or carry code.
HOLE_VALUE = r'"[./]*"'
TEMPLATE_SUFFIXES = (".html", ".j2")


def template_patterns(template_dirs: Iterable[str | Path]) -> list[re.Pattern[str]]:
    """A full-match pattern for each bare inline script of the templates.

    A script with Jinja statements (`{% … %}`) or with a `{{ … }}` outside a string literal
    cannot be matched safely and is left out: such a script would be refused by the browser,
    which the CSP browser test reports.
    """
    patterns: dict[str, re.Pattern[str]] = {}
    for folder in template_dirs:
        for path in sorted(Path(folder).rglob("*")):
            if path.suffix not in TEMPLATE_SUFFIXES or not path.is_file():
                continue
            for body in INLINE_SCRIPT.findall(path.read_text(encoding="utf-8")):
                parts = TEMPLATE_HOLE.split(body)
                if "{%" in body or any("{{" in part or "{#" in part for part in parts):
                    continue
                regex = HOLE_VALUE.join(re.escape(part) for part in parts)
                patterns.setdefault(regex, re.compile(regex, re.S))
    return list(patterns.values())


def digest(script: str) -> str:
    """The CSP source expression for one inline script (the browser hashes it as UTF-8)."""
    raw = hashlib.sha256(script.replace("\r\n", "\n").encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(raw).decode("ascii") + "'"


def script_hashes(site_dir: Path, patterns: list[re.Pattern[str]]) -> list[str]:
    """The hashes of the inline scripts in the built pages that are the templates' own."""
    seen: set[str] = set()
    own: set[str] = set()
    for page in site_dir.rglob("*.html"):
        for body in INLINE_SCRIPT.findall(page.read_text(encoding="utf-8")):
            if body in seen:
                continue
            seen.add(body)
            if any(pattern.fullmatch(body) for pattern in patterns):
                own.add(digest(body))
    return sorted(own)


def write(site_dir: Path, template_dirs: Iterable[str | Path]) -> Path:
    """Write `csp.json` (the script hashes) into the built site."""
    hashes = script_hashes(Path(site_dir), template_patterns(template_dirs))
    target = Path(site_dir) / FILE_NAME
    target.write_text(json.dumps({"format": FORMAT_VERSION, "script_hashes": hashes},
                                 indent=1), encoding="utf-8")
    return target

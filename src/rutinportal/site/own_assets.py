"""The portal's own stylesheet and script, as the site serves them: minified.

The sources in `assets/` keep their comments (they say why); a phone on a weak connection gets
them without (rcssmin, rjsmin). Together they must stay within `BUDGET_GZIP` bytes gzipped:
`tests/site` guards it and `make bench` reports it. Each is served under a name that carries
its content hash (`rutinportal.<hash>.css`), as the theme's own assets are, so a browser may
keep it for a year (`portal.web.static`) and a new version is a new name.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib.resources import files

import rcssmin
import rjsmin

CSS = "rutinportal.css"
JS = "rutinportal.js"
NAMES = (CSS, JS)
BUDGET_GZIP = 8 * 1024


def source(name: str) -> str:
    return (files("rutinportal.site") / "assets" / name).read_text(encoding="utf-8")


@lru_cache(maxsize=4)
def _minified(name: str, text: str) -> bytes:
    minify = rcssmin.cssmin if name.endswith(".css") else rjsmin.jsmin
    return minify(text).encode("utf-8")


def served(name: str) -> bytes:
    """The asset as the site serves it (the source minified)."""
    if name not in NAMES:
        raise KeyError(name)
    return _minified(name, source(name))


def file_name(name: str) -> str:
    """The name the site serves `name` under: the first 8 hex digits of its SHA-256 in it."""
    stem, suffix = name.rsplit(".", 1)
    return f"{stem}.{hashlib.sha256(served(name)).hexdigest()[:8]}.{suffix}"

"""The portal's own stylesheet and script, as the site serves them: minified.

The sources in `assets/` keep their comments (they say why); a phone on a weak connection gets
them without (rcssmin, rjsmin). Together they must stay within `BUDGET_GZIP` bytes gzipped:
`tests/site` guards it and `make bench` reports it.
"""

from __future__ import annotations

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

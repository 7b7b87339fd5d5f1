"""A working copy's text as HTML, for those who decide: the proposed text as it will read.

Python-Markdown with the extensions the redline reads texts with (`textblocks.EXTENSIONS`),
then the nh3 sanitizer with a short allow-list: `check` already refuses a body that could run
script, and a decision pack is also opened from disk and turned into a PDF, so nothing but
text structure passes (no images, no styles, no ids: nothing is fetched, nothing collides).
"""

from __future__ import annotations

import re

import markdown
import nh3
from markupsafe import Markup

from ..textblocks import EXTENSIONS

TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "b", "i",
        "code", "pre", "blockquote", "table", "thead", "tbody", "tr", "th", "td", "a", "abbr",
        "kbd", "br", "hr", "details", "summary", "div", "dl", "dt", "dd", "sup", "sub"}
ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "div": {"class"}, "p": {"class"},
              "ol": {"start"}, "th": {"scope", "colspan", "rowspan"},
              "td": {"colspan", "rowspan"}}
_HEADING = re.compile(r"<(/?)h([1-6])(?=[\s>])")


def text_html(body: str, heading_offset: int) -> Markup:
    """`body` (Markdown) as sanitised HTML; a heading of level N becomes h(N + offset), at
    most h6, so that the text's `## Syfte` sits under the heading of the page around it."""
    converted = markdown.markdown(body, extensions=EXTENSIONS)
    clean = nh3.clean(converted, tags=TAGS, attributes=ATTRIBUTES,
                      url_schemes={"http", "https", "mailto", "tel"})
    shifted = _HEADING.sub(
        lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + heading_offset, 6)}", clean)
    return Markup(shifted)

"""What a Markdown body may contain: no script, and links only to safe places.

The site is the intranet and the dashboard shares its origin, so a body must not be able to
run script. Raw HTML is allowed only from a short list (`ALLOWED_TAGS`); every element is put
through the nh3 sanitizer (Ammonia) with that policy, and whatever it would remove is an error
that names the file, the line and what was found. Links and images must be relative or use
`SCHEMES`; `{ … }` attribute lists (the attr_list extension) may not set event handlers,
styles or addresses.
"""

from __future__ import annotations

import shlex
from html import escape
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

from .markdown import outline
from .problems import Problem

ALLOWED_TAGS = {"abbr", "br", "details", "kbd", "summary"}
ALLOWED_ATTRIBUTES = {"abbr": {"title"}, "details": {"open"}}
SCHEMES = ("http", "https", "mailto", "tel")
# Elements that run script, style the page or embed other content: named as forbidden.
FORBIDDEN_TAGS = {"script", "style", "iframe", "object", "embed", "form", "frame", "frameset",
                  "link", "meta", "base", "svg", "math", "template", "input", "button"}
ATTRIBUTE_LIST_KEYS = {"title", "lang", "width", "height", "loading"}

_TAGS_TEXT = ", ".join(f"<{t}>" for t in sorted(ALLOWED_TAGS))
_SCHEMES_TEXT = ", ".join(f"{s}:" for s in SCHEMES)


class _Elements(HTMLParser):
    """The start tags of an HTML fragment with their attributes (entities decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str]]]] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.found.append((tag, [(k, v or "") for k, v in attrs]))

    def handle_startendtag(self, tag, attrs) -> None:
        self.handle_starttag(tag, attrs)


def elements(fragment: str) -> list[tuple[str, list[tuple[str, str]]]]:
    parser = _Elements()
    parser.feed(fragment)
    parser.close()
    return parser.found


def _sanitised(tag: str, attrs: list[tuple[str, str]]) -> tuple[bool, set[str]]:
    """What nh3 keeps of one element: (the element, the names of its attributes)."""
    html = f"<{tag}" + "".join(f' {k}="{escape(v)}"' for k, v in attrs) + ">"
    kept = elements(nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                              url_schemes=set(SCHEMES), strip_comments=False, link_rel=None))
    if not kept or kept[0][0] != tag:
        return False, set()
    return True, {k for k, _ in kept[0][1]}


def _html_problems(fragment: str, where: tuple[str, int]) -> list[Problem]:
    path, line = where
    problems = []
    for tag, attrs in elements(fragment):
        kept, kept_attrs = _sanitised(tag, attrs)
        if not kept:
            message = (f"elementet <{tag}> är förbjudet i texten (det kan köra skript eller "
                       "bädda in annat innehåll)" if tag in FORBIDDEN_TAGS else
                       f"rå HTML <{tag}> är inte tillåten i texten; förväntade Markdown eller "
                       f"någon av {_TAGS_TEXT}")
            problems.append(Problem(path, line, None, message))
        for name, _ in attrs:
            if name in kept_attrs or (not kept and not name.startswith("on")):
                continue
            if name.startswith("on"):
                message = (f"attributet {name} på <{tag}> är förbjudet i texten "
                           "(händelseattribut kör skript)")
            else:
                allowed = ", ".join(sorted(ALLOWED_ATTRIBUTES.get(tag, ()))) or "inga"
                message = (f"attributet {name} på <{tag}> är inte tillåtet i texten; "
                           f"tillåtna attribut: {allowed}")
            problems.append(Problem(path, line, None, message))
    return problems


def _scheme(url: str) -> str | None:
    """The scheme of a URL that is not allowed, or None (relative or an allowed scheme)."""
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return "ogiltig"
    return scheme if scheme and scheme not in SCHEMES else None


def _attribute_list_problems(group: str, where: tuple[str, int]) -> list[Problem]:
    try:
        words = shlex.split(group.strip("{}").lstrip(":"))
    except ValueError:
        return []
    problems = []
    for word in words:
        key = word.split("=", 1)[0].strip().lower()
        if "=" not in word and not key.startswith("on"):
            continue  # #id, .class, or plain text in braces
        if key not in ATTRIBUTE_LIST_KEYS:
            reason = "händelseattribut kör skript" if key.startswith("on") else \
                f"tillåtna är #id, .klass och {', '.join(sorted(ATTRIBUTE_LIST_KEYS))}"
            problems.append(Problem(where[0], where[1], None, (
                f"attributlistan {group} sätter {key}, som är förbjudet i texten ({reason})")))
    return problems


def _may_be_unsafe(body: str) -> bool:
    """False only when the body can hold no HTML, attribute list, entity, reference
    definition or link address with a scheme: then it need not be tokenised (the common
    case; tokenising every body would double the time of `check`)."""
    if any(mark in body for mark in ("<", "{", "&", "]:", "\\")):
        return True
    start = body.find("](")
    while start != -1:
        end = body.find(")", start + 2)
        if end == -1 or ":" in body[start + 2:end]:
            return True
        start = body.find("](", end)
    return False


def unsafe_content(body: str, path: str, body_line: int) -> list[Problem]:
    """Everything in a body that could run script or lead to an unsafe address; lines are
    in the file (`body_line`: where the body starts)."""
    if not _may_be_unsafe(body):
        return []
    found = outline(body)
    problems: list[Problem] = []
    for html in found.html:
        problems += _html_problems(html.text, (path, body_line + html.line - 1))
    for group in found.attribute_lists:
        problems += _attribute_list_problems(group.text, (path, body_line + group.line - 1))
    for link in found.links:
        scheme = _scheme(link.url)
        if scheme:
            what = "bilden" if link.image else "länken"
            shown = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in link.url)
            shown = shown if len(shown) <= 60 else shown[:57] + "…"
            problems.append(Problem(path, body_line + link.line - 1, None, (
                f"{what} {shown} är inte tillåten: förväntade en relativ länk eller en adress "
                f"som börjar med {_SCHEMES_TEXT}, fick {scheme}:")))
    return problems

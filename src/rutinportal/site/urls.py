"""The site's one URL scheme: where every generated page lives.

Pages are addressed by their source URI (`rutiner/siths-kort.md`). `page_url` gives the
absolute URL that the portal and `catalog.json` use (`/rutiner/siths-kort/`); `href` the
relative URL from one page to another, for the HTML our templates write (the site is built with
directory URLs, so `a/b.md` is served as `a/b/`). Relative URLs keep the site working under any
path prefix; `tests/site` checks that every one of them leads to a built file.

An old approved version and the "what has changed" page of a version live beside the
document's page (`siths-kort.version-1.md`, `siths-kort.andringar-2.md`), in the same folder,
so the relative links inside an approved text resolve there exactly as on the document's page.
"""

from __future__ import annotations

import posixpath
from functools import lru_cache

REGISTER = "rutiner/index.md"
READING_LISTS = "laslistor/index.md"
MY_READING_LIST = "min-laslista.md"
NEWS = "nytt.md"
COURSES = "utbildning/index.md"
LESSONS = "lardomar/index.md"
MY_PAGE = "min-sida.md"
FOLLOW_UP = "uppfoljning.md"
QUIZ_FOLDER = "quiz"


def page_url(src_uri: str) -> str:
    """The absolute URL of a source page with directory URLs: `a/b.md` → `/a/b/`."""
    stem = src_uri[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")]
    return "/" + (stem + "/" if stem and not stem.endswith("/") else stem)


def markdown_link(from_uri: str, to_uri: str) -> str:
    """A relative Markdown link between two source pages, which the engine resolves."""
    return posixpath.relpath(to_uri, posixpath.dirname(from_uri) or ".")


@lru_cache(maxsize=16384)  # a large build asks for the same few thousand links many times
def href(from_uri: str, to_uri: str, fragment: str = "") -> str:
    """The relative URL from the page `from_uri` to the page `to_uri` (and `#fragment`)."""
    relative = posixpath.relpath(page_url(to_uri), page_url(from_uri))
    return ("./" if relative == "." else relative + "/") + (f"#{fragment}" if fragment else "")


def reading_list_uri(audience_id: str) -> str:
    return f"laslistor/{audience_id}.md"


def quiz_uri(quiz_id: str) -> str:
    return f"{QUIZ_FOLDER}/{quiz_id}.md"


def course_uri(course_id: str) -> str:
    return f"utbildning/{course_id}/index.md"


def version_uri(site_path: str, version: int) -> str:
    """An earlier approved version of the document whose page is `site_path`, as it was."""
    return f"{site_path[: -len('.md')]}.version-{version}.md"


def changes_uri(site_path: str, version: int) -> str:
    """"Vad har ändrats?" for `version` of the document whose page is `site_path`."""
    return f"{site_path[: -len('.md')]}.andringar-{version}.md"


def reading_list_quiz_id(audience_id: str) -> str:
    return f"laslista-{audience_id}"

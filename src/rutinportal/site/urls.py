"""The site's one URL scheme: where every generated page lives.

Pages are addressed by their source URI (`rutiner/siths-kort.md`); `link` makes the relative
Markdown link between two of them (the engine resolves and checks it), `page_url` the
absolute URL that the portal and `catalog.json` use (`/rutiner/siths-kort/`).
"""

from __future__ import annotations

import posixpath

REGISTER = "rutiner/index.md"
READING_LISTS = "laslistor/index.md"
NEWS = "nytt.md"
COURSES = "utbildning/index.md"
LESSONS = "lardomar/index.md"
MY_PAGE = "min-sida.md"
FOLLOW_UP = "uppfoljning.md"
QUIZ_FOLDER = "quiz"


def link(from_uri: str, to_uri: str) -> str:
    """A relative Markdown link from one source page to another."""
    return posixpath.relpath(to_uri, posixpath.dirname(from_uri) or ".")


def page_url(src_uri: str) -> str:
    """The absolute URL of a source page with directory URLs: `a/b.md` → `/a/b/`."""
    stem = src_uri[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")]
    return "/" + (stem + "/" if stem and not stem.endswith("/") else stem)


def reading_list_uri(audience_id: str) -> str:
    return f"laslistor/{audience_id}.md"


def quiz_uri(quiz_id: str) -> str:
    return f"{QUIZ_FOLDER}/{quiz_id}.md"


def course_uri(course_id: str) -> str:
    return f"utbildning/{course_id}/index.md"


def reading_list_quiz_id(audience_id: str) -> str:
    return f"laslista-{audience_id}"

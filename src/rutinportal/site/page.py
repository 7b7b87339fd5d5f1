"""A generated page as the site engine gets it.

The engine converts Markdown only where there is Markdown: the approved text of a document
(`body`). Everything the build adds around it (the heading, the metadata box, the acknowledge
section, the version history, every list and register) is HTML from our autoescaped templates
(`top`, `bottom`), which the theme places around the converted body (`overrides/main.html`).
So a value from front-matter, `organisation.yml` or `courses.yml` reaches a page only through
Jinja's escaping, the engine does no Markdown work on it, and search indexes only the body.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml
from markupsafe import Markup, escape

EMPTY = Markup("")
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when PyYAML has it


@dataclass(frozen=True)
class Heading:
    """A heading in `top` or `bottom`, listed in the page's table of contents."""

    id: str
    text: str


@dataclass(frozen=True)
class GeneratedPage:
    title: str                          # plain text, as written
    top: Markup                         # HTML above the body, starting with the <h1>
    body: str = ""                      # Markdown for the engine: an approved text, or ""
    bottom: Markup = EMPTY              # HTML below the body
    tags: tuple[str, ...] = ()
    hide: tuple[str, ...] = ()          # theme parts to hide: "navigation", "toc"
    searchable: bool = True
    headings_before: tuple[Heading, ...] = ()   # in `top`, before the body's own headings
    headings_after: tuple[Heading, ...] = ()    # in `bottom`

    def source(self) -> str:
        """The Markdown file the engine reads: front-matter, then the body.

        The engine and the theme write a page's title and tags into the HTML as they are
        (they are HTML to them, as a title taken from a Markdown heading would be), so they
        are handed over escaped: they then show exactly as written.
        """
        meta: dict = {"title": str(escape(self.title))}
        if self.tags:
            meta["tags"] = [str(escape(tag)) for tag in self.tags]
        if self.hide:
            meta["hide"] = list(self.hide)
        if not self.searchable:
            meta["search"] = {"exclude": True}
        front = yaml.dump(meta, Dumper=_DUMPER, allow_unicode=True, sort_keys=False)
        return f"---\n{front}---\n\n{self.body}"

"""A generated page as the site engine gets it.

The engine converts Markdown only where there is Markdown: the approved text of a document
(`body`). Everything the build adds around it (the heading, the metadata box, the acknowledge
section, the version history, every list and register) is HTML from our autoescaped templates
(`top`, `bottom`), which the theme places around the converted body (`overrides/main.html`).
So a value from front-matter, `organisation.yml` or `courses.yml` reaches a page only through
Jinja's escaping, the engine does no Markdown work on it, and search indexes only the body.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

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
class Later:
    """A `top` that reads other pages as the engine converted them (a redline compares the
    versions as the site shows them, without converting their texts a second time).
    `render` gets the converted HTML by source URI; a page it needs that is not there (no
    engine, or no page shows that text) it works out itself."""

    needs: tuple[str, ...]
    render: Callable[[Mapping[str, str]], Markup]


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
    later: Later | None = None          # `top`, once the engine has converted other pages

    def finished(self, converted: Mapping[str, str]) -> GeneratedPage:
        """The page with its `top` made from `converted` (HTML by source URI) if it waits."""
        if self.later is None:
            return self
        return replace(self, top=self.later.render(converted), later=None)

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

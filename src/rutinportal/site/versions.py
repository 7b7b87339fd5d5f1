"""Earlier versions and what changed: the version history of a document page, every earlier
approved version as it was ("Ersatt" with the day it stopped being valid), and a "Vad har
ändrats?" page for every approved version after the first (the change note and a word-level
redline against the version before it, `approval.redline`).

Only approved snapshots make these pages: a version that is not approved has none. They stay
out of the navigation and out of search (the current text is what a search should find), and
an earlier version carries no tags, so tag pages list only the current one.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

from markupsafe import Markup

from ..approval.redline import compare
from ..approval.redline_layout import layout
from ..approval.textblocks import html_blocks, text_blocks
from ..content.documents import Kind
from ..content.links import without_links_to
from ..content.publications import Publication
from ..content.snapshots import Snapshot
from .page import EMPTY, GeneratedPage, Later
from .rendering import html
from .urls import REGISTER, changes_uri, href, markdown_link, version_uri


def _superseded(pub: Publication) -> dict[int, Snapshot]:
    """Version → the approved version that replaced it."""
    return {old.version: new for old, new in zip(pub.history, pub.history[1:])}


def history_rows(pub: Publication, from_uri: str) -> list[dict]:
    """The version history of `pub` for the page `from_uri`, newest first."""
    replaced_by = _superseded(pub)
    rows = []
    for index, snapshot in enumerate(pub.history):
        successor = replaced_by.get(snapshot.version)
        rows.append({
            "version": snapshot.version,
            "approved_on": snapshot.approval.approved_on,
            "approved_by": snapshot.approval.approved_by or "",
            "decision": snapshot.approval.decision or "",
            "superseded_on": successor.approval.approved_on if successor else None,
            "text_link": href(from_uri, version_uri(pub.site_path, snapshot.version))
            if successor else None,
            "changes_link": href(from_uri, changes_uri(pub.site_path, snapshot.version))
            if index else None,
        })
    return rows[::-1]


def _facts(snapshot: Snapshot) -> dict:
    return {"version": snapshot.version, "title": snapshot.content.title,
            "approved_on": snapshot.approval.approved_on,
            "approved_by": snapshot.approval.approved_by or "",
            "decision": snapshot.approval.decision or ""}


def old_version_page(pub: Publication, snapshot: Snapshot, successor: Snapshot,
                     previous: Snapshot | None, unpublished: Mapping[str, str]
                     ) -> GeneratedPage:
    uri = version_uri(pub.site_path, snapshot.version)
    title = f"{snapshot.content.title} – version {snapshot.version} (ersatt)"
    top = html("old_version.html.j2", title=title, id=pub.id, this=_facts(snapshot),
               successor=_facts(successor), current_link=href(uri, pub.site_path),
               changes_link=href(uri, changes_uri(pub.site_path, successor.version)),
               previous_changes_link=href(uri, changes_uri(pub.site_path, snapshot.version))
               if previous else None)
    # A document it linked to may have been retired since: the link becomes its text.
    body = without_links_to(uri, snapshot.body, unpublished, markdown_link(uri, REGISTER))
    return GeneratedPage(title, top=top, body=body, searchable=False)


def _blocks(snapshot: Snapshot, shown_on: str | None, converted: Mapping[str, str]):
    """The blocks of a version's text: from the page that shows it, as the engine converted
    it, or else from its Markdown."""
    if shown_on is not None and shown_on in converted:
        return html_blocks(converted[shown_on])
    return text_blocks(snapshot.body)


def _render_changes(converted: Mapping[str, str], *, pub: Publication, snapshot: Snapshot,
                    previous: Snapshot, old_on: str, new_on: str | None,
                    is_current: bool) -> Markup:
    uri = changes_uri(pub.site_path, snapshot.version)
    result = compare(_blocks(previous, old_on, converted),
                     _blocks(snapshot, new_on, converted))
    return html("changes.html.j2", heading=f"Vad har ändrats i version {snapshot.version}?",
                title=snapshot.content.title, id=pub.id, this=_facts(snapshot),
                previous=_facts(previous), note=snapshot.content.change_note,
                routine=pub.kind is Kind.ROUTINE, material=snapshot.content.material_change,
                title_changed=previous.content.title != snapshot.content.title,
                redline=result,
                groups=layout(result, changes_only=True),
                text_link=href(uri, pub.site_path if is_current
                               else version_uri(pub.site_path, snapshot.version)),
                previous_link=href(uri, version_uri(pub.site_path, previous.version)),
                current_link=href(uri, pub.site_path), is_current=is_current)


def changes_page(pub: Publication, snapshot: Snapshot, previous: Snapshot,
                 is_current: bool) -> GeneratedPage:
    """"Vad har ändrats?" for `snapshot`: rendered once the engine has converted the pages
    that show the two versions (the earlier version's page, and the document's own page or
    this version's earlier-version page)."""
    old_on = version_uri(pub.site_path, previous.version)
    if not is_current:
        new_on: str | None = version_uri(pub.site_path, snapshot.version)
    else:
        new_on = pub.site_path if pub.body == snapshot.body else None  # not so for a draft
    render = partial(_render_changes, pub=pub, snapshot=snapshot, previous=previous,
                     old_on=old_on, new_on=new_on, is_current=is_current)
    title = f"Vad har ändrats i version {snapshot.version}? {snapshot.content.title}"
    return GeneratedPage(title, top=EMPTY, searchable=False,
                         later=Later(tuple(u for u in (old_on, new_on) if u), render))


def version_pages(pub: Publication, unpublished: Mapping[str, str]
                  ) -> dict[str, GeneratedPage]:
    """The earlier versions of `pub` and what changed in each version after the first."""
    pages: dict[str, GeneratedPage] = {}
    history = pub.history
    for index, snapshot in enumerate(history):
        previous = history[index - 1] if index else None
        successor = history[index + 1] if index + 1 < len(history) else None
        if successor is not None:
            pages[version_uri(pub.site_path, snapshot.version)] = old_version_page(
                pub, snapshot, successor, previous, unpublished)
        if previous is not None:
            pages[changes_uri(pub.site_path, snapshot.version)] = changes_page(
                pub, snapshot, previous, is_current=successor is None)
    return pages

"""Links from a body to other controlled documents, and what a page does when the target is
no longer published.

A link is found with the Markdown tokenizer (`markdown.outline`) and resolved against the
page's place in the site. `submit` and `approve` refuse a link to a document that is not
published; a page that was approved while its target was published keeps building after the
target is retired: `without_links_to` turns such a link into its text and a note. The page
generator calls it (`site.pages`); `check` lists every such link as a warning.
"""

from __future__ import annotations

import html
import posixpath
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from urllib.parse import unquote

from .markdown import Link, outline

RETIRED_NOTE = "*Dokumentet har upphävts*"
UNPUBLISHED_NOTE = "*Dokumentet är inte publicerat*"


@dataclass(frozen=True)
class DocumentLink:
    link: Link
    target: str        # the site path it resolves to, e.g. "rutiner/siths-kort.md"


def _resolve(page: str, url: str) -> str | None:
    path = url.split("#", 1)[0].split("?", 1)[0]
    if not path.endswith(".md") or ":" in path or path.startswith("/"):
        return None
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), path))


def document_links(page: str, body: str, targets: Collection[str]) -> list[DocumentLink]:
    """The links of a body (on the site page `page`) that lead to one of `targets`."""
    if ".md" not in body or not any(posixpath.basename(t) in body for t in targets):
        return []  # no link can lead there: nothing to tokenise (the common case)
    found = []
    for link in outline(body).links:
        resolved = _resolve(page, link.url)
        if resolved in targets:
            found.append(DocumentLink(link, resolved))
    return found


# -- the transformation ------------------------------------------------------------------

def _destination_end(text: str, start: int) -> tuple[str, int] | None:
    """From just after `](`: the destination and the index after the closing `)`."""
    i = start
    while i < len(text) and text[i] in " \t":
        i += 1
    if i < len(text) and text[i] == "<":
        close = text.find(">", i)
        if close == -1:
            return None
        destination, i = text[i + 1:close], close + 1
    else:
        depth, begin = 0, i
        while i < len(text) and not text[i].isspace():
            if text[i] == "\\":
                i += 2
                continue
            if text[i] == "(":
                depth += 1
            elif text[i] == ")":
                if depth == 0:
                    break
                depth -= 1
            i += 1
        destination = text[begin:i]
    depth = 0
    while i < len(text):  # an optional title, then the closing parenthesis
        if text[i] == ")" and depth == 0:
            return destination, i + 1
        if text[i] in "\"'":
            close = text.find(text[i], i + 1)
            if close == -1:
                return None
            i = close
        elif text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
        i += 1
    return None


def _label_start(text: str, bracket: int) -> int | None:
    """From the `]` of `](`: the index of its matching `[`."""
    depth, i = 0, bracket
    while i >= 0:
        if text[i] == "]" and (i == 0 or text[i - 1] != "\\"):
            depth += 1
        elif text[i] == "[" and (i == 0 or text[i - 1] != "\\"):
            depth -= 1
            if depth == 0:
                return i
        i -= 1
    return None


def _same(destination: str, url: str) -> bool:
    return unquote(html.unescape(destination.strip())) == url


def without_links_to(page: str, body: str, unpublished: Mapping[str, str],
                     fallback: str) -> str:
    """The body with every link to an `unpublished` site path (path → note, e.g.
    `RETIRED_NOTE`) replaced by its text and the note. A reference-style link's definition
    is pointed at `fallback` (a page that exists, e.g. the register) instead."""
    links = document_links(page, body, unpublished)
    if not links:
        return body
    notes = {dl.link.url: unpublished[dl.target] for dl in links}
    urls = set(notes)
    out, i = [], 0
    while True:
        found = body.find("](", i)
        if found == -1:
            break
        parsed = _destination_end(body, found + 2)
        start = _label_start(body, found)
        url = next((u for u in urls if parsed and _same(parsed[0], u)), None)
        line_start = body.rfind("\n", 0, found) + 1
        in_code = body.count("`", line_start, found) % 2 == 1
        if parsed is None or start is None or url is None or in_code:
            out.append(body[i:found + 2])
            i = found + 2
            continue
        image = start > 0 and body[start - 1] == "!"
        begin = start - 1 if image else start
        if begin < i:  # overlaps what was already written (a link inside a label)
            out.append(body[i:found + 2])
            i = found + 2
            continue
        out.append(body[i:begin])
        out.append(f"{body[start + 1:found]} ({notes[url]})")
        i = parsed[1]
    out.append(body[i:])
    text = "".join(out)
    lines = []
    for line in text.split("\n"):
        head, sep, tail = line.partition("]:")
        if sep and line.lstrip().startswith("[") and any(_same(tail.split()[0] if tail.split()
                                                              else "", u) for u in urls):
            line = f"{head}]: {fallback}"
        lines.append(line)
    return "\n".join(lines)

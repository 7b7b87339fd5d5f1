"""A Markdown body as a list of what matters to the checks, each with its line in the body.

The body is tokenised with markdown-it-py (CommonMark, raw HTML on), never with regular
expressions, so code blocks and code spans are told apart from links and HTML. Block tokens
carry a line map; an inline element (a link, an inline tag) is placed on the first line of
its block that contains it. Lines are 1-based in the body: add the body's start line in the
file (`FrontMatterSource.body_line`) to report them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token


@dataclass(frozen=True)
class Link:
    url: str           # entities and %-escapes decoded, e.g. "../rutiner/siths-kort.md#syfte"
    line: int
    image: bool
    text: str          # the link text (for an image: its alt text)


@dataclass(frozen=True)
class Html:
    text: str          # the raw HTML as written
    line: int


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    line: int
    empty: bool        # nothing under it before the next heading of the same or a higher level


@dataclass
class Outline:
    links: list[Link] = field(default_factory=list)
    html: list[Html] = field(default_factory=list)
    attribute_lists: list[Html] = field(default_factory=list)  # `{ … }` (attr_list syntax)
    headings: list[Heading] = field(default_factory=list)
    empty_items: list[int] = field(default_factory=list)       # lines of empty list items


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    # Keep every link, whatever its scheme: deciding which schemes are allowed is ours
    # (markdown-it would silently turn a javascript: link into text; the site's engine would not).
    md.validateLink = lambda url: True
    return md


_MD = _parser()


def _attribute_lists(text: str) -> list[str]:
    """`{ … }` groups in a text: the attr_list extension turns them into HTML attributes."""
    found, start = [], text.find("{")
    while start != -1:
        end = text.find("}", start)
        if end == -1:
            break
        found.append(text[start:end + 1])
        start = text.find("{", end)
    return found


class _Lines:
    """Places an inline element on a line of its block."""

    def __init__(self, lines: list[str]):
        self.lines = lines

    def find(self, needle: str, first: int, last: int) -> int:
        for index in range(first, min(last, len(self.lines))):
            if needle and needle in self.lines[index]:
                return index + 1
        return first + 1


def _inline(token: Token, block: tuple[int, int], lines: _Lines, out: Outline) -> None:
    children = token.children or []
    for index, child in enumerate(children):
        if child.type in ("link_open", "image"):
            href = child.attrs.get("href" if child.type == "link_open" else "src", "")
            url = unquote(str(href))
            if child.type == "image":
                text = child.content
            else:
                text = ""
                for following in children[index + 1:]:
                    if following.type == "link_close":
                        break
                    text += following.content
            out.links.append(Link(url, lines.find(url, *block), child.type == "image", text))
        elif child.type == "html_inline":
            out.html.append(Html(child.content, lines.find(child.content, *block)))
        elif child.type == "text":
            for group in _attribute_lists(child.content):
                out.attribute_lists.append(Html(group, lines.find(group, *block)))


@lru_cache(maxsize=8192)
def outline(body: str) -> Outline:
    """What a body contains (cached: a working copy and its snapshot often share a body)."""
    tokens = _MD.parse(body)
    lines = _Lines(body.replace("\r\n", "\n").split("\n"))
    out = Outline()
    open_headings: list[tuple[int, str, int, int]] = []  # (level, text, line, index in out)
    content_since: list[bool] = []
    for index, token in enumerate(tokens):
        block = (token.map[0], token.map[1]) if token.map else (0, 0)
        if token.type == "heading_open":
            level = int(token.tag[1])
            text = tokens[index + 1].content if index + 1 < len(tokens) else ""
            # Close the headings this one ends (same or higher level).
            while open_headings and open_headings[-1][0] >= level:
                lvl, txt, ln, _ = open_headings.pop()
                out.headings.append(Heading(lvl, txt, ln, not content_since.pop()))
            for i in range(len(content_since)):
                content_since[i] = True  # a subheading is content of its parents
            open_headings.append((level, text, block[0] + 1, len(out.headings)))
            content_since.append(False)
        elif token.type == "html_block":
            out.html.append(Html(token.content, block[0] + 1))
            # The site's engine (Python-Markdown) reads Markdown around inline tags that
            # CommonMark takes for a raw block: look for links in it too.
            links = Outline()
            for inline in _MD.parseInline(token.content):
                _inline(inline, block, lines, links)
            out.links += links.links
        elif token.type == "inline":
            _inline(token, block, lines, out)
            if not token.content.strip():
                if tokens[index - 1].type == "paragraph_open" and index >= 2 \
                        and tokens[index - 2].type == "list_item_open":
                    out.empty_items.append(block[0] + 1)
            elif tokens[index - 1].type != "heading_open":
                content_since[:] = [True] * len(content_since)
        elif token.type in ("fence", "code_block", "hr") or (
                token.type == "list_item_open" and tokens[index + 1].type == "list_item_close"):
            if token.type == "list_item_open":
                out.empty_items.append(block[0] + 1)
            else:
                content_since[:] = [True] * len(content_since)
        if token.type == "html_block":
            content_since[:] = [True] * len(content_since)
    while open_headings:
        lvl, txt, ln, _ = open_headings.pop()
        out.headings.append(Heading(lvl, txt, ln, not content_since.pop()))
    out.headings.sort(key=lambda h: h.line)
    return out

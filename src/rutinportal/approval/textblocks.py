"""The blocks a reader sees in a Markdown text: headings, paragraphs, list items, table rows, code.

Python-Markdown renders the text; the blocks are read back from its HTML, so Markdown syntax,
list numbering and line wrapping are gone and only what a reader sees is left. Each block keeps
its markup (tags and link targets) too, so a change of link or emphasis can be told apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

import markdown

# Python-Markdown's own extensions for what approved texts use; enough to find the blocks.
EXTENSIONS = ["tables", "admonition", "attr_list", "md_in_html", "fenced_code", "sane_lists"]


@dataclass(frozen=True)
class TextBlock:
    """One block of a text as a reader sees it."""

    kind: str                    # heading, paragraph, item, row, code
    level: int                   # heading level, list depth, 0
    ordered: bool                # an item of a numbered list
    cells: tuple[str, ...]       # one for most blocks; a table row has one per cell
    markup: str                  # the block's HTML, whitespace collapsed
    header: bool = False         # a table row of header cells

    @property
    def text(self) -> str:
        return " | ".join(self.cells)

    @property
    def key(self) -> tuple:
        return (self.kind, self.level, self.ordered, tuple(" ".join(c.split())
                                                           for c in self.cells))


@lru_cache(maxsize=1)
def _markdown() -> markdown.Markdown:
    # One converter per process, reset between texts: setting one up costs more than a text.
    return markdown.Markdown(extensions=EXTENSIONS)


def text_blocks(text: str) -> list[TextBlock]:
    """The blocks of a Markdown text, in reading order."""
    return html_blocks(_markdown().reset().convert(text))


def html_blocks(html: str) -> list[TextBlock]:
    """The blocks of a text already rendered as HTML (as the site shows it), in reading order.
    A heading's permalink (`<a class="headerlink">`) is not part of its text."""
    parser = _BlockParser()
    parser.feed(html)
    parser.close()
    parser.finish()
    return parser.blocks


_HEADINGS = {f"h{n}" for n in range(1, 7)}
_OWN_BLOCK = _HEADINGS | {"p", "li", "tr", "pre", "dt", "dd"}
_KEPT_ATTRIBUTES = ("href", "src", "alt", "title")


class _Frame:
    def __init__(self, tag: str, kind: str, level: int = 0, ordered: bool = False) -> None:
        self.tag, self.kind, self.level, self.ordered = tag, kind, level, ordered
        self.cells: list[list[str]] = [[]]
        self.markup: list[str] = []
        self.header = False


class _BlockParser(HTMLParser):
    """Blocks from Python-Markdown's HTML: a paragraph inside a list item is the item's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[TextBlock] = []
        self.frame: _Frame | None = None
        self.lists: list[str] = []
        self.skipping = 0   # inside a heading's permalink

    def _open(self, frame: _Frame) -> None:
        self._flush()
        self.frame = frame

    def _flush(self) -> None:
        frame, self.frame = self.frame, None
        if frame is None:
            return
        cells = tuple(" ".join("".join(c).split()) for c in frame.cells)
        if frame.kind == "row":
            cells = tuple(c for c in cells[1:]) if len(cells) > 1 else cells
        if any(cells):
            self.blocks.append(TextBlock(frame.kind, frame.level, frame.ordered, cells,
                                         " ".join("".join(frame.markup).split()),
                                         frame.header))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping or (tag == "a" and ("class", "headerlink") in attrs):
            self.skipping += tag == "a"
            return
        if tag in ("ul", "ol"):
            self._flush()
            self.lists.append(tag)
        elif tag == "li":
            self._open(_Frame(tag, "item", len(self.lists), self.lists[-1:] == ["ol"]))
        elif tag in _HEADINGS:
            self._open(_Frame(tag, "heading", int(tag[1])))
        elif tag == "tr":
            self._open(_Frame(tag, "row"))
        elif tag in ("td", "th") and self.frame is not None and self.frame.kind == "row":
            self.frame.cells.append([])
            self.frame.header = tag == "th"
        elif tag == "pre":
            self._open(_Frame(tag, "code"))
        elif tag in _OWN_BLOCK and not (self.frame and self.frame.kind in ("item", "code")):
            self._open(_Frame(tag, "paragraph"))
        if self.frame is not None:
            kept = " ".join(f'{k}="{v}"' for k, v in attrs if k in _KEPT_ATTRIBUTES)
            self.frame.markup.append(f"<{tag}{' ' + kept if kept else ''}>")
            if tag == "br":
                self.frame.cells[-1].append(" ")

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            self.skipping -= tag == "a"
            return
        if tag in ("ul", "ol"):
            self._flush()
            if self.lists:
                self.lists.pop()
        elif self.frame is not None:
            self.frame.markup.append(f"</{tag}>")
            if tag == self.frame.tag:
                self._flush()

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.frame is None:
            if not data.strip():
                return
            self.frame = _Frame("", "paragraph")   # text outside any block (e.g. a <div>)
        self.frame.cells[-1].append(data)
        self.frame.markup.append(data)

    def finish(self) -> None:
        self._flush()

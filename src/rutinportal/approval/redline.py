"""A word-level redline between two approved texts: what a reader sees has changed.

Pure: two Markdown texts in, a `Redline` out (no files, no site engine). Both texts are turned
into the blocks a reader sees (headings, paragraphs, list items, table rows, code) by
Python-Markdown, so Markdown syntax, list numbering and line wrapping never count as changes.
The blocks are aligned first; a block that is in both but differs gets a diff of its words.
A block deleted in one place and inserted unchanged in another is a move. A block whose words
are the same but whose markup is not (a link target, emphasis) is marked as such, so no
change is silent.

Used by the site's "Vad har ändrats?" pages and by the decision pack. The blocks come from
`textblocks`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from .textblocks import TextBlock, text_blocks

SIMILAR = 0.4   # share of words in common from which two blocks are one block, changed


class Change(StrEnum):
    SAME = "same"
    INSERTED = "inserted"
    DELETED = "deleted"


class BlockChange(StrEnum):
    SAME = "same"
    CHANGED = "changed"          # words inserted and/or deleted inside the block
    FORMAT = "format"            # the same words, other markup (link target, emphasis)
    INSERTED = "inserted"
    DELETED = "deleted"
    MOVED_FROM = "moved_from"    # the block was here and is now elsewhere, unchanged
    MOVED_TO = "moved_to"


@dataclass(frozen=True)
class Piece:
    """Words of one kind of change; `space` says whether a space comes before them."""

    change: Change
    text: str
    space: bool = True


@dataclass(frozen=True)
class Block:
    """A block of the redline: where it comes from, how it changed, and its words per cell."""

    change: BlockChange
    block: TextBlock                       # the new block (the old one when deleted)
    cells: tuple[tuple[Piece, ...], ...]

    @property
    def words_inserted(self) -> int:
        return sum(len(p.text.split()) for cell in self.cells for p in cell
                   if p.change is Change.INSERTED)

    @property
    def words_deleted(self) -> int:
        return sum(len(p.text.split()) for cell in self.cells for p in cell
                   if p.change is Change.DELETED)


@dataclass(frozen=True)
class Redline:
    blocks: tuple[Block, ...]

    @property
    def changed(self) -> bool:
        return any(b.change is not BlockChange.SAME for b in self.blocks)

    @property
    def words_inserted(self) -> int:
        return sum(b.words_inserted for b in self.blocks)

    @property
    def words_deleted(self) -> int:
        return sum(b.words_deleted for b in self.blocks)


def redline(old: str, new: str) -> Redline:
    """The redline from Markdown text `old` to Markdown text `new`."""
    return compare(text_blocks(old), text_blocks(new))


# -- comparing ----------------------------------------------------------------------------------

_TOKEN = re.compile(r"\w+|[^\w\s]+")   # words, and runs of punctuation on their own


def _tokens(text: str) -> list[tuple[str, bool]]:
    """The words and punctuation of `text`, each with whether a space came before it."""
    tokens, end = [], 0
    for match in _TOKEN.finditer(text):
        tokens.append((match.group(), match.start() > end))
        end = match.end()
    return tokens


def _joined(tokens: list[tuple[str, bool]]) -> str:
    return "".join((" " if space and index else "") + word
                   for index, (word, space) in enumerate(tokens))


@lru_cache(maxsize=4096)
def _words(text: str) -> tuple[str, ...]:
    return tuple(word for word, _ in _tokens(text))


def _similar(old: TextBlock, new: TextBlock) -> bool:
    """The same kind of block and at least `SIMILAR` of the words in common (the cheap
    upper bounds first: most pairs a diff considers are not similar at all)."""
    if old.kind != new.kind:
        return False
    matcher = difflib.SequenceMatcher(None, _words(old.text), _words(new.text),
                                      autojunk=False)
    return (matcher.real_quick_ratio() >= SIMILAR and matcher.quick_ratio() >= SIMILAR
            and matcher.ratio() >= SIMILAR)


def _whole(block: TextBlock, change: Change) -> tuple[tuple[Piece, ...], ...]:
    return tuple((Piece(change, " ".join(cell.split()), False),) if cell else ()
                 for cell in block.cells)


def diff_words(old: str, new: str) -> tuple[Piece, ...]:
    """The words of `new` against `old`: unchanged, inserted and deleted runs, in order.
    Punctuation counts on its own ("hem." → "hem idag." inserts one word); spacing does not."""
    a, b = _tokens(old), _tokens(new)
    pieces: list[Piece] = []

    def add(change: Change, tokens: list[tuple[str, bool]]) -> None:
        pieces.append(Piece(change, _joined(tokens), bool(pieces) and tokens[0][1]))

    matcher = difflib.SequenceMatcher(None, [w for w, _ in a], [w for w, _ in b],
                                      autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add(Change.SAME, b[j1:j2])
        if tag in ("delete", "replace"):
            add(Change.DELETED, a[i1:i2])
        if tag in ("insert", "replace"):
            add(Change.INSERTED, b[j1:j2])
    return tuple(pieces)


def _changed(old: TextBlock, new: TextBlock) -> Block:
    if old.key == new.key:
        change = BlockChange.SAME if old.markup == new.markup else BlockChange.FORMAT
        return Block(change, new, _whole(new, Change.SAME))
    if len(old.cells) == len(new.cells):
        cells = tuple(diff_words(o, n) for o, n in zip(old.cells, new.cells))
    else:
        cells = (diff_words(old.text, new.text),)
    return Block(BlockChange.CHANGED, new, cells)


def _deleted(block: TextBlock) -> Block:
    return Block(BlockChange.DELETED, block, _whole(block, Change.DELETED))


def _inserted(block: TextBlock) -> Block:
    return Block(BlockChange.INSERTED, block, _whole(block, Change.INSERTED))


def _pairs(old: list[TextBlock], new: list[TextBlock]) -> list[tuple[int, int]]:
    """The most pairs of similar blocks, in order on both sides (a longest common
    subsequence where "common" means the same kind and mostly the same words)."""
    similar = [[_similar(o, n) for n in new] for o in old]
    best = [[0] * (len(new) + 1) for _ in range(len(old) + 1)]
    for i in range(len(old) - 1, -1, -1):
        for j in range(len(new) - 1, -1, -1):
            best[i][j] = best[i + 1][j + 1] + 1 if similar[i][j] \
                else max(best[i + 1][j], best[i][j + 1])
    pairs, i, j = [], 0, 0
    while i < len(old) and j < len(new):
        if similar[i][j] and best[i][j] == best[i + 1][j + 1] + 1:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i + 1][j] >= best[i][j + 1]:
            i += 1
        else:
            j += 1
    return pairs


def _unpaired(old: list[TextBlock], new: list[TextBlock], after: str | None) -> list[Block]:
    """Blocks between two pairs: new blocks that continue what came before (more items of
    the same list) first, then the deleted ones, then the other new ones."""
    lead = 0
    while lead < len(new) and new[lead].kind == after and all(b.kind != after for b in old):
        lead += 1
    return ([_inserted(b) for b in new[:lead]] + [_deleted(b) for b in old]
            + [_inserted(b) for b in new[lead:]])


def _replace(old: list[TextBlock], new: list[TextBlock], before: str | None) -> list[Block]:
    """A replaced stretch: similar blocks are paired as changed blocks, the rest deleted or
    inserted where a reader expects them."""
    out: list[Block] = []
    i = j = 0
    for pi, pj in [*_pairs(old, new), (len(old), len(new))]:
        out += _unpaired(old[i:pi], new[j:pj], out[-1].block.kind if out else before)
        if pi < len(old):
            out.append(_changed(old[pi], new[pj]))
        i, j = pi + 1, pj + 1
    return out


def _moves(blocks: list[Block]) -> list[Block]:
    """A block deleted in one place and inserted as it was in another has moved."""
    inserted = {}
    for index, block in enumerate(blocks):
        if block.change is BlockChange.INSERTED:
            inserted.setdefault(block.block.key, []).append(index)
    result = list(blocks)
    for index, block in enumerate(blocks):
        if block.change is BlockChange.DELETED and inserted.get(block.block.key):
            target = inserted[block.block.key].pop(0)
            result[index] = Block(BlockChange.MOVED_FROM, block.block,
                                  _whole(block.block, Change.SAME))
            result[target] = Block(BlockChange.MOVED_TO, blocks[target].block,
                                   _whole(blocks[target].block, Change.SAME))
    return result


def compare(old: list[TextBlock], new: list[TextBlock]) -> Redline:
    """The redline between two lists of blocks (see `text_blocks`)."""
    matcher = difflib.SequenceMatcher(None, [b.key for b in old], [b.key for b in new],
                                      autojunk=False)
    blocks: list[Block] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            blocks += [_changed(o, n) for o, n in zip(old[i1:i2], new[j1:j2])]
        else:
            blocks += _replace(old[i1:i2], new[j1:j2],
                               blocks[-1].block.kind if blocks else None)
    return Redline(tuple(_moves(blocks)))

"""A redline laid out for reading: which blocks are shown, and in which groups.

Pure, like `redline`: the site's "Vad har ändrats?" pages show only what changed, each change
under its heading (`changed_only`); the decision pack shows the whole proposed text with the
changes marked. Both draw the groups with the macros of `templates/redline.html.j2`.
"""

from __future__ import annotations

from .redline import Block, BlockChange, Redline


def changed_only(blocks: tuple[Block, ...]) -> list[Block | None]:
    """What changed, each change under the heading it stands under; `None` where unchanged
    text is left out. A reader on a phone sees the changes, not the whole text again."""
    keep: set[int] = set()
    heading = None
    for index, block in enumerate(blocks):
        if block.block.kind == "heading":
            heading = index
        if block.change is not BlockChange.SAME:
            keep.add(index)
            if heading is not None:
                keep.add(heading)
    shown: list[Block | None] = []
    last = -1
    for index in sorted(keep):
        if index != last + 1:
            shown.append(None)
        shown.append(blocks[index])
        last = index
    if shown and last != len(blocks) - 1:
        shown.append(None)
    return shown


def item_numbers(blocks: tuple[Block, ...]) -> dict[int, int]:
    """The number each item of a numbered list has (or had) in the new text, by id(block)."""
    numbers: dict[int, int] = {}
    count: dict[int, int] = {}
    for block in blocks:
        if block.block.kind != "item":
            count.clear()
            continue
        level = block.block.level
        for deeper in [d for d in count if d > level]:
            del count[deeper]
        numbers[id(block)] = count.get(level, 0) + 1
        if block.change not in (BlockChange.DELETED, BlockChange.MOVED_FROM):
            count[level] = count.get(level, 0) + 1
    return numbers


def groups(blocks: list[Block | None], numbers: dict[int, int]) -> list[dict]:
    """Consecutive list items and table rows together, as the template draws them; a
    numbered list starts at the number its first item has; `None` is a gap."""
    found: list[dict] = []
    for block in blocks:
        if block is None:
            found.append({"kind": "gap", "ordered": False, "blocks": [], "start": 1})
            continue
        kind = block.block.kind
        grouped = kind in ("item", "row")
        if grouped and found and found[-1]["kind"] == kind \
                and found[-1]["ordered"] == block.block.ordered:
            found[-1]["blocks"].append(block)
        else:
            found.append({"kind": kind, "ordered": block.block.ordered, "blocks": [block],
                          "start": numbers.get(id(block), 1)})
    return found


def layout(result: Redline, changes_only: bool = False) -> list[dict]:
    """The groups to draw: the whole text, or (`changes_only`) what changed with gaps."""
    shown = changed_only(result.blocks) if changes_only else list(result.blocks)
    return groups(shown, item_numbers(result.blocks))

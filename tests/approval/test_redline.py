"""The word-level redline between two approved texts (approval.redline)."""

from __future__ import annotations

from rutinportal.approval.redline import BlockChange, Change, Piece, diff_words, redline
from rutinportal.approval.textblocks import text_blocks

SAME, INS, DEL = Change.SAME, Change.INSERTED, Change.DELETED


def changes(old: str, new: str) -> list[tuple[str, str, tuple]]:
    """(block change, kind, pieces as (change, text) per cell) for every block."""
    return [(b.change.value, b.block.kind,
             tuple(tuple((p.change.value, p.text) for p in cell) for cell in b.cells))
            for b in redline(old, new).blocks]


def test_unchanged_text_has_no_changes() -> None:
    text = "## Syfte\n\nTa med kortet hem.\n\n1. Ett\n2. Två\n"
    result = redline(text, text)
    assert not result.changed and result.words_inserted == result.words_deleted == 0
    assert [b.change for b in result.blocks] == [BlockChange.SAME] * 4


def test_an_inserted_word_is_marked_and_nothing_else() -> None:
    result = redline("Ta med kortet hem.\n", "Ta med kortet hem idag.\n")
    (block,) = result.blocks
    assert block.change is BlockChange.CHANGED
    assert block.cells == ((Piece(SAME, "Ta med kortet hem", False), Piece(INS, "idag", True),
                            Piece(SAME, ".", False)),)
    assert result.words_inserted == 1 and result.words_deleted == 0


def test_a_deleted_and_a_replaced_word() -> None:
    assert diff_words("Lås alltid skärmen direkt.", "Lås skärmen genast.") == (
        Piece(SAME, "Lås", False), Piece(DEL, "alltid", True), Piece(SAME, "skärmen", True),
        Piece(DEL, "direkt", True), Piece(INS, "genast", True), Piece(SAME, ".", False))


def test_inserted_and_deleted_paragraphs() -> None:
    old, new = "Första.\n\nAndra stycket tas bort.\n", "Första.\n\nHelt nytt stycke här.\n"
    assert changes(old, new) == [
        ("same", "paragraph", ((("same", "Första."),),)),
        ("deleted", "paragraph", ((("deleted", "Andra stycket tas bort."),),)),
        ("inserted", "paragraph", ((("inserted", "Helt nytt stycke här."),),))]


def test_a_moved_paragraph_is_a_move_not_new_text() -> None:
    old = "Ett stycke om kortet.\n\nSäg till chefen direkt.\n\nSista stycket.\n"
    new = "Säg till chefen direkt.\n\nEtt stycke om kortet.\n\nSista stycket.\n"
    result = redline(old, new)
    kinds = [b.change for b in result.blocks]
    assert kinds.count(BlockChange.MOVED_FROM) == 1 and kinds.count(BlockChange.MOVED_TO) == 1
    moved = [b for b in result.blocks if b.change in (BlockChange.MOVED_FROM,
                                                      BlockChange.MOVED_TO)]
    assert {b.block.text for b in moved} in ({"Säg till chefen direkt."},
                                             {"Ett stycke om kortet."})
    assert result.words_inserted == result.words_deleted == 0


def test_whitespace_and_line_wrapping_are_no_change() -> None:
    old = "Ta ut kortet ur datorn varje gång du går ifrån den,\neven för en kort stund.\n"
    new = "Ta ut kortet   ur datorn varje gång\ndu går ifrån den, even för en kort stund.\n\n\n"
    assert not redline(old, new).changed
    assert not redline("- ett\n- två\n", "-   ett\n-  två\n").changed


def test_swedish_characters_are_words_like_any_other() -> None:
    result = redline("Förvara kortet på ett säkert ställe.\n",
                     "Förvara kortet i ett låst skåp på Åkersgården.\n")
    (block,) = result.blocks
    assert block.cells == ((Piece(SAME, "Förvara kortet", False),
                            Piece(INS, "i ett låst skåp", True), Piece(SAME, "på", True),
                            Piece(DEL, "ett säkert ställe", True),
                            Piece(INS, "Åkersgården", True),
                            Piece(SAME, ".", False)),)
    assert result.words_inserted == 5 and result.words_deleted == 3


def test_list_items_renumbering_is_no_change_and_new_items_stay_in_the_list() -> None:
    old = "1. Bär kortet.\n2. Ta ut kortet.\n\n!!! warning \"Tänk på\"\n    Text.\n"
    new = ("1. Bär kortet.\n2. Ta ut kortet.\n3. Spärra ett borttappat kort.\n\n"
           "!!! warning \"Även när det är stressigt\"\n    Text.\n")
    got = changes(old, new)
    assert got[:3] == [("same", "item", ((("same", "Bär kortet."),),)),
                       ("same", "item", ((("same", "Ta ut kortet."),),)),
                       ("inserted", "item", ((("inserted", "Spärra ett borttappat kort."),),))]
    assert [c[0] for c in got[3:]] == ["deleted", "inserted", "same"]
    assert not redline("1. Ett\n2. Två\n", "5. Ett\n6. Två\n").changed
    nested = text_blocks("- ett\n    - inre\n- två\n")
    assert [(b.kind, b.level, b.text) for b in nested] == [
        ("item", 1, "ett"), ("item", 2, "inre"), ("item", 1, "två")]


def test_tables_are_compared_cell_by_cell() -> None:
    old = "| System | Ansvarig |\n|---|---|\n| Treserva | Systemförvaltare |\n| TES | MAS |\n"
    new = "| System | Ansvarig |\n|---|---|\n| Treserva | Verksamhetschef |\n| TES | MAS |\n"
    got = changes(old, new)
    assert got[0] == ("same", "row", ((("same", "System"),), (("same", "Ansvarig"),)))
    assert got[1] == ("changed", "row", ((("same", "Treserva"),),
                                         (("deleted", "Systemförvaltare"),
                                          ("inserted", "Verksamhetschef"))))
    assert got[2][0] == "same"
    assert redline(old, new).blocks[0].block.header


def test_a_changed_link_target_is_not_silent() -> None:
    result = redline("Läs [rutinen](a.md).\n", "Läs [rutinen](b.md).\n")
    assert [b.change for b in result.blocks] == [BlockChange.FORMAT]
    assert not redline("Läs **rutinen**.\n", "Läs **rutinen**.\n").changed


def test_a_new_document_is_all_insertions() -> None:
    result = redline("", "## Syfte\n\nNy rutin.\n")
    assert [b.change for b in result.blocks] == [BlockChange.INSERTED] * 2
    assert result.words_inserted == 3  # Syfte, Ny, rutin.

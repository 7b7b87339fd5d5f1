from rutinportal.content.hashing import canonical_content, content_sha256

BODY = "## Syfte\n\nLåna aldrig ut kortet.\n\n1. Ta ut kortet.\n"


def test_line_endings_and_trailing_whitespace_do_not_change_the_hash() -> None:
    original = content_sha256("Titel", ["alla"], BODY)
    crlf = BODY.replace("\n", "\r\n")
    spaces = BODY.replace("\n", "   \n") + "\n\n\n"
    assert content_sha256("Titel", ["alla"], crlf) == original
    assert content_sha256("Titel", ["alla"], spaces) == original
    assert content_sha256("Titel ", ["alla"], BODY) == original


def test_a_changed_word_title_or_audience_changes_the_hash() -> None:
    original = content_sha256("Titel", ["alla"], BODY)
    assert content_sha256("Titel", ["alla"], BODY.replace("aldrig", "alltid")) != original
    assert content_sha256("Annan titel", ["alla"], BODY) != original
    assert content_sha256("Titel", ["hemtjanst"], BODY) != original


def test_canonical_content_names_title_audience_and_body() -> None:
    text = canonical_content("Titel", ["hemtjanst", "larm"], "Rad  \r\nRad 2\r\n")
    assert text == "title: Titel\naudience: hemtjanst, larm\n\nRad\nRad 2\n"

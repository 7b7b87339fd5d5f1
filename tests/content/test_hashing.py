from rutinportal.content.hashing import (canonical_content, changed_parts, content_sha256,
                                         fingerprints, record_sha256)

BODY = "## Syfte\n\nLåna aldrig ut kortet.\n\n1. Ta ut kortet.\n"
PARTS = {"title": "Titel", "audience": ["alla"], "mandatory": True, "body": BODY}


def test_line_endings_and_trailing_whitespace_do_not_change_the_hash() -> None:
    original = record_sha256(PARTS)
    assert record_sha256({**PARTS, "body": BODY.replace("\n", "\r\n")}) == original
    assert record_sha256({**PARTS, "body": BODY.replace("\n", "   \n") + "\n\n"}) == original
    assert record_sha256({**PARTS, "title": "Titel "}) == original


def test_every_part_is_bound_and_the_changed_one_is_named() -> None:
    recorded = fingerprints(PARTS)
    for key, value in [("title", "Annan"), ("audience", ["hemtjanst"]), ("mandatory", False),
                       ("body", BODY.replace("aldrig", "alltid"))]:
        changed = {**PARTS, key: value}
        assert record_sha256(changed) != record_sha256(PARTS)
        assert changed_parts(recorded, changed) == [key]
    assert changed_parts(recorded, {**PARTS, "owner": "Chef"}) == ["owner"]
    without = dict(PARTS)
    del without["mandatory"]
    assert changed_parts(recorded, without) == ["mandatory"]


def test_the_first_format_is_kept_for_the_migration() -> None:
    assert canonical_content("Titel", ["hemtjanst", "larm"], "Rad  \r\nRad 2\r\n") == \
        "title: Titel\naudience: hemtjanst, larm\n\nRad\nRad 2\n"
    assert content_sha256("Titel", ["alla"], BODY) != content_sha256("Titel", ["alla"], "x")

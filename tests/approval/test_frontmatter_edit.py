import datetime as dt

import pytest

from rutinportal.approval.frontmatter_edit import format_value, update_front_matter

TEXT = """---
id: RUT-001   # stable id
title: Titel
status: draft
related:
  - RUT-002
  - RUT-003
version: 1
---

## Syfte

status: draft (this line is body text and must not change)
"""


def test_changes_only_the_named_keys_and_keeps_comments_and_body() -> None:
    out = update_front_matter(TEXT, {"status": "submitted",
                                     "submitted_on": dt.date(2026, 3, 2)})
    assert "id: RUT-001   # stable id" in out
    assert "status: submitted\n" in out
    assert 'submitted_on: "2026-03-02"\n---' in out
    assert out.endswith("status: draft (this line is body text and must not change)\n")


def test_replaces_a_block_value_and_removes_keys() -> None:
    out = update_front_matter(TEXT, {"related": ["RUT-009"], "version": None})
    assert "related: [RUT-009]\n" in out
    assert "RUT-002" not in out
    assert "version:" not in out
    assert "title: Titel\n" in out


def test_keeps_crlf_line_endings() -> None:
    out = update_front_matter(TEXT.replace("\n", "\r\n"), {"status": "approved"})
    assert "status: approved\r\n" in out
    assert "\n" not in out.replace("\r\n", "")


@pytest.mark.parametrize("value, expected", [
    ("approved", "approved"),
    ("no", '"no"'),
    ("On", '"On"'),
    ("RUT-009", "RUT-009"),
    ("LG U&S 2026-03-02 § 4", '"LG U&S 2026-03-02 § 4"'),
    (dt.date(2026, 1, 5), '"2026-01-05"'),
    (3, "3"),
    (True, "true"),
])
def test_values_are_written_so_yaml_reads_them_back_unchanged(value, expected) -> None:
    assert format_value(value) == expected


def test_refuses_a_file_without_front_matter() -> None:
    with pytest.raises(ValueError, match="front-matter saknas"):
        update_front_matter("## Bara text\n", {"status": "draft"})

"""Schema classes: each field normalises then checks, and says what it expected."""

from __future__ import annotations

import datetime as dt

import pytest

from rutinportal.content.documents import WorkingCopyFields
from rutinportal.content.schema import (Boolean, Choice, Date, Integer, Invalid, Number, Pattern,
                                        Schema, Text, TextList, describe)
from rutinportal.content.yamlsource import load_yaml


@pytest.mark.parametrize("field, value, cleaned", [
    (Text("t"), "  Titel ", "Titel"),
    (Integer("i", minimum=1), 3, 3),
    (Number("n", minimum=0, maximum=1), 1, 1.0),
    (Boolean("b"), False, False),
    (Choice("c", ["draft", "approved"]), "draft", "draft"),
    (Date("d"), "2026-03-02", dt.date(2026, 3, 2)),
    (Date("d"), dt.datetime(2026, 3, 2, 10, 0), dt.date(2026, 3, 2)),
    (TextList("l"), "SITHS", ["SITHS"]),
    (TextList("l"), [" a ", "b"], ["a", "b"]),
    (Pattern("p", r"RUT-\d{3}", "ett id"), " RUT-001 ", "RUT-001"),
])
def test_fields_normalise_valid_values(field, value, cleaned) -> None:
    assert field.clean(value) == cleaned


@pytest.mark.parametrize("field, value, expected", [
    (Text("t"), "   ", "text"),
    (Integer("i", minimum=1), True, "ett heltal från och med 1"),
    (Integer("i", minimum=1), 0, "ett heltal från och med 1"),
    (Number("n", minimum=0, maximum=1), 80, "ett tal mellan 0 och 1"),
    (Boolean("b"), "ja", "true eller false"),
    (Choice("c", ["draft", "approved"]), "klar", "en av draft, approved"),
    (Date("d"), "2 mars", "ett datum ÅÅÅÅ-MM-DD"),
    (TextList("l", allow_empty=False), [], "en lista med text"),
])
def test_fields_refuse_with_what_they_expected(field, value, expected) -> None:
    with pytest.raises(Invalid) as caught:
        field.clean(value)
    assert caught.value.expected == expected


@pytest.mark.parametrize("value, text", [
    (None, "inget värde"),
    (False, "false (YAML läser no/yes/on/off som sant/falskt; sätt värdet inom citattecken)"),
    (dt.date(2026, 3, 2), "datumet 2026-03-02 (YAML läser datum utan citattecken som datum; "
                          "sätt värdet inom citattecken)"),
    (7, "talet 7"), ("", "en tom text"), ("x" * 70, "'" + "x" * 57 + "…'"), ([1], "en lista"),
])
def test_received_values_are_described_in_swedish(value, text) -> None:
    assert describe(value) == text


class Small(Schema):
    name = Text("Namnet.", required=True)
    count = Integer("Antalet.", minimum=1, default=1)


def test_validate_collects_every_problem_with_its_line() -> None:
    source = load_yaml("count: noll\ncolour: röd\n")
    values, problems = Small.validate(source, "x.yml")
    assert [str(p) for p in sorted(problems)] == [
        "x.yml:1: count: förväntade ett heltal från och med 1, fick 'noll'",
        "x.yml:1: name: saknas, förväntade text",
        "x.yml:2: colour: okänd nyckel, förväntade en av name, count",
    ]
    assert values == {"name": None, "count": None}


def test_defaults_fill_missing_keys_and_a_close_key_is_suggested() -> None:
    values, problems = Small.validate(load_yaml("name: A\ncuont: 2\n"), "x.yml")
    assert values == {"name": "A", "count": 1}
    assert [p.message for p in problems] == [
        "okänd nyckel (menade du count?), förväntade en av name, count"]


def test_every_front_matter_key_is_documented() -> None:
    for key, doc, _required in WorkingCopyFields.documentation():
        assert doc.strip(), key

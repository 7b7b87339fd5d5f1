"""What a page may contain of a quiz: no key in production, the key in preview."""

from __future__ import annotations

import pytest

from rutinportal.content.quizzes import Quiz
from rutinportal.site.widget import preview_dict, public_dict

from ..quizhelpers import GOOD, ids, load


@pytest.fixture(scope="module")
def siths() -> Quiz:
    return load(GOOD / "siths-kort.yml")


# -- what pages may contain ------------------------------------------------------------------------

def test_public_dict_has_no_key_and_no_explanations(siths):
    data = public_dict(siths)
    assert data["pass_mark"] == 0.8 and data["version"] == 2
    assert data["questions"][1]["multiple"] is True
    assert set(data["questions"][0]["choices"][0]) == {"id", "text"}
    text = repr(data).lower()
    assert "correct" not in text and "explanation" not in text and "personliga" not in text


def test_preview_dict_adds_the_key_and_explanations(siths):
    data = preview_dict(siths)
    assert data["key"]["lamna-datorn"]["correct"] == sorted(
        ids(siths, "lamna-datorn", "Kortet tas", "Datorn"))
    assert data["key"]["lana-ut"]["explanation"] == siths.questions[0].explanation
    assert {k: v for k, v in data.items() if k != "key"} == public_dict(siths)

"""Quiz pages in the built site: never the answer key in production, the key in preview."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from rutinportal.content.quizzes import load_quizzes

from .test_build import site_text

pytestmark = pytest.mark.build


def explanations(root: Path) -> list[str]:
    texts = []
    for path in sorted((root / "quizzes").glob("*.yml")):
        for question in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]:
            if question.get("explanation"):
                texts.append(" ".join(question["explanation"].split()))
    return texts


class Forms(HTMLParser):
    """Collects quiz forms: questions, inputs, labels and status regions."""

    def __init__(self) -> None:
        super().__init__()
        self.inputs: list[dict] = []
        self.labels: set[str] = set()
        self.fieldsets = 0
        self.legends = 0
        self.status = 0
        self.submit = 0
        self.attrs_seen: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.attrs_seen |= {k for k, _ in attrs}
        if tag == "input" and a.get("type") in ("radio", "checkbox"):
            self.inputs.append(a)
        elif tag == "label" and "for" in a:
            self.labels.add(a["for"])
        elif tag == "fieldset":
            self.fieldsets += 1
        elif tag == "legend":
            self.legends += 1
        elif a.get("role") == "status" and "rp-quiz__status" in a.get("class", ""):
            self.status += 1
        elif tag == "button" and a.get("type") == "submit":
            self.submit += 1


@pytest.fixture(scope="module")
def built(built_example) -> dict:
    return {"root": built_example.root, "production": site_text(built_example.site),
            "preview": site_text(built_example.preview)}


def test_production_output_contains_no_answer_key(built: dict) -> None:
    production = built["production"]
    quiz_pages = {n: t for n, t in production.items() if n.startswith("quiz/")}
    assert len(quiz_pages) >= 18 + 1  # every published quiz and the reading-list quizzes
    for name, text in production.items():
        if name.startswith("quiz/") or name.endswith(".json"):
            lowered = text.lower()
            # Any spelling of a correct flag (is_correct, correctChoice, "correct": …), but
            # not the search field's `autocorrect` attribute.
            assert not re.search(r"(?<![a-z])correct", lowered), name
            assert "rp-quiz-key" not in lowered, name
            assert "explanation" not in lowered, name
    # Explanations may quote a module's text, so look for them where a key could leak.
    carriers = [t for n, t in production.items()
                if n.startswith("quiz/") or n.endswith(".js")
                or (n.endswith(".json") and not n.startswith("search/"))]
    index = json.loads(production["search/search_index.json"])
    carriers += [d["text"] for d in index["docs"] if d["location"].startswith("quiz/")]
    carrier_text = " ".join(" ".join(carriers).split())
    for explanation in explanations(built["root"]):
        assert explanation not in carrier_text


def test_preview_output_embeds_the_key(built: dict) -> None:
    page = built["preview"]["quiz/siths-kort/index.html"]
    start = page.index('class="rp-quiz-key">') + len('class="rp-quiz-key">')
    key = json.loads(page[start: page.index("</script>", start)])
    quizzes, _ = load_quizzes(built["root"] / "quizzes", built["root"])
    quiz = quizzes["siths-kort"]
    assert set(key) == {q.id for q in quiz.questions}
    for question in quiz.questions:
        assert key[question.id]["correct"] == sorted(c.id for c in question.choices if c.correct)


@pytest.mark.parametrize("page", ["quiz/siths-kort/index.html", "quiz/ledning-1/index.html",
                                  "quiz/laslista-hemtjanst/index.html"])
def test_quiz_widget_structure(built: dict, page: str) -> None:
    forms = Forms()
    forms.feed(built["production"][page])
    assert forms.fieldsets == forms.legends >= 5
    assert forms.inputs and all(i["id"] in forms.labels for i in forms.inputs)
    assert forms.status == 1 and forms.submit == 1
    assert "onchange" not in forms.attrs_seen


def test_documents_link_their_quizzes(built: dict) -> None:
    production = built["production"]
    assert 'href="../../quiz/siths-kort/"' in production["rutiner/siths-kort/index.html"]
    module = production["utbildning/ledning/cybersakerhetslagen/index.html"]
    assert module.rindex('href="../../../quiz/ledning-1/"') > module.index("Kunskapstest")
    hemtjanst = production["laslistor/hemtjanst/index.html"]
    assert 'href="../../quiz/siths-kort/"' in hemtjanst
    assert 'href="../../quiz/laslista-hemtjanst/"' in hemtjanst
    combined = production["quiz/laslista-hemtjanst/index.html"]
    # Questions from the mandatory routines of the list, e.g. SITHS (alla) and photographs.
    assert 'data-question-id="siths-kort--' in combined
    assert 'data-question-id="fotografering--' in combined


def test_course_overview_lists_modules_in_order(built: dict) -> None:
    page = built["production"]["utbildning/ledning/index.html"]
    titles = ["Cybersäkerhetslagen", "Ledningens ansvar", "Riskhanteringsåtgärderna",
              "Incidentrapportering", "Informationsägarens roll", "Leverantörer"]
    positions = [page.index(t) for t in titles]
    assert positions == sorted(positions)
    assert page.count('class="rp-progress"') == 6
    assert "min</td>" in page and "Obligatorisk" in page

"""The quiz lint: warnings (file:line, Swedish) when the answer key can be guessed."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from rutinportal.cli import main
from rutinportal.content.quizlint import lint
from rutinportal.content.quizzes import load_quiz


def quiz(tmp_path: Path, questions: list[tuple[str, list[str], int]]) -> list[str]:
    """Write a quiz whose questions are (text, choices, index of the right one); lint it."""
    lines = ["id: test", "title: Test", "pass_mark: 0.8", "questions:"]
    for text, choices, right in questions:
        lines += [f"  - text: {text}", "    choices:"]
        for index, choice in enumerate(choices):
            lines.append(f"      - text: {choice}")
            if index == right:
                lines.append("        correct: true")
    path = tmp_path / "test.yml"
    text = "\n".join(lines) + "\n"
    path.write_text(text, encoding="utf-8")
    loaded, problems = load_quiz(path, "quizzes/test.yml")
    assert not problems, problems
    return [str(w) for w in lint(loaded, text)]


GOOD = [
    ("Vem får använda ditt SITHS-kort?", ["Bara du", "Din chef", "En kollega du litar på"], 0),
    ("Du har glömt kortet hemma. Vad gör du?",
     ["Lånar en kollegas kort", "Ringer chefen och får ett tillfälligt kort",
      "Loggar in med kollegans kod"], 1),
    ("Kortet är borta. Vem ringer du först?", ["Kortspärren", "IT-supporten", "Facket"], 0),
    ("När tar du ut kortet?", ["När du går hem", "När du lämnar datorn",
                               "En gång i veckan, på måndagar"], 1),
]


def test_a_balanced_quiz_gets_no_warning(tmp_path: Path) -> None:
    assert quiz(tmp_path, GOOD) == []


def test_the_right_answer_as_the_longest_choice_is_named(tmp_path: Path) -> None:
    longest = [(q, [c if i == right else c[:5] for i, c in enumerate(choices)], right)
               for q, choices, right in GOOD]
    longest[0] = (GOOD[0][0], ["Bara du själv, ingen annan", "Din chef", "En kollega"], 0)
    assert quiz(tmp_path, longest) == [
        "quizzes/test.yml:4: questions: det rätta svaret är det längsta alternativet i 4 av 4 "
        "frågor med ett rätt svar; den som väljer det längsta svaret klarar testet – skriv de "
        "felaktiga alternativen lika utförliga som det rätta"]


def test_the_right_answer_always_in_the_same_place_is_named(tmp_path: Path) -> None:
    first = [(q, [choices[right], *[c for i, c in enumerate(choices) if i != right]], 0)
             for q, choices, right in GOOD]
    assert quiz(tmp_path, first) == [
        "quizzes/test.yml:4: questions: det rätta svaret står alltid som alternativ 1 i de 4 "
        "frågorna med ett rätt svar; blanda ordningen"]


def test_a_choice_that_repeats_the_question_is_named(tmp_path: Path) -> None:
    repeats = list(GOOD)
    repeats[2] = ("Vad gör du när kortet är borta?",
                  ["Kortspärren", "Vad gör du när kortet är borta? Inget", "Facket"], 0)
    assert quiz(tmp_path, repeats) == [
        "quizzes/test.yml:21: questions[3].choices[2].text: svarsalternativet upprepar frågans "
        "ord ('vad gör du när'); ett alternativ som upprepar frågan avslöjar ofta svaret – "
        "formulera det med egna ord"]


def test_check_shows_the_lint_as_warnings_and_passes(example_repo: Path) -> None:
    quiz = example_repo / "quizzes/grund-1.yml"
    lines = quiz.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):  # make every right answer the longest one
        if line.strip() == "correct: true" and lines[number - 1].rstrip().endswith('"'):
            lines[number - 1] = lines[number - 1][:-1] + ', enligt rutinen i alla lägen."'
    quiz.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0, result.output
    assert ("Varning: quizzes/grund-1.yml:5: questions: det rätta svaret är det längsta "
            "alternativet i 5 av 5 frågor med ett rätt svar") in result.output

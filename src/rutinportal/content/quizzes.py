"""Quizzes (kunskapstest): the file schema, the typed model and loading.

A quiz is `quizzes/<id>.yml`. Loading reports every problem of every file at once, each with
its line and a key path such as `questions[3].choices[2].correct` (questions and choices are
numbered from 1, as a person counts them). Grading is in `rutinportal.quiz.grading`, what a
page may show in `rutinportal.site.widget`. Pure: no site engine, no HTTP.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from .problems import Problem, display_path as _display_path
from .schema import (Boolean, Field, Integer, Invalid, Number, Pattern, Schema, Text,
                     describe)
from .yamlsource import KeyPath, Located, YamlSyntaxError, load_yaml

# Strict kebab-case: no leading, trailing or double hyphen, so that "--" can join a source
# quiz id and a question id unambiguously in a combined quiz.
KEBAB = r"[a-z0-9]+(?:-[a-z0-9]+)*"
KEBAB_EXPECTED = "ett id med små bokstäver a–z, siffror och enkla bindestreck, t.ex. siths-kort"
SUFFIXES = (".yml", ".yaml")


# -- the file schema -------------------------------------------------------------------------

class Items(Field):
    """A list of mappings, each validated by its own schema; at least `minimum` of them."""

    def __init__(self, doc: str, *, expected: str, minimum: int, noun: tuple[str, str],
                 **kw: Any):
        super().__init__(doc, **kw)
        self.expected = expected
        self.minimum = minimum
        self.noun = noun  # (singular, plural)

    def clean(self, value: Any) -> list[Any]:
        if not isinstance(value, list):
            raise Invalid(self.expected, value)
        if len(value) < self.minimum:
            got = ("en tom lista" if not value
                   else f"{len(value)} {self.noun[0] if len(value) == 1 else self.noun[1]}")
            raise Invalid(self.expected, value, message=f"förväntade {self.expected}, fick {got}")
        return value


class PassMark(Number):
    """A share 0–1; a percentage such as 80 is the common slip, so say how to write it."""

    def clean(self, value: Any) -> float:
        try:
            return super().clean(value)
        except Invalid as exc:
            if isinstance(value, (int, float)) and not isinstance(value, bool) \
                    and 1 < value <= 100:
                raise Invalid(self.expected, value, message=(
                    f"förväntade {self.expected}, fick {describe(value)} "
                    f"(skriv {value / 100:g} för {value:g} %)")) from exc
            raise


class ChoiceSchema(Schema):
    """One answer option of a question."""

    text = Text("Svarsalternativets text.", required=True)
    correct = Boolean("true om alternativet är rätt; en fråga kan ha flera rätta.",
                      default=False)


class QuestionSchema(Schema):
    """One question: its text, its choices and an optional explanation."""

    id = Pattern("Frågans id, unikt i quizen (standard q1, q2 … efter plats).", KEBAB,
                 KEBAB_EXPECTED)
    text = Text("Frågan.", required=True)
    choices = Items("Svarsalternativen; minst ett med correct: true.",
                    expected="en lista med minst 2 svarsalternativ", minimum=2,
                    noun=("svarsalternativ", "svarsalternativ"), required=True)
    explanation = Text("Förklaring som visas efter rättningen.")


class QuizSchema(Schema):
    """The keys of `quizzes/<id>.yml`."""

    id = Pattern("Quizens id; samma som filnamnet utan .yml.", KEBAB, KEBAB_EXPECTED,
                 required=True)
    title = Text("Rubriken på quizsidan.", required=True)
    version = Integer("Höj när frågorna eller svaren ändras; ett godkänt resultat gäller "
                      "en version.", minimum=1, default=1)
    pass_mark = PassMark("Andel rätt som krävs för godkänt, 0–1 (0.8 = 80 %).", minimum=0,
                         maximum=1, required=True)
    questions = Items("Frågorna.", expected="en lista med minst en fråga", minimum=1,
                      noun=("fråga", "frågor"), required=True)
    draw = Integer("Antal frågor som dras slumpvis ur frågorna vid varje försök (en "
                   "frågebank); utan draw ställs alla frågor. Från 1 till antalet frågor.",
                   minimum=1)


# -- the domain objects -----------------------------------------------------------------------

@dataclass(frozen=True)
class Choice:
    id: str        # opaque: reveals neither position nor correctness
    text: str
    correct: bool


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    choices: tuple[Choice, ...]
    explanation: str | None
    multiple: bool  # more than one correct choice: the page shows checkboxes

    @property
    def correct_ids(self) -> frozenset[str]:
        return frozenset(c.id for c in self.choices if c.correct)


@dataclass(frozen=True)
class Quiz:
    id: str
    title: str
    version: int
    pass_mark: float
    questions: tuple[Question, ...]
    path: str | None  # as shown to the user; None for a combined quiz
    draw: int | None = None  # questions drawn for each attempt; None: all of them


def choice_id(quiz_id: str, question_id: str, text: str) -> str:
    """The stable, opaque id of a choice: the same text keeps its id when choices move."""
    return hashlib.sha256(f"{quiz_id}/{question_id}/{text}".encode()).hexdigest()[:10]


def _one_line(text: str) -> str:
    # Texts go into a raw HTML block inside Markdown, where a blank line would end the block;
    # HTML collapses whitespace anyway, so nothing visible is lost.
    return " ".join(text.split())


# -- loading ------------------------------------------------------------------------------------

def human_key(path: KeyPath) -> str:
    """A key path as a person counts: ("questions", 2, "choices") -> "questions[3].choices"."""
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _humanise(problems: list[Problem], base: KeyPath) -> list[Problem]:
    # Schema.validate names keys "questions.2.text" (0-based); rewrite the prefix it made.
    raw = ".".join(str(p) for p in base)
    nice = human_key(base)
    return [replace(p, key=nice + p.key[len(raw):])
            if p.key and (p.key == raw or p.key.startswith(raw + ".")) else p
            for p in problems]


def _validate_item(schema: type[Schema], source: Located, shown: str, base: KeyPath,
                   item: Any) -> tuple[dict[str, Any], list[Problem]]:
    if item is None:  # `- ` with nothing after it; Schema.validate would read the whole file
        return {}, [Problem(shown, source.line(*base), human_key(base),
                            "förväntade en tabell med nycklar, fick inget värde")]
    values, problems = schema.validate(source, shown, base, data=item)
    return values, _humanise(problems, base)


def _load_question(source: Located, shown: str, quiz_id: str, index: int, item: Any
                   ) -> tuple[Question | None, list[Problem]]:
    base: KeyPath = ("questions", index)
    values, problems = _validate_item(QuestionSchema, source, shown, base, item)
    if not values:
        return None, problems
    question_id = values["id"] or f"q{index + 1}"
    choices: list[Choice] = []
    seen: dict[str, int] = {}
    unknown_correctness = False
    # Check each choice even when there are too few of them: report everything at once.
    raw_choices = item.get("choices")
    for c_index, c_item in enumerate(raw_choices if isinstance(raw_choices, list) else []):
        c_base = base + ("choices", c_index)
        c_values, c_problems = _validate_item(ChoiceSchema, source, shown, c_base, c_item)
        problems += c_problems
        if not c_values:
            unknown_correctness = True
            continue
        if c_values["correct"] is None:  # e.g. correct: "ja", already reported
            unknown_correctness = True
        text = c_values["text"]
        if text is None:
            continue
        text = _one_line(text)
        folded = text.casefold()
        if folded in seen:
            problems.append(Problem(
                shown, source.line(*c_base, "text"), human_key(c_base + ("text",)),
                f"förväntade olika texter på svarsalternativen, fick '{text}' som också "
                f"står i {human_key(base + ('choices', seen[folded]))}"))
        seen.setdefault(folded, c_index)
        choices.append(Choice(choice_id(quiz_id, question_id, text), text,
                              bool(c_values["correct"])))
    if values["choices"] is not None and not unknown_correctness \
            and not any(c.correct for c in choices):
        problems.append(Problem(
            shown, source.line(*base, "choices"), human_key(base + ("choices",)),
            "förväntade minst ett svarsalternativ med correct: true, fick inget"))
    if problems or values["text"] is None:
        return None, problems
    correct = sum(c.correct for c in choices)
    return Question(question_id, _one_line(values["text"]), tuple(choices),
                    values["explanation"], correct > 1), []


_BUILT: dict[tuple[str, str], Quiz] = {}  # (text, id) → the valid quiz it makes


@lru_cache(maxsize=4096)
def parsed(text: str) -> Located:
    """A quiz file's YAML (cached: the working quiz and its frozen copies are often the same
    text, and the lint reads the lines again). Treat the result as read-only."""
    return load_yaml(text)


def _load(path: Path, shown: str, expected_id: str | None = None
          ) -> tuple[Quiz | None, list[Problem], Located | None]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, [Problem(shown, None, None, "filen är inte UTF-8-kodad")], None
    stem = expected_id or Path(path).stem
    built = _BUILT.get((text, stem))
    if built is not None:  # the same text as a quiz already read (a frozen copy, or its source)
        return replace(built, path=shown), [], parsed(text)
    try:
        source = parsed(text)
    except YamlSyntaxError as exc:
        return None, [Problem(shown, exc.line, None, exc.detail)], None
    if source.data is None:  # Schema.validate would say "fick inget värde" without a key
        return None, [Problem(shown, None, None, (
            "förväntade en tabell med nycklarna id, title, pass_mark och questions, "
            "fick en tom fil"))], source
    values, problems = QuizSchema.validate(source, shown)
    if not values:
        return None, problems, source
    quiz_id = values["id"]
    if quiz_id is not None and quiz_id != stem:
        problems.append(Problem(
            shown, source.line("id"), "id",
            f"förväntade samma id som filnamnet ('{stem}'), fick '{quiz_id}'"))
    questions: list[Question] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(values["questions"] or []):
        question, q_problems = _load_question(source, shown, quiz_id or stem, index, item)
        problems += q_problems
        if question is None:
            continue
        if question.id in seen:
            base: KeyPath = ("questions", index)
            hint = "" if isinstance(item, dict) and item.get("id") else \
                " (frågan saknar id och får sitt id efter platsen)"
            problems.append(Problem(
                shown, source.line(*base, "id"), human_key(base + ("id",)),
                f"förväntade ett id som är unikt i quizen, fick '{question.id}' som också "
                f"används av {human_key(('questions', seen[question.id]))}{hint}"))
            continue
        seen[question.id] = index
        questions.append(question)
    draw = values["draw"]
    if draw is not None and questions and not problems and draw > len(questions):
        problems.append(Problem(
            shown, source.line("draw"), "draw",
            f"förväntade ett heltal från 1 till antalet frågor ({len(questions)}), "
            f"fick {draw}"))
    if problems:
        return None, problems, source
    quiz = Quiz(quiz_id, values["title"], values["version"], values["pass_mark"],
                tuple(questions), shown, draw)
    if len(_BUILT) > 4096:
        _BUILT.clear()
    _BUILT[(text, stem)] = quiz
    return quiz, [], source


def load_quiz(path: Path, display_path: str, expected_id: str | None = None
              ) -> tuple[Quiz | None, list[Problem]]:
    """Read and validate one quiz file: the quiz, or None and every problem found.

    `expected_id`: the id the file must have (default: its name; a frozen copy in
    `approved/` is named after the document's version instead)."""
    quiz, problems, _ = _load(path, display_path, expected_id)
    return quiz, problems


def load_quizzes(quiz_dir: Path, root: Path) -> tuple[dict[str, Quiz], list[Problem]]:
    """Every valid quiz in `quiz_dir` by id, and the problems of all files together."""
    quizzes: dict[str, Quiz] = {}
    problems: list[Problem] = []
    if not quiz_dir.is_dir():
        return quizzes, problems
    for path in sorted(p for p in quiz_dir.iterdir() if p.suffix in SUFFIXES and p.is_file()):
        shown = _display_path(path, root)
        quiz, file_problems, source = _load(path, shown)
        problems += file_problems
        if quiz is None:
            continue
        if quiz.id in quizzes:
            problems.append(Problem(
                shown, source.line("id") if source else None, "id",
                f"förväntade ett id som är unikt bland quizarna, fick '{quiz.id}' som också "
                f"används i {quizzes[quiz.id].path}"))
            continue
        quizzes[quiz.id] = quiz
    return quizzes, problems

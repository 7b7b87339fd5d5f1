"""Quizzes (kunskapstest): the file schema, loading, grading and what a page may show.

A quiz is `quizzes/<id>.yml`. Loading reports every problem of every file at once, each with
its line and a key path such as `questions[3].choices[2].correct` (questions and choices are
numbered from 1, as a person counts them). Grading is exact: a question is right only when the
chosen set of choices is exactly the set of correct ones.

Production pages get `public_dict` (no answer key); the portal grades with `grade`. Preview
builds get `preview_dict` and grade in the browser. Pure: no MkDocs, no HTTP.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .errors import Problem, UserError, display_path as _display_path
from .rendering import environment
from .schema import (Boolean, Field, Integer, Invalid, Number, Pattern, Schema, Text,
                     describe)
from .yamlsource import KeyPath, Located, YamlSyntaxError, load_yaml

# Strict kebab-case: no leading, trailing or double hyphen, so that "--" can join a source
# quiz id and a question id unambiguously in a combined quiz.
KEBAB = r"[a-z0-9]+(?:-[a-z0-9]+)*"
KEBAB_EXPECTED = "ett id med små bokstäver a–z, siffror och enkla bindestreck, t.ex. siths-kort"
SUFFIXES = (".yml", ".yaml")
API_ATTEMPTS = "/api/quizzes/{quiz_id}/attempts"


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


def _load(path: Path, shown: str) -> tuple[Quiz | None, list[Problem], Located | None]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, [Problem(shown, None, None, "filen är inte UTF-8-kodad")], None
    try:
        source = load_yaml(text)
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
    stem = Path(path).stem
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
    if problems:
        return None, problems, source
    return Quiz(quiz_id, values["title"], values["version"], values["pass_mark"],
                tuple(questions), shown), [], source


def load_quiz(path: Path, display_path: str) -> tuple[Quiz | None, list[Problem]]:
    """Read and validate one quiz file: the quiz, or None and every problem found."""
    quiz, problems, _ = _load(path, display_path)
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


def check_references(quizzes: Mapping[str, Quiz], referenced: Mapping[str, list[str]]
                     ) -> list[Problem]:
    """Each quiz belongs to exactly one document (`referenced`: quiz id -> document ids).

    Exactly one, because a passed quiz counts for the document that links to it.
    """
    problems = []
    for quiz_id, quiz in sorted(quizzes.items()):
        where = quiz.path or quiz_id
        users = sorted(set(referenced.get(quiz_id) or []))
        if not users:
            problems.append(Problem(where, None, None, (
                f"quizen används inte av något dokument; lägg till quiz: {quiz_id} "
                "i ett dokument eller ta bort filen")))
        elif len(users) > 1:
            problems.append(Problem(where, None, None, (
                f"förväntade att ett enda dokument har quiz: {quiz_id}, fick "
                f"{len(users)} ({', '.join(users)})")))
    return problems


# -- grading ------------------------------------------------------------------------------------

class InvalidAnswers(UserError):
    """An attempt names a question or choice the quiz does not have (the portal answers 422)."""


@dataclass(frozen=True)
class QuestionResult:
    question_id: str
    correct: bool
    explanation: str | None
    correct_choice_ids: list[str]


@dataclass(frozen=True)
class Grade:
    score: float  # 0..1
    passed: bool
    correct_count: int
    total: int
    results: list[QuestionResult]

    def as_dict(self) -> dict[str, Any]:
        """The body of the portal's attempt response, as the page's script reads it.

        Leaves out the correct choice ids: the explanation is the feedback, and handing out
        the key would let the next attempt pass without reading the routine.
        """
        return {"score": self.score, "passed": self.passed,
                "correct_count": self.correct_count, "total": self.total,
                "results": [{"question_id": r.question_id, "correct": r.correct,
                             "explanation": r.explanation} for r in self.results]}


def _chosen(quiz: Quiz, answers: Any) -> dict[str, frozenset[str]]:
    if not isinstance(answers, Mapping):
        raise InvalidAnswers("förväntade svaren som en tabell från fråge-id till en lista med "
                             f"svarsalternativ-id, fick {describe(answers)}")
    questions = {q.id: q for q in quiz.questions}
    chosen: dict[str, frozenset[str]] = {}
    for question_id, ids in answers.items():
        question = questions.get(question_id) if isinstance(question_id, str) else None
        if question is None:
            raise InvalidAnswers(f"okänd fråga {describe(question_id)} i quizen '{quiz.id}'")
        if isinstance(ids, str):  # one id, not an iterable of its characters
            ids = [ids]
        if not isinstance(ids, Iterable) or isinstance(ids, Mapping):
            raise InvalidAnswers(f"förväntade en lista med svarsalternativ-id för frågan "
                                 f"'{question_id}', fick {describe(ids)}")
        valid = {c.id for c in question.choices}
        picked = set()
        for cid in ids:
            if not isinstance(cid, str) or cid not in valid:
                raise InvalidAnswers(
                    f"okänt svarsalternativ {describe(cid)} i frågan '{question_id}'")
            picked.add(cid)
        chosen[question_id] = frozenset(picked)
    return chosen


def grade(quiz: Quiz, answers: Mapping[str, Iterable[str]]) -> Grade:
    """Grade one attempt. Unanswered questions are wrong; unknown ids raise InvalidAnswers."""
    chosen = _chosen(quiz, answers)
    results = [QuestionResult(q.id, chosen.get(q.id, frozenset()) == q.correct_ids,
                              q.explanation, [c.id for c in q.choices if c.correct])
               for q in quiz.questions]
    right, total = sum(r.correct for r in results), len(results)
    share = Fraction(right, total) if total else Fraction(0)
    # Exact arithmetic: 4 of 5 must pass a pass mark of 0.8, which as a float is not 4/5.
    passed = total > 0 and share >= Fraction(str(quiz.pass_mark))
    return Grade(float(share), passed, right, total, results)


# -- combined quizzes ---------------------------------------------------------------------------

def combined_version(quizzes: Iterable[Quiz]) -> int:
    """A fingerprint of the sources' ids and versions, not a counter.

    The first 7 hex digits of the SHA-256 of the sorted "id@version" lines (so it fits a
    32-bit integer column): it changes whenever a source is added, removed or gets a new
    version, and not when the reading list merely changes order.
    """
    lines = "\n".join(sorted(f"{q.id}@{q.version}" for q in quizzes))
    return int(hashlib.sha256(lines.encode()).hexdigest()[:7], 16) or 1


def combine(quiz_id: str, title: str, quizzes: Sequence[Quiz], pass_mark: float = 0.8
            ) -> Quiz:
    """One quiz made of several (a reading list's), question ids "<source>--<question>".

    Choice ids are kept from the sources. A source given twice is used once.
    """
    sources: list[Quiz] = []
    for quiz in quizzes:
        if all(quiz.id != seen.id for seen in sources):
            sources.append(quiz)
    if not sources:
        raise ValueError("combine() needs at least one quiz")
    questions = tuple(replace(q, id=f"{source.id}--{q.id}")
                      for source in sources for q in source.questions)
    return Quiz(quiz_id, title, combined_version(sources), pass_mark, questions, None)


# -- what a page may contain --------------------------------------------------------------------

def public_dict(quiz: Quiz) -> dict[str, Any]:
    """What a production page may contain: no correct flags, no explanations."""
    return {
        "id": quiz.id, "title": quiz.title, "version": quiz.version,
        "pass_mark": quiz.pass_mark,
        "questions": [{"id": q.id, "text": q.text, "multiple": q.multiple,
                       "choices": [{"id": c.id, "text": c.text} for c in q.choices]}
                      for q in quiz.questions],
    }


def preview_dict(quiz: Quiz) -> dict[str, Any]:
    """`public_dict` plus the key, for grading in the browser in preview builds only."""
    data = public_dict(quiz)
    data["key"] = {q.id: {"correct": sorted(q.correct_ids), "explanation": q.explanation}
                   for q in quiz.questions}
    return data


def render_widget(quiz: Quiz, *, preview: bool, api_url: str | None = None) -> Markup:
    """The quiz form as HTML for a Markdown page; the key only when `preview`."""
    data = preview_dict(quiz) if preview else public_dict(quiz)
    html = environment().get_template("quiz.html.j2").render(
        quiz=data, preview=preview,
        api_url=API_ATTEMPTS.format(quiz_id=quiz.id) if api_url is None else api_url)
    return Markup(html)

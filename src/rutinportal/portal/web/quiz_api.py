"""The quiz API: start an attempt, then send its answers to be graded (once).

`POST /api/quizzes/{quiz_id}/attempts/start` hands out the questions of one attempt (drawn
from the quiz's question bank, choices shuffled); `POST /api/quizzes/{quiz_id}/attempts`
grades the answers to it. A failed attempt says which questions were wrong, with their
explanations, never which choice is right; after three failures in a row, starting again is
refused with 429 and `Retry-After` until the pause is over (`receipts.attempts`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from ...quiz.presentation import question_text
from ..access import auth
from ..receipts.attempts import record_attempt, start_attempt
from .api import ERRORS, ErrorDetail

router = APIRouter(prefix="/api", tags=["api"])

QUIZ_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    409: {"model": ErrorDetail, "description": "Försöket är redan rättat eller ersatt"},
    429: {"model": ErrorDetail, "description": "Paus efter tre underkända försök i rad; "
                                               "se Retry-After"},
}


class ChoiceOut(BaseModel):
    id: str
    text: str


class QuestionOut(BaseModel):
    id: str
    text: str
    multiple: bool = Field(description="Flera rätta svar: välj alla som stämmer")
    choices: list[ChoiceOut] = Field(description="I den ordning de ska visas")


class AttemptStarted(BaseModel):
    attempt_id: str = Field(description="Skickas med svaren; gäller ett enda rättande")
    quiz_id: str
    version: int
    pass_mark: float
    questions: list[QuestionOut]


class AttemptIn(BaseModel):
    model_config = ConfigDict(strict=True)

    attempt_id: str = Field(max_length=64, description="Från .../attempts/start")
    answers: dict[str, list[str]] = Field(
        description="Valda svarsalternativ per fråga: {fråge-id: [alternativ-id, …]}")


class QuestionFeedback(BaseModel):
    question_id: str
    correct: bool
    explanation: str | None = None


class AttemptOut(BaseModel):
    score: float
    passed: bool
    correct_count: int
    total: int
    results: list[QuestionFeedback]


@router.post("/quizzes/{quiz_id}/attempts/start", response_model=AttemptStarted,
             status_code=201, responses=QUIZ_ERRORS)
def post_start(request: Request, quiz_id: str) -> AttemptStarted:
    """Starta ett försök: frågorna som drogs, med svarsalternativen i blandad ordning."""
    portal = request.app.state.portal
    published = portal.published  # one build for the whole request
    cooldown = dt.timedelta(minutes=portal.settings.quiz_cooldown_minutes)
    with portal.session() as session:
        person = auth.current_person(portal.settings, request, session)
        issued = start_attempt(session, person, published, quiz_id, cooldown)
    return AttemptStarted(
        attempt_id=issued.attempt.token, quiz_id=quiz_id, version=issued.attempt.quiz_version,
        pass_mark=published.quizzes[quiz_id].pass_mark,
        questions=[QuestionOut(id=d.question.id, text=question_text(d.question),
                               multiple=d.question.multiple,
                               choices=[ChoiceOut(id=c.id, text=c.text) for c in d.choices])
                   for d in issued.questions])


@router.post("/quizzes/{quiz_id}/attempts", response_model=AttemptOut, status_code=201,
             responses=QUIZ_ERRORS)
def post_attempt(request: Request, quiz_id: str, body: AttemptIn) -> AttemptOut:
    """Rätta svaren på ett startat försök (en gång), spara dem och ge återkoppling per fråga."""
    portal = request.app.state.portal
    with portal.session() as session:
        person = auth.current_person(portal.settings, request, session)
        result = record_attempt(session, person, portal.published, quiz_id, body.attempt_id,
                                body.answers)
    grade = result.grade
    return AttemptOut(score=grade.score, passed=grade.passed,
                      correct_count=grade.correct_count, total=grade.total,
                      results=[QuestionFeedback(question_id=r.question_id, correct=r.correct,
                                                explanation=r.explanation)
                               for r in grade.results])

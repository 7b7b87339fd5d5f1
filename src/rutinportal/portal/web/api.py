"""The JSON API: `/api/me`, acknowledgements, quiz attempts and a health check (DESIGN.md §6)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from ..access import auth
from ..receipts.acknowledgements import acknowledge
from ..receipts.attempts import record_attempt
from ..receipts.summary import Me, summary

router = APIRouter(prefix="/api", tags=["api"])


class AcknowledgementIn(BaseModel):
    document_id: str = Field(max_length=32, description="Dokumentets id, t.ex. RUT-001")
    version: int = Field(ge=1, le=100000, description="Den version som personen har läst")


class AcknowledgementOut(BaseModel):
    document_id: str
    version: int
    acknowledged_at: str
    created: bool = Field(description="false när samma kvittens redan fanns (idempotent)")


class AttemptIn(BaseModel):
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


class ErrorDetail(BaseModel):
    detail: str = Field(description="Vad som gick fel, på svenska")


ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorDetail, "description": "Inte inloggad"},
    403: {"model": ErrorDetail, "description": "CSRF-skydd eller okänd person"},
    422: {"model": ErrorDetail, "description": "Inte publicerat eller ogiltiga svar"},
}


class Health(BaseModel):
    status: str = Field(description="\"ok\" när processen svarar")


@router.get("/health", response_model=Health)
async def health() -> Health:
    """Svarar om processen lever, utan att röra databasen (för lastbalanserare)."""
    return Health(status="ok")


@router.get("/me", response_model=Me, responses={401: ERRORS[401], 403: ERRORS[403]})
def me(request: Request) -> Me:
    """Personen, hens målgrupper, vad hen har kvitterat och klarat och vad som återstår."""
    portal = request.app.state.portal
    with portal.session() as session:
        person = auth.current_person(portal.settings, request, session)
        return summary(session, person, portal.published)


@router.post("/acknowledgements", response_model=AcknowledgementOut, status_code=201,
             responses={200: {"model": AcknowledgementOut}, **ERRORS})
def post_acknowledgement(request: Request, response: Response,
                         body: AcknowledgementIn) -> AcknowledgementOut:
    """Kvittera en publicerad version. Samma kvittens två gånger ger en post (200)."""
    portal = request.app.state.portal
    with portal.session() as session:
        person = auth.current_person(portal.settings, request, session)
        record, created = acknowledge(session, person, portal.published, body.document_id,
                                      body.version)
        if not created:
            response.status_code = 200
        moment = record.acknowledged_at
        return AcknowledgementOut(document_id=record.document_id, version=record.version,
                                  acknowledged_at=moment.date().isoformat()
                                  if moment else "", created=created)


@router.post("/quizzes/{quiz_id}/attempts", response_model=AttemptOut, status_code=201,
             responses=ERRORS)
def post_attempt(request: Request, quiz_id: str, body: AttemptIn) -> AttemptOut:
    """Rätta ett försök på servern, spara det och ge återkoppling per fråga."""
    portal = request.app.state.portal
    with portal.session() as session:
        person = auth.current_person(portal.settings, request, session)
        result = record_attempt(session, person, portal.published, quiz_id, body.answers)
    grade = result.grade
    return AttemptOut(score=grade.score, passed=grade.passed,
                      correct_count=grade.correct_count, total=grade.total,
                      results=[QuestionFeedback(question_id=r.question_id, correct=r.correct,
                                                explanation=r.explanation)
                               for r in grade.results])

"""The JSON API: `/api/me`, acknowledgements and a health check (DESIGN.md §6); quiz attempts
are in `quiz_api`.

Request bodies are read strictly: a number must be a JSON number (`"2"` and `true` are not
versions), answered 422 like any other invalid body.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from ..access import auth
from ..receipts.acknowledgements import acknowledge
from ..receipts.summary import Me, summary

router = APIRouter(prefix="/api", tags=["api"])


class AcknowledgementIn(BaseModel):
    model_config = ConfigDict(strict=True)

    document_id: str = Field(max_length=32, description="Dokumentets id, t.ex. RUT-001")
    version: int = Field(ge=1, le=100000, description="Den version som personen har läst")


class AcknowledgementOut(BaseModel):
    document_id: str
    version: int
    acknowledged_at: str
    created: bool = Field(description="false när samma kvittens redan fanns (idempotent)")


class ErrorDetail(BaseModel):
    detail: str = Field(description="Vad som gick fel, på svenska")


ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorDetail, "description": "Inte inloggad"},
    403: {"model": ErrorDetail, "description": "CSRF-skydd eller okänd person"},
    413: {"model": ErrorDetail, "description": "För stor begäran (lästes inte)"},
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

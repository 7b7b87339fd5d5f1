"""The JSON API: `/api/me`, acknowledgements and a health check (DESIGN.md §6); quiz attempts
are in `quiz_api`.

Request bodies are read strictly: a number must be a JSON number (`"2"` and `true` are not
versions), answered 422 like any other invalid body.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from ...errors import NotSignedIn
from ..access import auth
from ..receipts.acknowledgements import wanted
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
    renewal: int = Field(0, description="0: versionens första kvittens; 1: dess första "
                                        "förnyelse (en rutin med renew_months) osv.")


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
async def post_acknowledgement(request: Request, body: AcknowledgementIn) -> JSONResponse:
    """Kvittera en publicerad version. Samma kvittens två gånger ger en post (200). En
    rutin som ska förnyas (renew_months) får en ny post när förnyelsen är skyldig."""
    portal = request.app.state.portal
    person_id = await _person_id(portal, request)
    receipt = await portal.acknowledgements.submit(
        wanted(await _published(portal), person_id, body.document_id, body.version))
    # Answered only now: the acknowledgement is committed (storage.group_commit).
    return JSONResponse({"document_id": receipt.document_id, "version": receipt.version,
                         "acknowledged_at": receipt.acknowledged_at.date().isoformat(),
                         "created": receipt.created, "renewal": receipt.renewal},
                        status_code=201 if receipt.created else 200)


async def _person_id(portal, request: Request) -> str:
    """Who asks. The SSO header costs no database work here (the writer looks the person up
    with the batch); a session is looked up, and perhaps touched, on a worker thread."""
    if portal.settings.auth == "header":
        person_id = auth.header_person_id(portal.settings, request)
        if person_id is None:
            raise NotSignedIn(auth.NOT_SIGNED_IN)
        return person_id

    def signed_in() -> str:
        with portal.session() as session:
            return auth.current_person(portal.settings, request, session).person_id

    return await run_in_threadpool(signed_in)


async def _published(portal):
    """What is published, without loading a new build on the event loop."""
    if portal.live.due():
        return (await run_in_threadpool(portal.live.current)).published
    return portal.live.last.published

"""`GET /api/ready`: 200 when every readiness check passes, 503 with what failed otherwise.

No sign-in, no personal data, never cached; never a 500 (each check reports its own failure).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from .readiness import readiness

router = APIRouter(prefix="/api", tags=["drift"])


class CheckOut(BaseModel):
    ok: bool
    detail: str = Field(description="Vad som kontrollerades, eller vad som är fel (svenska)")


class Ready(BaseModel):
    status: str = Field(description="\"redo\" eller \"inte redo\"")
    checks: dict[str, CheckOut] = Field(description="database, site och schema")


@router.get("/ready", response_model=Ready, responses={503: {"model": Ready}})
def ready(request: Request) -> JSONResponse:
    """Svarar 200 när processen kan ta emot begäranden: databasen svarar, webbplatsen är
    inläst och databasens schema är aktuellt; annars 503 med det som brister (för
    lastbalanserare)."""
    checks = readiness(request.app.state.portal)
    passed = all(check.ok for check in checks)
    body = Ready(status="redo" if passed else "inte redo",
                 checks={c.name: CheckOut(ok=c.ok, detail=c.detail) for c in checks})
    return JSONResponse(body.model_dump(), status_code=200 if passed else 503,
                        headers={"Cache-Control": "no-store"})

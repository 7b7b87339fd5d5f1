"""A person's follow-up page (`/uppfoljning/personer/<id>/`): what they owe by when, their
exceptions, and the small forms that record one (away until, a later due date) or take one
back. Who may see and record is `policy`'s decision; CSRF is the app's dependency."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from ...errors import Forbidden, UserError
from ..access import auth, csrf, policy
from ..people.personal_data import find_person_or_fail
from ..campaigns import exceptions as service
from ..campaigns.ledger import build_ledger
from ..campaigns.records import AWAY, EXTEND
from ..web import shell
from ..web.forms import form_day

router = APIRouter(include_in_schema=False)
PREFIX = "/uppfoljning/personer"
NO_STORE = {"Cache-Control": "no-store"}
SAVED = {"undantag": "Undantaget är registrerat.", "borttaget": "Undantaget är borttaget."}


def _target(request: Request, session, person_id: str):
    portal = request.app.state.portal
    viewer = auth.current_person(portal.settings, request, session)
    policy.require_follow_up(viewer)
    target = find_person_or_fail(session, person_id)
    if not policy.can_see_person(viewer, target):
        raise Forbidden("Du kan bara följa upp medarbetare i de enheter du är chef eller "
                        "DISK för.")
    return viewer, target


@router.get(PREFIX + "/{person_id}/")
def person_page(request: Request, person_id: str, sparat: str | None = None):
    portal = request.app.state.portal
    published = portal.published
    today = dt.date.today()
    with portal.session() as session:
        viewer, target = _target(request, session, person_id)
        ledger = build_ledger(session, published, today, only={target.id})
        owed = ledger.of(target.id)
        history = service.of_person(session, target, include_revoked=True)
        may_record = policy.can_record_exceptions(viewer, target)
        titles = {r.id: r.title for r in ledger.requirements}
        names = published.organisation.name
        content = shell.render(
            "person_follow_up.html.j2", person=target, owed=owed, history=history,
            may_record=may_record, titles=titles, describe=service.describe, today=today,
            units=", ".join(names(u) for u in target.units), saved=SAVED.get(sparat or ""),
            unit_names=[(u, names(u)) for u in target.units],
            requirements=ledger.requirements, csrf_token=csrf.token_for(request),
            prefix=PREFIX, away=target.id in ledger.away)
    response = shell.html_page(request, f"Uppföljning: {target.name}", content,
                               shell_page=shell.FOLLOW_UP)
    response.headers.update(NO_STORE)
    return response


@router.post(PREFIX + "/{person_id}/undantag")
async def record(request: Request, person_id: str) -> Response:
    portal = request.app.state.portal
    form = await request.form()
    kind = str(form.get("kind") or "")
    until = form_day(str(form.get("until") or ""), "until")
    reason = str(form.get("reason") or "")
    document = str(form.get("document") or "") or None
    with portal.session() as session:
        viewer, target = _target(request, session, person_id)
        policy.require_exceptions(viewer, target)
        by = f"{viewer.name} ({viewer.person_id})"
        if kind == AWAY:
            service.record_away(session, target, until, reason, by, dt.date.today())
        elif kind == EXTEND:
            service.record_extension(session, target, portal.published, document, until,
                                     reason, by, dt.date.today())
        else:
            raise UserError(f"kind: förväntade {AWAY} eller {EXTEND}, fick '{kind}'. "
                            "Ingenting har registrerats.", 422)
    return RedirectResponse(f"{PREFIX}/{target.person_id}/?sparat=undantag#undantag",
                            status_code=303)


@router.post(PREFIX + "/{person_id}/undantag/{exception_id}/ta-bort")
def revoke(request: Request, person_id: str, exception_id: int) -> Response:
    portal = request.app.state.portal
    with portal.session() as session:
        viewer, target = _target(request, session, person_id)
        policy.require_exceptions(viewer, target)
        service.revoke(session, target, exception_id, f"{viewer.name} ({viewer.person_id})")
    return RedirectResponse(f"{PREFIX}/{target.person_id}/?sparat=borttaget#undantag",
                            status_code=303)

"""Genomgång på APT: the form (`/uppfoljning/enheter/<unit>/apt/`), recording it, its
receipt (`/uppfoljning/apt/<id>/`) and the printable meeting sheet (`…/apt/blad`). A manager
of the unit (or leadership, the coordinator) records, as the witness (`policy`)."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ...errors import Forbidden
from ..access import auth, csrf, policy
from ..web import shell
from ..web.forms import form_day
from . import service
from .sheet import sheet_html

router = APIRouter(include_in_schema=False)
UNIT = "/uppfoljning/enheter/{unit_id}/apt"
NO_STORE = {"Cache-Control": "no-store"}


def _page(request: Request, title: str, template: str, **context) -> Response:
    response = shell.html_page(request, title, shell.render(template, **context),
                               shell_page=shell.FOLLOW_UP)
    response.headers.update(NO_STORE)
    return response


def _manager(request: Request, session, unit_id: str):
    portal = request.app.state.portal
    person = auth.current_person(portal.settings, request, session)
    policy.require_meeting(person, unit_id)
    return person


@router.get(UNIT + "/")
def form(request: Request, unit_id: str):
    portal = request.app.state.portal
    with portal.session() as session:
        person = _manager(request, session, unit_id)
        options = service.choices(session, portal.published, unit_id)
        return _page(request, f"Genomgång på APT: {options.unit.name}", "apt_form.html.j2",
                     options=options, witness=person, today=dt.date.today(),
                     csrf_token=csrf.token_for(request), unit_id=unit_id)


@router.post(UNIT + "/")
async def record(request: Request, unit_id: str) -> Response:
    portal = request.app.state.portal
    form_data = await request.form()
    documents = [str(v) for v in form_data.getlist("dokument")]
    attendees = [str(v) for v in form_data.getlist("deltagare")]
    use_quiz = form_data.get("kunskapstest") == "1"
    held_on = form_day(str(form_data.get("held_on") or ""), "held_on")
    with portal.session() as session:
        person = _manager(request, session, unit_id)
        meeting = service.record_meeting(session, portal.published, person, unit_id, held_on,
                                         documents, attendees, use_quiz, dt.date.today())
    return RedirectResponse(f"/uppfoljning/apt/{meeting.id}/", status_code=303)


@router.get("/uppfoljning/apt/{meeting_id}/")
def receipt(request: Request, meeting_id: int):
    portal = request.app.state.portal
    with portal.session() as session:
        person = auth.current_person(portal.settings, request, session)
        found = service.receipt(session, portal.published, meeting_id)
        if not policy.follow_up_scope(person).covers(found.unit.id) \
                and person.id != found.witness.id:
            raise Forbidden("Du kan bara se genomgångar för de enheter du följer upp.")
        return _page(request, f"Genomgång på APT {found.meeting.held_on}: {found.unit.name}",
                     "apt_receipt.html.j2", r=found)


@router.get(UNIT + "/blad")
def sheet(request: Request, unit_id: str):
    """The meeting sheet to print: the routines, their quiz questions without the key, and
    the unit's people to sign."""
    portal = request.app.state.portal
    documents = request.query_params.getlist("dokument")
    use_quiz = request.query_params.get("kunskapstest") == "1"
    held_on = request.query_params.get("held_on") or dt.date.today().isoformat()
    with portal.session() as session:
        _manager(request, session, unit_id)
        options = service.choices(session, portal.published, unit_id)
        html = sheet_html(portal.published, options, documents, use_quiz, held_on)
    return HTMLResponse(html, headers=NO_STORE)

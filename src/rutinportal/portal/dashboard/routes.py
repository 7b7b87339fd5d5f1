"""The leadership dashboard `/uppfoljning/`: pages and CSV/XLSX exports of the figures.

Who sees what is decided by `policy` alone: the Scope it returns limits every figure, name
and export to the viewer's units (leadership and the coordinator: all units).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from ...content.catalogue import Catalogue
from ...errors import NotFound
from ..access import auth, policy
from ..access.policy import Scope
from ..web import shell
from ..web.shell import html_page
from ..campaigns.exceptions import describe
from ..campaigns.ledger import build_ledger
from ..meetings.service import meetings_in
from ..notify.log import recent_runs
from .acknowledgements import acknowledgement_rates
from .attempts import quiz_progress
from .exports import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE, to_csv, to_xlsx
from .figures import Figures, figures
from .progress import chart, weekly
from .tables import TABLES, export_tables
from .unit_people import unit_people

router = APIRouter(include_in_schema=False)

PREFIX = "/uppfoljning"
# Loading the catalogue parses every document and quiz (tens of milliseconds for the example
# content, seconds for thousands of documents); approvals change by commits to the
# repository, so a minute's delay is harmless.
CATALOGUE_SECONDS = 60.0
PRIVATE = {"Cache-Control": "private, no-store"}  # names of people: never in a shared cache

_catalogues: dict[Path, tuple[float, Catalogue]] = {}
_catalogue_lock = threading.Lock()


def load_catalogue(root: Path) -> Catalogue:
    with _catalogue_lock:
        cached = _catalogues.get(root)
        if cached is not None and time.monotonic() - cached[0] < CATALOGUE_SECONDS:
            return cached[1]
    catalogue = Catalogue.load(root)
    with _catalogue_lock:
        _catalogues[root] = (time.monotonic(), catalogue)
    return catalogue


def current_figures(request: Request, session: Session, scope: Scope) -> Figures:
    portal = request.app.state.portal
    return figures(session, portal.published, load_catalogue(portal.settings.root), scope,
                   dt.date.today())


def _follow_up(request: Request, session: Session, unit: str | None = None) -> Scope:
    portal = request.app.state.portal
    person = auth.current_person(portal.settings, request, session)
    return policy.require_unit(person, unit) if unit is not None \
        else policy.require_follow_up(person)


def _page(request: Request, title: str, template: str, **context) -> Response:
    organisation = request.app.state.portal.published.organisation
    content = shell.render(template, prefix=PREFIX, name=organisation.name, **context)
    response = html_page(request, title, content, shell_page=shell.FOLLOW_UP)
    response.headers.update(PRIVATE)
    return response


def scope_text(scope: Scope, name) -> str:
    if scope.all_units:
        return "Du ser alla enheter."

    def listed(units) -> str:
        return ", ".join(name(u) for u in sorted(units, key=lambda u: name(u).casefold()))

    managed = scope.units - scope.as_disk
    parts = []
    if managed:
        parts.append(f"de enheter du är chef för: {listed(managed)}")
    if scope.as_disk:
        parts.append(f"{'och ' if managed else ''}de enheter du är DISK för: "
                     f"{listed(scope.as_disk)}")
    return "Du ser " + (", ".join(parts) if parts else "inga enheter") + "."


@router.get(PREFIX + "/")
def overview(request: Request):
    portal = request.app.state.portal
    with portal.session() as session:
        person = auth.current_person(portal.settings, request, session)
        scope = policy.require_follow_up(person)
        data = current_figures(request, session, scope)
        runs = recent_runs(session) if policy.can_see_mail_log(person) else None
    return _page(request, "Uppföljning", "dashboard.html.j2", figures=data,
                 summary=data.summary, tables=TABLES, runs=runs,
                 scope_text=scope_text(data.scope, portal.published.organisation.name))


@router.get(PREFIX + "/rutiner/{document_id}/")
def routine(request: Request, document_id: str):
    portal = request.app.state.portal
    published = portal.published
    today = dt.date.today()
    with portal.session() as session:
        scope = _follow_up(request, session)
        ledger = build_ledger(session, published, today)
        requirement = ledger.requirement(document_id)
        if requirement is None or not requirement.routine:
            raise NotFound(f"{document_id} är inte en publicerad obligatorisk rutin. Det "
                           "finns ingen uppföljning av den.")
        acks = acknowledgement_rates(ledger, published.organisation, scope,
                                     document=document_id)
        rate = acks.routine(document_id)
        weeks = weekly(session, requirement, set(rate.counted) if rate else set(), today)
    return _page(request, f"Uppföljning: {requirement.title}", "dashboard_routine.html.j2",
                 document=requirement.document, rate=rate, acks=acks, chart=chart(weeks),
                 today=today, scope_text=scope_text(scope, published.organisation.name))


@router.get(PREFIX + "/enheter/{unit_id}/")
def unit(request: Request, unit_id: str):
    portal = request.app.state.portal
    published = portal.published
    today = dt.date.today()
    with portal.session() as session:
        person = auth.current_person(portal.settings, request, session)
        scope = policy.require_unit(person, unit_id)
        found = next((u for u in published.organisation.units if u.id == unit_id), None)
        if found is None:
            raise NotFound(f"Enheten '{unit_id}' finns inte i organisation.yml.")
        ledger = build_ledger(session, published, today)
        acks = acknowledgement_rates(ledger, published.organisation, scope, unit=unit_id)
        progress = quiz_progress(session, published, acks.people, scope, unit_id)
        staff = unit_people(ledger, unit_id)
    summary = next((s for s in acks.units if s.unit.id == unit_id), None)
    return _page(request, f"Uppföljning: {found.name}", "dashboard_unit.html.j2",
                 unit=found, summary=summary, rows=acks.for_unit(unit_id), acks=acks,
                 progress=progress, staff=staff, today=today, describe=describe,
                 titles={r.id: r.title for r in ledger.requirements},
                 can_hold_meeting=policy.can_hold_meeting(person, unit_id))


def _download(body: bytes, media_type: str, file_name: str) -> Response:
    return Response(body, media_type=media_type, headers={
        **PRIVATE, "Content-Disposition": f'attachment; filename="{file_name}"'})


@router.get(PREFIX + "/export.csv")
def export_csv(request: Request, tabell: str = "rutiner"):
    portal = request.app.state.portal
    with portal.session() as session:
        scope = _follow_up(request, session)
        if tabell not in TABLES:
            raise NotFound(f"Tabellen '{tabell}' finns inte. Välj en av: {', '.join(TABLES)}.")
        data = current_figures(request, session, scope)
        progress = quiz_progress(session, portal.published, data.acknowledgements.people,
                                 scope) if tabell == "kunskapstest" else []
        meetings = meetings_in(session, None if scope.all_units else set(scope.units)) \
            if tabell == "apt" else []
    table = export_tables(data, portal.published.organisation.name, progress,
                          meetings)[tabell]
    return _download(to_csv(table), CSV_MEDIA_TYPE, f"uppfoljning-{tabell}-{data.today}.csv")


@router.get(PREFIX + "/export.xlsx")
def export_xlsx(request: Request):
    portal = request.app.state.portal
    with portal.session() as session:
        scope = _follow_up(request, session)
        data = current_figures(request, session, scope)
        progress = quiz_progress(session, portal.published, data.acknowledgements.people,
                                 scope)
        meetings = meetings_in(session, None if scope.all_units else set(scope.units))
    tables = export_tables(data, portal.published.organisation.name, progress, meetings)
    return _download(to_xlsx(tables.values()), XLSX_MEDIA_TYPE,
                     f"uppfoljning-{data.today}.xlsx")

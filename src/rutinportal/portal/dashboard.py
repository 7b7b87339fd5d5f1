"""The leadership dashboard `/uppfoljning/`: pages and CSV/XLSX exports of `stats`.

Who sees what is decided by `policy` alone: the Scope it returns limits every figure, name
and export to the viewer's units (leadership and the coordinator: all units).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from ..catalogue import Catalogue
from . import auth, policy, shell, stats
from .errors import PortalError
from .exports import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE, Table, to_csv, to_xlsx
from .policy import Scope
from .views import html_page

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


@dataclass
class Figures:
    scope: Scope
    today: dt.date
    acknowledgements: stats.Acknowledgements
    training: stats.Training
    approvals: stats.Approvals

    @property
    def summary(self) -> stats.Summary:
        return stats.summarise(self.acknowledgements, self.training, self.approvals)


def figures(request: Request, session: Session, scope: Scope) -> Figures:
    portal = request.app.state.portal
    published = portal.published
    people = stats.load_people(session)
    today = dt.date.today()
    return Figures(
        scope, today,
        stats.acknowledgement_rates(session, published, published.organisation, scope, people),
        stats.management_training(session, published, scope, people),
        stats.approvals(load_catalogue(portal.settings.root), today))


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
    units = ", ".join(name(u) for u in sorted(scope.units, key=lambda u: name(u).casefold()))
    return f"Du ser de enheter du är chef för: {units}."


@router.get(PREFIX + "/")
def overview(request: Request):
    portal = request.app.state.portal
    with portal.session() as session:
        data = figures(request, session, _follow_up(request, session))
    return _page(request, "Uppföljning", "dashboard.html.j2", figures=data,
                 summary=data.summary, tables=TABLES,
                 scope_text=scope_text(data.scope, portal.published.organisation.name))


@router.get(PREFIX + "/rutiner/{document_id}/")
def routine(request: Request, document_id: str):
    portal = request.app.state.portal
    published = portal.published
    with portal.session() as session:
        scope = _follow_up(request, session)
        document = next((d for d in stats.mandatory_routines(published)
                         if d.id == document_id), None)
        if document is None:
            raise PortalError(f"{document_id} är inte en publicerad obligatorisk rutin. Det "
                              "finns ingen uppföljning av den.", 404)
        acks = stats.acknowledgement_rates(session, published, published.organisation, scope)
    return _page(request, f"Uppföljning: {document.title}", "dashboard_routine.html.j2",
                 document=document, rate=acks.routine(document_id), acks=acks,
                 scope_text=scope_text(scope, published.organisation.name))


@router.get(PREFIX + "/enheter/{unit_id}/")
def unit(request: Request, unit_id: str):
    portal = request.app.state.portal
    published = portal.published
    with portal.session() as session:
        scope = _follow_up(request, session, unit_id)
        found = next((u for u in published.organisation.units if u.id == unit_id), None)
        if found is None:
            raise PortalError(f"Enheten '{unit_id}' finns inte i organisation.yml.", 404)
        acks = stats.acknowledgement_rates(session, published, published.organisation, scope)
    summary = next((s for s in acks.units if s.unit.id == unit_id), None)
    return _page(request, f"Uppföljning: {found.name}", "dashboard_unit.html.j2",
                 unit=found, summary=summary, rows=acks.for_unit(unit_id), acks=acks)


# -- exports ------------------------------------------------------------------------------

# Table name in the URL → how the overview's download links name it.
TABLES = {"rutiner": "kvittenser per rutin", "enheter": "kvittenser per enhet",
          "utbildning": "NIS2-utbildning för chefer", "saknas": "vem som saknar kvittens",
          "beslut": "beslut och översyn"}


def export_tables(data: Figures, name) -> dict[str, Table]:
    """The dashboard's tables, with Swedish column names, by their name in the URL."""
    acks, training, pending = data.acknowledgements, data.training, data.approvals
    routines = Table("Rutiner", ("Id", "Rutin", "Kvitterat", "Saknas", "Antal i målgruppen",
                                 "Andel (%)"),
                     [(r.document.id, r.document.title, r.rate.done, r.rate.missing,
                       r.rate.total, r.rate.percent) for r in acks.routines])
    units = Table("Enheter", ("Enhet", "Medarbetare", "Kvitterat", "Saknas",
                              "Krävda kvittenser", "Andel (%)"),
                  [(s.unit.name, s.people, s.rate.done, s.rate.missing, s.rate.total,
                    s.rate.percent) for s in acks.units])
    managers = Table("NIS2-utbildning", ("Chef", "Personid", "Enhet", "Chef för",
                                         "Moduler klara", "Antal moduler", "Andel (%)",
                                         "Saknas"),
                     [(m.person.name, m.person.person_id, ", ".join(name(u) for u in m.units),
                       ", ".join(name(u) for u in m.manages), m.rate.done, m.rate.total,
                       m.rate.percent, ", ".join(f"{d.id} {d.title}" for d in m.missing))
                      for m in training.managers])
    missing = Table("Saknar kvittens", ("Id", "Rutin", "Enhet", "Namn", "Personid"),
                    [(r.document.id, r.document.title, u.unit.name, p.name, p.person_id)
                     for r in acks.routines for u in r.units for p in acks.missing(u)])
    decisions = Table("Beslut och översyn", ("Id", "Dokument", "Ärende", "Status",
                                             "Väntat (dagar)", "Nästa översyn",
                                             "Försenad (dagar)", "Senaste beslut",
                                             "Beslutat av"),
                      [(p.id, p.title, "Väntar på beslut", p.status, p.days_waiting,
                        p.next_review, p.days_overdue, p.decision, p.approved_by)
                       for p in pending.waiting]
                      + [(p.id, p.title, "Försenad översyn", p.status, p.days_waiting,
                          p.next_review, p.days_overdue, p.decision, p.approved_by)
                         for p in pending.overdue])
    return {"rutiner": routines, "enheter": units, "utbildning": managers, "saknas": missing,
            "beslut": decisions}


def _download(body: bytes, media_type: str, file_name: str) -> Response:
    return Response(body, media_type=media_type, headers={
        **PRIVATE, "Content-Disposition": f'attachment; filename="{file_name}"'})


@router.get(PREFIX + "/export.csv")
def export_csv(request: Request, tabell: str = "rutiner"):
    portal = request.app.state.portal
    with portal.session() as session:
        scope = _follow_up(request, session)
        if tabell not in TABLES:
            raise PortalError(f"Tabellen '{tabell}' finns inte. Välj en av: "
                              f"{', '.join(TABLES)}.", 404)
        data = figures(request, session, scope)
    table = export_tables(data, portal.published.organisation.name)[tabell]
    return _download(to_csv(table), CSV_MEDIA_TYPE, f"uppfoljning-{tabell}-{data.today}.csv")


@router.get(PREFIX + "/export.xlsx")
def export_xlsx(request: Request):
    portal = request.app.state.portal
    with portal.session() as session:
        data = figures(request, session, _follow_up(request, session))
    tables = export_tables(data, portal.published.organisation.name)
    return _download(to_xlsx(tables.values()), XLSX_MEDIA_TYPE,
                     f"uppfoljning-{data.today}.xlsx")

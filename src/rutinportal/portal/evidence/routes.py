"""`/uppfoljning/bevis/`: the evidence bundle for a chosen period and the annual report for a
chosen year, for sector leadership and the coordinator (`policy.require_evidence`).

Both are made into a temporary file (in memory up to a few megabytes, then on disk) and
streamed from there in parts, never held whole; the export is recorded before the first byte
is sent (the report holds no names and is not recorded). Never cached. The bundle is a POST
(it is recorded), so CSRF guards it.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from functools import lru_cache
from typing import BinaryIO

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from ...errors import UserError
from ..access import auth, csrf, policy
from ..dashboard.routes import load_catalogue
from ..reporting.figures import annual_report
from ..reporting.write import file_stem, write_zip
from ..storage.moments import aware
from ..web import shell
from ..web.forms import form_day
from . import keys, log
from .bundle import check_period, export

router = APIRouter(include_in_schema=False)
PREFIX = "/uppfoljning/bevis"
NO_STORE = {"Cache-Control": "no-store"}
ZIP = "application/zip"
IN_MEMORY = 8 * 1024 * 1024  # larger exports spill to a temporary file
PART = 256 * 1024
FIRST_YEAR = 2000


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=PackageLoader("rutinportal.portal.evidence", "templates"),
                       autoescape=True, undefined=StrictUndefined, trim_blocks=True,
                       lstrip_blocks=True)


def _viewer(request: Request, session):
    portal = request.app.state.portal
    person = auth.current_person(portal.settings, request, session)
    policy.require_evidence(person)
    return person


def _moment(value: dt.datetime) -> str:
    return aware(value).astimezone().strftime("%Y-%m-%d %H:%M")


def _years(catalogue, today: dt.date) -> list[int]:
    days = [s.approval.approved_on for versions in catalogue.snapshots.values()
            for s in versions if s.approval.approved_on]
    first = max(FIRST_YEAR, min(days).year if days else today.year)
    return list(range(today.year, first - 1, -1))


@router.get(PREFIX + "/")
def page(request: Request):
    portal = request.app.state.portal
    catalogue = load_catalogue(portal.settings.root)
    today = dt.date.today()
    with portal.session() as session:
        _viewer(request, session)
        exports = log.recent(session)
    public = keys.signing_key(portal.settings.root).public_key()
    content = Markup(_environment().get_template("evidence.html.j2").render(
        prefix=PREFIX, today=today, csrf_token=csrf.token_for(request),
        fingerprint=keys.short(keys.fingerprint(public)), public_key=keys.public_pem(public),
        years=_years(catalogue, today), exports=exports, moment=_moment,
        kinds=log.KIND_TEXT, via=log.VIA_TEXT))
    response = shell.html_page(request, "Bevis och årsrapport", content,
                               shell_page=shell.FOLLOW_UP)
    response.headers.update(NO_STORE)
    return response


def _stream(handle: BinaryIO) -> Iterator[bytes]:
    try:
        handle.seek(0)
        while part := handle.read(PART):
            yield part
    finally:
        handle.close()


def _download(handle: BinaryIO, name: str) -> Response:
    return StreamingResponse(_stream(handle), media_type=ZIP, headers={
        **NO_STORE, "Content-Disposition": f'attachment; filename="{name}"'})


def _optional_day(value: str, key: str) -> dt.date | None:
    return form_day(value, key) if value.strip() else None


@router.post(PREFIX + "/bevispaket.zip")
async def bundle(request: Request) -> Response:
    form = await request.form()
    start = _optional_day(str(form.get("fran") or ""), "fran")
    end = _optional_day(str(form.get("till") or ""), "till")
    # The export reads the database for seconds: in a worker thread, not on the event loop.
    return await run_in_threadpool(_bundle, request, start, end)


def _bundle(request: Request, start: dt.date | None, end: dt.date | None) -> Response:
    portal = request.app.state.portal
    today = dt.date.today()
    with portal.session() as session:
        person = _viewer(request, session)
    period = check_period(start, end, today, names=("fran", "till"))
    catalogue = load_catalogue(portal.settings.root)
    name = (f"bevispaket-{period.start.isoformat() if period.start else 'start'}-"
            f"{period.end.isoformat()}.zip")
    handle = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)
    try:
        # A session of its own: the export reads every register in one transaction.
        with portal.session() as session:
            export(session, handle, root=portal.settings.root, published=portal.published,
                   catalogue=catalogue, period=period, by=f"{person.name} ({person.person_id})",
                   via="portal", today=today, file_name=name)
    except BaseException:
        handle.close()
        raise
    return _download(handle, name)


@router.get(PREFIX + "/arsrapport.zip")
def report(request: Request, ar: str = "") -> Response:
    portal = request.app.state.portal
    today = dt.date.today()
    if not ar.isdigit() or not FIRST_YEAR <= int(ar) <= today.year:
        raise UserError(f"ar: förväntade ett år från {FIRST_YEAR} till och med {today.year}, "
                        f"fick '{ar}'. Ingenting har exporterats.", 422)
    year = int(ar)
    catalogue = load_catalogue(portal.settings.root)
    handle = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)
    try:
        with portal.session() as session:
            _viewer(request, session)
            found = annual_report(session, portal.published, catalogue, year, today)
        write_zip(found, handle)
    except BaseException:
        handle.close()
        raise
    return _download(handle, f"{file_stem(year)}.zip")

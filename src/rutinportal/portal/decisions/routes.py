"""The Beslut page `/beslut/`: the documents waiting for each decision body, each document's
redline and preview, and the decision pack to download (PDF and HTML).

For sector leadership and the coordinator (`policy.require_decisions`). The portal reads the
repository's catalogue, as the dashboard does; nothing here is cached by browsers or proxies.
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ...approval.decisions.render import pack_html
from ...errors import NotFound
from ..access import auth, policy
from ..dashboard.routes import load_catalogue
from ..web import shell
from . import service
from .pages import render

router = APIRouter(include_in_schema=False)

PREFIX = "/beslut"
NO_STORE = {"Cache-Control": "no-store"}
MEDIA = {"pdf": "application/pdf", "html": "text/html; charset=utf-8"}


def _allowed(request: Request, session) -> None:
    portal = request.app.state.portal
    policy.require_decisions(auth.current_person(portal.settings, request, session))


def _page(request: Request, page_title: str, template: str, **context) -> Response:
    content = render(template, prefix=PREFIX, **context)
    response = shell.html_page(request, page_title, content, shell_page=shell.FOLLOW_UP)
    response.headers.update(NO_STORE)
    return response


@router.get(PREFIX + "/")
def queue(request: Request):
    portal = request.app.state.portal
    catalogue = load_catalogue(portal.settings.root)
    today = dt.date.today()
    with portal.session() as session:
        _allowed(request, session)
        queues = service.queues(session, catalogue, today)
    return _page(request, "Beslut", "decisions.html.j2", queues=queues, today=today)


@router.get(PREFIX + "/dokument/{document_id}/")
def document(request: Request, document_id: str):
    portal = request.app.state.portal
    catalogue = load_catalogue(portal.settings.root)
    with portal.session() as session:
        _allowed(request, session)
        pack, item = service.document_pack(session, catalogue, document_id, dt.date.today())
    return _page(request, f"Beslut: {item.doc.content.title}", "decision_document.html.j2",
                 pack=pack, item=item)


@router.get(PREFIX + "/{body_id}/beslutsunderlag.{suffix}")
def download(request: Request, body_id: str, suffix: str):
    if suffix not in MEDIA:
        raise NotFound("Beslutsunderlaget finns som .pdf och .html.")
    portal = request.app.state.portal
    catalogue = load_catalogue(portal.settings.root)
    with portal.session() as session:
        _allowed(request, session)
        pack = service.body_pack(session, catalogue, body_id, dt.date.today())
    html = pack_html(pack)
    if suffix == "pdf":
        from ...approval.decisions.pdf import to_pdf  # WeasyPrint loads only when asked

        body: bytes = to_pdf(html).data
    else:
        body = html.encode("utf-8")
    name = f"beslutsunderlag-{pack.body.id}-{pack.today.isoformat()}.{suffix}"
    return Response(body, media_type=MEDIA[suffix], headers={
        **NO_STORE, "Content-Disposition": f'attachment; filename="{name}"'})

"""Server-rendered pages: sign-in, sign-out, /min-sida/, /min-laslista/ and error pages."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import select

from ...content.organisation import EVERYBODY
from ...errors import Forbidden, NotSignedIn
from ..access import auth, csrf
from ..access.auth import safe_next
from ..receipts.summary import summary
from ..storage.models import Person
from . import shell
from .shell import html_page

router = APIRouter(include_in_schema=False)


def describe(person: Person, names) -> str:
    parts = [names(u) for u in person.units]
    if person.manages:
        parts.append("chef för " + ", ".join(names(u).lower() for u in person.manages))
    roles = [names(r) for r in person.roles if r not in (EVERYBODY, "chefer")]
    return " · ".join(parts + roles)


@router.get("/login")
@router.get("/login/")
def login_form(request: Request, next: str | None = None):
    portal = request.app.state.portal
    with portal.session() as session:
        current = auth.current_person(portal.settings, request, session, required=False) \
            if portal.settings.auth != "header" else None
        groups = []
        if portal.settings.auth == "dev":
            people = session.scalars(select(Person).where(Person.active.is_(True))
                                     .order_by(Person.name)).all()
            names = portal.published.organisation.name
            order = [a.id for a in portal.published.organisation.units]
            by_unit: dict[str, list] = {}
            for person in people:
                key = person.units[0] if person.units else "utan-enhet"
                by_unit.setdefault(key, []).append(
                    {"person_id": person.person_id, "name": person.name,
                     "description": describe(person, names)})
            for unit in sorted(by_unit, key=lambda u: order.index(u) if u in order else 99):
                groups.append({"id": unit, "name": names(unit) if unit != "utan-enhet"
                               else "Utan enhet", "people": by_unit[unit]})
        content = shell.render("login.html.j2", mode=portal.settings.auth, groups=groups,
                               current=current, csrf_token=csrf.token_for(request),
                               next=safe_next(next))
    return html_page(request, "Logga in", content)


@router.post("/login")
@router.post("/login/")
async def login(request: Request):
    portal = request.app.state.portal
    form = await request.form()
    if portal.settings.auth != "dev":
        raise Forbidden("Inloggning med formulär finns bara i demoläge. Logga in via "
                        "intranätet.")
    person_id = str(form.get("person_id") or "")
    with portal.session() as session:
        person = auth.find_person(session, person_id)
        if person is None or not person.active:
            raise Forbidden(f"Det finns ingen aktiv person med id '{person_id}' i "
                            "personallistan.")
        auth.sign_in(portal.settings, request, session, person)
    return auth.forget_in_browser(RedirectResponse(safe_next(str(form.get("next") or "")),
                                              status_code=303))


@router.post("/logout")
@router.post("/logout/")
def logout(request: Request):
    portal = request.app.state.portal
    with portal.session() as session:
        auth.sign_out(request, session)
    return auth.forget_in_browser(RedirectResponse("/", status_code=303))



@router.get("/min-sida/")
def my_page(request: Request):
    portal = request.app.state.portal
    with portal.session() as session:
        person = auth.current_person(portal.settings, request, session)
        me = summary(session, person, portal.published)
    names = portal.published.organisation.name
    todo = sorted(me.due.acknowledgements + me.due.training,
                  key=lambda i: (i.due_on, i.title.casefold()))
    routine_ids = {i.document_id for i in me.due.acknowledgements}
    content = shell.render(
        "my_page.html.j2", me=me, csrf_token=csrf.token_for(request), todo=todo,
        routine_ids=routine_ids,
        units=", ".join(names(u) for u in me.person.units),
        roles=", ".join(names(r) for r in me.person.roles if r != EVERYBODY),
        quiz_titles={q: quiz.title for q, quiz in portal.published.quizzes.items()})
    return html_page(request, "Min sida", content)


MY_READING_LIST = "/min-laslista/"
ALL_READING_LISTS = "/laslistor/"


@router.get("/min-laslista")
@router.get(MY_READING_LIST)
def my_reading_list(request: Request):
    """The signed-in person's own reading list: that of their (first) unit."""
    portal = request.app.state.portal
    published = portal.published
    with portal.session() as session:
        try:
            person = auth.current_person(portal.settings, request, session)
        except NotSignedIn:
            return RedirectResponse(f"/login?next={MY_READING_LIST}", status_code=303)
        units = set(person.units)
    order = [unit.id for unit in published.organisation.units]
    for unit in sorted(units, key=lambda u: (order.index(u) if u in order else len(order), u)):
        if unit in published.reading_lists:
            return RedirectResponse(published.reading_lists[unit], status_code=303)
    return RedirectResponse(f"{ALL_READING_LISTS}?ingen-enhet", status_code=303)

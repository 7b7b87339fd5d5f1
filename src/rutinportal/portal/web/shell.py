"""Pages the portal renders inside the built site's look.

The build generates the portal's pages (`min-sida/`, `uppfoljning/`) with their content
between two markers; the portal puts its own server-rendered HTML there, so portal pages share
the theme, navigation and stylesheets of the static site without a second set of templates.
Sign-in and error pages use the `min-sida` shell.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ...errors import UserError
from ..access import auth

START, END = "<!-- rp-portal-start -->", "<!-- rp-portal-end -->"
MY_PAGE = "min-sida"
FOLLOW_UP = "uppfoljning"
_TITLE = re.compile(r"<title>.*?</title>", re.S)
BODY_TAG = "<body"
# The theme's first element in the body is its skip link; the banner comes right after it, so
# "Gå till innehållet" stays the first thing Tab reaches (and axe still sees a skip link).
AFTER_SKIP = '<div data-md-component="announce"'


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(loader=PackageLoader("rutinportal.portal.web", "templates"),
                       autoescape=True, undefined=StrictUndefined, trim_blocks=True,
                       lstrip_blocks=True)


def render(template: str, **context) -> Markup:
    return Markup(environment().get_template(template).render(**context))


_RELATIVE = re.compile(r'((?:href|src)=")\.\./')
_SELF = re.compile(r'((?:href|src)=")\./?"')


@lru_cache(maxsize=8)
def _shell(path: Path, mtime: float) -> tuple[str, str]:
    html = path.read_text(encoding="utf-8")
    # A shell lives one folder deep; portal pages live at other depths, so its relative
    # links are made absolute once.
    html = _RELATIVE.sub(r"\1/", html)
    html = _SELF.sub(rf'\1/{path.parent.name}/"', html)
    html = html.replace('"base": ".."', '"base": "/"')
    start, end = html.find(START), html.find(END)
    if start < 0 or end < 0:
        raise RuntimeError(f"{path} lacks the portal markers; rebuild the site")
    return html[:start], html[end + len(END):]


def page(site_dir: Path, title: str, content: Markup, shell: str = MY_PAGE) -> str:
    """A complete HTML page: the shell page `shell` with `content` and the title set."""
    path = site_dir / shell / "index.html"
    head, tail = _shell(path, path.stat().st_mtime)
    # A function, not a string: a title is text, and a backslash in it is no regex escape.
    shown = f"<title>{Markup.escape(title)} - Rutinportalen</title>"
    head = _TITLE.sub(lambda _match: shown, head, count=1)
    return f"{head}{START}\n{content}\n{END}{tail}"


def decorate(request: Request, html: str) -> str:
    """In dev mode, every page says so loudly, with who is signed in."""
    portal = request.app.state.portal
    if portal.settings.auth != "dev":
        return html
    person = None
    if auth.sessions.has_token(request):
        with portal.session() as session:
            try:
                person = auth.current_person(portal.settings, request, session,
                                             required=False)
            except UserError:
                person = None  # e.g. no longer on the roster: the banner says "choose"
    if person is not None:
        request.state.personal = True  # names the person: never cached (web.headers)
    banner = render("banner.html.j2", person=person)
    skip = html.find(AFTER_SKIP)
    if skip >= 0:
        return html[:skip] + str(banner) + html[skip:]
    start = html.find(BODY_TAG)
    if start < 0:
        return str(banner) + html
    end = html.find(">", start) + 1
    return html[:end] + str(banner) + html[end:]


ARTICLE = '<article class="md-content__inner md-typeset">'


def note_no_unit(html: str) -> str:
    """The list of all reading lists, saying why the person's own was not opened."""
    at = html.find(ARTICLE)
    if at < 0:
        return html
    at += len(ARTICLE)
    return html[:at] + str(render("no_unit_note.html.j2")) + html[at:]


def html_page(request: Request, title: str, content: Markup, status: int = 200,
              shell_page: str = MY_PAGE) -> HTMLResponse:
    """A server-rendered page in the site's look."""
    site_dir = request.app.state.portal.site.directory
    return HTMLResponse(decorate(request, page(site_dir, title, content, shell_page)),
                        status_code=status)


def error_page(request: Request, status: int, title: str, message: str) -> str:
    content = render("error.html.j2", title=title, message=message, status=status,
                     path=request.url.path)
    site_dir = request.app.state.portal.site.directory
    return decorate(request, page(site_dir, title, content))

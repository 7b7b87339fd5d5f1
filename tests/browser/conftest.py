"""Browser fixtures: the example site, real portal processes and Debian's Chromium.

One browser for all browser tests and a new context per test. The portal runs as a real
process (`rutinportal.testing.server.PortalProcess`) in dev auth mode on the session's example
site. A module shares one portal on a fresh SQLite database (`portal`); a flow that records
something gets its own (`fresh_portal`).

Playwright never downloads a browser here (CI has no internet access): it drives the
Chromium that `.ci/run` installs with apt, `RUTINPORTAL_CHROMIUM` or /usr/bin/chromium.
"""

from __future__ import annotations

import functools
import http.server
import itertools
import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError, expect, sync_playwright

from rutinportal.content.quizzes import Quiz
from rutinportal.testing.server import PortalProcess

from ..conftest import REPO, Example
from ..portal.support import import_demo_roster

CHROMIUM = os.environ.get("RUTINPORTAL_CHROMIUM", "/usr/bin/chromium")
# Keep Chromium off the network (no component updates, translation or sync) and runnable as
# root in a container.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync",
                 "--disable-features=Translate,MediaRouter"]
VIEWPORTS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True,
              "has_touch": True, "device_scale_factor": 2},
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}
SCREENSHOTS = REPO / "var" / "screenshots"
TIMEOUT_MS = 15_000  # generous for a loaded CI machine; waits end as soon as the page is ready
expect.set_options(timeout=TIMEOUT_MS)


# -- the example site and portal processes -----------------------------------------------------

@pytest.fixture(scope="session")
def example(built_example: Example) -> Example:
    return built_example


_portal_numbers = itertools.count(1)


def start_portal(example: Example, folder: Path) -> PortalProcess:
    """A new portal on a new SQLite database with the demo roster imported."""
    folder.mkdir(parents=True, exist_ok=True)
    number = next(_portal_numbers)
    database = folder / f"portal-{number}.sqlite3"
    import_demo_roster(example.root, f"sqlite:///{database.as_posix()}",
                       REPO / "demo" / "personal.csv")
    return PortalProcess(example.root, example.site, f"sqlite:///{database.as_posix()}",
                         folder / f"portal-{number}.log", auth="dev",
                         secret_key="browser-tests",
                         env={"RUTINPORTAL_EVIDENCE_KEY": str(folder / f"key-{number}.pem")}
                         ).start()


@pytest.fixture(scope="module")
def portal(example: Example, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[PortalProcess]:
    """One portal for the module, on its own fresh database."""
    server = start_portal(example, tmp_path_factory.mktemp("portal"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def fresh_portal(example: Example, tmp_path: Path) -> Iterator[PortalProcess]:
    """A portal of its own for one test: nothing recorded by any other test."""
    server = start_portal(example, tmp_path)
    try:
        yield server
    finally:
        server.stop()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the stdlib's name
        pass


@pytest.fixture(scope="session")
def preview_server(example: Example) -> Iterator[str]:
    """The --preview build on a plain static file server (as an approver would open it)."""
    handler = functools.partial(_QuietHandler, directory=str(example.preview))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


# -- the browser ------------------------------------------------------------------------------

def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"Webbläsartesterna kan inte köras i CI: {reason}", pytrace=False)
    pytest.skip(f"Webbläsartesterna hoppas över: {reason}")


# Package scope: one browser for all browser tests, stopped right after the last of them.
# While Playwright's sync API runs, its event loop counts as running in this thread, so a
# later test's asyncio.run() (tests/portal) would fail if the browser lived to session end.
@pytest.fixture(scope="package")
def browser():
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"Chromium finns inte på {CHROMIUM} (installera Debians paket chromium "
                     "eller sätt RUTINPORTAL_CHROMIUM)")
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except PlaywrightError as error:
            _unavailable(f"Chromium på {CHROMIUM} startade inte: {error}")
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def new_page(browser, viewport: str) -> Iterator[Callable]:
    """`new_page(base_url)`: a page in a new context (own cookies) at the test's viewport."""
    contexts = []

    def make(base_url: str):
        context = browser.new_context(base_url=base_url, locale="sv-SE",
                                      timezone_id="Europe/Stockholm", **VIEWPORTS[viewport])
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page, portal: PortalProcess):
    """A page on the module's portal."""
    return new_page(portal.base)


@pytest.fixture
def flow_page(new_page, fresh_portal: PortalProcess):
    """A page on a portal of the test's own (fresh database)."""
    return new_page(fresh_portal.base)


@pytest.fixture
def record_requests() -> Callable:
    """`record_requests(page)`: a list that fills with the URL of every request of the page."""

    def attach(page) -> list[str]:
        seen: list[str] = []
        page.on("request", lambda request: seen.append(request.url))
        return seen

    return attach


@pytest.fixture
def screenshot(viewport: str) -> Callable:
    """`screenshot(page, name)`: var/screenshots/<viewport>-<name>.png (git-ignored)."""

    def take(page, name: str, full_page: bool = False) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{viewport}-{name}.png"
        page.screenshot(path=str(path), full_page=full_page, animations="disabled",
                        caret="hide")
        return path

    return take


# -- helpers shared by the test modules ------------------------------------------------------

def sign_in(page, name: str, next_path: str = "/min-sida/") -> None:
    """Dev sign-in as a person would do it: pick the name on /login."""
    page.goto(f"/login?next={next_path}")
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_url(re.compile(re.escape(next_path) + r"$"))
    expect(page.locator(".rp-demo-banner")).to_contain_text(f"Inloggad som {name}")


def sign_in_quickly(page, person_id: str) -> None:
    """The same dev sign-in form, posted without rendering /login: for tests about other pages.

    The request shares the page's cookies, so the page is signed in afterwards."""
    request = page.context.request
    request.get("/api/openapi.json")  # any response hands out the CSRF cookie
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "rp_csrf")
    response = request.post("/login", form={"person_id": person_id, "csrf_token": token,
                                             "next": "/min-sida/"}, max_redirects=0)
    assert response.status == 303, response.text()


def search(page, query: str):
    """Search as a person does (the header's search), once, and wait for the final answer."""
    opener = page.locator("label.md-header__button[for='__search']")
    field = page.locator("input.md-search__input")
    (opener if opener.is_visible() else field).click()  # on a phone it hides behind an icon
    field.fill(query)
    field.press("End")  # the theme searches on keyup: exactly one query, no partial ones
    expect(page.locator(".md-search-result__meta")).to_have_text(re.compile(r"sökresultat$"))
    return page.locator(".md-search-result__item")


def input_id(quiz: Quiz, question, choice) -> str:
    return f"rpq-{quiz.id}-{question.id}-{choice.id}"


def shown_questions(page, quiz: Quiz) -> list:
    """The questions of the attempt the portal handed out (or all, in a preview), in order.

    Waits until the page has its attempt: the portal draws the questions."""
    form = page.locator(f"form.rp-quiz[data-quiz-id='{quiz.id}']")
    if not form.locator("script.rp-quiz-key").count():
        page.locator(f"form.rp-quiz[data-quiz-id='{quiz.id}'][data-attempt]").wait_for()
    ids = form.locator("fieldset[data-question-id]:not([hidden])").evaluate_all(
        "nodes => nodes.map(n => n.dataset.questionId)")
    by_id = {q.id: q for q in quiz.questions}
    return [by_id[i] for i in ids]


def answer(page, quiz: Quiz, wrong: Iterable[int] = ()) -> list:
    """Tick all right choices of the questions shown, except for those numbered in `wrong`
    (from 0, in the order shown): one wrong choice there. The questions answered."""
    wrong = set(wrong)
    shown = shown_questions(page, quiz)
    for number, question in enumerate(shown):
        chosen = [next(c for c in question.choices if not c.correct)] if number in wrong \
            else [c for c in question.choices if c.correct]
        for choice in chosen:
            page.locator(f"[id='{input_id(quiz, question, choice)}']").check()
    return shown


def all_wrong(quiz: Quiz) -> range:
    return range(len(quiz.questions))


# -- the page types every browser check visits ---------------------------------------------

LEADER = "Karin Östberg"  # demo/personal.csv: karin.ostberg, sektorsledning (every unit)
WORKER = "Anna Lind"      # anna.lind, hemtjanst, no role
LEADER_ID, WORKER_ID = "karin.ostberg", "anna.lind"


@dataclass(frozen=True)
class PageType:
    name: str               # also the screenshot's name
    path: str
    person: str | None      # person id signed in as; None: signed out
    ready: str | None = None  # a selector that matches once the page's script has run
    status: int = 200       # the HTTP status the page is answered with


PAGE_TYPES = [
    PageType("start", "/", WORKER_ID),
    PageType("register", "/rutiner/", WORKER_ID, ".rp-sortable th button.rp-sort"),
    PageType("reading-lists", "/laslistor/", WORKER_ID),
    PageType("reading-list", "/laslistor/hemtjanst/", WORKER_ID,
             ".rp-mark:text-matches('^(Inte kvitterad|✓)')"),
    PageType("courses", "/utbildning/", WORKER_ID),
    PageType("lessons", "/lardomar/", WORKER_ID),
    PageType("topics", "/taggar/", WORKER_ID),
    PageType("routine", "/rutiner/fotografering-av-kunder/", WORKER_ID),
    PageType("quiz", "/quiz/fotografering/", WORKER_ID, "form.rp-quiz[data-attempt]"),
    PageType("course", "/utbildning/ledning/", LEADER_ID,
             ".rp-progress:text-matches('^(Inte klar|✓ Klar)$')"),
    PageType("training-module", "/utbildning/ledning/cybersakerhetslagen/", LEADER_ID),
    PageType("lesson", "/lardomar/lana-siths-kort/", WORKER_ID),
    PageType("news", "/nytt/", WORKER_ID),
    PageType("changes", "/rutiner/siths-kort.andringar-2/", WORKER_ID),
    PageType("old-version", "/rutiner/siths-kort.version-1/", WORKER_ID),
    PageType("dashboard", "/uppfoljning/", LEADER_ID, ".rp-dash"),
    PageType("dashboard-routine", "/uppfoljning/rutiner/RUT-002/", LEADER_ID, ".rp-dash"),
    PageType("dashboard-unit", "/uppfoljning/enheter/hemtjanst/", LEADER_ID, ".rp-dash"),
    PageType("dashboard-person", "/uppfoljning/personer/anna.lind/", LEADER_ID, ".rp-form"),
    PageType("apt-form", "/uppfoljning/enheter/hemtjanst/apt/", LEADER_ID, ".rp-form"),
    PageType("apt-sheet", "/uppfoljning/enheter/hemtjanst/apt/blad?kunskapstest=1", LEADER_ID),
    PageType("decisions", "/beslut/", LEADER_ID, ".rp-decisions"),
    PageType("decision-document", "/beslut/dokument/RUT-004/", LEADER_ID, ".rp-decisions"),
    PageType("evidence", "/uppfoljning/bevis/", LEADER_ID, ".rp-evidence"),
    PageType("login", "/login", None),
    PageType("my-page", "/min-sida/", WORKER_ID),
    PageType("not-found", "/rutiner/finns-inte/", None, status=404),
    PageType("forbidden", "/uppfoljning/", WORKER_ID, status=403),
]
PAGE_TYPE = {kind.name: kind for kind in PAGE_TYPES}
PREVIEW_DRAFT = "/rutiner/radera-besok-planering/"  # RUT-011 in the --preview build


@dataclass(frozen=True)
class Role:
    """Who signs in (demo/personal.csv) and the page types that person may open."""

    name: str
    person: str
    pages: tuple[str, ...]


_FOLLOW_UP = ("dashboard", "dashboard-routine", "dashboard-unit", "dashboard-person", "apt-form",
              "apt-sheet")
_DECISIONS = ("decisions", "decision-document")
_EVIDENCE = ("evidence",)  # Bevis och årsrapport: sector leadership and the coordinator
_EVERYONE = tuple(k.name for k in PAGE_TYPES
                  if k.name not in _FOLLOW_UP + _DECISIONS + _EVIDENCE + ("forbidden",))
ROLES = [
    # Home care, no role: what everyone may open; the follow-up is refused (403).
    Role("staff", WORKER_ID, _EVERYONE + ("forbidden",)),
    # Lena Nyberg, chef för Hemtjänst: her unit's follow-up and APT, not Beslut.
    Role("manager", "lena.nyberg", _EVERYONE + _FOLLOW_UP),
    Role("leadership", LEADER_ID, _EVERYONE + _FOLLOW_UP + _DECISIONS + _EVIDENCE),
    Role("coordinator", "sofia.bergstrom", _EVERYONE + _FOLLOW_UP + _DECISIONS + _EVIDENCE),
]


def visit(page, kind: PageType):
    """Open a page type as whoever is signed in and wait until its script has run."""
    response = page.goto(kind.path)
    assert response is not None and response.status == kind.status, \
        f"{kind.path}: HTTP {response.status if response else None}"
    if kind.ready:
        page.locator(kind.ready).first.wait_for()
    return response


def open_page_type(page, kind: PageType):
    """Sign in as the page type's person, open it and wait until its script has run."""
    if kind.person:
        sign_in_quickly(page, kind.person)
    return visit(page, kind)

"""Att göra and Genomgång på APT in Chromium: a worker sees what they owe by date; a manager
records a meeting with the form (keyboard and labels), and the receipt and the worker's own
page say so. axe-clean at phone and desktop size."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from rutinportal.content.publications import add_months
from rutinportal.portal.published import load_published
from rutinportal.portal.receipts.acknowledgements import record, wanted
from rutinportal.portal.storage.db import make_engine
from rutinportal.testing.server import PortalProcess

from ..portal.support import import_demo_roster, renewing_site
from .conftest import sign_in
from .test_accessibility import assert_accessible

pytestmark = pytest.mark.browser


def test_att_gora_lists_what_is_owed_by_date(flow_page) -> None:
    sign_in(flow_page, "Anna Lind")
    todo = flow_page.locator("ul.rp-todo > li")
    due = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    expect(todo.first).to_contain_text(f"Senast {due}")
    expect(flow_page.get_by_role("heading", name="Att göra")).to_be_visible()
    assert todo.count() == 7  # hemtjänst: seven mandatory routines
    assert_accessible(flow_page, "Att göra")


def test_a_manager_records_a_workplace_meeting(flow_page) -> None:
    sign_in(flow_page, "Lena Nyberg", "/uppfoljning/enheter/hemtjanst/apt/")
    flow_page.get_by_label(re.compile(r"^Låna aldrig ut ditt SITHS-kort")).check()
    flow_page.get_by_label("Anna Lind").check()
    flow_page.get_by_label("Fatima Ali").check()
    assert_accessible(flow_page, "APT form, filled in")
    flow_page.get_by_role("button", name="Registrera genomgången").click()
    status = flow_page.get_by_role("status")
    expect(status).to_contain_text("Registrerad med Lena Nyberg som vittne: 2 deltagare, "
                                   "1 rutin, 2 nya kvittenser.")
    assert_accessible(flow_page, "APT receipt")
    sign_in(flow_page, "Anna Lind")
    expect(flow_page.locator("#kvitterat + ul")).to_contain_text(
        f"genomgången på APT {dt.date.today().isoformat()}, Lena Nyberg var vittne")
    expect(flow_page.locator("ul.rp-todo > li")).to_have_count(6)


def test_a_routine_page_shows_the_readers_own_due_date(flow_page) -> None:
    sign_in(flow_page, "Anna Lind", "/rutiner/fotografering-av-kunder/")
    due = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    expect(flow_page.locator(".rp-meta__due")).to_have_text(f"Senast {due}")


@pytest.fixture
def renewing_portal(example, tmp_path):
    """A portal whose site says RUT-001 expires every 12 months, where Anna Lind's
    acknowledgement of it expires in ten days (its renewal is owed)."""
    site = renewing_site(example.site, tmp_path / "site", "RUT-001")
    url = f"sqlite:///{(tmp_path / 'portal.sqlite3').as_posix()}"
    import_demo_roster(example.root, url)
    published = load_published(example.root, site)
    first = add_months(dt.date.today(), -12) + dt.timedelta(days=10)
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            record(connection, [wanted(published, "anna.lind", "RUT-001",
                                       published.documents["RUT-001"].version)],
                   dt.datetime.combine(first, dt.time(12)).astimezone())
    finally:
        engine.dispose()
    server = PortalProcess(example.root, site, url, tmp_path / "portal.log", auth="dev",
                           secret_key="browser-tests",
                           env={"RUTINPORTAL_EVIDENCE_KEY": str(tmp_path / "key.pem")}).start()
    try:
        yield server, first, published.documents["RUT-001"]
    finally:
        server.stop()


def test_a_renewal_owed_is_asked_for_and_recorded_on_the_routine_page(
        new_page, renewing_portal) -> None:
    server, first, routine = renewing_portal
    page = new_page(server.base)
    expires = add_months(first, 12).isoformat()
    sign_in(page, "Anna Lind", routine.url)
    ack = page.locator(".rp-ack")
    status = ack.get_by_role("status")
    expect(status).to_have_text(
        f"Kvitterad {first.isoformat()} (version {routine.version}). Kvittensen gäller till "
        f"{expires} och ska förnyas: läs rutinen igen och förnya kvittensen senast {expires}.")
    assert_accessible(page, "routine page, renewal owed")
    ack.get_by_role("button", name="Förnya kvittensen").click()
    renewed = f"✓ Förnyad {dt.date.today().isoformat()} (version {routine.version})"
    expect(status).to_have_text(renewed)
    expect(ack.get_by_role("button")).to_be_hidden()
    page.reload()
    expect(status).to_have_text(renewed)
    page.goto("/min-sida/")
    expect(page.locator("#kvitterat + ul")).to_contain_text(
        f"Låna aldrig ut ditt SITHS-kort: förnyad {dt.date.today().isoformat()} "
        f"(version {routine.version})")
    expect(page.locator("ul.rp-todo")).not_to_contain_text("SITHS-kort")

"""Att göra and Genomgång på APT in Chromium: a worker sees what they owe by date; a manager
records a meeting with the form (keyboard and labels), and the receipt and the worker's own
page say so. axe-clean at phone and desktop size."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

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
